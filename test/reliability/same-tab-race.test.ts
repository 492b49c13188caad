/**
 * Same-tab race sweep (issue 16): jobs A (@alpha) and B (@beta) write one tab — named alike, or
 * differing only by case — both synced once, then new uploads on both channels. For every pause
 * point of A's run (each service call of its execution: a tick running A's scheduled occurrence, or
 * an API "run now" of A), A is held there while B runs on one path (its own tick, run now through
 * the API and through google.script.run, the menu's "Sync this tab now", a retry, a catch-up after
 * downtime); then A is released, everything finishes, both jobs run once more, and the tab must hold
 * every video of both channels exactly once with each job's watermark on its channel's newest video.
 *
 * Meanwhile job C (another tab) runs now through the API, so the history and audit tabs grow and are
 * trimmed between A's two locked phases: the spreadsheet has a long history at its retention, with
 * grids ending at the last rows, and a row an earlier killed execution left in C's journal, which
 * A's first locked phase appends. No earlier history or audit row may be lost, none written twice,
 * no append may fail and no blank row may be left inside the log tabs.
 *
 * The built bundle runs in the local runtime with zero latency, each execution on its own worker
 * thread; C's and then B's execution go as far as they can while A is held (to their end, or parked
 * on the script lock A holds). Only distinct pause points are tested (see distinctPoints).
 */
import type { ExecutionResult, Runtime, RuntimeSnapshot } from '../../emulator';
import type { ServiceCallInfo } from '../../emulator';
import {
  type HistoryRow,
  addUploads,
  API_KEY,
  buildTestBundle,
  channelVideoIds,
  callsOf,
  createJob,
  duplicates,
  gridAtLastRow,
  logGaps,
  lostLogRows,
  seedOldLogRows,
  historyRows,
  auditRows,
  importKey,
  jobRows,
  mustUseCase,
  newRuntime,
  OWNER,
  printTable,
  removeBundle,
  tabVideoIds,
} from './support';

jest.setTimeout(600_000);

const PATHS = ['tick', 'api', 'rpc', 'menu', 'retry', 'catch-up'] as const;
type Path = (typeof PATHS)[number];
const VARIANTS = [
  { name: 'same name', tabB: 'Shared' },
  { name: 'case differs', tabB: 'shared' },
] as const;
type Variant = (typeof VARIANTS)[number];
/** How A's run starts: its scheduled occurrence in a tick, or a run now through the API. */
type AMode = 'tick' | 'run now';

/** Calls that only hand out an object: they read and change nothing (see the module comment). */
const HANDLE_ONLY = new Set([
  'PropertiesService.getScriptProperties',
  'LockService.getScriptLock',
  'CacheService.getScriptCache',
  'SpreadsheetApp.getActiveSpreadsheet',
  'SpreadsheetApp.getActive',
  'SpreadsheetApp.Sheet.getRange',
  'ScriptApp.newTrigger',
  'ScriptApp.TriggerBuilder.timeBased',
  'Session.getEffectiveUser',
  'Session.getActiveUser',
]);

const LOCK_TAKEN = new Set(['LockService.Lock.tryLock', 'LockService.Lock.waitLock']);
/** Calls whose effect (or whose read) other executions' steps before the lock can meet. */
const SEEN_BY_OTHERS = ['PropertiesService.Properties.', 'CacheService.Cache.', 'SpreadsheetApp.flush'];

interface Scenario {
  aMode: AMode;
  path: Path;
  variant: Variant;
  snapshot: RuntimeSnapshot;
  a: string;
  b: string;
  c: string;
  /** When A's run starts, and when B's execution starts (while A is held). */
  t0: number;
  t1: number;
  /** The calls of A's execution run undisturbed, by name. */
  aCalls: string[];
  /** Ids of the history and audit rows stored at the start. */
  historyBefore: string[];
  auditBefore: string[];
}

let dir = '';
beforeAll(async () => {
  dir = await buildTestBundle();
}, 120_000);
afterAll(() => removeBundle(dir));

const DAY = '2026-01-06';
/** Data rows in each log tab at the start: one append short of the trim at 120 (retention 100). */
const RETENTION_EDGE = 119;
const at = (hms: string): number => Date.parse(`${DAY}T${hms}Z`);

function jobOf(rt: Runtime, id: string) {
  const row = jobRows(rt).find((r) => r.id === id);
  if (!row) throw new Error(`job ${id} not in the jobs tab`);
  return row;
}

