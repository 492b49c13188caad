/**
 * Kill-and-resume: a 5,000-video channel synced over many executions, with the execution killed at
 * every single port call in turn (after the kill nothing else reaches YouTube or the sheet, and the
 * state it would have returned is never saved), and with the state save lost after each execution.
 * Whatever the kill point: every video ends up in the tab exactly once.
 */
import type { OutputMode } from '../../../src-server/domain/catalogue';
import { channelId, makeVideos, type FakeChannel } from './fakes';
import { env, execute, ids, type Env } from './helpers';

class Killed extends Error {}

const VIDEOS = makeVideos('b', 5000); // shared: runs never change the channel's videos

function setup(mode: OutputMode): { e: Env; ch: FakeChannel } {
  const ch: FakeChannel = { id: channelId('big'), title: 'Big', handle: '@bigchannel', videos: VIDEOS };
  const e = env([ch], { output_mode: mode, channels: ['@bigchannel'] });
  e.clock.stepMs = 1000;
  return { e, ch };
}

const BUDGET_MS = 25_000; // ~25 pages per execution: about 8 executions for 5,000 videos

/**
 * Runs executions of one run until complete; `killAt` counts port calls across all executions.
 * Returns the total number of calls and which of them were Spreadsheet calls.
 */
function syncWithKill(e: Env, killAt: number | null, loseSaveOf: number | null): { calls: number; sheetCalls: number[] } {
  let calls = 0;
  let dead = false;
  const sheetCalls: number[] = [];
  const gate = (sheet: boolean): void => {
    if (dead) throw new Killed('killed');
    calls += 1;
    if (sheet) sheetCalls.push(calls);
    if (calls === killAt) {
      dead = true;
      throw new Killed('killed');
    }
  };
  e.youtube.beforeCall = () => gate(false);
  e.sheets.beforeCall = () => gate(true);
  for (let exec = 0; exec < 60; exec++) {
    dead = false;
    const saved = e.state;
    let outcome;
    try {
      outcome = execute(e, { runId: 'r1', budgetMs: BUDGET_MS, save: false });
    } catch (err) {
      if (!(err instanceof Killed)) throw err;
    }
    if (dead || !outcome) {
      e.state = saved; // killed: the app never saved anything
      continue;
    }
    if (exec !== loseSaveOf) e.state = outcome.state;
    if (outcome.complete && exec !== loseSaveOf) return { calls, sheetCalls };
  }
  throw new Error('did not complete');
}

function expectAllOnce(e: Env, ch: FakeChannel): void {
  const rows = ids(e.sheets.tab('Videos').rows());
  expect(rows).toHaveLength(ch.videos.length);
  expect(new Set(rows).size).toBe(ch.videos.length);
  expect(new Set(rows)).toEqual(new Set(ch.videos.map((v) => v.id)));
}

describe.each(['upsert', 'append', 'overwrite'] as const)('%s: 5,000-video channel', (mode) => {
  test('uninterrupted: several executions, every video once, in order', () => {
    const { e, ch } = setup(mode);
    syncWithKill(e, null, null);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toHaveLength(5000);
    if (mode === 'append') {
      // Each execution's batch is appended oldest first; the batches follow the reading order.
      expect(new Set(rows)).toEqual(new Set(ch.videos.map((v) => v.id)));
    } else {
      expect(rows).toEqual(ch.videos.map((v) => v.id));
    }
  });

  // Killed at every Spreadsheet call and at every 3rd (upsert) or 5th YouTube call — page reads and
  // videos.list calls alternate, so both kinds are hit at every phase; SYNC_KILL_ALL=1 kills at every
  // call (about 280 scenarios per mode, a few minutes).
  test('killed at every port call in turn: no duplicate row, no lost video', () => {
    const { e: probe } = setup(mode);
    const { calls: total, sheetCalls } = syncWithKill(probe, null, null);
    expect(total).toBeGreaterThan(200);
    const stride = process.env.SYNC_KILL_ALL === '1' ? 1 : mode === 'upsert' ? 3 : 5;
    const points = Array.from({ length: total }, (_, i) => i + 1).filter((k) => k % stride === 0 || sheetCalls.includes(k));
    for (const killAt of points) {
      const { e, ch } = setup(mode);
      syncWithKill(e, killAt, null);
      expectAllOnce(e, ch);
    }
  }, 600_000);

  test('the state save lost after any execution: no duplicate row, no lost video', () => {
    for (let lost = 0; lost < 8; lost++) {
      const { e, ch } = setup(mode);
      syncWithKill(e, null, lost);
      expectAllOnce(e, ch);
    }
  });
});
