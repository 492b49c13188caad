/**
 * Claiming, executing and recording runs — shared by the tick (scheduled, retry, catch-up runs) and
 * by runNow (manual/api runs). Claim and record happen under the lock; execution happens outside it,
 * protected by the lease in the job's planner state.
 */
import type { RunTrigger } from '../domain/catalogue';
import type { JobConfig } from '../domain/job';
import type { PlannedRun } from '../domain/planner';
import { stateAfterRun, stateOnClaim, type RunOutcome } from '../domain/run-state';
import { nextRuns } from '../domain/schedule';
import { runSync } from '../sync';
import { normalizeSyncState, type SyncState } from '../sync/state';
import type { SyncOutcome, SyncProgress } from '../sync/types';
import type { RunDto } from './contract';
import type { AppContext, Loaded } from './context';
import { sendJobMail, type MailEvent } from './notify';
import { addQuota, ExecutionQuotaMeter } from './quota';
import type { ActiveRun, JobState } from './records';
import { tabKey } from '../domain/tab-key';
import { KEYS } from './store';

/** An execution may live 6 minutes; a lease outlives it with a margin, then the run is resumable. */
export const LEASE_MS = 7 * 60_000;
/** No run starts after this much of the execution is used; runSync gets it as its deadline. */
export const WORK_BUDGET_MS = 270_000;
export const PROGRESS_TTL_SECONDS = 600;
export const MAX_ERROR_CHARS = 1_000;
export const progressKey = (jobId: string): string => `y2s:progress:${jobId}`;

export interface Claimed {
  jobId: string;
  jobName: string;
  config: JobConfig;
  run: ActiveRun;
  syncState: SyncState;
}

export interface Executed {
  claim: Claimed;
  outcome: SyncOutcome | null;
  /** An unexpected exception (a bug or a platform error) instead of an outcome. */
  crash: string | null;
  durationMs: number;
  quotaSpent: number;
  /** True when the run was claimed but never started (time budget used up). */
  notStarted: boolean;
}

export interface MonitorProgress {
  job_id: string;
  job_name: string;
  run_id: string;
  started_at: string;
  processed: number;
  expected: number | null;
  phase: string;
}

/** Claims a planned run for this execution: lease, handled occurrence, the active run record. */
export function claimPlanned(ctx: AppContext, loaded: Loaded, run: PlannedRun): Claimed | null {
  const job = loaded.job(run.job_id);
  if (!job) return null;
  const state = loaded.state(run.job_id);
  const now = ctx.now();
  const runId = run.resumed_run_id ?? ctx.newId('r_');
  const resuming = run.resumed_run_id !== null && state.active?.run_id === run.resumed_run_id;
  const active: ActiveRun = resuming
    ? { ...state.active! }
    : {
        run_id: runId,
        occurrence: run.trigger === 'manual' || run.trigger === 'api' ? null : run.occurrence.toISOString(),
        trigger: run.trigger,
        attempt: run.attempt,
        started_at: now.toISOString(),
        videos_added: 0,
        videos_updated: 0,
        quota_units: 0,
        executions: 0,
      };
  const next: JobState = {
    ...state,
    planner: stateOnClaim(state.planner, run, runId, new Date(now.getTime() + LEASE_MS)),
    active,
    requested: null,
  };
  loaded.setState(job.id, next);
  return {
    jobId: job.id,
    jobName: job.config.name,
    config: job.config,
    run: active,
    syncState: normalizeSyncState(loaded.snapshot.json(KEYS.sync(job.id))),
  };
}

/** A manual (or API) run planned now; the planner state treats it like an occurrence at `now`. */
export function manualRun(jobId: string, config: JobConfig, trigger: RunTrigger, now: Date, activeSpreadsheetId: string): PlannedRun {
  return { job_id: jobId, occurrence: now, trigger, attempt: 1, coalesced: 1, resumed_run_id: null, tab_key: tabKey(config, activeSpreadsheetId) };
}

export function execute(ctx: AppContext, claim: Claimed, meter: ExecutionQuotaMeter, deadline: Date): Executed {
  const started = ctx.now().getTime();
  const spentBefore = meter.spent;
  const base: MonitorProgress = {
    job_id: claim.jobId,
    job_name: claim.jobName,
    run_id: claim.run.run_id,
    started_at: claim.run.started_at,
    processed: 0,
    expected: null,
    phase: 'starting',
  };
  const cache = ctx.deps.cache;
  let lastProgressAt = 0;
  const putProgress = (p: SyncProgress | null): void => {
    try {
      cache.put(progressKey(claim.jobId), JSON.stringify(p ? { ...base, ...p } : base), PROGRESS_TTL_SECONDS);
    } catch {
      // The monitor is best effort: a cache failure never fails a run.
    }
  };
  putProgress(null);
  let outcome: SyncOutcome | null = null;
  let crash: string | null = null;
  try {
    outcome = runSync(
      { jobId: claim.jobId, config: claim.config, state: claim.syncState, runId: claim.run.run_id },
      {
        youtube: ctx.deps.youtube,
        sheets: ctx.deps.spreadsheets,
        clock: ctx.deps.clock,
        deadline,
        quota: meter,
        onProgress: (p) => {
          const t = ctx.now().getTime();
          if (t - lastProgressAt >= 5_000) {
            lastProgressAt = t;
            putProgress(p);
          }
        },
      },
    );
  } catch (err) {
    crash = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    ctx.deps.logger.error(`Run ${claim.run.run_id} of job ${claim.jobId} crashed: ${crash}`);
  }
  try {
    cache.remove(progressKey(claim.jobId));
  } catch {
    // best effort
  }
  return { claim, outcome, crash, durationMs: ctx.now().getTime() - started, quotaSpent: meter.spent - spentBefore, notStarted: false };
}

