import type { Runtime, ServiceCallInfo } from '../../emulator';
import { scriptRuntime } from './helpers';

const code = `
function critical(tag) {
  var lock = LockService.getScriptLock();
  lock.waitLock(10000);
  var p = PropertiesService.getScriptProperties();
  var n = Number(p.getProperty('n') || 0);
  p.setProperty('log', (p.getProperty('log') || '') + tag + '+');
  p.setProperty('n', String(n + 1));
  p.setProperty('log', p.getProperty('log') + tag + '-');
  lock.releaseLock();
  return n + 1;
}
function unlocked(tag) {
  var p = PropertiesService.getScriptProperties();
  var n = Number(p.getProperty('n') || 0);
  p.setProperty('n', String(n + 1));
  p.setProperty('by', tag);
}
function tryIt() { return LockService.getScriptLock().tryLock(1000); }
function now() { return new Date().toISOString(); }
function localNow() { return new Date().toString(); }
`;

/** Holds an execution at the first service call matching `name` until `release()` is called. */
function holdAt(name: string) {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const atGate = new Promise<void>((r) => (reached = r));
  let held = false;
  const beforeCall = async (call: ServiceCallInfo) => {
    if (!held && call.name === name) {
      held = true;
      reached();
      await gate;
    }
  };
  return { beforeCall, atGate, release };
}

async function until(cond: () => boolean): Promise<void> {
  // Polls (worker start-up takes a while on a busy machine); the deadline only guards against hangs.
  for (let i = 0; i < 4000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error('condition never became true');
}

describe('overlapping executions (worker threads)', () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = scriptRuntime(code, { latency: { '*': 0 } });
  });
  afterEach(async () => {
    await rt.close();
  });

  it('gives real mutual exclusion with LockService', async () => {
    const holdA = holdAt('PropertiesService.Properties.getProperty');
    const a = rt.runAsync('critical', ['A'], { beforeCall: holdA.beforeCall });
    await holdA.atGate; // A holds the lock and is paused inside its critical section
    const b = rt.runAsync('critical', ['B']);
    await until(() => rt.world.locks.waiting() === 1); // B is parked in waitLock (only its worker blocks)
    expect(rt.properties.script.log).toBeUndefined();
    // The state owner stays responsive: an in-process run works meanwhile, and cannot get the lock.
    expect(rt.run('tryIt').value).toBe(false);
    holdA.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.ok, rb.ok]).toEqual([true, true]);
    expect(rt.properties.script.log).toBe('A+A-B+B-');
    expect(rt.properties.script.n).toBe('2');
    expect([ra.value, rb.value]).toEqual([1, 2]);
  });

  it('times waitLock out on the virtual clock with Apps Script message', async () => {
    const holdA = holdAt('PropertiesService.Properties.getProperty');
    const a = rt.runAsync('critical', ['A'], { beforeCall: holdA.beforeCall });
    await holdA.atGate;
    const b = rt.runAsync('critical', ['B']);
    await until(() => rt.world.locks.waiting() === 1);
    rt.advance(10_001);
    const rb = await b;
    expect(rb.ok).toBe(false);
    expect(rb.error).toEqual({ name: 'Exception', message: 'Lock timeout: another process was holding the lock for too long.' });
    expect(rb.elapsedMs).toBeGreaterThanOrEqual(10_000);
    holdA.release();
    expect((await a).ok).toBe(true);
    expect(rt.properties.script.log).toBe('A+A-');
  });

  it('has no transactions: interleaved read-modify-writes lose an update, last write wins', async () => {
    const holdA = holdAt('PropertiesService.Properties.setProperty');
    const a = rt.runAsync('unlocked', ['A'], { beforeCall: holdA.beforeCall });
    await holdA.atGate; // A read n = 0 and is about to write
    const rb = await rt.runAsync('unlocked', ['B']);
    expect(rb.ok).toBe(true);
    expect(rt.properties.script.n).toBe('1');
    holdA.release();
    await a;
    expect(rt.properties.script.n).toBe('1');
    expect(rt.properties.script.by).toBe('A');
  });

  it('releases a lock when its execution ends without releasing it', async () => {
    const leak = scriptRuntime(`function take() { LockService.getScriptLock().waitLock(1000); return 'took'; }`, { latency: { '*': 0 } });
    try {
      expect((await leak.runAsync('take')).value).toBe('took');
      expect((await leak.runAsync('take')).value).toBe('took');
      expect(leak.run('take').value).toBe('took');
    } finally {
      await leak.close();
    }
  });

  it('reads the shared virtual clock and reports calls from the worker', async () => {
    rt.clock.set('2027-03-04T05:06:07Z');
    const r = await rt.runAsync('now');
    expect(r.value).toBe('2027-03-04T05:06:07.000Z');
    // Worker executions read local time in the script zone too (scriptRuntime: America/New_York).
    expect((await rt.runAsync('localNow')).value).toBe('Thu Mar 04 2027 00:06:07 GMT-0500 (Eastern Standard Time)');
    const c = await rt.runAsync('critical', ['C']);
    expect(c.calls['LockService.Lock.waitLock']).toBe(1);
    expect(rt.calls.get('LockService.getScriptLock')).toBe(1);
  });
});

