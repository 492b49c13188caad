/**
 * Planning one tick, with no side effects: which occurrences run now, which are recorded as missed,
 * what waits (and why), and when to wake up next. The scheduler runtime stores PlannerJobState
 * between ticks (JSON-safe: ISO strings) and applies the plan (run-state.ts has the transitions).
 *
 * Rules (docs/schedules.md, "How a tick is planned"):
 * - Unhandled occurrences are those after state.last_scheduled_for (or after created_at for a new job)
 *   and at or before `now`. One within misfire_grace_minutes of `now` (or one the planner deferred
 *   before: state.deferred_for) is fresh; an older one is stale.
 * - Fresh occurrences coalesce into one run for the newest (trigger 'schedule'). Stale ones follow
 *   catch_up: 'none' records them missed; 'latest' records them missed except, when nothing fresh is
 *   due, the newest, which runs as a 'catch-up'; 'all' runs every occurrence, oldest first, one per
 *   tick (the newest MAX_CATCH_UP_ALL stale ones; older ones are missed).
 * - At most one active run per job and per target tab (spreadsheet + tab, case-insensitive), counting
 *   runs leased by other ticks. A lease whose `until` has passed belongs to a dead execution: its
 *   occurrence is planned again (resumed from the sync checkpoint).
 * - depends_on: an occurrence o waits until the dependency has succeeded for the same period, i.e.
 *   its last_success_for is later than this job's previous occurrence before o (any success when o is
 *   the job's first occurrence).
 * - Retries: state.retry_at/retry_of (set after a transient failure) plan a 'retry' run once due; a
 *   newer due occurrence supersedes a pending retry (the sync is incremental, it fetches the same).
 * - Quota: while budget.quotaDeferredUntil or state.quota_deferred_until lies ahead, due work is
 *   deferred until then.
 * - Order: priority descending (10 is the highest), then occurrence ascending, then job id. Runs
 *   beyond budget.maxRuns are deferred, never dropped.
 */
import type { RunStatus, RunTrigger } from './catalogue';
import type { JobConfig } from './job';
import { compileSchedule, type CompiledSchedule } from './schedule';
import { tabKey, tabLabel } from './tab-key';

export { isTransient, retryDelayMs, type RunErrorKind } from './retry';

const MINUTE_MS = 60_000;
/** catch_up 'all' replays at most this many stale occurrences; older ones are recorded missed. */
export const MAX_CATCH_UP_ALL = 50;
/** Missed occurrences listed one by one per job and plan; older ones are folded into one entry. */
export const MAX_MISSED_LISTED = 20;
/** Occurrences enumerated per job and plan; beyond it a folded missed entry's count is a lower bound. */
export const MAX_ENUMERATED = 10_000;

export interface PlannerJob {
  id: string;
  config: JobConfig;
  paused: boolean;
  created_at: string;
}

export interface RunLease {
  run_id: string;
  /** When the lease expires: past it, the run's execution is considered dead. */
  until: string;
  occurrence: string;
  trigger: RunTrigger;
  attempt?: number;
  /** The tab the run writes (tabKey), held with the job: a job edited meanwhile keeps its old tab busy. */
  tab?: string;
}

/** What the runtime keeps per job between ticks. All fields optional: {} is a new job. */
export interface PlannerJobState {
  /** The newest occurrence handled (claimed for a run, or recorded missed). */
  last_scheduled_for?: string | null;
  /** The occurrence of the last successful (or partial) run; manual runs use their start time. */
  last_success_for?: string | null;
  last_finished_at?: string | null;
  last_status?: RunStatus | null;
  /** Attempt number of the last run (1 = first try). */
  attempt?: number;
  /** A retry of occurrence retry_of is due at retry_at. */
  retry_at?: string | null;
  retry_of?: string | null;
  lease?: RunLease | null;
  /** The job's YouTube work waits until then (quotaExceeded). */
  quota_deferred_until?: string | null;
  /** The newest occurrence the planner deferred: occurrences up to it never turn stale. */
  deferred_for?: string | null;
  consecutive_failures?: number;
}

export interface PlanBudget {
  /** Runs this tick may start. */
  maxRuns: number;
  /** Global YouTube quota deferral (quotaExceeded until the Pacific midnight reset). */
  quotaDeferredUntil?: Date | null;
  /** The bound spreadsheet's id, so '' and its explicit id count as the same target. */
  activeSpreadsheetId?: string;
}

