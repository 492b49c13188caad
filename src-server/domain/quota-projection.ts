/**
 * The day ahead against the platform's daily limits (docs/operations.md "Past one project's quotas"),
 * with no side effects:
 * - YouTube units: what is used today plus, for every enabled job, its occurrences until the Pacific
 *   reset times its units per run (the median of its recent runs; an estimate from its channels before
 *   it has run). When that exceeds the daily budget, jobs are served in priority order (10 first, then
 *   the earliest next occurrence, then id) and the first job that does not fit, and every job after it,
 *   is deferred until the reset: the lowest priorities give way first, never a job at random.
 * - Trigger runtime: the next 24 h of occurrences times each job's recent run time, plus idle ticks,
 *   against both account kinds (90 min consumer, 6 h Workspace): which one applies cannot be read.
 */

/** Occurrences counted per job and day (an every-minute job has 1,440). */
export const MAX_OCCURRENCES_COUNTED = 1_440;
/** Median of the recent runs when a job has run; before that, what a first run costs per channel (channels.list to resolve it, one playlistItems page, one videos.list). */
export const FIRST_RUN_UNITS_PER_CHANNEL = 3;
export const FIRST_RUN_SECONDS = 3;

export interface ProjectionJob {
  id: string;
  name: string;
  priority: number;
  channels: number;
  /** Next occurrence strictly after `afterMs`, or null (a compiled schedule's next). */
  next: (afterMs: number) => number | null;
  /** Recent runs: [units, seconds] (JobInsight.rh), oldest first. */
  history: readonly (readonly [number, number])[];
}

export interface ProjectionInput {
  jobs: readonly ProjectionJob[];
  nowMs: number;
  /** The next Pacific midnight (YouTube's reset). */
  resetMs: number;
  usedUnits: number;
  dailyBudget: number;
  /** Trigger runtime of busy ticks in the last 24 h, and the idle ticks' estimate for 24 h. */
  runtimeUsedMs: number;
  idleEstimateMs: number;
}

export interface DeferredJob {
  id: string;
  name: string;
  priority: number;
  /** Units its runs until the reset would take. */
  units: number;
}

export interface QuotaProjection {
  youtube: {
    used: number;
    /** used + every remaining occurrence until the reset, deferred jobs included. */
    projected: number;
    /** used + what the jobs kept will spend: what the day should end at. */
    planned: number;
    budget: number;
    runs_left: number;
    /** Jobs deferred until the reset, highest priority first; empty when everything fits. */
    deferred: DeferredJob[];
  };
  runtime: {
    used_ms_24h: number;
    /** The next 24 h: occurrences × recent run time + idle ticks. */
    projected_ms_24h: number;
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function unitsPerRun(job: Pick<ProjectionJob, 'channels' | 'history'>): number {
  return job.history.length > 0 ? median(job.history.map((h) => h[0])) : FIRST_RUN_UNITS_PER_CHANNEL * Math.max(1, job.channels);
}

export function secondsPerRun(job: Pick<ProjectionJob, 'history'>): number {
  return job.history.length > 0 ? median(job.history.map((h) => h[1])) : FIRST_RUN_SECONDS;
}

/** Occurrences in (fromMs, untilMs], at most MAX_OCCURRENCES_COUNTED, and the first of them. */
export function occurrencesBetween(next: ProjectionJob['next'], fromMs: number, untilMs: number): { count: number; first: number | null } {
  let count = 0;
  let first: number | null = null;
  for (let t = next(fromMs); t !== null && t <= untilMs && count < MAX_OCCURRENCES_COUNTED; t = next(t)) {
    if (first === null) first = t;
    count++;
  }
  return { count, first };
}

const DAY_MS = 86_400_000;

export function projectDay(input: ProjectionInput): QuotaProjection {
  const demands = input.jobs.map((job) => {
    const today = occurrencesBetween(job.next, input.nowMs, input.resetMs);
    const day = occurrencesBetween(job.next, input.nowMs, input.nowMs + DAY_MS);
    return {
      job,
      runs: today.count,
      first: today.first,
      units: today.count * unitsPerRun(job),
      runtimeMs: day.count * secondsPerRun(job) * 1000,
    };
  });
  const projected = input.usedUnits + demands.reduce((n, d) => n + d.units, 0);
  const order = demands
    .filter((d) => d.runs > 0)
    .sort(
      (a, b) =>
        b.job.priority - a.job.priority || (a.first ?? 0) - (b.first ?? 0) || (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0),
    );
  const deferred: DeferredJob[] = [];
  let planned = input.usedUnits;
  if (projected > input.dailyBudget) {
    let full = false;
    for (const d of order) {
      // Once one job does not fit, the jobs after it (lower or equal priority, later) give way too.
      if (!full && planned + d.units <= input.dailyBudget) planned += d.units;
      else {
        full = true;
        deferred.push({ id: d.job.id, name: d.job.name, priority: d.job.priority, units: d.units });
      }
    }
  } else planned = projected;
  return {
    youtube: {
      used: input.usedUnits,
      projected,
      planned,
      budget: input.dailyBudget,
      runs_left: demands.reduce((n, d) => n + d.runs, 0),
      deferred,
    },
    runtime: {
      used_ms_24h: input.runtimeUsedMs,
      projected_ms_24h: Math.round(demands.reduce((n, d) => n + d.runtimeMs, 0) + input.idleEstimateMs),
    },
  };
}
