/**
 * Buffered spreadsheet writes through the built bundle (build/Code.js): executions overlap (worker
 * threads, interleaved at service calls) and each one's writes reach the spreadsheet only at
 * SpreadsheetApp.flush() or when it ends. The history and audit rows are appended at lastRow() under
 * the script lock; withLock flushes before releasing it, so no row is lost or overwritten.
 */
import { createRuntime, type Runtime, type ServiceCallInfo } from '../../../emulator';

type Result<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

const JOB = {
  name: 'Daily Sync',
  channels: ['@tinycooking'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  target_tab_name: 'Videos',
};

function text(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v ?? '');
}

function tabRows(rt: Runtime, tab: string): string[][] {
  if (!rt.spreadsheets.sheet(rt.spreadsheetId, tab)) return [];
  return rt.spreadsheets
    .values(rt.spreadsheetId, tab)
    .slice(1)
    .map((r) => r.map(text))
    .filter((r) => r[0] !== '');
}

/** Holds an execution at the service call right after its first `after` call, until released. */
function holdAfter(after: string) {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const atGate = new Promise<void>((r) => (reached = r));
  let seen = false;
  let held = false;
  const beforeCall = async (call: ServiceCallInfo) => {
    if (seen && !held) {
      held = true;
      reached();
      await gate;
    }
    if (call.name === after) seen = true;
  };
  return { beforeCall, atGate, release };
}

function ok<T>(r: { ok: boolean; value?: unknown; error?: { message: string } }): T {
  if (!r.ok) throw new Error(`execution failed: ${r.error?.message}`);
  const res = r.value as Result<T>;
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res.data;
}

describe('overlapping executions with buffered sheet writes (built bundle)', () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = createRuntime();
  });
  afterEach(async () => {
    await rt.close();
  });

  it("a run holding uncommitted work outside the lock loses no audit or history row to another execution's appends", async () => {
    const created = ok<{ job: { id: string } }>(rt.run('createJob', JOB));
    const id = created.job.id;

    // A: "run now" appends job.run_now to the audit tab under the lock, releases it and goes on to sync;
    // it is held at its first call after the release, alive: only the flush before the release can
    // have published its row.
    const holdA = holdAfter('LockService.Lock.releaseLock');
    const a = rt.runAsync('runJobNow', [id], { beforeCall: holdA.beforeCall });
    await holdA.atGate;
    expect(tabRows(rt, '_y2s_audit').map((r) => r[2])).toEqual(['job.create', 'job.run_now']);

    // B and C: two more jobs created (audit rows appended at lastRow()) while A is held.
    const b = await rt.runAsync('createJob', [{ ...JOB, name: 'Second', target_tab_name: 'Second' }]);
    const c = await rt.runAsync('createJob', [{ ...JOB, name: 'Third', target_tab_name: 'Third' }]);
    ok(b);
    ok(c);
    holdA.release();
    ok(await a);

    const audit = tabRows(rt, '_y2s_audit').map((r) => `${r[2]} ${r[3]}`);
    expect(audit.filter((x) => x.startsWith('job.create'))).toHaveLength(3);
    expect(audit).toContain(`job.run_now ${id}`);
    expect(audit).toHaveLength(4);
    const runs = tabRows(rt, '_y2s_runs');
    expect(runs.map((r) => r[1])).toEqual([id]);
  });

  it('several executions racing for the lock append every audit row once, in lock order', async () => {
    const names = ['One', 'Two', 'Three', 'Four', 'Five'];
    const results = await Promise.all(names.map((name) => rt.runAsync('createJob', [{ ...JOB, name, target_tab_name: name }])));
    results.forEach((r) => ok(r));
    const audit = tabRows(rt, '_y2s_audit');
    expect(audit.map((r) => r[2])).toEqual(names.map(() => 'job.create'));
    expect(new Set(audit.map((r) => r[3])).size).toBe(names.length);
  });
});
