/**
 * The record phase's one write, with a fallback for a full property store. A run's results must be
 * stored, or its occurrence would run again once the lease expires (at most once). So when the full
 * write does not fit, it is retried with what can be rebuilt left out (sync checkpoints: the next run
 * re-reads those videos and the key column dedupes them; runtime, last-tick and quota figures) and the
 * job states shortened (error texts, channel titles, last run, insights). The run rows say so, and health
 * reports the store as full.
 */
import { AppError, type RunDto } from './contract';
import type { AppContext, Loaded } from './context';
import type { JobState } from './records';
import { entryBytes, type PropertySnapshot } from './store';

export const STORE_FULL_NOTE = 'the property store is full: the job state was stored shortened; make room (delete unused jobs or API keys)';
const SHORT_ERROR_CHARS = 120;

function short(text: string | null): string | null {
  return text && text.length > SHORT_ERROR_CHARS ? `${text.slice(0, SHORT_ERROR_CHARS - 1)}…` : text;
}

/**
 * Ever smaller versions of a job state that keep what the planner needs. The last one drops the last
 * run (its row is in the history) and is smaller than the state the claim stored (which held the lease
 * and the active run), so it always fits where that one did.
 */
function compactions(state: JobState): JobState[] {
  const first: JobState = {
    ...state,
    last_error: short(state.last_error),
    last_run: state.last_run ? { ...state.last_run, error: short(state.last_run.error) } : null,
  };
  const second: JobState = { ...first, channel_titles: {}, last_run: first.last_run ? { ...first.last_run, error: null } : null };
  // Insights (upload times, freshness) are rebuilt by later runs: the last resort drops them too.
  const third: JobState = { ...second, last_run: null, last_error: null, insight: undefined };
  return [first, second, third];
}

/**
 * Shrinks the staged change so that it takes no more room than what is stored: grown values other
 * than job states are left as stored (sync checkpoints, runtime and last-tick figures, the day's quota
 * units, next-due and trigger ids are rebuilt or re-derived by the next tick), grown job states are
 * compacted. Returns whether anything was changed.
 */
export function shrinkStaged(snapshot: PropertySnapshot): boolean {
  let changed = false;
  for (const key of snapshot.grownKeys()) {
    changed = true;
    if (!key.startsWith('state:')) {
      snapshot.revert(key);
      continue;
    }
    const state = snapshot.json<JobState>(key);
    const stored = snapshot.storedValue(key);
    if (!state || stored === null) {
      snapshot.revert(key);
      continue;
    }
    const limit = entryBytes(key, stored);
    for (const candidate of compactions(state)) {
      snapshot.setJson(key, candidate);
      if (entryBytes(key, JSON.stringify(candidate)) <= limit) break;
    }
  }
  return changed;
}

function isStoreFull(err: unknown): err is AppError {
  return err instanceof AppError && err.code === 'store_full';
}

/**
 * Commits the record phase. On store_full, retries once with the shrunk change and notes it on `rows`
 * (the caller appends them afterwards). Throws only when even that does not fit.
 */
export function commitRecorded(ctx: AppContext, loaded: Loaded, rows: readonly RunDto[]): void {
  try {
    loaded.snapshot.commit(ctx.deps.properties);
    return;
  } catch (err) {
    if (!isStoreFull(err) || !shrinkStaged(loaded.snapshot)) throw err;
    ctx.deps.logger.error(`Recording runs: ${err.message} Retrying with a shortened state.`);
  }
  loaded.snapshot.commit(ctx.deps.properties);
  for (const row of rows) {
    if (row.status === 'missed') continue;
    (row as { error: string | null }).error = row.error ? `${row.error}; ${STORE_FULL_NOTE}` : STORE_FULL_NOTE;
  }
}
