/**
 * Missed occurrences. The planner reports them at claim time; they are kept in the job's state (so an
 * execution that dies before its record phase loses none) and turned into run-history rows by the next
 * phase that appends rows anyway: the claim phase when it claims nothing, else the record phase. So a
 * tick appends its run rows once.
 */
import type { MissedOccurrence } from '../domain/planner';
import type { RunDto } from './contract';
import type { AppContext, Loaded } from './context';
import type { JobState, PendingMissed } from './records';

/** Entries kept per job at most; older ones are folded into one (a state value holds 9 KB). */
export const MAX_PENDING_MISSED = 25;

function countOf(p: PendingMissed): number {
  return p[1] ?? 1;
}

function firstOf(p: PendingMissed): string {
  return p[2] ?? p[0];
}

/** The state with `missed` added to its pending list (bounded: the oldest entries are folded). */
export function withPendingMissed(state: JobState, missed: readonly MissedOccurrence[]): JobState {
  const list: PendingMissed[] = [...(state.pending_missed ?? [])];
  for (const m of missed)
    list.push(m.count > 1 ? [m.occurrence.toISOString(), m.count, m.first.toISOString()] : [m.occurrence.toISOString()]);
  if (list.length > MAX_PENDING_MISSED) {
    const old = list.splice(0, list.length - MAX_PENDING_MISSED + 1);
    const count = old.reduce((n, p) => n + countOf(p), 0);
    list.unshift([old[old.length - 1]![0], count, firstOf(old[0]!)]);
  }
  return { ...state, pending_missed: list };
}

export function missedRow(ctx: AppContext, jobId: string, jobName: string, p: PendingMissed): RunDto {
  const count = countOf(p);
  return {
    run_id: ctx.newId('r_'),
    job_id: jobId,
    job_name: jobName,
    scheduled_for: p[0],
    started_at: null,
    finished_at: null,
    status: 'missed',
    trigger: 'schedule',
    videos_added: 0,
    videos_updated: 0,
    quota_units: 0,
    duration_ms: null,
    error:
      count > 1
        ? `${count} occurrences from ${firstOf(p)} to ${p[0]} were missed (the script did not run)`
        : 'missed: the script did not run within the misfire grace period',
  };
}

/** Moves every job's pending missed occurrences into the run-history buffer; returns how many. */
export function drainMissed(ctx: AppContext, loaded: Loaded): number {
  let rows = 0;
  for (const job of loaded.jobs()) {
    const state = loaded.state(job.id);
    const pending = state.pending_missed;
    if (!pending) continue;
    for (const p of pending) {
      ctx.logs.runs.add(missedRow(ctx, job.id, job.config.name, p));
      rows++;
    }
    const rest: JobState = { ...state };
    delete rest.pending_missed;
    loaded.setState(job.id, rest);
  }
  return rows;
}