async function buildScenario(aMode: AMode, path: Path, variant: Variant): Promise<Scenario> {
  const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z' });
  try {
    importKey(rt);
    mustUseCase(rt, 'updateSettings', { run_history_rows: 100, audit_rows: 100 }, OWNER);
    // Statistics refreshed on every run: a run rewrites the rows it finds at the positions it read
    // (another writer shifting them meanwhile would make it overwrite the wrong rows).
    const daily = { schedule_type: 'daily', timezone: 'UTC', target_sheet_id: '', stats_refresh: 'every_run' };
    // A run now: A's own schedule stays out of the way too.
    const a = createJob(rt, {
      ...daily,
      name: 'A',
      channels: ['@alpha'],
      schedule_value: aMode === 'tick' ? '09:00' : '09:20',
      target_tab_name: 'Shared',
    });
    const b = createJob(rt, {
      ...daily,
      name: 'B',
      channels: ['@beta'],
      // Run-now paths: B's own schedule stays out of the way (09:20, after the sweep's last run).
      schedule_value: path === 'retry' ? '08:50' : path === 'tick' || path === 'catch-up' ? '09:01' : '09:20',
      target_tab_name: variant.tabB,
      // Any lateness makes the 09:01 occurrence a catch-up run.
      ...(path === 'catch-up' ? { misfire_grace_minutes: 0 } : {}),
      // The retry falls due a few minutes after A's tick (first delay 15 min ± 25 % from 08:50).
      ...(path === 'retry' ? { retry_backoff_minutes: 15, max_retries: 3 } : {}),
    });
    // C writes another tab; it runs now (through the API) while A is held, appending to the history
    // and audit tabs between A's two locked phases.
    const c = createJob(rt, { ...daily, name: 'C', channels: ['@alpha'], schedule_value: '09:20', target_tab_name: 'Other' });
    // Synced once, then new uploads on both channels.
    mustUseCase(rt, 'runNow', a, OWNER);
    mustUseCase(rt, 'runNow', b, OWNER);
    addUploads(rt, '@alpha', 3, '2026-01-05T20:00:00Z', 'new');
    addUploads(rt, '@beta', 3, '2026-01-05T21:00:00Z', 'new');
    let t0 = at('09:00:30');
    let t1 = t0 + 5_000;
    if (path === 'tick') t1 = at('09:01:30');
    if (path === 'catch-up') t1 = at('09:02:00');
    if (path === 'retry') {
      // B's 08:50 run fails on a YouTube backend error: a retry is planned.
      rt.clock.set(at('08:50:10'));
      rt.youtube.injectFault({ kind: 'backendError', times: 50 });
      const failed = rt.run('tick');
      rt.youtube.clearFaults();
      if (!failed.ok) throw new Error(`failing tick: ${failed.error?.message}`);
      const retryAt = Date.parse(jobOf(rt, b).state?.planner.retry_at ?? '');
      if (!(retryAt > t0)) throw new Error(`retry of B planned at ${new Date(retryAt).toISOString()}, not after A's tick`);
      t0 = Math.max(t0, retryAt - 60_000);
      t1 = retryAt + 1_000;
    }
    // C's first run was killed after its record was stored, before its history row was appended: the
    // row waits in C's journal, and A's tick appends it in its claim phase (its first history write).
    const runC = ['runNow', [c, OWNER]];
    const cCalls = await callsOf(dir, rt, 'testCall', runC);
    const stores = cCalls.flatMap((name, i) => (name === 'PropertiesService.Properties.setProperties' ? [i + 1] : []));
    // The record phase writes the properties, then the jobs tab (state and journal), appends, then
    // stores the log mark: killed at the call after its jobs-tab write.
    const recordProperties = stores.at(-2)!;
    const tableWrite = cCalls.findIndex((name, i) => i + 1 > recordProperties && name === 'SpreadsheetApp.Range.setValues') + 1;
    rt.killAt(tableWrite + 1, { fn: 'testCall' });
    const killed = rt.run('testCall', ...runC);
    if (!killed.killed || !jobOf(rt, c).journal.includes('"runs":[{') || historyRows(rt).some((r) => r.job_id === c))
      throw new Error('C was not killed between its record and its append');
    // A spreadsheet with a long history at its retention (100 rows, trimmed at 120): the runs tab
    // reaches 120 rows with A's first append, so C's append during the race trims it. The log tabs'
    // grids end at their last rows (Sheets grows them only as rows are appended past 1,000).
    seedOldLogRows(rt, '_y2s_runs', RETENTION_EDGE - historyRows(rt).length);
    seedOldLogRows(rt, '_y2s_audit', RETENTION_EDGE - auditRows(rt).length);
    gridAtLastRow(rt, '_y2s_runs');
    gridAtLastRow(rt, '_y2s_audit');
    rt.clock.set(t0);
    const snapshot = rt.snapshot();
    // A's execution undisturbed: the pause points.
    const probe = newRuntime(dir, { state: snapshot });
    const aCalls: string[] = [];
    const ran = await startA(probe, aMode, a, (call) => void aCalls.push(call.name));
    await probe.close();
    if (!ran.ok) throw new Error(`A's ${aMode}: ${ran.error?.message}`);
    // Undisturbed, A's execution runs A (its 09:00 occurrence, or the API run) and nothing of B's.
    const ranJobs = historyRows(probe)
      .filter((r) => Date.parse(r.started_at) >= t0)
      .map((r) => `${r.job_id === a ? 'A' : 'B'} ${r.trigger} ${r.status}`);
    if (ranJobs.join() !== `A ${aMode === 'tick' ? 'schedule' : 'api'} succeeded`)
      throw new Error(`A's ${aMode} ran ${ranJobs.join(', ')}`);
    return {
      aMode,
      path,
      variant,
      snapshot,
      a,
      b,
      c,
      t0,
      t1,
      aCalls,
      historyBefore: historyRows(rt).map((r) => r.run_id),
      auditBefore: auditRows(rt).map((r) => r.id),
    };
  } finally {
    await rt.close();
  }
}

