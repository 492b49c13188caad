/**
 * Test entry for the sync engine in the local runtime: the gas adapters + runSync wired into globals.
 * Bundled by harness.ts with scripts/build.ts's buildServerBundle; the app engineer's runNow path is
 * tested separately.
 */
import { createSpreadsheets } from '../../../src-server/gas/sheets';
import { createYouTubeApi } from '../../../src-server/gas/youtube';
import { resolveChannels, runSync, shareReads, type SyncState } from '../../../src-server/sync';
import type { JobConfig } from '../../../src-server/domain/job';

declare const global: Record<string, unknown>;

/** One execution: returns the outcome as JSON text (the test keeps the state, as the app would). */
function testSync(configJson: string, stateJson: string, runId: string, budgetMs: number, budgetUnits: number): string {
  const started = Date.now();
  let spent = 0;
  const outcome = runSync(
    { jobId: 'job1', config: JSON.parse(configJson) as JobConfig, state: JSON.parse(stateJson) as SyncState, runId },
    {
      youtube: shareReads(createYouTubeApi()), // as gas/context.ts: one per execution
      sheets: createSpreadsheets(),
      clock: { now: () => new Date() },
      deadline: new Date(started + budgetMs),
      quota: { canSpend: (u) => spent + u <= budgetUnits, spend: (_m, u) => (spent += u) },
    },
  );
  return JSON.stringify(outcome);
}

function testResolve(inputsJson: string): string {
  return JSON.stringify(resolveChannels(JSON.parse(inputsJson) as string[], createYouTubeApi()));
}

global.testSync = testSync;
global.testResolve = testResolve;