describe('buffered spreadsheet writes across overlapping executions', () => {
  const sheetCode = `
function log() { return SpreadsheetApp.getActive().getSheets()[0]; }
/** Appends a row at lastRow() + 1 under the lock, optionally flushing before the release, then works on. */
function append(tag, flush) {
  var lock = LockService.getScriptLock();
  lock.waitLock(10000);
  var sheet = log();
  sheet.getRange(sheet.getLastRow() + 1, 1, 1, 1).setValues([[tag]]);
  if (flush) SpreadsheetApp.flush();
  lock.releaseLock();
  PropertiesService.getScriptProperties().setProperty('after-' + tag, 'x'); // still running, unlocked
  return sheet.getLastRow();
}
function write(tag) { log().getRange('A1').setValue(tag); return log().getRange('A1').getValue(); }
function writeThenFlush(tag) { log().getRange('A1').setValue(tag); SpreadsheetApp.flush(); Utilities.sleep(1); return 'done'; }
function read() { return log().getRange('A1').getValue(); }
function appendRowOf(tag) { log().appendRow([tag]); Utilities.sleep(1); return log().getLastRow(); }
function writeThenInsert(tag) { log().getRange('A1').setValue(tag); SpreadsheetApp.getActive().insertSheet('New'); Utilities.sleep(1); return 1; }
function fail() { log().getRange('A1').setValue('before the error'); throw new Error('boom'); }
`;
  let rt: Runtime;
  beforeEach(() => {
    rt = scriptRuntime(sheetCode, { latency: { '*': 0 } });
  });
  afterEach(async () => {
    await rt.close();
  });
  const column = () => rt.spreadsheets.values(rt.spreadsheetId, 'Sheet1').map((r) => r[0]);

  it('an execution reads its own writes; others see them only after its flush() or its end', async () => {
    const hold = holdAt('Utilities.sleep');
    const a = rt.runAsync('writeThenFlush', ['A'], { beforeCall: hold.beforeCall });
    await hold.atGate; // A wrote and flushed: visible
    expect(rt.run('read').value).toBe('A');
    hold.release();
    await a;

    const holdW = holdAt('SpreadsheetApp.Sheet.getRange');
    let seen = 0;
    const w = rt.runAsync('write', ['B'], {
      beforeCall: async (call) => {
        // Held at its second getRange: it has written B but not flushed.
        if (call.name === 'SpreadsheetApp.Sheet.getRange' && ++seen === 2) await holdW.beforeCall(call);
      },
    });
    await holdW.atGate;
    expect(rt.run('read').value).toBe('A'); // B is pending in the other execution
    expect(column()).toEqual(['A']);
    holdW.release();
    expect((await w).value).toBe('B'); // its own read saw B
    expect(column()).toEqual(['B']); // committed when it ended
  });

  it('lastRow() appends under a lock lose a row when the lock is released before flush(), none with flush()', async () => {
    for (const flush of [false, true]) {
      rt.run('write', ['header']);
      const hold = holdAt('PropertiesService.Properties.setProperty');
      const a = rt.runAsync('append', ['A', flush], { beforeCall: hold.beforeCall });
      await hold.atGate; // A released the lock, its row written (flushed or not), and it is still running
      const b = await rt.runAsync('append', ['B', flush]);
      expect(b.ok).toBe(true);
      hold.release();
      expect((await a).ok).toBe(true);
      // Without the flush, B read the old lastRow and wrote the same row: A's commit overwrote it.
      expect(column()).toEqual(flush ? ['header', 'A', 'B'] : ['header', 'A']);
      rt.run('write', ['']);
      rt.spreadsheets.sheet(rt.spreadsheetId, 'Sheet1')!.rows = [];
    }
  });

  it('appendRow is atomic: rows pending in two executions both land, each after the last row at commit', async () => {
    const hold = holdAt('Utilities.sleep');
    const a = rt.runAsync('appendRowOf', ['A'], { beforeCall: hold.beforeCall });
    await hold.atGate;
    const b = await rt.runAsync('appendRowOf', ['B']);
    expect(b.value).toBe(1); // its own view: only its row
    hold.release();
    expect((await a).value).toBe(2); // its view now: B's committed row, then its own pending one
    expect(column()).toEqual(['B', 'A']);
  });

  it('insertSheet commits what the execution wrote before it; an execution that throws keeps its writes', async () => {
    const hold = holdAt('Utilities.sleep');
    const a = rt.runAsync('writeThenInsert', ['A'], { beforeCall: hold.beforeCall });
    await hold.atGate;
    expect(column()).toEqual(['A']);
    expect(rt.spreadsheets.sheet(rt.spreadsheetId, 'New')).toBeDefined();
    hold.release();
    await a;
    const r = rt.run('fail');
    expect(r.ok).toBe(false);
    expect(column()).toEqual(['before the error']);
  });
});
