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
import { runSync, type SyncState, type SyncOutcome, type SyncProgress } from '../sync';
import type { RunDto } from './contract';
import type { AppContext, Loaded } from './context';
import { LAST_MAIL_FIELD, sendJobMail, type MailEvent } from './notify';
import { markMailed, observeExecution, observeRunEnd } from './insight-record';
import { addQuota, ExecutionQuotaMeter } from './quota';
import { LEASE_MS, leaseActive, type ActiveRun, type JobRecord, type JobState } from './records';

export { LEASE_MS } from './records';
import { tabKey } from '../domain/tab-key';
import { knownChannelsFromCache } from './channel-checks';
import { reportProgress, type MonitorProgress } from './monitor-record';

export type { MonitorProgress } from './monitor-record';

/** No run starts after this much of the execution is used; runSync gets it as its deadline. */
export const WORK_BUDGET_MS = 270_000;
export const MAX_ERROR_CHARS = 1_000;

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
  /** When this execution started and ended the run's work (absent when it never started). */
  startedAt?: string;
  finishedAt?: string;
  quotaSpent: number;
  /** True when the run was claimed but never started (time budget or YouTube quota used up). */
  notStarted: boolean;
  /** Whole-run progress after this execution (earlier executions included). */
  processed?: number;
  expected?: number | null;
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
    syncState: loaded.syncState(job.id),
  };
}

/**
 * The job whose live lease holds `key` (a tab), other than `exceptJobId`: two runs never write one tab
 * at once, whatever path started them (tick, run now, retry, catch-up).
 */
export function tabHolder(loaded: Loaded, key: string, exceptJobId: string, nowMs: number, activeSpreadsheetId: string): JobRecord | null {
  for (const job of loaded.jobs()) {
    if (job.id === exceptJobId) continue;
    const state = loaded.state(job.id);
    if (!leaseActive(state, nowMs)) continue;
    if ((state.planner.lease?.tab ?? tabKey(job.config, activeSpreadsheetId)) === key) return job;
  }
  return null;
}

/** A manual (or API) run planned now; the planner state treats it like an occurrence at `now`. */
export function manualRun(jobId: string, config: JobConfig, trigger: RunTrigger, now: Date, activeSpreadsheetId: string): PlannedRun {
  return {
    job_id: jobId,
    occurrence: now,
    trigger,
    attempt: 1,
    coalesced: 1,
    resumed_run_id: null,
    tab_key: tabKey(config, activeSpreadsheetId),
  };
}

/** True when the run goes on in a later execution (cut by the time budget): no final status yet. */
export function runContinues(ex: Pick<Executed, 'notStarted' | 'outcome'>): boolean {
  const { outcome } = ex;
  if (!outcome) return ex.notStarted;
  // 'deferred' and 'failed' end this run (the planner schedules the retry as a new run); 'succeeded' or
  // 'partial' with complete: false only mean the execution's time budget ran out.
  return !outcome.complete && outcome.status !== 'deferred' && outcome.status !== 'failed';
}

