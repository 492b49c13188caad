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