function errorKindOf(outcome: SyncOutcome | null): RunOutcome['errorKind'] {
  if (!outcome) return 'unknown';
  const kind = outcome.error?.kind;
  if (kind === 'budget' || kind === 'quota' || outcome.status === 'deferred') return 'quota';
  if (kind === 'transient' || kind === 'permanent') return kind;
  return 'unknown';
}

/**
 * Records an execution under the lock. Returns the run row, or null while the run continues (cut by
 * the time budget: its lease is released at once so the next tick resumes it from the checkpoint).
 */
export function recordExecuted(ctx: AppContext, loaded: Loaded, ex: Executed): RunDto | null {
  const now = ctx.now();
  const { claim, outcome } = ex;
  const job = loaded.job(claim.jobId);
  const state = loaded.state(claim.jobId);
  const quotaDefer = outcome?.deferUntil && (outcome.status === 'deferred' || outcome.error?.kind === 'quota' || outcome.error?.kind === 'budget') ? outcome.deferUntil : null;
  addQuota(loaded.snapshot, now, ex.quotaSpent, quotaDefer);
  const ownsLease = state.planner.lease?.run_id === claim.run.run_id;

  const totals = {
    videos_added: claim.run.videos_added + (outcome?.videosAdded ?? 0),
    videos_updated: claim.run.videos_updated + (outcome?.videosUpdated ?? 0),
    quota_units: claim.run.quota_units + (outcome?.quotaUnits ?? 0),
  };
  if (job && ownsLease && outcome) loaded.snapshot.setJson(KEYS.sync(claim.jobId), outcome.state);

  if (ex.notStarted || (outcome && !outcome.complete && outcome.status !== 'deferred' && outcome.status !== 'failed')) {
    if (job && ownsLease) {
      const lease = state.planner.lease!;
      loaded.setState(claim.jobId, {
        ...state,
        planner: { ...state.planner, lease: { ...lease, until: now.toISOString() } },
        active: { ...claim.run, ...totals, executions: claim.run.executions + (ex.notStarted ? 0 : 1) },
      });
    }
    return null;
  }

  const status: RunDto['status'] = outcome ? outcome.status : 'failed';
  const rawError = ex.crash ?? outcome?.error?.message ?? null;
  // Bounded: the error is kept in the job's state, which lives in a 9 KB property.
  const error = rawError && rawError.length > MAX_ERROR_CHARS ? `${rawError.slice(0, MAX_ERROR_CHARS - 1)}…` : rawError;
  const startedMs = Date.parse(claim.run.started_at);
  const row: RunDto = {
    run_id: claim.run.run_id,
    job_id: claim.jobId,
    job_name: job?.config.name ?? claim.jobName,
    scheduled_for: claim.run.occurrence,
    started_at: claim.run.started_at,
    finished_at: now.toISOString(),
    status,
    trigger: claim.run.trigger,
    ...totals,
    duration_ms: Number.isNaN(startedMs) ? ex.durationMs : Math.max(ex.durationMs, now.getTime() - startedMs),
    error,
  };
  ctx.logs.runs.add(row);
  if (!job || !ownsLease) return row;

  const kind = errorKindOf(outcome);
  const plannerOutcome: RunOutcome = {
    status: status === 'deferred' ? 'failed' : status,
    occurrence: new Date(claim.run.occurrence ?? claim.run.started_at),
    attempt: claim.run.attempt,
    finishedAt: now,
    quotaResetAt: quotaDefer ? new Date(quotaDefer) : null,
  };
  if (plannerOutcome.status === 'failed') plannerOutcome.errorKind = kind;
  const planner = stateAfterRun(state.planner, claim.jobId, job.config, plannerOutcome);
  const titles = { ...state.channel_titles };
  for (const ch of outcome?.channels ?? []) if (ch.ok && ch.title) titles[ch.input] = ch.title;

  const next: JobState = {
    ...state,
    planner,
    active: null,
    last_run: row,
    last_error: status === 'failed' || status === 'partial' ? error : null,
    last_success_at: status === 'succeeded' || status === 'partial' ? row.finished_at : state.last_success_at,
    channel_titles: titles,
  };
  // Mail: failure once no retry follows (quota deferrals are not failures), recovery, success.
  const exhausted = status === 'failed' && !planner.retry_at;
  const events: MailEvent[] = [];
  if (exhausted) events.push('failure');
  if ((status === 'succeeded' || status === 'partial') && state.failing) events.push('recovery');
  if (status === 'succeeded') events.push('success');
  if (exhausted) next.failing = true;
  if (status === 'succeeded' || status === 'partial') next.failing = false;
  for (const event of events) {
    const sent = sendJobMail(
      ctx.deps.mailer,
      ctx.deps.logger,
      { event, jobId: job.id, config: job.config, run: row, nextAttempt: planner.retry_at ?? nextScheduled(job.config, job.created_at, now), spreadsheetUrl: ctx.spreadsheetUrl() },
      loaded.settings.notification_email,
      state.last_failure_mail_at,
      now.getTime(),
    );
    if (sent.sent && event === 'failure') next.last_failure_mail_at = now.toISOString();
  }
  loaded.setState(claim.jobId, next);
  return row;
}


function nextScheduled(config: JobConfig, createdAt: string, now: Date): string | null {
  return nextRuns(config, now, 1, { anchor: new Date(createdAt) })[0]?.toISOString() ?? null;
}