/**
 * The distinct pause points (1-based call numbers). A point before a handle-only call is the point
 * before the call after it. While A holds the script lock, B and C get no further than the lock
 * (their pre-lock steps read and write only properties and the cache; sheet writes under A's lock
 * reach the spreadsheet at its flush): there a point is distinct only right after A took the lock
 * and after each call of A that touches what they see (properties, cache, flush).
 */
function distinctPoints(calls: string[]): number[] {
  const points: number[] = [];
  let locked = false;
  calls.forEach((name, i) => {
    const previous = calls[i - 1];
    const distinct =
      previous === undefined ||
      (!HANDLE_ONLY.has(previous) && (!locked || LOCK_TAKEN.has(previous) || SEEN_BY_OTHERS.some((prefix) => previous.startsWith(prefix))));
    if (distinct) points.push(i + 1);
    if (LOCK_TAKEN.has(name)) locked = true;
    if (name === 'LockService.Lock.releaseLock') locked = false;
  });
  return points;
}

function startB(rt: Runtime, s: Scenario): Promise<ExecutionResult> {
  switch (s.path) {
    case 'tick':
    case 'retry':
    case 'catch-up':
      return rt.runAsync('tick', [], { kind: 'trigger' });
    case 'api':
      return runNowByApi(rt, s.b);
    case 'rpc':
      return rt.scriptRunAsync('runJobNow', [s.b]);
    case 'menu': {
      // The user looks at the shared tab and picks "Sync this tab now".
      const ss = rt.spreadsheets.get(rt.spreadsheetId)!;
      ss.activeSheetId = ss.sheets.find((sh) => sh.name === 'Shared')!.id;
      return rt.runAsync('syncActiveTab', [], { kind: 'run' });
    }
  }
}

/** Resolves once each of `executions` ended or is parked on a lock (none can move until A is released). */
async function settledOrParked(rt: Runtime, executions: Promise<unknown>[]): Promise<void> {
  let done = 0;
  for (const e of executions) void e.finally(() => done++);
  while (done + rt.world.locks.waiting() < executions.length) await new Promise((r) => setTimeout(r, 1));
}

function runNowByApi(rt: Runtime, id: string, beforeCall?: (call: ServiceCallInfo) => Promise<void> | void): Promise<ExecutionResult> {
  // The answer's envelope replaces the execution's value (a TextOutput).
  return rt
    .webRequestAsync(
      { method: 'POST', pathInfo: `api/v1/jobs/${id}/execute`, query: { key: API_KEY }, body: '{}', contentType: 'application/json' },
      { beforeCall },
    )
    .then(({ result, response }) => ({ ...result, value: response?.json }));
}

function startA(
  rt: Runtime,
  mode: AMode,
  a: string,
  beforeCall: (call: ServiceCallInfo) => Promise<void> | void,
): Promise<ExecutionResult> {
  return mode === 'tick' ? rt.runAsync('tick', [], { kind: 'trigger', beforeCall }) : runNowByApi(rt, a, beforeCall);
}

/**
 * Whether B's path really ran B (at once, or queued and run later): a succeeded run of B other than
 * the final "once more" run, for the occurrence the path serves (a run-now request may be served by
 * the scheduled run that starts after it: one run, started after the request).
 */
