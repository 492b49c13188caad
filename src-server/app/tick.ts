/**
 * The trigger handler's use case. An idle tick reads one property (meta:next_due) and returns. A busy
 * tick: lock briefly -> load -> plan -> note missed occurrences -> claim due runs with a lease -> unlock
 * -> run them within the time budget -> lock -> record results, notify, store the next wake-up, re-arm
 * the precise trigger -> unlock. One property read and one write per locked phase; run rows are
 * appended once per execution (at the claim when nothing is claimed, else at the record).
 */
import { plan, type PlannerJob, type PlannerJobState } from '../domain/planner';
import { stateOnDeferred, stateOnMissed } from '../domain/run-state';
import type { SyncOutcome } from '../sync';
import type { RunDto } from './contract';
import type { AppContext, Loaded } from './context';
import { drainMissed, withPendingMissed } from './missed';
import { readQuota, ExecutionQuotaMeter } from './quota';
import { leaseActive } from './records';
import {
  claimPlanned,
  deferredBeforeStart,
  tabHolder,
  execute,
  manualRun,
  recordExecuted,
  WORK_BUDGET_MS,
  type Claimed,
  type Executed,
} from './runner';
import { addRuntime } from './runtime-meter';
import { KEYS } from './store';
import { reconcileTriggers } from './triggers';
import { deferOverBudget } from './quota-projection';

/**
 * Runs one tick claims: as many as the rest of its time budget fits at the recent average run time
 * (claims it cannot start are carried over to the next tick anyway). The cap bounds the claim write.
 */
export const MAX_CLAIMS_PER_TICK = 1_000;
/** The average run time assumed before any run has been timed. */
export const DEFAULT_RUN_MS = 3_000;

export function claimCapacity(remainingMs: number, averageRunMs: number | null): number {
  const avg = Math.max(1, averageRunMs ?? DEFAULT_RUN_MS);
  return Math.max(1, Math.min(MAX_CLAIMS_PER_TICK, Math.ceil(Math.max(0, remainingMs) / avg)));
}
/** The stored next-due value when nothing is scheduled. */
export const NOTHING_DUE = 'none';

export interface TickResult {
  ran: number;
  next_wake_at: string | null;
}

/** True when the stored next-due instant says there is nothing to do now. */
export function isIdle(stored: string | null, nowMs: number): boolean {
  if (stored === null || stored === '') return false;
  if (stored === NOTHING_DUE) return true;
  const due = Date.parse(stored);
  return !Number.isNaN(due) && due > nowMs;
}

export function plannerInputs(loaded: Loaded): { jobs: PlannerJob[]; states: Record<string, PlannerJobState> } {
  const jobs: PlannerJob[] = [];
  const states: Record<string, PlannerJobState> = {};
  for (const job of loaded.jobs()) {
    jobs.push({ id: job.id, config: job.config, paused: job.paused, created_at: job.created_at });
    states[job.id] = loaded.state(job.id).planner;
  }
  return { jobs, states };
}

function activeSpreadsheetId(ctx: AppContext): string {
  try {
    return ctx.deps.spreadsheets.activeSpreadsheetId();
  } catch {
    return '';
  }
}

/**
 * The next instant the tick has work: the planner's wake-up, requested manual runs, and (for runs
 * claimed now) the lease expiry that would make a dead execution's run resumable.
 */
export function computeNextWake(ctx: AppContext, loaded: Loaded, now: Date, sheetId: string): Date | null {
  const { jobs, states } = plannerInputs(loaded);
  const quota = readQuota(loaded.snapshot, now);
  const next = plan(jobs, states, now, {
    maxRuns: 0,
    quotaDeferredUntil: quota.deferred_until ? new Date(quota.deferred_until) : null,
    activeSpreadsheetId: sheetId,
  }).next_wake_at;
  let wake = next ? next.getTime() : Number.POSITIVE_INFINITY;
  for (const job of loaded.jobs()) {
    const state = loaded.state(job.id);
    if (state.requested && job.config.enabled && !job.paused) wake = Math.min(wake, now.getTime());
    const until = state.planner.lease?.until;
    if (until) wake = Math.min(wake, Math.max(now.getTime(), Date.parse(until)));
  }
  return Number.isFinite(wake) ? new Date(wake) : null;
}

