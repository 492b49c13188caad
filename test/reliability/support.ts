/**
 * Shared by the reliability sweeps: the built bundle (product code plus the test entry's `testCall`),
 * a small two-channel dataset, runtimes restored from snapshots (zero latency: the virtual clock moves
 * only when a test sets it), and readers of what the product stores (the jobs tab, the history and
 * audit tabs, a target tab's video ids).
 */
import type { Runtime, RuntimeSnapshot } from '../../emulator';
import { createRuntime } from '../../emulator';
import { channelIdFor, makeDataset, makeVideos } from '../../emulator/youtube/demo-dataset';
import type { YouTubeDataset } from '../../emulator/youtube/dataset';
import { buildTestBundle, removeBundle } from '../integration/app/harness';

export { buildTestBundle, removeBundle };

export const API_KEY = 'y2s_k_0000bbb2_reliabilitySweepKeySecret0001';
export const OWNER = '$owner';

/** Two small channels: every sweep point costs a handful of executions of a few ms each. */
export function sweepDataset(): YouTubeDataset {
  return makeDataset(
    { handle: '@alpha', videos: 5, newestAt: '2026-01-01T00:00:00Z', spacingHours: 30 },
    { handle: '@beta', videos: 5, newestAt: '2026-01-01T06:00:00Z', spacingHours: 30 },
  );
}

export function newRuntime(buildDir: string, init: { start?: string; state?: RuntimeSnapshot }): Runtime {
  return createRuntime({
    buildDir,
    latency: { '*': 0 },
    ...(init.state ? { state: init.state } : { start: init.start, dataset: sweepDataset() }),
  });
}

/** Registers the API key the sweeps use (write scope). */
export function importKey(rt: Runtime): void {
  const r = rt.run('importLocalApiKey_', API_KEY, { name: 'reliability-sweeps', scope: 'write' });
  if (!r.ok) throw new Error(`importLocalApiKey_: ${r.error?.message}`);
}

export type CallOutcome<T> = { value?: T; error?: { status: number; code: string; message: string } };

/** A use case called in-process through the test entry (AppErrors come back as `error`). */
export function useCase<T = unknown>(rt: Runtime, method: string, ...args: unknown[]): CallOutcome<T> {
  const r = rt.run<CallOutcome<T>>('testCall', method, args);
  if (!r.ok) throw new Error(`testCall ${method}: ${r.killed ? 'killed' : r.error?.message}`);
  return r.value!;
}

export function mustUseCase<T = unknown>(rt: Runtime, method: string, ...args: unknown[]): T {
  const r = useCase<T>(rt, method, ...args);
  if (r.error) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

export function createJob(rt: Runtime, config: Record<string, unknown>): string {
  return mustUseCase<{ job: { id: string } }>(rt, 'createJob', config, OWNER).job.id;
}

/** `count` new public uploads on a channel, published at `at` minus i minutes. */
export function addUploads(rt: Runtime, handle: string, count: number, at: string, batch: string): void {
  const videos = makeVideos({ seed: `${handle}:${batch}`, count, newestAt: at, spacingHours: 1 / 60 });
  rt.youtube.addVideos(channelIdFor(handle), videos);
}

/** Ids of a channel's public videos, newest first (what a complete sync holds). */
export function channelVideoIds(rt: Runtime, handle: string): string[] {
  const channel = rt.youtube.getDataset().channels.find((c) => c.handle === handle);
  if (!channel) throw new Error(`no channel ${handle}`);
  return channel.videos.filter((v) => (v.privacy ?? 'public') === 'public' && !v.deleted).map((v) => v.id);
}

function text(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v ?? '');
}

function tabValues(rt: Runtime, tab: string): unknown[][] {
  return rt.spreadsheets.sheet(rt.spreadsheetId, tab) ? rt.spreadsheets.values(rt.spreadsheetId, tab) : [];
}

/** The video ids of a target tab (column A below the header), in sheet order. */
export function tabVideoIds(rt: Runtime, tab: string): string[] {
  const sheet = rt.spreadsheets.get(rt.spreadsheetId)!.sheets.find((s) => s.name.toLowerCase() === tab.toLowerCase());
  if (!sheet) return [];
  return tabValues(rt, sheet.name)
    .slice(1)
    .map((r) => text(r[0]))
    .filter((id) => id !== '');
}

export interface JobRow {
  id: string;
  definition: { version: number; paused: boolean; config: Record<string, unknown> } | null;
  state: {
    planner: { lease?: { until: string } | null; retry_at?: string | null };
    active: { run_id: string } | null;
    requested: unknown;
  } | null;
  journal: string;
  sync: { ch: Record<string, string[]>; cp?: unknown } | null;
}

