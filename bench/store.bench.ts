/**
 * The job store at 100 / 1,000 / 10,000 jobs, through the built bundle in the local runtime (modelled
 * time is the emulator's latency model, Spreadsheet volume included: emulator/latency.ts). Each size:
 * an import of N daily jobs, of which DUE run at 09:00 UTC and the rest later in the day; an idle tick
 * before 09:00; the busy tick at 09:00:30 that runs the DUE jobs; GET /jobs and the sidebar's view.
 * Service calls of the busy tick must not grow with N, only with the runs (the same DUE at every N).
 */
import type { BenchRow } from './run';
import type { Runtime } from '../emulator';
import { MAX_JOBS, JOB_TABLE_COLUMNS } from '../src-server/app/job-table';
import { WORK_BUDGET_MS } from '../src-server/app/runner';
import { buildTestBundle, newRuntime, removeBundle, runRows } from '../test/integration/app/harness';

const SIZES = [100, 1_000, 10_000];
const DUE = 20;
const KEY = 'y2s_k_0000bbb1_storeBenchKeySecret00000000001';
const CELLS_PER_SPREADSHEET = 10_000_000;
const PROPERTY_STORE_BYTES = 500 * 1024;

interface Figures {
  tabBytesPerJob: number;
  propertyBytes: number;
  importMs: number;
  importWallMs: number;
  idleCalls: number;
  idleLockCalls: number;
  busyCalls: number;
  busyTableReads: number;
  busyMs: number;
  busyRuns: number;
  listBytes: number;
  listMs: number;
  sidebarBytes: number;
  sidebarMs: number;
  wallMs: number;
}

function total(calls: Record<string, number>): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

function lockCalls(calls: Record<string, number>): number {
  return Object.entries(calls)
    .filter(([name]) => name.startsWith('LockService'))
    .reduce((n, [, c]) => n + c, 0);
}

/** N daily jobs: the first DUE at 09:00 UTC, the others spread over 10:00–23:59 in a few zones' worth of times. */
export function benchJobs(n: number, due = DUE): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const minute = i < due ? 9 * 60 : 10 * 60 + ((i * 7) % (14 * 60));
    const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    return {
      name: `Bench job ${i}`,
      channels: ['@tinycooking'],
      schedule_type: 'daily',
      schedule_value: hhmm,
      timezone: 'UTC',
      target_tab_name: `Bench ${i % 200}`,
      columns: ['video_id', 'title', 'published_at', 'views'],
    };
  });
}

function tabBytes(rt: Runtime): number {
  const values = rt.spreadsheets.sheet(rt.spreadsheetId, '_y2s_jobs') ? rt.spreadsheets.values(rt.spreadsheetId, '_y2s_jobs') : [];
  let bytes = 0;
  for (const row of values.slice(1))
    for (const v of row) bytes += Buffer.byteLength(v instanceof Date ? v.toISOString() : String(v ?? ''), 'utf8');
  return bytes;
}

