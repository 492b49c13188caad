/** withLock: sheet writes made under the lock are committed (flushed) before the lock is released. */
import { withLock } from '../../../src-server/app/lock';
import { AppError } from '../../../src-server/app/contract';

function deps(opts: { free?: boolean; flushFails?: boolean } = {}) {
  const log: string[] = [];
  return {
    log,
    deps: {
      lock: {
        tryLock: () => (log.push('lock'), opts.free ?? true),
        release: () => void log.push('release'),
      },
      spreadsheets: {
        flush: () => {
          log.push('flush');
          if (opts.flushFails) throw new Error('Service Spreadsheets failed while accessing document');
        },
      },
    },
  };
}

describe('withLock', () => {
  test("flushes before releasing, and returns the work's value", () => {
    const { log, deps: d } = deps();
    expect(withLock(d, () => (log.push('work'), 42))).toBe(42);
    expect(log).toEqual(['lock', 'work', 'flush', 'release']);
  });

  test('a failing work still flushes what it wrote, then releases; its error is the one thrown', () => {
    const { log, deps: d } = deps();
    expect(() =>
      withLock(d, () => {
        log.push('work');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(log).toEqual(['lock', 'work', 'flush', 'release']);
  });

  test('a failing flush still releases the lock', () => {
    const { log, deps: d } = deps({ flushFails: true });
    expect(() => withLock(d, () => log.push('work'))).toThrow(/Service Spreadsheets failed/);
    expect(log).toEqual(['lock', 'work', 'flush', 'release']);
  });

  test('busy: neither work, flush nor release', () => {
    const { log, deps: d } = deps({ free: false });
    expect(() => withLock(d, () => log.push('work'))).toThrow(AppError);
    expect(log).toEqual(['lock']);
  });
});
