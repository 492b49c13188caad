/** JobRecord + JobState -> the DTOs of the contract; listing with filters, sort and pages. */
import { describeSchedule } from '../domain/schedule';
import type {
  JobChoiceDto,
  JobChoicesDto,
  JobChoicesQuery,
  JobCountsDto,
  JobDto,
  JobStatus,
  ListJobsQuery,
  Page,
  TabWriterDto,
  TabWritersDto,
  TabWritersQuery,
} from './contract';
import { AppError } from './contract';
import { leaseActive, type JobRecord, type JobState } from './records';

export function jobStatus(job: JobRecord, state: JobState, nextRunAt: string | null, nowMs: number): JobStatus {
  if (!job.config.enabled) return 'disabled';
  if (job.paused) return 'paused';
  if (leaseActive(state, nowMs) || state.active) return 'running';
  if ((state.planner.consecutive_failures ?? 0) > 0 && state.last_run?.status === 'failed') return 'failing';
  if (nextRunAt === null && job.config.schedule_type === 'once' && state.last_run && state.last_run.status !== 'failed') return 'completed';
  return 'active';
}

/**
 * A job as lists filter and sort it: everything but the schedule text, which costs a description per
 * job and is added only to what is shown (withScheduleText).
 */
export type JobRow = Omit<JobDto, 'schedule_text'>;

export function withScheduleText(row: JobRow): JobDto {
  return { ...row, schedule_text: describeSchedule(row.config) };
}

