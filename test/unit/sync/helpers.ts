import type { JobConfig } from '../../../src-server/domain/job';
import { emptySyncState, runSync, type SyncOutcome, type SyncState } from '../../../src-server/sync';
import { FakeQuota, FakeSheets, FakeYouTube, SteppingClock, jobConfig, type FakeChannel } from './fakes';

export interface Env {
  youtube: FakeYouTube;
  sheets: FakeSheets;
  clock: SteppingClock;
  quota: FakeQuota;
  config: JobConfig;
  state: SyncState;
  runs: number;
}

export function env(channels: FakeChannel[], config: Partial<JobConfig> = {}): Env {
  return {
    youtube: new FakeYouTube(channels),
    sheets: new FakeSheets(),
    clock: new SteppingClock(),
    quota: new FakeQuota(),
    config: jobConfig(config),
    state: emptySyncState(),
    runs: 0,
  };
}

/** One execution; the returned state is saved as the app would. `budgetMs` bounds the deadline. */
export function execute(e: Env, opts: { runId?: string; budgetMs?: number; save?: boolean } = {}): SyncOutcome {
  const start = e.clock.now();
  const outcome = runSync(
    { jobId: 'job1', config: e.config, state: e.state, runId: opts.runId ?? `run${e.runs}` },
    {
      youtube: e.youtube,
      sheets: e.sheets,
      clock: e.clock,
      quota: e.quota,
      deadline: new Date(start.getTime() + (opts.budgetMs ?? 3_600_000)),
    },
  );
  if (opts.save !== false) e.state = outcome.state;
  return outcome;
}

/** A whole run: executions until complete (same runId), then the next run gets a new id. */
export function runToCompletion(e: Env, opts: { budgetMs?: number; maxExecutions?: number } = {}): SyncOutcome[] {
  const runId = `run${e.runs}`;
  const outcomes: SyncOutcome[] = [];
  for (let i = 0; i < (opts.maxExecutions ?? 500); i++) {
    const o = execute(e, { runId, budgetMs: opts.budgetMs });
    outcomes.push(o);
    if (o.complete || o.status === 'failed' || o.status === 'deferred') break;
  }
  e.runs += 1;
  return outcomes;
}

export function units(e: Env): number {
  return e.youtube.units;
}

export function ids(rows: unknown[][], col = 0): string[] {
  return rows.map((r) => String(r[col]));
}