/** Stores the next wake-up and brings the triggers in line (heartbeat + precise). */
export function storeWake(ctx: AppContext, loaded: Loaded, now: Date, wake: Date | null): string[] {
  loaded.snapshot.set(KEYS.nextDue, wake ? wake.toISOString() : NOTHING_DUE);
  return reconcileTriggers(ctx.deps.triggers, loaded.snapshot, {
    heartbeatMinutes: loaded.settings.heartbeat_minutes,
    nextDue: wake,
    now,
    user: ctx.deps.identity.userEmail(),
  }).actions;
}

export function runTick(ctx: AppContext): TickResult {
  const now = ctx.now();
  // The idle path: one property read, nothing else.
  const stored = ctx.deps.properties.get(KEYS.nextDue);
  if (isIdle(stored, now.getTime())) return { ran: 0, next_wake_at: stored === NOTHING_DUE ? null : stored };

  const sheetId = activeSpreadsheetId(ctx);
  const claims = ctx.mutate((loaded) => {
    const phase = claimDue(ctx, loaded, now, sheetId);
    // Nothing to run: finish here, in the same lock, the same write and the same append.
    if (phase.claimed.length === 0) {
      drainMissed(ctx, loaded);
      phase.wake = finishTick(ctx, loaded, now, sheetId, phase.lagMs, 0, 0);
    }
    return phase;
  });
  if (claims.claimed.length === 0) return { ran: 0, next_wake_at: claims.wake };

  const executed = runClaims(ctx, claims.claimed, claims.quotaUsed, claims.dailyBudget);
  const started = executed.filter((ex) => !ex.notStarted);
  const averageRunMs = started.length > 0 ? Math.round(started.reduce((n, ex) => n + ex.durationMs, 0) / started.length) : null;

  return ctx.locked((loaded) => {
    const end = ctx.now();
    drainMissed(ctx, loaded);
    const rows: RunDto[] = [];
    for (const ex of executed) {
      const row = recordExecuted(ctx, loaded, ex);
      if (row) rows.push(row);
    }
    loaded.invalidate();
    const wake = finishTick(ctx, loaded, end, sheetId, claims.lagMs, rows.length, claims.claimed.length, averageRunMs);
    ctx.commit(loaded, { keepPropertiesOnFull: true });
    return { ran: rows.length, next_wake_at: wake };
  });
}

/** Runtime accounting, last-tick record, next wake-up and triggers; returns the wake-up (ISO). */
function finishTick(
  ctx: AppContext,
  loaded: Loaded,
  end: Date,
  sheetId: string,
  lagMs: number | null,
  ran: number,
  claimed: number,
  averageRunMs: number | null = null,
): string | null {
  addRuntime(loaded.snapshot, end.getTime(), ctx.elapsedMs());
  const previous = loaded.snapshot.json<{ avg_run_ms?: number | null }>(KEYS.lastTick);
  const avg = averageRunMs ?? previous?.avg_run_ms ?? null;
  loaded.snapshot.setJson(KEYS.lastTick, { at: end.toISOString(), lag_ms: lagMs, ran, claimed, avg_run_ms: avg });
  const wake = computeNextWake(ctx, loaded, end, sheetId);
  storeWake(ctx, loaded, end, wake);
  return wake ? wake.toISOString() : null;
}

interface ClaimPhase {
  claimed: Claimed[];
  wake: string | null;
  quotaUsed: number;
  dailyBudget: number;
  lagMs: number | null;
}

