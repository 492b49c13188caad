/**
 * Example channels for the insight tests, built from local wall times so that DST is real: regular,
 * bursty, silent, multi-zone (Tokyo + New York), DST-crossing. Deterministic (seeded).
 */
import { instantOfWallTime, civilFromDayNumber, dayNumber } from '../../../src-server/domain/timezone';

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uploads on the given weekdays between fromDate and toDate, at a local time in [fromMinute, toMinute). */
export function localUploads(
  zone: string,
  fromDate: string,
  toDate: string,
  weekdays: number[],
  fromMinute: number,
  toMinute: number,
  seed: number,
): number[] {
  const rand = prng(seed);
  const [y1, m1, d1] = fromDate.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = toDate.split('-').map(Number) as [number, number, number];
  const out: number[] = [];
  for (let n = dayNumber(y1, m1, d1); n <= dayNumber(y2, m2, d2); n++) {
    const c = civilFromDayNumber(n);
    if (!weekdays.includes(c.weekday)) continue;
    const minute = fromMinute + Math.floor(rand() * (toMinute - fromMinute));
    out.push(instantOfWallTime(zone, { year: c.year, month: c.month, day: c.day, hour: Math.floor(minute / 60), minute: minute % 60 }));
  }
  return out.sort((a, b) => b - a);
}

export const NOW = Date.parse('2026-03-20T12:00:00Z');
const ALL = [0, 1, 2, 3, 4, 5, 6];

/** Tue and Thu 16:00–18:00 New York, 2025-10-01 .. 2026-03-19 (crosses both DST changes). */
export const regular = () => localUploads('America/New_York', '2025-10-01', '2026-03-19', [2, 4], 16 * 60, 18 * 60, 1);

/** Bursts: on a third of the days, 1–6 uploads at any time of day. */
export function bursty(): number[] {
  const rand = prng(2);
  const out: number[] = [];
  const start = Date.parse('2025-11-01T00:00:00Z');
  for (let day = 0; day < 138; day++) {
    if (rand() > 0.33) continue;
    const n = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < n; i++) out.push(start + day * 86_400_000 + Math.floor(rand() * 86_400_000));
  }
  return out.sort((a, b) => b - a);
}

/** Weekly uploads that stopped three months before NOW. */
export const silent = () => localUploads('UTC', '2025-06-01', '2025-12-20', [3], 10 * 60, 11 * 60, 3);

/** Daily at 09:00–09:30 Tokyo. */
export const tokyo = () => localUploads('Asia/Tokyo', '2025-12-01', '2026-03-19', ALL, 9 * 60, 9 * 60 + 30, 4);
/** Weekdays 17:00–17:45 New York. */
export const newYork = () => localUploads('America/New_York', '2025-12-01', '2026-03-19', [1, 2, 3, 4, 5], 17 * 60, 17 * 60 + 45, 5);

/** Daily 17:00–17:30 New York across the 2026-03-08 spring-forward (seen from a UTC job). */
export const dstCrossing = () => localUploads('America/New_York', '2026-01-20', '2026-03-19', ALL, 17 * 60, 17 * 60 + 30, 6);
