/**
 * What the scheduler stores per job, definition and state apart (cells B and C of the job's row in
 * the hidden jobs tab, job-table.ts): the definition changes when people edit the job; the state
 * changes on every run.
 */
import type { RunTrigger } from '../domain/catalogue';
import type { JobConfig } from '../domain/job';
import type { PlannerJobState } from '../domain/planner';
import type { RunDto } from './contract';
import type { JobTable } from './job-table';
import type { JobInsight } from './insight-record';
import { KEYS, type PropertySnapshot } from './store';

export interface JobRecord {
  id: string;
  version: number;
  paused: boolean;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  config: JobConfig;
}

/**
 * The run a job is working on (its lease lives in planner.lease). A run cut short by the time budget
 * or by a dead execution keeps this record and resumes from the sync checkpoint with the same id.
 */
export interface ActiveRun {
  run_id: string;
  /** The occurrence (ISO) this run serves; null for manual runs. */
  occurrence: string | null;
  trigger: RunTrigger;
  attempt: number;
  started_at: string;
  /** Totals of earlier executions of the same run. */
  videos_added: number;
  videos_updated: number;
  quota_units: number;
  /** Of quota_units, the statistics refresh's (absent in runs recorded before it was counted). */
  refresh_units?: number;
  executions: number;
  /** Progress of earlier executions (monitor): playlist items read, and those expected when known. */
  processed?: number;
  expected?: number | null;
}

/**
 * A missed occurrence waiting for its run-history row: [occurrence, count, first occurrence] (count and
 * first only for a folded group). Kept in the job's state at claim time so that it survives an
 * execution that dies, and appended with the tick's other rows (one append per execution).
 */
export type PendingMissed = [string, number?, string?];

export interface JobState {
  /** The planner's bookkeeping (domain/planner.ts): lease, retries, last occurrence handled. */
  planner: PlannerJobState;
  active: ActiveRun | null;
  /** A run requested by a bulk "run now": the next tick claims it. */
  requested: { trigger: RunTrigger; at: string } | null;
  last_run: RunDto | null;
  last_error: string | null;
  last_success_at: string | null;
  /** True after a failure that exhausted its retries, until the next success (recovery mail). */
  failing: boolean;
  last_failure_mail_at: string | null;
  last_success_mail_at?: string | null;
  channel_titles: Record<string, string>;
  /** Missed occurrences not yet in the run history (see PendingMissed). */
  pending_missed?: PendingMissed[];
  /** Upload patterns, freshness, run history and anomalies (app/insight-record.ts). */
  insight?: JobInsight;
  last_anomaly_mail_at?: string | null;
  /** Set when the day's YouTube budget could not cover this job's runs: it waits for the reset (app/quota-projection.ts). */
  budget_deferral?: { until: string; message: string; at: string } | null;
}

export function emptyJobState(): JobState {
  return {
    planner: {},
    active: null,
    requested: null,
    last_run: null,
    last_error: null,
    last_success_at: null,
    failing: false,
    last_failure_mail_at: null,
    channel_titles: {},
  };
}

function parseJson<T>(raw: string): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export function readJob(table: JobTable, id: string): JobRecord | null {
  return table.has(id) ? parseJson<JobRecord>(table.get(id, 'definition')) : null;
}

export function readState(table: JobTable, id: string): JobState {
  return { ...emptyJobState(), ...(parseJson<Partial<JobState>>(table.get(id, 'state')) ?? {}) };
}

export function readAllJobs(table: JobTable): JobRecord[] {
  const out: JobRecord[] = [];
  for (const id of table.jobIds()) {
    const job = readJob(table, id);
    if (job) out.push(job);
  }
  return out;
}

export function writeJob(table: JobTable, job: JobRecord): void {
  table.set(job.id, 'definition', JSON.stringify(job));
}

export function writeState(table: JobTable, id: string, state: JobState): void {
  table.set(id, 'state', JSON.stringify(state));
}

export function removeJob(table: JobTable, id: string): void {
  table.remove(id);
}

/** Script Properties keys of the layout before the jobs tab (moved by migrateLegacy in context.ts). */
export const LEGACY_PREFIXES = ['job:', 'state:', 'sync:'] as const;

export function legacyKeys(snapshot: PropertySnapshot): string[] {
  return LEGACY_PREFIXES.flatMap((prefix) => snapshot.keys(prefix));
}

/**
 * Copies the legacy per-job properties into the table; returns the keys to delete once the table is
 * written (deleting them first could lose a job to an execution killed in between).
 */
export function migrateLegacy(snapshot: PropertySnapshot, table: JobTable): string[] {
  const ids = snapshot.keys('job:').map((k) => k.slice(4));
  for (const id of ids) {
    const job = snapshot.get(KEYS.job(id));
    if (!job) continue;
    table.set(id, 'definition', job);
    table.set(id, 'state', snapshot.get(KEYS.state(id)) ?? JSON.stringify(emptyJobState()));
    const sync = snapshot.get(KEYS.sync(id));
    if (sync !== null) table.set(id, 'sync', sync);
  }
  return legacyKeys(snapshot);
}

/** An execution may live 6 minutes; a lease outlives it with a margin, then the run is resumable. */
export const LEASE_MS = 7 * 60_000;

/** True while the job's lease is running (an execution may be working on it). */
export function leaseActive(state: JobState, nowMs: number): boolean {
  const until = state.planner.lease?.until;
  return !!until && Date.parse(until) > nowMs;
}
