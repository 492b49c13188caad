/** Read-side helpers: job DTOs for a loaded snapshot, job detail, calendar grid, monitor. */
import { findConflicts } from '../domain/conflicts';
import { compileSchedule, nextRuns } from '../domain/schedule';
import { instantOfWallTime, daysInMonth } from '../domain/timezone';
import { isValidTimeZone } from '../domain/timezone';
import type { JobConfig } from '../domain/job';
import { YOUTUBE_DAILY_QUOTA } from '../domain/catalogue';
import { limitsDto, projectStoredDay, waitingForReset } from './quota-projection';
import { readTriggerRecord } from './triggers';
import type { LimitsDto } from './contract';
import type {
  CalendarChipDto,
  CalendarDay,
  CalendarDayPageDto,
  CalendarDto,
  CalendarEntryDto,
  ConflictWarningDto,
  JobDetailDto,
  JobDto,
  MonitorDto,
  MonitorProblemRunDto,
  MonitorWindowDto,
  RunDto,
} from './contract';
import { AppError } from './contract';
import { nextRunAt, type AppContext, type Loaded } from './context';
import { readQuota } from './quota';
import { quotaResetAt } from '../sync';
import {
  invalidateMonitorRecord,
  mergeRunning,
  monitorFromRecord,
  MONITOR_RECORD_MAX_AGE_MS,
  readMonitorRecord,
  writeMonitorRecord,
  type MonitorRecord,
} from './monitor-record';
import { leaseActive, type JobRecord } from './records';
import type { MonitorProgress } from './monitor-record';
import { isExecuted, runInstant, windowStats } from './stats';
import { plannerInputs } from './tick';
import { pageOf, toJobRow, withScheduleText, type JobRow } from './views';
import { allAnomalies, anomalyDtos, freshnessBoard, freshnessDto } from './insights';

/** Every job as a list row (no schedule text: see withScheduleText). */
export function allJobRows(loaded: Loaded, now: Date): JobRow[] {
  return loaded.jobs().map((job) => jobRow(loaded, job, now));
}

function jobRow(loaded: Loaded, job: JobRecord, now: Date): JobRow {
  const state = loaded.state(job.id);
  return toJobRow(job, state, nextRunAt(job, state, now), now.getTime());
}

export function jobDto(loaded: Loaded, job: JobRecord, now: Date): JobDto {
  return withScheduleText(jobRow(loaded, job, now));
}

export function conflictsFor(
  ctx: AppContext,
  loaded: Loaded,
  candidate: { id?: string; config: JobConfig },
  now: Date,
): ConflictWarningDto[] {
  let sheetId = '';
  try {
    sheetId = ctx.deps.spreadsheets.activeSpreadsheetId();
  } catch {
    sheetId = '';
  }
  return findConflicts(candidate, plannerInputs(loaded).jobs, now, 7, { activeSpreadsheetId: sheetId });
}

/** A retry (or a quota-deferred run) the planner will start, when it is still ahead. */
function pendingRetry(retryAt: string | null | undefined, now: Date): string | null {
  return retryAt && Date.parse(retryAt) > now.getTime() ? retryAt : null;
}

export function jobDetail(ctx: AppContext, loaded: Loaded, job: JobRecord, now: Date, runs: readonly RunDto[] | null): JobDetailDto {
  const recent: RunDto[] = [];
  if (runs) {
    for (let i = runs.length - 1; i >= 0 && recent.length < 10; i--) if (runs[i]!.job_id === job.id) recent.push(runs[i]!);
  }
  return {
    ...jobDto(loaded, job, now),
    next_runs: nextRuns(job.config, now, 5, { anchor: new Date(job.created_at) }).map((d) => d.toISOString()),
    pending_retry_at: pendingRetry(loaded.state(job.id).planner.retry_at, now),
    recent_runs: recent,
    conflicts: conflictsFor(ctx, loaded, { id: job.id, config: job.config }, now),
    freshness: freshnessDto(loaded.state(job.id).insight, now.getTime()),
    anomalies: anomalyDtos(job, loaded.state(job.id)),
  };
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MAX_SCHEDULED_PER_JOB = 750;
/** Occurrences a calendar day carries in the month view (the chips); calendarDay lists them all. */
export const CALENDAR_CHIPS = 3;
export const CALENDAR_DAY_PAGE = 100;

function checkZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone))
    throw new AppError(422, 'validation_failed', 'time_zone: expected an IANA time zone', [
      { path: 'time_zone', message: 'unknown time zone' },
    ]);
}