export function toJobRow(job: JobRecord, state: JobState, nextRunAt: string | null, nowMs: number): JobRow {
  return {
    id: job.id,
    version: job.version,
    config: job.config,
    status: jobStatus(job, state, nextRunAt, nowMs),
    paused: job.paused,
    created_at: job.created_at,
    updated_at: job.updated_at,
    created_by: job.created_by,
    next_run_at: nextRunAt,
    last_run: state.last_run,
    consecutive_failures: state.planner.consecutive_failures ?? 0,
    channel_titles: { ...state.channel_titles },
    ...(state.budget_deferral && Date.parse(state.budget_deferral.until) > nowMs
      ? { deferral: { reason: 'quota_budget' as const, until: state.budget_deferral.until, message: state.budget_deferral.message } }
      : {}),
  };
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageOf<T>(
  items: readonly T[],
  page: number | undefined,
  pageSize: number | undefined,
  defaultSize = DEFAULT_PAGE_SIZE,
): Page<T> {
  const size = pageSize === undefined ? defaultSize : Math.trunc(Number(pageSize));
  const p = page === undefined ? 1 : Math.trunc(Number(page));
  if (!Number.isFinite(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new AppError(422, 'validation_failed', `page_size: must be a whole number from 1 to ${MAX_PAGE_SIZE}`, [
      { path: 'page_size', message: `must be from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  if (!Number.isFinite(p) || p < 1) {
    throw new AppError(422, 'validation_failed', 'page: must be a whole number from 1', [{ path: 'page', message: 'must be 1 or more' }]);
  }
  return { items: items.slice((p - 1) * size, p * size), total: items.length, page: p, page_size: size };
}

type SortKey = (j: JobRow) => string | number | null;

const SORT_KEYS: Record<string, SortKey> = {
  name: (j) => j.config.name.toLowerCase(),
  priority: (j) => j.config.priority,
  status: (j) => j.status,
  next_run_at: (j) => j.next_run_at,
  updated_at: (j) => j.updated_at,
  created_at: (j) => j.created_at,
  schedule_type: (j) => j.config.schedule_type,
  target_tab_name: (j) => j.config.target_tab_name.toLowerCase(),
  last_run: (j) => j.last_run?.finished_at ?? j.last_run?.started_at ?? null,
  enabled: (j) => (j.config.enabled ? 1 : 0),
  id: (j) => j.id,
  version: (j) => j.version,
  consecutive_failures: (j) => j.consecutive_failures,
};

export const SORTABLE_COLUMNS = Object.keys(SORT_KEYS);

function matchesText(job: JobRow, q: string): boolean {
  const needle = q.toLowerCase();
  const c = job.config;
  return [c.name, c.description, c.target_tab_name, ...c.channels, ...c.tags].some((v) => v.toLowerCase().includes(needle));
}

export function filterJobs<T extends JobRow>(jobs: readonly T[], query: ListJobsQuery): T[] {
  return jobs.filter(
    (j) =>
      (query.status === undefined || j.status === query.status) &&
      (query.enabled === undefined || j.config.enabled === query.enabled) &&
      (query.tag === undefined || j.config.tags.includes(query.tag)) &&
      (!query.q || matchesText(j, query.q)),
  );
}

/** Sorts by any listed column; nulls last in both orders, ties by name then id. */
export function sortJobs<T extends JobRow>(jobs: T[], sort: string | undefined, order: 'asc' | 'desc' | undefined): T[] {
  const keyName = sort ?? 'name';
  const key = SORT_KEYS[keyName];
  if (!key) {
    throw new AppError(422, 'validation_failed', `sort: must be one of ${SORTABLE_COLUMNS.join(', ')}`, [
      { path: 'sort', message: `unknown column ${keyName}` },
    ]);
  }
  const dir = order === 'desc' ? -1 : 1;
  return jobs.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (ka < kb ? -1 : 1) * dir;
    }
    return a.config.name.localeCompare(b.config.name) || a.id.localeCompare(b.id);
  });
}

export function newestFirst<T>(rows: readonly T[]): T[] {
  return [...rows].reverse();
}

// ---------------------------------------------------------------- bounded views (docs/operations.md "Payloads")

/** Jobs the sidebar lists at once; the rest come from listJobs pages on demand. */
export const SIDEBAR_JOBS = 20;

const STATUSES: JobStatus[] = ['active', 'running', 'failing', 'paused', 'disabled', 'completed'];

export function countByStatus(rows: readonly JobRow[]): JobCountsDto {
  const by_status = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const row of rows) by_status[row.status]++;
  return { total: rows.length, by_status };
}

const byName = (a: JobRow, b: JobRow): number => a.config.name.localeCompare(b.config.name) || a.id.localeCompare(b.id);
const byNextRun = (a: JobRow, b: JobRow): number =>
  a.next_run_at! < b.next_run_at! ? -1 : a.next_run_at! > b.next_run_at! ? 1 : byName(a, b);

/**
 * The jobs that matter now, at most `limit`: all of them (by name) while there are no more; else the
 * running ones, then the failing ones, then the next due, in that order (then the others by name
 * when fewer than `limit` need attention).
 */
export function sidebarFocus(rows: readonly JobRow[], limit = SIDEBAR_JOBS): JobRow[] {
  if (rows.length <= limit) return [...rows].sort(byName);
  const running = rows.filter((r) => r.status === 'running').sort(byName);
  const failing = rows
    .filter((r) => r.status === 'failing')
    .sort((a, b) => b.consecutive_failures - a.consecutive_failures || byName(a, b));
  const due = rows.filter((r) => r.status === 'active' && r.next_run_at !== null).sort(byNextRun);
  const focus = [...running, ...failing, ...due].slice(0, limit);
  if (focus.length === limit) return focus;
  // Few jobs need attention: the others (paused, disabled, completed) by name fill the list.
  const taken = new Set(focus.map((r) => r.id));
  return [
    ...focus,
    ...rows
      .filter((r) => !taken.has(r.id))
      .sort(byName)
      .slice(0, limit - focus.length),
  ];
}

export const CHOICES_DEFAULT = 20;
export const CHOICES_MAX = 50;
/** Ids a picker may ask for by id (the audit viewer names the jobs of its newest 200 rows and a page). */
export const CHOICES_MAX_IDS = 400;

/** A picker's answer: jobs whose name holds `q`, by name, at most `limit`, plus the `ids` asked for. */
export function jobChoices(rows: readonly Pick<JobRow, 'id' | 'config' | 'status'>[], query: JobChoicesQuery): JobChoicesDto {
  const limit = query.limit === undefined ? CHOICES_DEFAULT : Math.trunc(Number(query.limit));
  if (!Number.isFinite(limit) || limit < 1 || limit > CHOICES_MAX) {
    throw new AppError(422, 'validation_failed', `limit: must be a whole number from 1 to ${CHOICES_MAX}`, [
      { path: 'limit', message: `must be from 1 to ${CHOICES_MAX}` },
    ]);
  }
  if (query.q !== undefined && typeof query.q !== 'string')
    throw new AppError(422, 'validation_failed', 'q: must be text', [{ path: 'q', message: 'must be text' }]);
  const needle = (query.q ?? '').trim().toLowerCase();
  const ids = Array.isArray(query.ids) ? query.ids.filter((id): id is string => typeof id === 'string') : [];
  if (ids.length > CHOICES_MAX_IDS)
    throw new AppError(422, 'validation_failed', `ids: at most ${CHOICES_MAX_IDS}`, [
      { path: 'ids', message: `at most ${CHOICES_MAX_IDS}` },
    ]);
  const wanted = new Set(ids);
  const named = (r: Pick<JobRow, 'config'>): boolean =>
    query.exact ? r.config.name.trim().toLowerCase() === needle : r.config.name.toLowerCase().includes(needle);
  const matches = query.only_ids ? [] : rows.filter((r) => !needle || named(r));
  const choice = (r: Pick<JobRow, 'id' | 'config' | 'status'>): JobChoiceDto => ({ id: r.id, name: r.config.name, status: r.status });
  const cmp = (a: Pick<JobRow, 'id' | 'config'>, b: Pick<JobRow, 'id' | 'config'>) =>
    a.config.name.localeCompare(b.config.name) || a.id.localeCompare(b.id);
  const shown = [...matches].sort(cmp).slice(0, limit);
  const extra = rows.filter((r) => wanted.has(r.id) && !shown.includes(r));
  return { items: [...shown, ...extra].map(choice), total: matches.length };
}

/** Tabs a wizard's answer lists (the ones asked about first). */
export const TAB_WRITERS_MAX = 200;
const WRITER_NAMES = 3;

/**
 * Tabs other jobs write in one spreadsheet (case ignored, the job `exceptId` left out): the tabs asked
 * about first, then the others by name, at most TAB_WRITERS_MAX, each with up to three writers' names.
 */
export function tabWriters(rows: readonly Pick<JobRow, 'id' | 'config'>[], query: TabWritersQuery): TabWritersDto {
  const names = Array.isArray(query.names) ? query.names.filter((n): n is string => typeof n === 'string') : [];
  if (names.length > TAB_WRITERS_MAX)
    throw new AppError(422, 'validation_failed', `names: at most ${TAB_WRITERS_MAX}`, [
      { path: 'names', message: `at most ${TAB_WRITERS_MAX}` },
    ]);
  const sheet = (typeof query.sheet_id === 'string' ? query.sheet_id : '').trim();
  const byTab = new Map<string, TabWriterDto>();
  for (const r of rows) {
    if (r.id === query.except_id || (r.config.target_sheet_id || '').trim() !== sheet) continue;
    const key = r.config.target_tab_name.trim().toLowerCase();
    const entry = byTab.get(key) ?? { tab: r.config.target_tab_name.trim(), writers: [], count: 0 };
    entry.count++;
    entry.writers.push(r.config.name);
    byTab.set(key, entry);
  }
  const asked = [...new Set(names.map((n) => n.trim().toLowerCase()))].flatMap((k) => (byTab.has(k) ? [byTab.get(k)!] : []));
  const askedKeys = new Set(asked.map((e) => e.tab.toLowerCase()));
  const others = [...byTab.values()].filter((e) => !askedKeys.has(e.tab.toLowerCase())).sort((a, b) => a.tab.localeCompare(b.tab));
  const items = [...asked, ...others]
    .slice(0, TAB_WRITERS_MAX)
    .map((e) => ({ ...e, writers: [...e.writers].sort((a, b) => a.localeCompare(b)).slice(0, WRITER_NAMES) }));
  return { items, total: byTab.size };
}
