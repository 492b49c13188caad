import { AppError } from '../../../src-server/app/contract';
import { csvCell } from '../../../src-server/app/export';
import { SheetTable, rotationSlack } from '../../../src-server/app/sheet-table';
import { percentile, windowStats } from '../../../src-server/app/stats';
import { PropertySnapshot, VALUE_LIMIT_BYTES } from '../../../src-server/app/store';
import { reconcileTriggers } from '../../../src-server/app/triggers';
import { utf8Length } from '../../../src-server/app/bytes';
import { checkZones } from '../../../src-server/app/tz-check';
import type { RunDto } from '../../../src-server/app/contract';
import { createFakeWorld } from './fakes';

describe('property snapshot', () => {
  test('refuses a value over 9 KB (key + value, UTF-8 bytes) and writes nothing', () => {
    const world = createFakeWorld();
    world.properties.data = { keep: 'me' };
    const snap = PropertySnapshot.load(world.properties);
    snap.set('small', 'ok');
    snap.set('job:big', 'é'.repeat(VALUE_LIMIT_BYTES / 2)); // 2 bytes each: over by the key's length
    let error: unknown;
    try {
      snap.commit(world.properties);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('store_full');
    expect((error as AppError).message).toMatch(/job:big would take 9\.0 KB, over the 9\.0 KB limit/);
    expect(world.properties.data).toEqual({ keep: 'me' });
    expect(world.calls['properties.setMany']).toBeUndefined();
  });

  test('writes only changed keys, in one batch, and deletes in one call', () => {
    const world = createFakeWorld();
    world.properties.data = { a: '1', b: '2', c: '3' };
    const snap = PropertySnapshot.load(world.properties);
    snap.set('a', '1');
    snap.set('b', 'two');
    snap.delete('c');
    snap.set('d', '4');
    expect(snap.keys('')).toEqual(['a', 'b', 'd']);
    snap.commit(world.properties);
    expect(world.properties.data).toEqual({ a: '1', b: 'two', d: '4' });
    expect(world.calls['properties.setMany']).toBe(1);
    expect(world.calls['properties.deleteMany']).toBe(1);
  });

  test('utf8Length counts like Buffer.byteLength', () => {
    for (const s of ['abc', 'é', '€', '😀x', 'a\u{10348}b']) expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });
});

describe('triggers', () => {
  test('installs once, re-arms the precise trigger, removes strays, and is idempotent', () => {
    const world = createFakeWorld();
    const snap = PropertySnapshot.load(world.properties);
    const now = new Date('2026-01-05T12:00:00Z');
    world.triggers.createAt('tick', new Date('2026-01-01T00:00:00Z')); // stale one-off
    world.triggers.createHeartbeat('other', 5); // not ours
    const first = reconcileTriggers(world.triggers, snap, {
      heartbeatMinutes: 5,
      nextDue: new Date('2026-01-05T14:00:00Z'),
      now,
      user: 'owner@example.com',
    });
    expect(first.actions).toEqual(
      expect.arrayContaining([
        'removed a stale tick trigger',
        'installed the heartbeat trigger (every 5 min)',
        'armed the precise trigger',
      ]),
    );
    const ticks = () => world.triggers.items.filter((t) => t.handler === 'tick');
    expect(ticks()).toHaveLength(2);
    expect(world.triggers.items.some((t) => t.handler === 'other')).toBe(true);
    const again = reconcileTriggers(world.triggers, snap, {
      heartbeatMinutes: 5,
      nextDue: new Date('2026-01-05T14:00:00Z'),
      now,
      user: 'owner@example.com',
    });
    expect(again.actions).toEqual([]);
    const moved = reconcileTriggers(world.triggers, snap, {
      heartbeatMinutes: 5,
      nextDue: new Date('2026-01-05T13:00:00Z'),
      now,
      user: 'owner@example.com',
    });
    expect(moved.actions).toEqual(['re-armed the precise trigger']);
    expect(ticks().find((t) => t.kind === 'clock-at')!.at).toBe('2026-01-05T13:00:00.000Z');
    const soon = reconcileTriggers(world.triggers, snap, { heartbeatMinutes: 5, nextDue: now, now, user: 'owner@example.com' });
    expect(soon.record.precise!.at).toBe('2026-01-05T12:01:00.000Z'); // never in the past
    const none = reconcileTriggers(world.triggers, snap, { heartbeatMinutes: 5, nextDue: null, now, user: 'owner@example.com' });
    expect(none.actions).toEqual(['removed the precise trigger (nothing due)']);
    expect(ticks()).toHaveLength(1);
  });
});

describe('sheet table rotation', () => {
  test('appends in one write and trims to the newest rows past the slack', () => {
    const world = createFakeWorld();
    const table = new SheetTable<{ n: number }>(world.spreadsheets, '_t', {
      columns: ['n'],
      textColumns: new Set(),
      toRow: (r) => [r.n],
      fromRow: (row) => ({ n: Number(row[0]) }),
    });
    const keep = 100;
    for (let batch = 0; batch < 13; batch++)
      table.append(
        Array.from({ length: 10 }, (_, i) => ({ n: batch * 10 + i })),
        keep,
      );
    const rows = world.spreadsheets.tab('_t')!.rows;
    expect(rows[0]).toEqual(['n']);
    expect(rows.length - 1).toBeLessThanOrEqual(keep + rotationSlack(keep));
    expect(rows[rows.length - 1]).toEqual([129]);
    expect(world.spreadsheets.tab('_t')!.hidden).toBe(true);
    const fresh = new SheetTable<{ n: number }>(world.spreadsheets, '_t', {
      columns: ['n'],
      textColumns: new Set(),
      toRow: (r) => [r.n],
      fromRow: (row) => ({ n: Number(row[0]) }),
    });
    expect(
      fresh
        .readAll()
        .map((r) => r.n)
        .slice(-3),
    ).toEqual([127, 128, 129]);
  });

  test('a trim that fails does not fail the append (its rows are written once); the next append trims', () => {
    const world = createFakeWorld();
    const codec = {
      columns: ['n'] as const,
      textColumns: new Set<string>(),
      toRow: (r: { n: number }) => [r.n],
      fromRow: (row: unknown[]) => ({ n: Number(row[0]) }),
    };
    const table = new SheetTable<{ n: number }>(world.spreadsheets, '_t', codec);
    table.append(
      Array.from({ length: 100 }, (_, n) => ({ n })),
      100,
    );
    const tab = world.spreadsheets.tab('_t')!;
    const realDelete = tab.deleteRows.bind(tab);
    tab.deleteRows = () => {
      throw new Error('Service Spreadsheets timed out');
    };
    expect(() =>
      table.append(
        Array.from({ length: 30 }, (_, i) => ({ n: 100 + i })),
        100,
      ),
    ).not.toThrow();
    expect(tab.rows.length - 1).toBe(130);
    tab.deleteRows = realDelete;
    table.append([{ n: 130 }], 100);
    expect(tab.rows.length - 1).toBe(100);
    expect(tab.rows.slice(1).map((r) => r[0])).toEqual(Array.from({ length: 100 }, (_, i) => 31 + i));
  });
});

describe('export cells and stats', () => {
  test('csv cells', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('+1,2')).toBe(`"'+1,2"`);
    expect(csvCell(null)).toBe('');
  });

  test('window stats: success rate, mean and p95 over executed runs only', () => {
    const run = (status: RunDto['status'], duration: number | null, at: string): RunDto => ({
      run_id: 'r',
      job_id: 'j',
      job_name: 'J',
      scheduled_for: at,
      started_at: at,
      finished_at: at,
      status,
      trigger: 'schedule',
      videos_added: 2,
      videos_updated: 1,
      quota_units: 3,
      duration_ms: duration,
      error: null,
    });
    const now = Date.parse('2026-01-10T00:00:00Z');
    const missed = { ...run('missed', null, '2026-01-09T14:00:00Z'), videos_added: 0, videos_updated: 0, quota_units: 0 };
    const runs = [
      ...Array.from({ length: 19 }, () => run('succeeded', 100, '2026-01-09T12:00:00Z')),
      run('failed', 2000, '2026-01-09T13:00:00Z'),
      missed,
      run('succeeded', 100, '2026-01-01T00:00:00Z'),
    ];
    const w = windowStats(runs, '24h', now - 86_400_000);
    expect(w.runs).toBe(20);
    expect(w.success_rate).toBe(0.95);
    expect(w.mean_duration_ms).toBe(195);
    expect(w.p95_duration_ms).toBe(100);
    expect(w.videos_written).toBe(60);
    expect(w.quota_units).toBe(60);
    // A partial run is executed but not a success; a deferred one is not a run, yet its rows and units count.
    const more = windowStats(
      [...runs, run('partial', 100, '2026-01-09T15:00:00Z'), run('deferred', 50, '2026-01-09T16:00:00Z')],
      '24h',
      now - 86_400_000,
    );
    expect(more).toEqual(expect.objectContaining({ runs: 21, succeeded: 19, failed: 1, partial: 1, videos_written: 66, quota_units: 66 }));
    expect(more.success_rate).toBeCloseTo(19 / 21);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 95)).toBeNull();
  });

  test('time-zone self-check flags a zone whose offsets differ', () => {
    const now = new Date('2026-07-01T12:00:00Z');
    const checks = checkZones(
      { formatDate: (_d, zone) => (zone === 'Europe/London' ? '+0000' : '-0400') },
      ['America/New_York', 'Europe/London'],
      now,
    );
    expect(checks).toEqual([
      { zone: 'America/New_York', ok: true, intl_offset: '-0400', apps_script_offset: '-0400' },
      { zone: 'Europe/London', ok: false, intl_offset: '+0100', apps_script_offset: '+0000' },
    ]);
  });
});

describe('pending missed occurrences', () => {
  test('are bounded per job: the oldest entries fold into one that keeps the count and the first instant', async () => {
    const { withPendingMissed, MAX_PENDING_MISSED } = await import('../../../src-server/app/missed');
    const { emptyJobState } = await import('../../../src-server/app/records');
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h));
    const missed = Array.from({ length: 30 }, (_, h) => ({ job_id: 'j', occurrence: at(h), count: 1, first: at(h) }));
    const state = withPendingMissed(emptyJobState(), missed);
    const list = state.pending_missed!;
    expect(list).toHaveLength(MAX_PENDING_MISSED);
    expect(list[0]).toEqual([at(5).toISOString(), 6, at(0).toISOString()]);
    expect(list[list.length - 1]).toEqual([at(29).toISOString()]);
    expect(list.reduce((n, p) => n + (p[1] ?? 1), 0)).toBe(30);
  });
});
