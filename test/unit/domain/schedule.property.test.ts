/**
 * Property-based checks of occurrences across DST, against an independent Intl oracle (a fresh
 * formatter, not the module's memoised offsets) and, for fixed daily times, against croner.
 */
import fc from 'fast-check';
import { Cron } from 'croner';
import { compileSchedule, nextRuns, resetScheduleMemos, type ScheduleFields } from '../../../src-server/domain/schedule';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'] as const;
const FROM_MIN = Date.UTC(2024, 0, 1);
const FROM_MAX = Date.UTC(2030, 11, 31);
const oracles = new Map<string, Intl.DateTimeFormat>();

/** Local wall time by Intl: [dayNumber, minuteOfDay, weekday, dayOfMonth, daysInThatMonth]. */
function wall(tz: string, ms: number): { day: number; minute: number; weekday: number; date: number; monthDays: number } {
  let f = oracles.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    oracles.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const y = Number(p.year);
  const m = Number(p.month);
  const d = Number(p.day);
  const utcDay = Date.UTC(y, m - 1, d);
  return {
    day: utcDay / 86_400_000,
    minute: (Number(p.hour) % 24) * 60 + Number(p.minute),
    weekday: new Date(utcDay).getUTCDay(),
    date: d,
    monthDays: new Date(Date.UTC(y, m, 0)).getUTCDate(),
  };
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * The occurrence shows one of the configured local times, or it is a DST transition instant and a
 * configured time fell inside the gap that transition skipped (the first existing minute after it).
 */
function atConfiguredTime(tz: string, ms: number, times: number[]): boolean {
  const w = wall(tz, ms);
  if (times.includes(w.minute)) return true;
  const before = wall(tz, ms - 60_000);
  const skipped = w.day === before.day ? w.minute - before.minute - 1 : 0;
  return skipped > 0 && times.some((t) => t > before.minute && t < w.minute);
}

const zone = fc.constantFrom(...ZONES);
const from = fc.integer({ min: FROM_MIN, max: FROM_MAX }).map((t) => new Date(t));
// Times clustered around the hours DST moves (01:00-03:59) half the time.
const minuteOfDay = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 60, max: 239 }));
const times = fc.uniqueArray(minuteOfDay, { minLength: 1, maxLength: 3 }).map((t) => [...t].sort((a, b) => a - b));

function checkOrderAndBounds(job: ScheduleFields, start: Date, runs: Date[], lo: number | null, hi: number | null): void {
  let prev = start.getTime();
  for (const r of runs) {
    expect(r.getTime()).toBeGreaterThan(prev);
    if (lo !== null) expect(r.getTime()).toBeGreaterThanOrEqual(lo);
    if (hi !== null) expect(r.getTime()).toBeLessThanOrEqual(hi);
    prev = r.getTime();
  }
  void job;
}

