/**
 * What the scheduler stores per job in Script Properties, definition and state apart:
 * `job:<id>` changes when people edit the job; `state:<id>` changes on every run.
 */
import type { RunTrigger } from '../domain/catalogue';
import type { JobConfig } from '../domain/job';
import type { PlannerJobState } from '../domain/planner';
import type { RunDto } from './contract';
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

export function jobIdsOf(snapshot: PropertySnapshot): string[] {
  return snapshot.keys('job:').map((k) => k.slice(4));
}

export function readJob(snapshot: PropertySnapshot, id: string): JobRecord | null {
  return snapshot.json<JobRecord>(KEYS.job(id));
}

export function readState(snapshot: PropertySnapshot, id: string): JobState {
  return { ...emptyJobState(), ...(snapshot.json<Partial<JobState>>(KEYS.state(id)) ?? {}) };
}

export function readAllJobs(snapshot: PropertySnapshot): JobRecord[] {
  const out: JobRecord[] = [];
  for (const id of jobIdsOf(snapshot)) {
    const job = readJob(snapshot, id);
    if (job) out.push(job);
  }
  return out;
}

export function writeJob(snapshot: PropertySnapshot, job: JobRecord): void {
  snapshot.setJson(KEYS.job(job.id), job);
}

export function writeState(snapshot: PropertySnapshot, id: string, state: JobState): void {
  snapshot.setJson(KEYS.state(id), state);
}

export function removeJob(snapshot: PropertySnapshot, id: string): void {
  snapshot.delete(KEYS.job(id));
  snapshot.delete(KEYS.state(id));
  snapshot.delete(KEYS.sync(id));
}

/** True while the job's lease is running (an execution may be working on it). */
export function leaseActive(state: JobState, nowMs: number): boolean {
  const until = state.planner.lease?.until;
  return !!until && Date.parse(until) > nowMs;
}