function servedB(s: Scenario, row: HistoryRow): boolean {
  if (row.job_id !== s.b || row.status !== 'succeeded') return false;
  if (s.path === 'tick' || s.path === 'catch-up') return row.scheduled_for === `${DAY}T09:01:00.000Z`;
  if (s.path === 'retry') return row.scheduled_for === `${DAY}T08:50:00.000Z`;
  return (row.trigger === 'api' || row.trigger === 'manual') && Date.parse(row.started_at) >= s.t1;
}

interface PointResult {
  bad: string[];
}

async function sweepPoint(s: Scenario, point: number): Promise<PointResult> {
  const rt = newRuntime(dir, { state: s.snapshot });
  const bad: string[] = [];
  try {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atPoint = new Promise<void>((r) => (reached = r));
    let n = 0;
    const holdA = async (_c: ServiceCallInfo): Promise<void> => {
      if (++n !== point) return;
      reached();
      await gate;
    };
    const runA = startA(rt, s.aMode, s.a, holdA);
    await Promise.race([atPoint, runA]);
    rt.clock.set(s.t1);
    // First C (another tab), then B, each as far as it can go while A is held.
    const runC = runNowByApi(rt, s.c);
    await settledOrParked(rt, [runC]);
    const runB = startB(rt, s);
    await settledOrParked(rt, [runC, runB]);
    release();
    const [ra, rb, rc] = await Promise.all([runA, runB, runC]);
    const logs = [...ra.logs, ...rb.logs, ...rc.logs];
    if (!ra.ok) bad.push(`A's ${s.aMode} failed: ${ra.error?.message}`);
    if (s.aMode === 'run now' && !(ra.value as { ok?: boolean } | undefined)?.ok)
      bad.push(`A's API run now answered ${JSON.stringify(ra.value).slice(0, 200)}`);
    const cRun = (rc.value as { ok?: boolean; data?: { run_id: string; status: string } } | undefined)?.data;
    if (!rc.ok || cRun?.status !== 'succeeded') bad.push(`C's API run now: ${rc.error?.message ?? JSON.stringify(rc.value).slice(0, 200)}`);
    if (!rb.ok) bad.push(`B's ${s.path} failed: ${rb.error?.message}`);
    if (s.path === 'api' && !(rb.value as { ok?: boolean } | undefined)?.ok)
      bad.push(`B's API run now answered ${JSON.stringify(rb.value).slice(0, 200)}`);
    if (s.path === 'rpc' && !(rb.value as { ok?: boolean } | undefined)?.ok)
      bad.push(`B's runJobNow answered ${JSON.stringify(rb.value).slice(0, 200)}`);
    const menuAlert = s.path === 'menu' ? rt.ui.events.filter((e) => e.kind === 'alert').at(-1) : undefined;
    if (s.path === 'menu' && !(menuAlert?.kind === 'alert' && /Synced/.test(menuAlert.message)))
      bad.push(`menu said ${JSON.stringify(menuAlert).slice(0, 200)}`);

    // Everything finishes (leases long expired, queued runs picked up), then both run once more.
    rt.clock.set(s.t1 + 8 * 60_000);
    const settle = rt.run('tick');
    logs.push(...settle.logs);
    if (!settle.ok) bad.push(`settling tick failed: ${settle.error?.message}`);
    const onceMore = new Set<string>();
    for (const id of [s.a, s.b]) {
      const again = rt.run<{ value?: { run_id: string; status: string }; error?: { code: string } }>('testCall', 'runNow', [id, OWNER]);
      if (!again.ok || again.value?.error || again.value?.value?.status !== 'succeeded')
        bad.push(`run once more of ${id}: ${again.error?.message ?? again.value?.error?.code ?? again.value?.value?.status}`);
      onceMore.add(again.value?.value?.run_id ?? '');
      logs.push(...again.logs);
    }
    rt.clock.set(s.t1 + 10 * 60_000);
    logs.push(...rt.run('tick').logs);

    const ids = tabVideoIds(rt, 'Shared');
    const expected = new Set([...channelVideoIds(rt, '@alpha'), ...channelVideoIds(rt, '@beta')]);
    const missing = [...expected].filter((id) => !ids.includes(id));
    const dup = duplicates(ids);
    const extra = ids.filter((id) => !expected.has(id));
    if (missing.length) bad.push(`${missing.length} video(s) missing`);
    if (dup.length) bad.push(`${dup.length} video(s) twice`);
    if (extra.length) bad.push(`${extra.length} unknown row(s)`);
    for (const [id, handle] of [
      [s.a, '@alpha'],
      [s.b, '@beta'],
    ] as const) {
      const sync = jobOf(rt, id).sync;
      const entries = Object.values(sync?.ch ?? {});
      const newest = channelVideoIds(rt, handle)[0];
      if (entries.length !== 1 || entries[0]![1] !== newest)
        bad.push(`watermark of ${handle} is ${entries[0]?.[1] ?? 'none'}, newest is ${newest}`);
      if (sync?.cp) bad.push(`${handle}: a checkpoint is left`);
    }
    const other = tabVideoIds(rt, 'Other');
    const alpha = channelVideoIds(rt, '@alpha');
    if (other.length !== alpha.length || alpha.some((id) => !other.includes(id)))
      bad.push(`tab Other holds ${other.length} rows for ${alpha.length} videos`);
    // History and audit: every row stored before is still there, each new row once.
    const history = historyRows(rt);
    const { historyBefore, auditBefore } = s;
    const runIds = history.map((r) => r.run_id);
    const auditIds = auditRows(rt).map((r) => r.id);
    const lostRuns = lostLogRows(historyBefore, runIds);
    const lostAudit = lostLogRows(auditBefore, auditIds);
    for (const tab of ['_y2s_runs', '_y2s_audit']) if (logGaps(rt, tab)) bad.push(`${logGaps(rt, tab)} blank row(s) inside ${tab}`);
    const appendErrors = logs.filter((line) => /could not be written|Log mark not stored/.test(line));
    if (appendErrors.length) bad.push(`append failed: ${appendErrors[0]!.slice(0, 300)}`);
    if (lostRuns) bad.push(`${lostRuns} earlier history row(s) lost`);
    if (lostAudit) bad.push(`${lostAudit} earlier audit row(s) lost`);
    const twice = duplicates(runIds);
    if (twice.length) bad.push(`${twice.length} run row(s) twice`);
    if (duplicates(auditIds).length) bad.push(`${duplicates(auditIds).length} audit row(s) twice`);
    // C's first run (journaled by the killed execution) and its run during the race are in the history.
    const cRows = history.filter((r) => r.job_id === s.c);
    if (cRows.length !== 2 + 0 || (cRun && !runIds.includes(cRun.run_id))) bad.push(`C has ${cRows.length} history row(s), expected 2`);
    // A's run (its 09:00 occurrence — or a menu sync that ran A first, a run now serving it — or its
    // API run, at once or queued behind B) is in the history.
    if (!history.some((r) => r.job_id === s.a && !onceMore.has(r.run_id) && r.status === 'succeeded' && Date.parse(r.started_at) >= s.t0))
      bad.push(`A's run is not in the history`);
    if (!history.some((r) => !onceMore.has(r.run_id) && servedB(s, r))) bad.push(`B's ${s.path} never ran B`);
    if (process.env.SWEEP_DEBUG) console.log(JSON.stringify({ point, history, audit: auditRows(rt), b: jobOf(rt, s.b).state }, null, 1));
  } finally {
    await rt.close();
  }
  return { bad };
}