describe('occurrence properties across DST', () => {
  it('daily: strictly increasing, at a configured local time, one per time and day, no day skipped', () => {
    fc.assert(
      fc.property(zone, from, times, (tz, start, ts) => {
        const job: ScheduleFields = {
          schedule_type: 'daily',
          schedule_value: ts.map(hhmm).join(','),
          timezone: tz,
          start_at: null,
          end_at: null,
        };
        const runs = nextRuns(job, start, 12);
        expect(runs).toHaveLength(12);
        checkOrderAndBounds(job, start, runs, null, null);
        for (const r of runs) expect(atConfiguredTime(tz, r.getTime(), ts)).toBe(true);
        if (ts.length === 1) {
          // One time a day: consecutive local days, never two runs on one day, never a skipped day.
          const days = runs.map((r) => wall(tz, r.getTime()).day);
          for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('weekly and monthly: only on matching days, at configured times', () => {
    const weekly = fc.record({ days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }), times });
    const monthly = fc.record({
      days: fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { minLength: 0, maxLength: 4 }),
      last: fc.boolean(),
      times,
    });
    const NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
    fc.assert(
      fc.property(zone, from, weekly, (tz, start, w) => {
        const job: ScheduleFields = {
          schedule_type: 'weekly',
          schedule_value: `${w.days.map((d) => NAMES[d]).join(',')}@${w.times.map(hhmm).join(',')}`,
          timezone: tz,
          start_at: null,
          end_at: null,
        };
        const runs = nextRuns(job, start, 8);
        checkOrderAndBounds(job, start, runs, null, null);
        for (const r of runs) {
          expect(w.days).toContain(wall(tz, r.getTime()).weekday);
          expect(atConfiguredTime(tz, r.getTime(), w.times)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(
        zone,
        from,
        monthly.filter((m) => m.days.length > 0 || m.last),
        (tz, start, m) => {
          const days = [...m.days.map(String), ...(m.last ? ['last'] : [])].join(',');
          const job: ScheduleFields = {
            schedule_type: 'monthly',
            schedule_value: `${days}@${m.times.map(hhmm).join(',')}`,
            timezone: tz,
            start_at: null,
            end_at: null,
          };
          const runs = nextRuns(job, start, 6);
          checkOrderAndBounds(job, start, runs, null, null);
          for (const r of runs) {
            const w = wall(tz, r.getTime());
            expect(m.days.includes(w.date) || (m.last && w.date === w.monthDays)).toBe(true);
            expect(atConfiguredTime(tz, r.getTime(), m.times)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('interval: fixed elapsed time from start_at, inside start/end', () => {
    fc.assert(
      fc.property(
        zone,
        from,
        fc.constantFrom('5m', '45m', '1h', '6h', '25h', '2d'),
        fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
        fc.integer({ min: 1, max: 10 * 86_400_000 }),
        (tz, start, every, startShift, length) => {
          const lo = new Date(start.getTime() + startShift);
          const hi = new Date(lo.getTime() + length);
          const job: ScheduleFields = {
            schedule_type: 'interval',
            schedule_value: every,
            timezone: tz,
            start_at: lo.toISOString(),
            end_at: hi.toISOString(),
          };
          const runs = nextRuns(job, start, 10);
          checkOrderAndBounds(job, start, runs, lo.getTime(), hi.getTime());
          const stepMs = { '5m': 5, '45m': 45, '1h': 60, '6h': 360, '25h': 1500, '2d': 2880 }[every]! * 60_000;
          for (const r of runs) expect((r.getTime() - lo.getTime()) % stepMs).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('daily with start/end stays inside the bounds', () => {
    fc.assert(
      fc.property(zone, from, times, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (tz, start, ts, a, b) => {
        const day = (n: number) => new Date(start.getTime() + n * 86_400_000).toISOString().slice(0, 16);
        const job: ScheduleFields = {
          schedule_type: 'daily',
          schedule_value: ts.map(hhmm).join(','),
          timezone: tz,
          start_at: day(Math.min(a, b)),
          end_at: day(Math.max(a, b)),
        };
        const runs = nextRuns(job, start, 100);
        const lo = nextRuns(
          { ...job, schedule_type: 'once', schedule_value: job.start_at!, start_at: null, end_at: null },
          new Date(0),
          1,
        )[0]!.getTime();
        const hi = nextRuns(
          { ...job, schedule_type: 'once', schedule_value: job.end_at!, start_at: null, end_at: null },
          new Date(0),
          1,
        )[0]!.getTime();
        checkOrderAndBounds(job, start, runs, lo, hi);
      }),
      { numRuns: 150 },
    );
  });

  it('a fixed daily time matches croner for the same cron pattern', () => {
    fc.assert(
      fc.property(zone, from, minuteOfDay, (tz, start, t) => {
        const daily = nextRuns({ schedule_type: 'daily', schedule_value: hhmm(t), timezone: tz, start_at: null, end_at: null }, start, 5);
        const cron = nextRuns(
          { schedule_type: 'cron', schedule_value: `${t % 60} ${Math.floor(t / 60)} * * *`, timezone: tz, start_at: null, end_at: null },
          start,
          5,
        );
        expect(daily.map((d) => d.toISOString())).toEqual(cron.map((d) => d.toISOString()));
      }),
      { numRuns: 200 },
    );
  });

  it('once: at most one occurrence, at the local wall time when it exists', () => {
    fc.assert(
      fc.property(zone, from, fc.integer({ min: FROM_MIN, max: FROM_MAX }), (tz, start, target) => {
        const local = new Date(target).toISOString().slice(0, 16);
        const runs = nextRuns({ schedule_type: 'once', schedule_value: local, timezone: tz, start_at: null, end_at: null }, start, 3);
        expect(runs.length).toBeLessThanOrEqual(1);
        if (runs[0]) {
          expect(runs[0].getTime()).toBeGreaterThan(start.getTime());
          expect(atConfiguredTime(tz, runs[0].getTime(), [Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16))])).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('schedules shared between jobs within one execution', () => {
  const job = fc
    .record({
      type: fc.constantFrom('daily', 'weekly', 'monthly', 'interval', 'cron', 'once'),
      tz: fc.constantFrom(...ZONES, 'America/Santiago', 'Australia/Lord_Howe'),
      t: minuteOfDay,
      bounded: fc.boolean(),
      anchor: fc.integer({ min: FROM_MIN, max: FROM_MAX }),
    })
    .map(({ type, tz, t, bounded, anchor }): { job: ScheduleFields; anchor: Date } => {
      const value = {
        daily: hhmm(t),
        weekly: `MON,SUN@${hhmm(t)}`,
        monthly: `1,31,last@${hhmm(t)}`,
        interval: `${5 + (t % 300)}m`,
        cron: `${t % 60} */${1 + (t % 5)} * * *`,
        once: `2027-03-${String(1 + (t % 28)).padStart(2, '0')}T${hhmm(t)}`,
      }[type];
      const lo = new Date(anchor).toISOString().slice(0, 16);
      const hi = new Date(anchor + 40 * 86_400_000).toISOString().slice(0, 16);
      return {
        job: { schedule_type: type, schedule_value: value, timezone: tz, start_at: bounded ? lo : null, end_at: bounded ? hi : null },
        anchor: new Date(anchor),
      };
    });

  it('answer as a schedule compiled alone (memoised answers never leak between jobs)', () => {
    fc.assert(
      fc.property(
        // Few jobs, many queries: jobs share a schedule but differ in anchor or bounds, as in one plan.
        job.chain((base) =>
          fc
            .array(fc.record({ anchor: fc.integer({ min: FROM_MIN, max: FROM_MAX }), bounded: fc.boolean() }), {
              minLength: 1,
              maxLength: 4,
            })
            .map((variants) =>
              variants.map((v) => {
                const lo = new Date(v.anchor).toISOString().slice(0, 16);
                const hi = new Date(v.anchor + 40 * 86_400_000).toISOString().slice(0, 16);
                return { job: { ...base.job, start_at: v.bounded ? lo : null, end_at: v.bounded ? hi : null }, anchor: new Date(v.anchor) };
              }),
            ),
        ),
        fc.array(fc.record({ j: fc.nat(), at: fc.integer({ min: FROM_MIN, max: FROM_MAX }), prev: fc.boolean() }), {
          minLength: 1,
          maxLength: 30,
        }),
        (jobs, queries) => {
          const ask = (q: { j: number; at: number; prev: boolean }) => {
            const { job: fields, anchor } = jobs[q.j % jobs.length]!;
            const s = compileSchedule(fields, { anchor });
            return s ? (q.prev ? s.prev(q.at) : s.next(q.at)) : 'invalid';
          };
          resetScheduleMemos();
          const shared = queries.map(ask);
          const alone = queries.map((q) => {
            resetScheduleMemos();
            return ask(q);
          });
          expect(shared).toEqual(alone);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('calendar schedules against croner (fixed-time patterns follow the same DST rules)', () => {
  const NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  const dstZone = fc.constantFrom(...ZONES, 'America/Santiago', 'Europe/Berlin', 'America/Los_Angeles');
  it('weekly and monthly give the occurrences croner gives for the equivalent pattern', () => {
    const rule = fc.oneof(
      fc.record({
        kind: fc.constant('weekly' as const),
        days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
        t: minuteOfDay,
      }),
      fc.record({
        kind: fc.constant('monthly' as const),
        days: fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { minLength: 1, maxLength: 3 }),
        t: minuteOfDay,
      }),
    );
    fc.assert(
      fc.property(dstZone, from, rule, (tz, start, r) => {
        const sorted = [...r.days].sort((a, b) => a - b);
        const value = r.kind === 'weekly' ? `${sorted.map((d) => NAMES[d]).join(',')}@${hhmm(r.t)}` : `${sorted.join(',')}@${hhmm(r.t)}`;
        const pattern =
          r.kind === 'weekly'
            ? `${r.t % 60} ${Math.floor(r.t / 60)} * * ${sorted.join(',')}`
            : `${r.t % 60} ${Math.floor(r.t / 60)} ${sorted.join(',')} * *`;
        const ours = nextRuns({ schedule_type: r.kind, schedule_value: value, timezone: tz, start_at: null, end_at: null }, start, 4);
        const croner = new Cron(pattern, { timezone: tz, paused: true, mode: '5-part', fixedTimeRule: 'no-wildcard' }).nextRuns(4, start);
        expect(ours.map((d) => d.toISOString())).toEqual(croner.map((d) => d.toISOString()));
      }),
      { numRuns: 300 },
    );
  });
});
