import { MONITOR_POLL, nextMonitorDelay } from '../../../src-sidebar/lib/backoff';

describe('monitor polling backoff', () => {
  test('every 2 s while a run is in progress, whatever the wait before', () => {
    for (const previous of [null, 2_000, 5_000, 30_000]) expect(nextMonitorDelay(previous, 1)).toBe(MONITOR_POLL.activeMs);
  });

  test('while nothing runs the wait doubles from 5 s up to 30 s and stays there', () => {
    const waits: number[] = [];
    let previous: number | null = MONITOR_POLL.activeMs;
    for (let i = 0; i < 7; i++) waits.push((previous = nextMonitorDelay(previous, 0)));
    expect(waits).toEqual([5_000, 10_000, 20_000, 30_000, 30_000, 30_000, 30_000]);
    expect(nextMonitorDelay(null, 0)).toBe(5_000);
  });

  test('a run that starts brings the wait back to 2 s at once, and idling backs off again', () => {
    expect(nextMonitorDelay(30_000, 2)).toBe(2_000);
    expect(nextMonitorDelay(2_000, 0)).toBe(5_000);
  });

  test('an idle minute makes 4 polls instead of 30', () => {
    let t = 0;
    let wait: number = MONITOR_POLL.activeMs;
    let polls = 0;
    while (t + wait <= 60_000) {
      t += wait;
      polls++;
      wait = nextMonitorDelay(wait, 0);
    }
    expect(polls).toBe(4);
  });
});