function claimDue(ctx: AppContext, loaded: Loaded, now: Date, sheetId: string): ClaimPhase {
  const { jobs, states } = plannerInputs(loaded);
  const quota = readQuota(loaded.snapshot, now);
  const lastTick = loaded.snapshot.json<{ avg_run_ms?: number | null }>(KEYS.lastTick);
  const capacity = claimCapacity(WORK_BUDGET_MS - ctx.elapsedMs(), lastTick?.avg_run_ms ?? null);
  const result = plan(jobs, states, now, {
    maxRuns: capacity,
    quotaDeferredUntil: quota.deferred_until ? new Date(quota.deferred_until) : null,
    activeSpreadsheetId: sheetId,
  });
  // Past the day's YouTube budget: the lowest-priority due runs wait for the reset (visibly), rather
  // than some run at random meeting the budget mid-way.
  deferOverBudget(loaded, now, result);
  const stored = loaded.snapshot.get(KEYS.nextDue);
  const storedMs = stored && stored !== NOTHING_DUE ? Date.parse(stored) : NaN;
  const lagMs = Number.isNaN(storedMs) ? null : Math.max(0, now.getTime() - storedMs);

  // Missed occurrences: handled now, their history rows kept in the job's state until this
  // execution appends its rows (see missed.ts).
  const missedByJob = new Map<string, typeof result.missed>();
  for (const m of result.missed) {
    if (!loaded.job(m.job_id)) continue;
    missedByJob.set(m.job_id, [...(missedByJob.get(m.job_id) ?? []), m]);
  }
  for (const [jobId, list] of missedByJob) {
    const state = loaded.state(jobId);
    loaded.setState(jobId, withPendingMissed({ ...state, planner: stateOnMissed(state.planner, list) }, list));
  }
  for (const d of result.deferred) {
    const state = loaded.state(d.job_id);
    const before = state.planner.deferred_for;
    const planner = stateOnDeferred(state.planner, d);
    if (planner.deferred_for !== before) loaded.setState(d.job_id, { ...state, planner });
  }

  const claimed: Claimed[] = [];
  const busyTabs = new Set<string>();
  for (const run of result.due) {
    const c = claimPlanned(ctx, loaded, run);
    if (c) {
      claimed.push(c);
      busyTabs.add(run.tab_key);
    }
  }
  // Bulk "run now" requests: claimed when the job and its tab are free.
  for (const job of loaded.jobs()) {
    const state = loaded.state(job.id);
    if (!state.requested || claimed.some((c) => c.jobId === job.id)) continue;
    if (!job.config.enabled || job.paused) {
      loaded.setState(job.id, { ...state, requested: null });
      continue;
    }
    if (leaseActive(state, now.getTime()) || quota.deferred_until || claimed.length >= capacity) continue;
    const run = manualRun(job.id, job.config, state.requested.trigger, now, sheetId);
    if (busyTabs.has(run.tab_key) || tabHolder(loaded, run.tab_key, job.id, now.getTime(), sheetId)) continue;
    const c = claimPlanned(ctx, loaded, run);
    if (c) {
      claimed.push(c);
      busyTabs.add(run.tab_key);
    }
  }
  // Until results are recorded, wake when the leases would expire (a dead execution's runs resume).
  loaded.invalidate();
  const wake = computeNextWake(ctx, loaded, now, sheetId);
  loaded.snapshot.set(KEYS.nextDue, wake ? wake.toISOString() : NOTHING_DUE);
  return { claimed, wake: null, quotaUsed: quota.used, dailyBudget: loaded.settings.daily_quota_budget, lagMs };
}

/** Runs the claims one after the other; once the work budget is used, the rest stay claimed for the next tick. */
export function runClaims(ctx: AppContext, claimed: Claimed[], quotaUsed: number, dailyBudget: number): Executed[] {
  const meter = new ExecutionQuotaMeter(quotaUsed, dailyBudget);
  const out: Executed[] = [];
  const deadline = new Date(ctx.now().getTime() + Math.max(0, WORK_BUDGET_MS - ctx.elapsedMs()));
  let quotaStop: SyncOutcome | null = null;
  for (const claim of claimed) {
    // YouTube quota gone: the rest are deferred like the run that met it (recorded, retried at the reset).
    if (quotaStop) {
      out.push({ claim, outcome: deferredBeforeStart(claim, quotaStop), crash: null, durationMs: 0, quotaSpent: 0, notStarted: true });
      continue;
    }
    // Out of time: the rest stay claimed and the next tick runs them.
    if (ctx.elapsedMs() >= WORK_BUDGET_MS) {
      out.push({ claim, outcome: null, crash: null, durationMs: 0, quotaSpent: 0, notStarted: true });
      continue;
    }
    const ex = execute(ctx, claim, meter, deadline);
    const kind = ex.outcome?.error?.kind;
    if (ex.outcome && (ex.outcome.status === 'deferred' || kind === 'quota' || kind === 'budget')) quotaStop = ex.outcome;
    out.push(ex);
  }
  return out;
}