test('same-tab race: every distinct pause point of A (tick, run now) × every path of B, two tab spellings → 0 bad points', async () => {
  const table: Record<string, string | number>[] = [];
  const failures: string[] = [];
  // A's tick with both tab spellings; A's API run now with the spelling that differs by case.
  const combos = [...VARIANTS.map((variant) => ({ aMode: 'tick' as AMode, variant })), { aMode: 'run now' as AMode, variant: VARIANTS[1] }];
  for (const { aMode, variant } of combos) {
    for (const path of PATHS) {
      if (process.env.SWEEP_PATH && process.env.SWEEP_PATH !== path) continue;
      const s = await buildScenario(aMode, path, variant);
      const points = distinctPoints(s.aCalls).filter((_p, i) => !process.env.SWEEP_STRIDE || i % Number(process.env.SWEEP_STRIDE) === 0);
      let badPoints = 0;
      for (const p of points) {
        const { bad } = await sweepPoint(s, p);
        if (bad.length > 0) {
          badPoints++;
          if (failures.length < 30)
            failures.push(`A ${aMode} / ${variant.name} / ${path} / pause before call ${p} (${s.aCalls[p - 1]}): ${bad.join('; ')}`);
        }
      }
      table.push({
        A: aMode,
        'B tab': variant.name,
        'B path': path,
        'A calls': s.aCalls.length,
        'pause points': points.length,
        'bad points': badPoints,
      });
    }
  }
  printTable('same-tab race sweep: A held at each distinct pause point while B runs on each path (C appends on another tab)', table);
  if (failures.length) console.log(failures.join('\n'));
  expect(failures).toEqual([]);
});