export interface PlannedRun {
  job_id: string;
  /** The occurrence this run is for (scheduled_for). */
  occurrence: Date;
  trigger: RunTrigger;
  attempt: number;
  /** How many occurrences this run stands for (coalesced fresh occurrences). */
  coalesced: number;
  /** Set when this continues a run whose execution died (its lease expired). */
  resumed_run_id: string | null;
  /** The spreadsheet+tab key the run writes (tab-key.ts). */
  tab_key: string;
}

export interface MissedOccurrence {
  job_id: string;
  /** The occurrence (for a folded entry: the newest of the group). */
  occurrence: Date;
  /** 1, or for a folded entry the number of occurrences it stands for (a lower bound past MAX_ENUMERATED). */
  count: number;
  /** The oldest occurrence of the entry (= occurrence when count is 1). */
  first: Date;
}

export type DeferReason = 'budget' | 'tab_conflict' | 'dependency' | 'quota' | 'job_running';

export interface DeferredRun {
  job_id: string;
  reason: DeferReason;
  /** The occurrence that waits; store it as state.deferred_for so it never turns stale. */
  occurrence: Date;
  /** When the wait ends, if known (quota reset, blocking lease expiry). */
  until: Date | null;
  message: string;
}

export interface TickPlan {
  /** Runs to claim now, in order: priority descending (10 first), then occurrence ascending. */
  due: PlannedRun[];
  /** Occurrences to record as 'missed' (then advance last_scheduled_for past them). */
  missed: MissedOccurrence[];
  deferred: DeferredRun[];
  /**
   * The earliest instant something becomes due (occurrence, retry, lease expiry, quota reset).
   * Equal to `now` when due work was left for lack of budget. Null when nothing is scheduled.
   */
  next_wake_at: Date | null;
}

interface Candidate {
  job: PlannerJob;
  run: PlannedRun;
  /** Skip dependency checks (retries of a started period and resumed runs have passed them). */
  resumed: boolean;
}

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Occurrences of (after, until] summarised: count (capped), oldest, newest, and the newest few. */
interface Span {
  count: number;
  oldest: number | null;
  newest: number | null;
  /** Up to `keep` newest occurrences, oldest first. */
  tail: number[];
  capped: boolean;
}

function span(schedule: CompiledSchedule, after: number, until: number, keep: number): Span {
  const out: Span = { count: 0, oldest: null, newest: null, tail: [], capped: false };
  let t = schedule.next(after);
  while (t !== null && t <= until) {
    if (out.count >= MAX_ENUMERATED) {
      out.capped = true;
      break;
    }
    out.count++;
    if (out.oldest === null) out.oldest = t;
    out.newest = t;
    if (keep > 0) {
      out.tail.push(t);
      if (out.tail.length > keep) out.tail.shift();
    }
    t = schedule.next(t);
  }
  if (out.capped) {
    // Too many to walk: the newest is still exact.
    const newest = schedule.prev(until);
    if (newest !== null) out.newest = newest;
  }
  return out;
}

/**
 * The missed entries of a stale span: its `tail` one by one, older ones folded into one entry.
 * `exclude` (the occurrence that runs as catch-up instead) is left out.
 */
function missedEntries(jobId: string, schedule: CompiledSchedule, stale: Span, exclude: number | null): MissedOccurrence[] {
  const list = stale.tail.filter((t) => t !== exclude);
  // `exclude` is always the span's newest occurrence when given.
  const total = stale.count - (exclude !== null ? 1 : 0);
  const out: MissedOccurrence[] = [];
  const foldedCount = total - list.length;
  if (foldedCount > 0 && stale.oldest !== null) {
    const firstListed = list[0] ?? exclude;
    const newestFolded = firstListed !== null ? schedule.prev(firstListed - 1) : stale.newest;
    out.push({ job_id: jobId, occurrence: new Date(newestFolded ?? stale.oldest), count: foldedCount, first: new Date(stale.oldest) });
  }
  for (const t of list) out.push({ job_id: jobId, occurrence: new Date(t), count: 1, first: new Date(t) });
  return out;
}