/** The instants where each day of a span of local dates starts (one more than the days: the end). */
function dayStarts(timeZone: string, year: number, month: number, firstDay: number, days: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= days; i++) {
    const d = new Date(Date.UTC(year, month - 1, firstDay + i));
    out.push(
      instantOfWallTime(timeZone, { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0 }),
    );
  }
  return out;
}

/** Index of the day holding `t` (starts ascending, t within [starts[0], starts[last])). */
function dayIndex(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A chip's kind is its job's most telling occurrence of the day: problems, then runs that happened, then what is scheduled. */
const CHIP_RANK: Record<CalendarChipDto['kind'], number> = {
  failed: 0,
  missed: 1,
  partial: 2,
  deferred: 3,
  succeeded: 4,
  skipped: 5,
  scheduled: 6,
};
const chipOrder = (a: CalendarChipDto, b: CalendarChipDto): number =>
  CHIP_RANK[a.kind] - CHIP_RANK[b.kind] ||
  (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) ||
  a.job_name.localeCompare(b.job_name) ||
  a.job_id.localeCompare(b.job_id);

const entryOrder = (a: CalendarEntryDto, b: CalendarEntryDto): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.job_name.localeCompare(b.job_name) || a.job_id.localeCompare(b.job_id);

/**
 * Every occurrence in [startMs, endMs): scheduled ones from now on (enabled, unpaused jobs; at most
 * MAX_SCHEDULED_PER_JOB a job) and run-history rows before. `visit` gets each with its instant.
 */
function eachOccurrence(
  loaded: Loaded,
  runs: readonly RunDto[],
  startMs: number,
  endMs: number,
  now: Date,
  visit: (entry: CalendarEntryDto, t: number, paused: boolean, executed: boolean) => void,
): void {
  const from = Math.max(startMs - 1, now.getTime());
  for (const job of loaded.jobs()) {
    if (!job.config.enabled || job.paused || from >= endMs) continue;
    const schedule = compileSchedule(job.config, { anchor: new Date(job.created_at) });
    if (!schedule) continue;
    let t = schedule.next(from);
    for (let taken = 0; t !== null && t < endMs && taken < MAX_SCHEDULED_PER_JOB; taken++) {
      visit({ job_id: job.id, job_name: job.config.name, at: new Date(t).toISOString(), kind: 'scheduled' }, t, false, false);
      t = schedule.next(t);
    }
  }
  for (const run of runs) {
    const at = run.scheduled_for ?? run.started_at;
    if (!at) continue;
    const t = Date.parse(at);
    if (!(t >= startMs && t < endMs)) continue;
    visit(
      { job_id: run.job_id, job_name: run.job_name, at, kind: run.status },
      t,
      loaded.job(run.job_id)?.paused ?? false,
      isExecuted(run),
    );
  }
}

/**
 * Month grid in the viewer's zone: per day the count of occurrences (scheduled ones ahead, run
 * history behind) by kind and the first CALENDAR_CHIPS of them; calendarDay lists a day in full.
 */
export function calendarGrid(loaded: Loaded, runs: readonly RunDto[], month: string, timeZone: string, now: Date): CalendarDto {
  const m = MONTH_RE.exec(month ?? '');
  if (!m)
    throw new AppError(422, 'validation_failed', 'month: expected YYYY-MM, e.g. 2026-03', [{ path: 'month', message: 'expected YYYY-MM' }]);
  checkZone(timeZone);
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const count = daysInMonth(year, mon);
  const starts = dayStarts(timeZone, year, mon, 1, count);
  const days: Required<CalendarDay>[] = [];
  for (let d = 1; d <= count; d++)
    days.push({ date: `${month}-${String(d).padStart(2, '0')}`, entries: [], run_count: 0, total: 0, counts: {}, chips: [], jobs: 0 });
  // One chip per job and day while the month is read; each day keeps its CALENDAR_CHIPS most telling.
  const perJob = days.map(() => new Map<string, CalendarChipDto>());
  eachOccurrence(loaded, runs, starts[0]!, starts[count]!, now, (entry, t, _paused, executed) => {
    const index = dayIndex(starts, t);
    const day = days[index]!;
    const chip = perJob[index]!.get(entry.job_id);
    if (!chip)
      perJob[index]!.set(entry.job_id, { job_id: entry.job_id, job_name: entry.job_name, kind: entry.kind, at: entry.at, count: 1 });
    else {
      chip.count++;
      if (CHIP_RANK[entry.kind] < CHIP_RANK[chip.kind]) chip.kind = entry.kind;
      if (entry.at < chip.at) chip.at = entry.at;
    }
    day.total++;
    day.counts[entry.kind] = (day.counts[entry.kind] ?? 0) + 1;
    if (executed) day.run_count++;
    // Keep the first few by time: insert in order, drop the last past the limit.
    const chips = day.entries;
    if (chips.length === CALENDAR_CHIPS && entryOrder(entry, chips[chips.length - 1]!) >= 0) return;
    let i = chips.length;
    while (i > 0 && entryOrder(entry, chips[i - 1]!) < 0) i--;
    chips.splice(i, 0, entry);
    if (chips.length > CALENDAR_CHIPS) chips.pop();
  });
  days.forEach((day, i) => {
    const jobs = [...perJob[i]!.values()];
    day.jobs = jobs.length;
    day.chips = jobs.sort(chipOrder).slice(0, CALENDAR_CHIPS);
  });
  return { month, time_zone: timeZone, days };
}

/** One day of the calendar in full, ordered by time, a page at a time; each entry says whether its job is paused. */
export function calendarDayPage(
  loaded: Loaded,
  runs: readonly RunDto[],
  date: string,
  timeZone: string,
  now: Date,
  page?: number,
  pageSize?: number,
): CalendarDayPageDto {
  const m = DATE_RE.exec(date ?? '');
  if (!m || Number(m[3]) > daysInMonth(Number(m[1]), Number(m[2]))) {
    throw new AppError(422, 'validation_failed', 'date: expected YYYY-MM-DD, e.g. 2026-03-09', [
      { path: 'date', message: 'expected YYYY-MM-DD' },
    ]);
  }
  checkZone(timeZone);
  const starts = dayStarts(timeZone, Number(m[1]), Number(m[2]), Number(m[3]), 1);
  const entries: (CalendarEntryDto & { paused: boolean; tab: string })[] = [];
  let runCount = 0;
  eachOccurrence(loaded, runs, starts[0]!, starts[1]!, now, (entry, _t, paused, executed) => {
    // The job's tab: "Open the tab" after a Run now from the day panel ('' for a deleted job).
    entries.push({ ...entry, paused, tab: loaded.job(entry.job_id)?.config.target_tab_name ?? '' });
    if (executed) runCount++;
  });
  entries.sort(entryOrder);
  return { ...pageOf(entries, page, pageSize, CALENDAR_DAY_PAGE), date, time_zone: timeZone, run_count: runCount };
}

const MONITOR_WINDOW_MS = 86_400_000;
const MONITOR_PROBLEMS = 5;
/** Runs in progress the monitor lists (running_total counts them all). */
export const MONITOR_RUNNING = 20;

interface MonitorSummary {
  last_24h: MonitorWindowDto;
  recent_problems: MonitorProblemRunDto[];
  /** When the 24 h figures next change by time alone: the oldest run in the window leaves it. */
  changes_at: number;
}

/** The 24 h figures: counts as the run statistics count them, and that window's failed and partial runs. */
export function monitorSummary(runs: readonly RunDto[], nowMs: number): MonitorSummary {
  const sinceMs = nowMs - MONITOR_WINDOW_MS;
  const w = windowStats(runs, '24h', sinceMs);
  const problems: { run: RunDto; at: number; order: number }[] = [];
  let changesAt = Number.POSITIVE_INFINITY;
  runs.forEach((run, order) => {
    const at = runInstant(run);
    if (at >= sinceMs && at + MONITOR_WINDOW_MS < changesAt) changesAt = at + MONITOR_WINDOW_MS;
    if (run.status !== 'failed' && run.status !== 'partial') return;
    if (at >= sinceMs) problems.push({ run, at, order });
  });
  // Newest first; the log's order breaks ties (a later row was written later).
  problems.sort((a, b) => b.at - a.at || b.order - a.order);
  return {
    last_24h: {
      since: new Date(sinceMs).toISOString(),
      runs: w.runs,
      succeeded: w.succeeded,
      failed: w.failed,
      partial: w.partial,
      success_rate: w.success_rate,
    },
    recent_problems: problems.slice(0, MONITOR_PROBLEMS).map(({ run, at }) => ({
      run_id: run.run_id,
      job_id: run.job_id,
      job_name: run.job_name,
      status: run.status as MonitorProblemRunDto['status'],
      at: new Date(at).toISOString(),
      error: run.error,
    })),
    changes_at: changesAt,
  };
}

/** Runs in progress as the store knows them: every job with an active run. */
function runningFromStore(loaded: Loaded, nowMs: number): MonitorProgress[] {
  const out: MonitorProgress[] = [];
  for (const job of loaded.jobs()) {
    const state = loaded.state(job.id);
    const active = state.active;
    if (!active) continue;
    out.push({
      job_id: job.id,
      job_name: job.config.name,
      run_id: active.run_id,
      started_at: active.started_at,
      processed: active.processed ?? 0,
      expected: active.expected ?? null,
      phase: leaseActive(state, nowMs) ? 'running' : 'waiting for the next execution',
    });
  }
  return out;
}

/**
 * Monitor, rebuilt from the store (and the run log when the cached 24 h figures are stale), with the
 * live progress of the cached record; the result is cached as the record the next polls read.
 * `cached` is the record when the caller has read it already.
 */
export function monitorView(ctx: AppContext, loaded: Loaded, now: Date, cached?: MonitorRecord | null): MonitorDto {
  const cache = ctx.deps.cache;
  const nowMs = now.getTime();
  let rec: MonitorRecord | null = null;
  try {
    rec = cached === undefined ? readMonitorRecord(cache) : cached;
  } catch {
    rec = null;
  }
  const fresh = rec && rec.last_24h && nowMs < rec.valid_until ? rec : null;
  const summary: MonitorSummary = fresh
    ? { last_24h: fresh.last_24h!, recent_problems: fresh.recent_problems, changes_at: fresh.valid_until }
    : monitorSummary(ctx.logs.runs.all(), nowMs);
  const quota = { used_today: readQuota(loaded.snapshot, now).used, daily_budget: loaded.settings.daily_quota_budget };
  const running = mergeRunning(runningFromStore(loaded, nowMs), rec, nowMs);
  const validUntil = Math.min(nowMs + MONITOR_RECORD_MAX_AGE_MS, quotaResetAt(now).getTime(), summary.changes_at);
  const limits = monitorLimits(loaded, now);
  try {
    writeMonitorRecord(cache, {
      v: 3,
      valid_until: validUntil,
      quota,
      last_24h: summary.last_24h,
      recent_problems: summary.recent_problems,
      running,
      ...(limits ? { limits } : {}),
    });
  } catch {
    // best effort: the next poll rebuilds
  }
  return {
    now: now.toISOString(),
    running: running.slice(0, MONITOR_RUNNING).map(({ updated_at: _updated, ...progress }) => progress),
    running_total: running.length,
    quota,
    last_24h: summary.last_24h,
    recent_problems: summary.recent_problems,
    freshness: freshnessBoard(loaded, now.getTime()),
    anomalies: allAnomalies(loaded).slice(0, 5),
    ...(limits ? { limits } : {}),
  };
}

/** The daily limits for the monitor (as health shows them); left out if the projection fails. */
function monitorLimits(loaded: Loaded, now: Date): LimitsDto | null {
  try {
    const record = readTriggerRecord(loaded.snapshot);
    return limitsDto(
      projectStoredDay(loaded, now),
      now,
      YOUTUBE_DAILY_QUOTA,
      (record.heartbeat ? 1 : 0) + (record.precise ? 1 : 0),
      waitingForReset(loaded, now),
    );
  } catch {
    return null;
  }
}

/** The monitor for a poll: one cache read when the record can answer, else rebuilt from the store. */
export function monitorPoll(ctx: AppContext, load: () => Loaded, now: Date): MonitorDto {
  let rec: MonitorRecord | null = null;
  try {
    rec = readMonitorRecord(ctx.deps.cache);
  } catch {
    rec = null;
  }
  return monitorFromRecord(rec, now.getTime()) ?? monitorView(ctx, load(), now, rec);
}

/** Something the monitor shows changed in the store: the next poll rebuilds the record. */
export function invalidateMonitor(ctx: AppContext): void {
  invalidateMonitorRecord(ctx.deps.cache);
}
