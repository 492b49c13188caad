import { startClockLoop } from '../../../emulator/server/clock-loop';
import { DevSession } from '../../../emulator/server/session';
import { StubRuntime, stubFactory } from './stub-runtime';

const START = Date.parse('2026-01-05T12:00:00Z');

function setup(speed: number) {
  let real = 1_000_000;
  const runtime = new StubRuntime();
  const session = new DevSession(runtime, stubFactory);
  const changes: number[] = [];
  session.on('changed', () => changes.push(1));
  const loop = startClockLoop(session, { speed, timer: false, realNow: () => real });
  return { runtime, session, loop, changes, tick: (ms: number) => ((real += ms), loop.step()) };
}

describe('real-time clock loop', () => {
  it('moves the virtual clock at real time × speed and fires due triggers', () => {
    const { runtime, tick, changes } = setup(60);
    tick(1000); // one real second = one virtual minute
    expect(runtime.clock.now().getTime()).toBe(START + 60_000);
    expect(runtime.fired).toEqual(['2026-01-05T12:01:00.000Z']);
    tick(500);
    expect(runtime.fired).toHaveLength(1);
    tick(2500);
    expect(runtime.fired).toEqual([
      '2026-01-05T12:01:00.000Z',
      '2026-01-05T12:02:00.000Z',
      '2026-01-05T12:03:00.000Z',
      '2026-01-05T12:04:00.000Z',
    ]);
    expect(changes.length).toBe(2); // saved only when something ran
  });

  it('re-anchors when executions push the clock ahead, instead of stalling', () => {
    const { runtime, tick } = setup(1);
    runtime.latencyMs = 0;
    runtime.nowMs += 10_000; // e.g. a web request's modelled latency
    tick(1000); // target (START+1s) is behind: re-anchor, no move
    expect(runtime.clock.now().getTime()).toBe(START + 10_000);
    tick(1000);
    expect(runtime.clock.now().getTime()).toBe(START + 11_000);
  });

  it('follows a reset and manual moves', () => {
    const { session, tick } = setup(1);
    tick(5000);
    session.reset();
    tick(1000);
    expect(session.runtime.clock.now().getTime()).toBe(START + 1000);
  });

  it('does nothing at speed 0', () => {
    const { runtime, tick } = setup(0);
    tick(3_600_000);
    expect(runtime.clock.now().getTime()).toBe(START);
  });
});