/** Decides one tick. Pure: same inputs, same plan. */
export function plan(jobs: PlannerJob[], states: Record<string, PlannerJobState>, now: Date, budget: PlanBudget): TickPlan {
  const nowMs = now.getTime();
  const activeId = budget.activeSpreadsheetId ?? '';
  const byId = new Map<string, PlannerJob>();
  for (const job of jobs) byId.set(job.id, job);

  // Tabs held by runs that other ticks leased and that are still alive.
  const busyTabs = new Map<string, { job: PlannerJob; until: number }>();
  for (const job of jobs) {
    const until = ms(states[job.id]?.lease?.until);
    if (until !== null && until > nowMs) busyTabs.set(states[job.id]?.lease?.tab ?? tabKey(job.config, activeId), { job, until });
  }

  const globalQuota = budget.quotaDeferredUntil ? budget.quotaDeferredUntil.getTime() : null;
  const missed: MissedOccurrence[] = [];
  const deferred: DeferredRun[] = [];
  const candidates: Candidate[] = [];
  let wake = Number.POSITIVE_INFINITY;
  const wakeAt = (t: number | null) => {
    if (t !== null && t < wake) wake = t;
  };

  for (const job of jobs) {
    const config = job.config;
    if (!config.enabled || job.paused) continue;
    const state = states[job.id] ?? {};
    const lastHandled = ms(state.last_scheduled_for);
    // created_at matters only to new jobs and to interval jobs without start_at (their anchor).
    const anchored = config.schedule_type === 'interval' && config.start_at === null;
    const createdMs = lastHandled === null || anchored ? (ms(job.created_at) ?? nowMs) : null;
    const schedule = compileSchedule(config, anchored ? { anchor: new Date(createdMs!) } : {});
    if (!schedule) continue;
    const key = '';
    const lease = state.lease ?? null;
    const leaseUntil = ms(lease?.until);
    const running = leaseUntil !== null && leaseUntil > nowMs;
    if (running) wakeAt(leaseUntil);

    const since = lastHandled ?? createdMs!;
    // The first unhandled occurrence; when it lies ahead it is also this job's next wake-up.
    const first = schedule.next(since);
    if (first === null || first > nowMs) wakeAt(first);
    else wakeAt(schedule.next(nowMs));

    let candidate: PlannedRun | null = null;
    let resumed = false;

    if (lease && !running) {
      // The execution holding the lease died: continue that run from its checkpoint.
      candidate = {
        job_id: job.id,
        occurrence: new Date(ms(lease.occurrence) ?? nowMs),
        trigger: lease.trigger,
        attempt: lease.attempt ?? state.attempt ?? 1,
        coalesced: 1,
        resumed_run_id: lease.run_id,
        tab_key: key,
      };
      resumed = true;
    } else {
      if (first !== null && first <= nowMs) {
        candidate = dueOccurrences(job, schedule, since, nowMs, state, key, missed);
      }
      const retryAt = ms(state.retry_at);
      const retryOf = ms(state.retry_of);
      if (retryAt !== null && retryOf !== null && (candidate === null || candidate.occurrence.getTime() <= retryOf)) {
        if (retryAt <= nowMs) {
          candidate = {
            job_id: job.id,
            occurrence: new Date(retryOf),
            trigger: 'retry',
            attempt: (state.attempt ?? 1) + 1,
            coalesced: 1,
            resumed_run_id: null,
            tab_key: key,
          };
          resumed = true;
        } else {
          wakeAt(retryAt);
        }
      }
    }
    if (!candidate) continue;

    if (running) {
      deferred.push(defer(candidate, 'job_running', new Date(leaseUntil!), 'the previous run of this job is still running'));
      continue;
    }
    const quotaUntil = Math.max(globalQuota ?? 0, ms(state.quota_deferred_until) ?? 0);
    if (quotaUntil > nowMs) {
      wakeAt(quotaUntil);
      deferred.push(defer(candidate, 'quota', new Date(quotaUntil), 'YouTube quota exhausted: waits for the quota reset'));
      continue;
    }
    if (!resumed && config.depends_on !== null) {
      const waiting = dependencyWait(job, candidate.occurrence.getTime(), schedule, createdMs ?? ms(job.created_at) ?? nowMs, byId, states);
      if (waiting) {
        deferred.push(defer(candidate, 'dependency', null, waiting));
        continue;
      }
    }
    candidate.tab_key = tabKey(config, activeId);
    candidates.push({ job, run: candidate, resumed });
  }

  candidates.sort(
    (a, b) =>
      b.job.config.priority - a.job.config.priority ||
      a.run.occurrence.getTime() - b.run.occurrence.getTime() ||
      (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0),
  );

  const due: PlannedRun[] = [];
  const claimedTabs = new Map<string, PlannerJob>();
  for (const { job, run } of candidates) {
    const busy = busyTabs.get(run.tab_key);
    const claimed = claimedTabs.get(run.tab_key);
    if (busy || claimed) {
      const other = (busy?.job ?? claimed)!;
      deferred.push(
        defer(
          run,
          'tab_conflict',
          busy ? new Date(busy.until) : null,
          `tab ${tabLabel(job.config)} is being written by job ${other.config.name} (${other.id})`,
        ),
      );
      continue;
    }
    if (due.length >= budget.maxRuns) {
      wakeAt(nowMs);
      deferred.push(defer(run, 'budget', null, 'no room left in this tick: runs in a following one'));
      continue;
    }
    claimedTabs.set(run.tab_key, job);
    due.push(run);
  }

  return { due, missed, deferred, next_wake_at: Number.isFinite(wake) ? new Date(wake) : null };
}