function propertyBytes(rt: Runtime): number {
  let bytes = 0;
  for (const [k, v] of Object.entries(rt.properties.script)) {
    // API keys are the web API's, not the store's.
    if (k.startsWith('api.')) continue;
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  return bytes;
}

async function measure(dir: string, n: number): Promise<Figures> {
  const wall0 = Date.now();
  const rt = newRuntime(dir, { start: '2026-01-05T00:00:00Z' });
  try {
    if (!rt.run('importLocalApiKey_', KEY, { name: 'bench', scope: 'read' }).ok) throw new Error('bench: API key not imported');
    const t0 = Date.now();
    const imported = rt.run<{ value?: { created: string[] }; error?: { message: string } }>('testCall', 'importJobs', [
      JSON.stringify(benchJobs(n)),
      'json',
      '$owner',
    ]);
    const importWallMs = Date.now() - t0;
    if (!imported.ok || imported.value?.error)
      throw new Error(`bench: import of ${n} failed: ${imported.error?.message ?? imported.value?.error?.message}`);
    if (imported.value?.value?.created.length !== n)
      throw new Error(`bench: import created ${imported.value?.value?.created.length}, not ${n}`);

    rt.clock.set(new Date('2026-01-05T08:00:00Z'));
    const idle = rt.run('tick');
    const beforeRuns = runRows(rt).length;
    rt.clock.set(new Date('2026-01-05T09:00:30Z'));
    const busy = rt.run('tick');
    if (!busy.ok) throw new Error(`bench: busy tick failed: ${busy.error?.message}`);
    const busyRuns = runRows(rt).length - beforeRuns;

    const list = rt.webRequest({ method: 'GET', pathInfo: 'api/v1/jobs', query: { key: KEY } });
    const sidebar = rt.scriptRun('sidebarView');
    if (!sidebar.ok) throw new Error(`bench: sidebarView failed: ${sidebar.error?.message}`);
    return {
      tabBytesPerJob: Math.round(tabBytes(rt) / n),
      propertyBytes: propertyBytes(rt),
      importMs: imported.elapsedMs,
      importWallMs,
      idleCalls: total(idle.calls),
      idleLockCalls: lockCalls(idle.calls),
      busyCalls: total(busy.calls),
      busyTableReads: busy.calls['SpreadsheetApp.Range.getValues'] ?? 0,
      busyMs: busy.elapsedMs,
      busyRuns,
      listBytes: Buffer.byteLength(list.response?.body ?? '', 'utf8'),
      listMs: list.result.elapsedMs,
      sidebarBytes: Buffer.byteLength(JSON.stringify(sidebar.value ?? null), 'utf8'),
      sidebarMs: sidebar.elapsedMs,
      wallMs: Date.now() - wall0,
    };
  } finally {
    await rt.close();
  }
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const kb = (v: number): string => (v / 1024).toFixed(1);
const sec = (ms: number): string => (ms / 1000).toFixed(1);

export default async function bench(): Promise<BenchRow[]> {
  const dir = await buildTestBundle();
  const all: Figures[] = [];
  try {
    for (const n of SIZES) all.push(await measure(dir, n));
  } finally {
    removeBundle(dir);
  }
  const each = (f: (x: Figures) => string): string => all.map(f).join(' / ');
  const perJobGrowth = (all[all.length - 1]!.propertyBytes - all[0]!.propertyBytes) / (SIZES[SIZES.length - 1]! - SIZES[0]!);
  const busyShare = all[all.length - 1]!.busyMs / WORK_BUDGET_MS;
  const extraPerThousand = (all[all.length - 1]!.busyMs - all[0]!.busyMs) / ((SIZES[SIZES.length - 1]! - SIZES[0]!) / 1000);
  return [
    { name: 'jobs stored (the figures below are given for each, in this order)', value: SIZES.map(int).join(' / '), unit: 'jobs' },
    { name: 'jobs tab: bytes per job (all 5 cells, after import and one run of 20)', value: each((x) => int(x.tabBytesPerJob)), unit: 'B' },
    { name: 'jobs tab: cells per job', value: each(() => String(JOB_TABLE_COLUMNS.length)), unit: 'cells' },
    {
      name: 'jobs tab: most jobs it holds',
      value: int(MAX_JOBS),
      unit: 'jobs',
      goal: `admission limit (MAX_JOBS); the 10M-cell sheet would hold ${int(CELLS_PER_SPREADSHEET / JOB_TABLE_COLUMNS.length)} rows`,
    },
    { name: 'script properties: bytes in all (coordination, API keys excluded)', value: each((x) => int(x.propertyBytes)), unit: 'B' },
    {
      name: 'script properties: bytes per job / most jobs they hold',
      value: `${perJobGrowth.toFixed(2)} / ${perJobGrowth > 0.01 ? int(PROPERTY_STORE_BYTES / perJobGrowth) : 'no limit'}`,
      unit: 'B / jobs',
      goal: 'does not grow with jobs',
    },
    { name: `import of N jobs: modelled time`, value: each((x) => sec(x.importMs)), unit: 's', goal: '< 360 (one execution)' },
    { name: `import of N jobs: wall time (this machine)`, value: each((x) => sec(x.importWallMs)), unit: 's' },
    { name: 'idle tick: service calls', value: each((x) => String(x.idleCalls)), unit: 'calls', goal: '<= 2' },
    { name: 'idle tick: lock calls', value: each((x) => String(x.idleLockCalls)), unit: 'calls', goal: '0' },
    { name: `busy tick (${DUE} due): runs completed`, value: each((x) => String(x.busyRuns)), unit: 'runs', goal: String(DUE) },
    { name: `busy tick (${DUE} due): service calls`, value: each((x) => int(x.busyCalls)), unit: 'calls', goal: 'same at every N' },
    {
      name: `busy tick (${DUE} due): getValues calls`,
      value: each((x) => String(x.busyTableReads)),
      unit: 'calls',
      goal: 'same at every N',
    },
    {
      name: `busy tick (${DUE} due): modelled time`,
      value: each((x) => sec(x.busyMs)),
      unit: 's',
      goal: `< ${sec(WORK_BUDGET_MS)} (work budget)`,
    },
    {
      name: `busy tick: modelled time added per 1,000 stored jobs / share of the budget at ${int(SIZES[SIZES.length - 1]!)}`,
      value: `${sec(extraPerThousand)} / ${(busyShare * 100).toFixed(0)} %`,
      unit: 's / %',
    },
    { name: 'GET /jobs (first page): payload / modelled time', value: each((x) => `${kb(x.listBytes)} KB ${sec(x.listMs)} s`), unit: '' },
    {
      name: 'sidebarView: payload / modelled time',
      value: each((x) => `${kb(x.sidebarBytes)} KB ${sec(x.sidebarMs)} s`),
      unit: '',
      goal: 'payload < 64 KB',
    },
    { name: 'bench wall time per size (this machine)', value: each((x) => sec(x.wallMs)), unit: 's' },
  ];
}