function json<T>(raw: string): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** Every row of the jobs tab with an id (live jobs and tombstones). */
export function jobRows(rt: Runtime): JobRow[] {
  return tabValues(rt, '_y2s_jobs')
    .slice(1)
    .filter((r) => text(r[0]) !== '')
    .map((r) => ({
      id: text(r[0]),
      definition: json(text(r[1])),
      state: json(text(r[2])),
      journal: text(r[3]),
      sync: json(text(r[4])),
    }));
}

export interface HistoryRow {
  run_id: string;
  job_id: string;
  scheduled_for: string;
  started_at: string;
  status: string;
  trigger: string;
}

export function historyRows(rt: Runtime): HistoryRow[] {
  return tabValues(rt, '_y2s_runs')
    .slice(1)
    .filter((r) => text(r[0]) !== '')
    .map((r) => ({
      run_id: text(r[0]),
      job_id: text(r[1]),
      scheduled_for: text(r[3]),
      started_at: text(r[4]),
      status: text(r[6]),
      trigger: text(r[7]),
    }));
}

export interface AuditRow {
  at: string;
  actor: string;
  action: string;
  job_id: string;
  changes: string;
  id: string;
}

export function auditRows(rt: Runtime): AuditRow[] {
  return tabValues(rt, '_y2s_audit')
    .slice(1)
    .filter((r) => text(r[0]) !== '')
    .map((r) => ({ at: text(r[0]), actor: text(r[1]), action: text(r[2]), job_id: text(r[3]), changes: text(r[4]), id: text(r[5]) }));
}

/** Values that occur more than once. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

/** Service calls an execution made (its `calls` record, summed). */
export function callTotal(calls: Record<string, number>): number {
  return Object.values(calls).reduce((n, c) => n + c, 0);
}

/** Prints a table (an array of rows with the same keys) so it shows in the test output. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]!);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  const out = [
    title,
    line(keys),
    `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(keys.map((k) => String(r[k])))),
  ];
  console.log(out.join('\n'));
}

/** The service calls `fn(...args)` makes, in order, run on a copy of `rt`'s state (rt is untouched). */
export async function callsOf(
  buildDir: string,
  rt: Runtime,
  fn: string,
  args: unknown[],
  kind: 'run' | 'trigger' | 'web' = 'run',
): Promise<string[]> {
  const copy = newRuntime(buildDir, { state: rt.snapshot() });
  const calls: string[] = [];
  try {
    const r = await copy.runAsync(fn, args, { kind, beforeCall: (c) => void calls.push(c.name) });
    if (!r.ok) throw new Error(`${fn} failed on the copy: ${r.error?.message}`);
  } finally {
    await copy.close();
  }
  return calls;
}

/** Grows nothing: the hidden tab's grid ends at its last row, as it does once a log passed 1,000 rows. */
export function gridAtLastRow(rt: Runtime, tab: string): void {
  const sheet = rt.spreadsheets.sheet(rt.spreadsheetId, tab);
  if (!sheet) throw new Error(`no tab ${tab}`);
  sheet.maxRows = Math.max(2, sheet.rows.length);
}

/**
 * Puts `count` older rows at the top of a log tab (below its header), as a long-used install has:
 * run rows of a job deleted long ago, or audit rows of old settings changes.
 */
export function seedOldLogRows(rt: Runtime, tab: '_y2s_runs' | '_y2s_audit', count: number): void {
  const sheet = rt.spreadsheets.sheet(rt.spreadsheetId, tab);
  if (!sheet) throw new Error(`no tab ${tab}`);
  const text = (v: string) => ({ v, nf: '@' });
  const number = (v: number) => ({ v, nf: '0' });
  const rows = Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.parse('2025-06-01T00:00:00Z') + i * 3_600_000).toISOString();
    return tab === '_y2s_runs'
      ? [
          text(`r_old${i}`),
          text('j_gone'),
          text('Old job'),
          text(at),
          text(at),
          text(at),
          text('succeeded'),
          text('schedule'),
          number(0),
          number(0),
          number(1),
          number(1000),
          text(''),
        ]
      : [text(at), text('system'), text('settings.update'), text(''), text('{}'), text(`a_old${i}`)];
  });
  sheet.rows.splice(1, 0, ...rows);
  sheet.maxRows = Math.max(sheet.maxRows, sheet.rows.length);
}

/** Data rows of a log tab that are blank while a later row is not (a gap an append left). */
export function logGaps(rt: Runtime, tab: string): number {
  const values = tabValues(rt, tab).slice(1);
  let last = values.length - 1;
  while (last >= 0 && values[last]!.every((v) => text(v) === '')) last--;
  return values.slice(0, last + 1).filter((r) => r.every((v) => text(v) === '')).length;
}

/**
 * Rows of `before` missing from `after`, beyond those a retention trim removes (the oldest rows,
 * from the top): once one row of `before` survives, every later one must too.
 */
export function lostLogRows(before: readonly string[], after: readonly string[]): number {
  const present = new Set(after);
  const first = before.findIndex((id) => present.has(id));
  if (first < 0) return 0;
  return before.slice(first).filter((id) => !present.has(id)).length;
}