function defer(run: PlannedRun, reason: DeferReason, until: Date | null, message: string): DeferredRun {
  return { job_id: run.job_id, reason, occurrence: run.occurrence, until, message };
}

/**
 * Applies grace and catch_up to the unhandled occurrences in (since, now]; pushes the missed ones and
 * returns the run to plan, if any.
 */
function dueOccurrences(
  job: PlannerJob,
  schedule: CompiledSchedule,
  since: number,
  nowMs: number,
  state: PlannerJobState,
  key: string,
  missed: MissedOccurrence[],
): PlannedRun | null {
  const config = job.config;
  const graceStart = nowMs - config.misfire_grace_minutes * MINUTE_MS;
  const deferredFor = ms(state.deferred_for);
  // Occurrences the planner deferred earlier, then those within grace, are fresh; the rest are stale.
  const exemptUntil = deferredFor !== null && deferredFor > since ? Math.min(deferredFor, nowMs) : since;
  const staleUntil = Math.max(exemptUntil, graceStart - 1);
  const exempt = exemptUntil > since ? span(schedule, since, exemptUntil, 1) : null;
  const keepStale = config.catch_up === 'all' ? MAX_CATCH_UP_ALL : MAX_MISSED_LISTED;
  const stale = staleUntil > exemptUntil ? span(schedule, exemptUntil, staleUntil, keepStale) : null;
  const recent = span(schedule, Math.max(staleUntil, exemptUntil), nowMs, 1);

  const freshCount = (exempt?.count ?? 0) + recent.count;
  const freshOldest = exempt?.oldest ?? recent.oldest;
  const freshNewest = recent.newest ?? exempt?.newest ?? null;
  const run = (occurrence: number, trigger: RunTrigger, coalesced: number): PlannedRun => ({
    job_id: job.id,
    occurrence: new Date(occurrence),
    trigger,
    attempt: 1,
    coalesced,
    resumed_run_id: null,
    tab_key: key,
  });

  if (config.catch_up === 'all') {
    if (stale && stale.count > 0) {
      // Replay the newest MAX_CATCH_UP_ALL stale ones oldest first; older ones are missed.
      const replay = stale.tail;
      if (stale.count > replay.length) {
        const newestFolded = schedule.prev(replay[0]! - 1) ?? stale.oldest!;
        missed.push({
          job_id: job.id,
          occurrence: new Date(newestFolded),
          count: stale.count - replay.length,
          first: new Date(stale.oldest!),
        });
      }
      return run(replay[0]!, 'catch-up', 1);
    }
    return freshOldest !== null ? run(freshOldest, 'schedule', 1) : null;
  }

  if (freshNewest !== null) {
    if (stale && stale.count > 0) missed.push(...missedEntries(job.id, schedule, stale, null));
    return run(freshNewest, 'schedule', freshCount);
  }
  if (!stale || stale.count === 0 || stale.newest === null) return null;
  if (config.catch_up === 'latest') {
    missed.push(...missedEntries(job.id, schedule, stale, stale.newest));
    return run(stale.newest, 'catch-up', 1);
  }
  missed.push(...missedEntries(job.id, schedule, stale, null));
  return null;
}

/** Why an occurrence must wait for its dependency, or null when it may run. */
function dependencyWait(
  job: PlannerJob,
  occurrence: number,
  schedule: CompiledSchedule,
  createdMs: number,
  byId: Map<string, PlannerJob>,
  states: Record<string, PlannerJobState>,
): string | null {
  const depId = job.config.depends_on!;
  const dep = byId.get(depId);
  if (!dep || depId === job.id) return `waits for job ${depId}, which does not exist`;
  const previous = schedule.prev(occurrence - 1);
  const periodStart = previous !== null && previous >= createdMs ? previous : null;
  const success = ms(states[depId]?.last_success_for);
  if (success !== null && (periodStart === null || success > periodStart)) return null;
  const since = periodStart !== null ? ` since ${new Date(periodStart).toISOString()}` : '';
  return `waits for job ${dep.config.name} (${depId}) to succeed${since}`;
}