export function execute(ctx: AppContext, claim: Claimed, meter: ExecutionQuotaMeter, deadline: Date): Executed {
  const started = ctx.now().getTime();
  const spentBefore = meter.spent;
  // A resumed run shows its whole progress: what earlier executions read plus this one.
  const earlier = { processed: claim.run.processed ?? 0, expected: claim.run.expected ?? null };
  let last: SyncProgress = { processed: 0, expected: null, phase: 'starting' };
  const progressOf = (p: SyncProgress): MonitorProgress => ({
    job_id: claim.jobId,
    job_name: claim.jobName,
    run_id: claim.run.run_id,
    started_at: claim.run.executions === 0 ? new Date(started).toISOString() : claim.run.started_at,
    processed: earlier.processed + p.processed,
    expected: p.expected === null ? earlier.expected : (earlier.expected ?? 0) + p.expected,
    phase: p.phase,
  });
  const cache = ctx.deps.cache;
  let lastProgressAt: number | null = null;
  // The monitor's cached record (best effort: a cache failure never fails a run); null: the run left it.
  const putProgress = (p: MonitorProgress | null): void => reportProgress(cache, claim.run.run_id, p, ctx.now().getTime());
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
        knownChannels: (keys) => knownChannelsFromCache(cache, keys),
        onProgress: (p) => {
          last = p;
          // The first report goes out at once (the run shows as started), then at most every 5 s.
          const t = ctx.now().getTime();
          if (lastProgressAt === null || t - lastProgressAt >= 5_000) {
            lastProgressAt = t;
            putProgress(progressOf(p));
          }
        },
      },
    );
  } catch (err) {
    crash = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    ctx.deps.logger.error(`Run ${claim.run.run_id} of job ${claim.jobId} crashed: ${crash}`);
  }
  const total = progressOf(last);
  const ex: Executed = {
    claim,
    outcome,
    crash,
    durationMs: ctx.now().getTime() - started,
    startedAt: new Date(started).toISOString(),
    finishedAt: ctx.now().toISOString(),
    quotaSpent: meter.spent - spentBefore,
    notStarted: false,
    processed: total.processed,
    expected: total.expected,
  };
  try {
    // A run that continues in the next execution stays on the monitor meanwhile.
    putProgress(runContinues(ex) ? { ...total, phase: 'waiting for the next execution' } : null);
  } catch {
    // best effort
  }
  return ex;
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
  const quotaDefer =
    outcome?.deferUntil && (outcome.status === 'deferred' || outcome.error?.kind === 'quota' || outcome.error?.kind === 'budget')
      ? outcome.deferUntil
      : null;
  addQuota(loaded.snapshot, now, ex.quotaSpent, quotaDefer);
  const ownsLease = state.planner.lease?.run_id === claim.run.run_id;

  const totals = {
    videos_added: claim.run.videos_added + (outcome?.videosAdded ?? 0),
    videos_updated: claim.run.videos_updated + (outcome?.videosUpdated ?? 0),
    quota_units: claim.run.quota_units + (outcome?.quotaUnits ?? 0),
    refresh_units: (claim.run.refresh_units ?? 0) + (outcome?.refreshUnits ?? 0),
  };
  if (job && ownsLease && outcome && !ex.notStarted) loaded.setSyncState(claim.jobId, outcome.state);
  const insight =
    job && ownsLease && outcome && !ex.notStarted
      ? observeExecution(state.insight, job.config.channels, outcome.published, Date.parse(ex.finishedAt ?? now.toISOString()))
      : state.insight;

  if (runContinues(ex)) {
    if (job && ownsLease) {
      const lease = state.planner.lease!;
      const active: ActiveRun = { ...claim.run, ...totals, executions: claim.run.executions + (ex.notStarted ? 0 : 1) };
      // The run started when its first execution began work, not when the tick claimed it.
      if (claim.run.executions === 0 && ex.startedAt) active.started_at = ex.startedAt;
      if (ex.processed !== undefined) active.processed = ex.processed;
      if (ex.expected !== undefined) active.expected = ex.expected;
      loaded.setState(claim.jobId, {
        ...state,
        planner: { ...state.planner, lease: { ...lease, until: now.toISOString() } },
        active,
        insight,
      });
    }
    return null;
  }

  const status: RunDto['status'] = outcome ? outcome.status : 'failed';
  const rawError = ex.crash ?? outcome?.error?.message ?? null;
  // Bounded: the error is kept in the job's state (a cell of the jobs tab).
  const error = rawError && rawError.length > MAX_ERROR_CHARS ? `${rawError.slice(0, MAX_ERROR_CHARS - 1)}…` : rawError;
  // A claim deferred before it ever ran (the quota ran out on an earlier run of the tick) did not start.
  const neverRan = ex.notStarted && claim.run.executions === 0;
  // Each run has its own times, not the tick's: a first execution's own start and end; a run resumed
  // from earlier executions spans from the first one's start to the end of this one.
  const startedAt = claim.run.executions === 0 ? (ex.startedAt ?? claim.run.started_at) : claim.run.started_at;
  const finishedAt = ex.finishedAt ?? now.toISOString();
  const span = Date.parse(finishedAt) - Date.parse(startedAt);
  const durationMs = claim.run.executions === 0 || Number.isNaN(span) ? ex.durationMs : Math.max(ex.durationMs, span);
  const row: RunDto = {
    run_id: claim.run.run_id,
    job_id: claim.jobId,
    job_name: job?.config.name ?? claim.jobName,
    scheduled_for: claim.run.occurrence,
    started_at: neverRan ? null : startedAt,
    finished_at: finishedAt,
    status,
    trigger: claim.run.trigger,
    ...totals,
    duration_ms: neverRan ? null : durationMs,
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
  const ended = observeRunEnd(insight, job.config.channels, {}, row, now.getTime());
  next.insight = ended.insight;
  // Mail: failure once no retry follows (quota deferrals are not failures), recovery, success.
  const exhausted = status === 'failed' && !planner.retry_at;
  const events: MailEvent[] = [];
  if (exhausted) events.push('failure');
  if ((status === 'succeeded' || status === 'partial') && state.failing) events.push('recovery');
  if (status === 'succeeded') events.push('success');
  if (exhausted) next.failing = true;
  if (status === 'succeeded' || status === 'partial') next.failing = false;
  for (const event of events) {
    if (!job.config.notify_on.includes(event)) continue; // no mail asked: no spreadsheet or mail call
    const lastMailField = event === 'recovery' ? null : LAST_MAIL_FIELD[event];
    const sent = sendJobMail(
      ctx.deps.mailer,
      ctx.deps.logger,
      {
        event,
        jobId: job.id,
        config: job.config,
        run: row,
        nextAttempt: planner.retry_at ?? nextScheduled(job.config, job.created_at, now),
        spreadsheetUrl: ctx.spreadsheetUrl(),
      },
      loaded.settings.notification_email,
      lastMailField ? (state[lastMailField] ?? null) : null,
      now.getTime(),
    );
    if (sent.sent && lastMailField) next[lastMailField] = now.toISOString();
  }
  if (ended.fresh.length > 0 && job.config.notify_on.includes('anomaly')) {
    const req = {
      event: 'anomaly' as const,
      jobId: job.id,
      config: job.config,
      run: row,
      nextAttempt: planner.retry_at ?? nextScheduled(job.config, job.created_at, now),
      spreadsheetUrl: ctx.spreadsheetUrl(),
      anomalies: ended.fresh,
    };
    const sent = sendJobMail(
      ctx.deps.mailer,
      ctx.deps.logger,
      req,
      loaded.settings.notification_email,
      state.last_anomaly_mail_at ?? null,
      now.getTime(),
    );
    if (sent.sent) {
      next.insight = markMailed(ended.insight, ended.fresh);
      next.last_anomaly_mail_at = now.toISOString();
    }
  }
  loaded.setState(claim.jobId, next);
  return row;
}

/**
 * Stands in for the outcome of a claim the tick did not start because YouTube's quota (or the daily
 * budget) ran out on an earlier run: recorded as deferred like that run, with the same reset instant.
 */
export function deferredBeforeStart(claim: Claimed, cause: SyncOutcome): SyncOutcome {
  return {
    status: 'deferred',
    complete: false,
    state: claim.syncState,
    videosAdded: 0,
    videosUpdated: 0,
    quotaUnits: 0,
    channels: [],
    error: cause.error ?? { kind: 'quota', message: 'the YouTube quota is used up' },
    deferUntil: cause.deferUntil,
  };
}
function nextScheduled(config: JobConfig, createdAt: string, now: Date): string | null {
  return nextRuns(config, now, 1, { anchor: new Date(createdAt) })[0]?.toISOString() ?? null;
}
