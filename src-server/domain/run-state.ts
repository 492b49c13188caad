/**
 * Pure transitions of PlannerJobState that the scheduler runtime applies around a plan, so the rules
 * the planner relies on (what last_scheduled_for, retry_at, deferred_for mean) live next to it.
 */
import type { RunStatus } from './catalogue';
import type { JobConfig } from './job';
import type { DeferredRun, MissedOccurrence, PlannedRun, PlannerJobState } from './planner';
import { isTransient, retryDelayMs, type RunErrorKind } from './retry';

function later(a: string | null | undefined, b: Date): string {
  const iso = b.toISOString();
  return a && a > iso ? a : iso;
}

/** A run was claimed under the lock: it holds a lease and its occurrence is handled. */
export function stateOnClaim(state: PlannerJobState, run: PlannedRun, runId: string, leaseUntil: Date): PlannerJobState {
  return {
    ...state,
    last_scheduled_for: later(state.last_scheduled_for, run.occurrence),
    lease: {
      run_id: runId,
      until: leaseUntil.toISOString(),
      occurrence: run.occurrence.toISOString(),
      trigger: run.trigger,
      attempt: run.attempt,
      tab: run.tab_key,
    },
    retry_at: null,
    retry_of: run.trigger === 'retry' ? (state.retry_of ?? null) : null,
    attempt: run.attempt,
  };
}

/** Missed occurrences were recorded: they are handled. */
export function stateOnMissed(state: PlannerJobState, missed: readonly MissedOccurrence[]): PlannerJobState {
  let last = state.last_scheduled_for ?? null;
  for (const m of missed) last = later(last, m.occurrence);
  return { ...state, last_scheduled_for: last };
}

/** A due run waited: its occurrence must not turn stale while it waits. */
export function stateOnDeferred(state: PlannerJobState, deferred: DeferredRun): PlannerJobState {
  return { ...state, deferred_for: later(state.deferred_for, deferred.occurrence) };
}

/** A paused or disabled job comes back: what it skipped meanwhile is not caught up. */
export function stateOnResume(state: PlannerJobState, now: Date): PlannerJobState {
  return { ...state, last_scheduled_for: later(state.last_scheduled_for, now), retry_at: null, retry_of: null, deferred_for: null };
}

export interface RunOutcome {
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'partial'>;
  /** The occurrence the run was for (manual runs: their start time). */
  occurrence: Date;
  attempt: number;
  finishedAt: Date;
  /** For failures: how the error is classified. */
  errorKind?: RunErrorKind;
  /** For quota failures: when the quota resets. */
  quotaResetAt?: Date | null;
}

/**
 * A run finished: clears the lease, records success, or schedules the retry with backoff. Permanent
 * errors and exhausted retries end the occurrence; a quota failure retries at the reset without
 * consuming an attempt.
 */
export function stateAfterRun(
  state: PlannerJobState,
  jobId: string,
  config: Pick<JobConfig, 'max_retries' | 'retry_backoff_minutes'>,
  outcome: RunOutcome,
): PlannerJobState {
  const base: PlannerJobState = {
    ...state,
    lease: null,
    last_finished_at: outcome.finishedAt.toISOString(),
    last_status: outcome.status,
    attempt: outcome.attempt,
    retry_at: null,
    retry_of: null,
  };
  if (outcome.status !== 'failed') {
    return { ...base, last_success_for: later(state.last_success_for, outcome.occurrence), consecutive_failures: 0 };
  }
  const failures = (state.consecutive_failures ?? 0) + 1;
  const kind = outcome.errorKind ?? 'unknown';
  if (kind === 'quota' && outcome.quotaResetAt) {
    return {
      ...base,
      quota_deferred_until: outcome.quotaResetAt.toISOString(),
      retry_at: outcome.quotaResetAt.toISOString(),
      retry_of: outcome.occurrence.toISOString(),
      attempt: outcome.attempt - 1,
    };
  }
  if (isTransient(kind) && outcome.attempt <= config.max_retries) {
    const delay = retryDelayMs(outcome.attempt, config.retry_backoff_minutes, `${jobId}:${outcome.attempt}`);
    return {
      ...base,
      consecutive_failures: failures,
      retry_at: new Date(outcome.finishedAt.getTime() + delay).toISOString(),
      retry_of: outcome.occurrence.toISOString(),
    };
  }
  return { ...base, consecutive_failures: failures };
}
