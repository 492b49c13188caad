/**
 * Schedule intelligence on fixed example channels (insight-fixtures.ts): regular, bursty, silent,
 * multi-zone and DST-crossing. The suggestion is checked the way a user would live it: fitted on the
 * older part of a channel's history, then followed over the newer part with the real schedule engine.
 */
import { freshnessAnomaly, pushRun, runAnomalies, silenceAnomaly } from '../../../src-server/domain/anomalies';
import {
  addDelays,
  binOf,
  FRESHNESS_BIN_EDGES,
  periodOf,
  runDelays,
  summarizeFreshness,
  type FreshnessDigest,
} from '../../../src-server/domain/freshness';
import { compareWithCurrent, replaySchedule, suggestSchedule, TARGET_SHARE } from '../../../src-server/domain/schedule-suggest';
import { decodeUploads, encodeUploads, mergeUploads, uploadPattern } from '../../../src-server/domain/upload-pattern';
import { bursty, dstCrossing, newYork, NOW, regular, silent, tokyo } from './insight-fixtures';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const channel = (label: string, uploads: number[]) => ({ key: label, label, uploads });
const fields = (type: string, value: string, timezone: string) => ({
  schedule_type: type as 'daily',
  schedule_value: value,
  timezone,
  start_at: null,
  end_at: null,
});

describe('upload times are stored compactly', () => {
  test('encode/decode keeps minutes, newest first, without duplicates, capped', () => {
    const times = [Date.parse('2026-01-02T10:00:30Z'), Date.parse('2026-01-05T17:45:00Z'), Date.parse('2026-01-02T10:00:10Z')];
    const text = encodeUploads(times, 10);
    expect(decodeUploads(text)).toEqual([Date.parse('2026-01-05T17:45:00Z'), Date.parse('2026-01-02T10:00:00Z')]);
    expect(decodeUploads(encodeUploads(times, 1))).toEqual([Date.parse('2026-01-05T17:45:00Z')]);
    expect(decodeUploads(mergeUploads(text, [Date.parse('2026-01-06T09:00:00Z')], 10))).toHaveLength(3);
    expect(decodeUploads('')).toEqual([]);
    expect(decodeUploads('zz.!!')).toHaveLength(1); // damage stops the list, never throws
  });

  test('about four characters an upload: 60 twice-weekly uploads take under 300 bytes', () => {
    expect(encodeUploads(regular().slice(0, 60), 60).length).toBeLessThan(300);
  });
});

describe('upload pattern', () => {
  test('regular: Tue and Thu 16:00–18:00 in New York, also across both DST changes', () => {
    const p = uploadPattern(regular(), 'America/New_York', NOW);
    expect(p.days).toEqual([2, 4]);
    expect(p.hours).toEqual([16, 18]);
    expect(p.summary).toBe('mostly Tue and Thu 16:00–18:00');
    expect(p.regularity).toBeGreaterThan(0.9);
    expect(p.perWeek).toBeCloseTo(2, 0);
    const cells = p.heatmap.flat().reduce((s, c) => s + c, 0);
    expect(cells).toBe(p.uploads);
    expect(p.heatmap[2]![16]! + p.heatmap[2]![17]!).toBe(p.heatmap[2]!.reduce((s, c) => s + c, 0));
  });

  test('the same uploads seen from UTC spread over two hours as New York changes its offset', () => {
    const p = uploadPattern(dstCrossing(), 'UTC', NOW);
    const hours = p.heatmap.map((row) => row.map((c, h) => (c ? h : -1)).filter((h) => h >= 0)).flat();
    expect(new Set(hours)).toEqual(new Set([21, 22]));
  });

  test('bursty: low regularity, no hour range', () => {
    const p = uploadPattern(bursty(), 'UTC', NOW);
    expect(p.regularity).toBeLessThan(0.3);
    expect(p.hours).toBeNull();
  });

  test('silent: the pattern says how long it has been quiet; nothing at all says so too', () => {
    expect(uploadPattern(silent(), 'UTC', NOW).summary).toMatch(/none for 9\d days/);
    expect(uploadPattern([], 'UTC', NOW).summary).toBe('no upload in the last 26 weeks');
  });
});

/** Fits on uploads before `split`, follows the suggestion over the uploads after it. */
function heldOut(uploads: number[], tz: string, target: number, split: number) {
  const before = uploads.filter((t) => t < split);
  const after = uploads.filter((t) => t >= split && t <= NOW);
  const s = suggestSchedule({ channels: [channel('@c', before)], timeZone: tz, targetDelayMinutes: target, nowMs: split, unitsPerRun: 2 });
  return { s, replay: replaySchedule(fields(s.schedule_type, s.schedule_value, tz), after, target, 0) };
}

describe('suggestion', () => {
  test('regular channel, 2 h target: Tue/Thu once a day; followed over later weeks it meets the target for ≥ 90 % at a fraction of hourly quota', () => {
    const { s, replay } = heldOut(regular(), 'America/New_York', 120, Date.parse('2026-01-15T00:00:00Z'));
    expect(s.basis).toBe('pattern');
    expect(s.schedule_type).toBe('weekly');
    expect(s.schedule_value).toMatch(/^TUE,THU@1[78]:\d\d$/);
    expect(s.runsPerWeek).toBe(2);
    expect(replay.uploads).toBeGreaterThan(15); // crosses the March DST change
    expect(replay.share).toBeGreaterThanOrEqual(TARGET_SHARE);
    expect(s.dailyUnits).toBeLessThan(s.hourly.dailyUnits / 20);
    expect(s.explanation).toMatch(
      /^@c uploads mostly Tue and Thu 16:00–18:00 New York time; syncing Tue and Thu at 1\d:\d\d gets 9\d % of videos within 2 h for 4 units a week/,
    );
  });

  test('a longer target needs no more runs, and a daily target still fits in two runs a week', () => {
    const short = suggestSchedule({
      channels: [channel('@c', regular())],
      timeZone: 'America/New_York',
      targetDelayMinutes: 60,
      nowMs: NOW,
      unitsPerRun: 2,
    });
    const day = suggestSchedule({
      channels: [channel('@c', regular())],
      timeZone: 'America/New_York',
      targetDelayMinutes: 1440,
      nowMs: NOW,
      unitsPerRun: 2,
    });
    expect(day.runsPerWeek).toBeLessThanOrEqual(short.runsPerWeek);
    expect(day.runsPerWeek).toBe(2);
    expect(day.share).toBeGreaterThanOrEqual(TARGET_SHARE);
  });

  test('bursty channel: no pattern is cheaper, an interval under the target meets it for every upload', () => {
    const s = suggestSchedule({
      channels: [channel('@b', bursty())],
      timeZone: 'UTC',
      targetDelayMinutes: 120,
      nowMs: NOW,
      unitsPerRun: 2,
    });
    expect(s.basis).toBe('interval');
    expect(s.schedule_value).toBe('90m');
    expect(s.share).toBe(1);
    expect(s.runsPerWeek).toBeLessThan(168);
    expect(s.explanation).toContain('no cheaper fit than syncing every 1 h 30 min');
  });

  test('silent and empty channels: without uploads the honest answer is an interval', () => {
    const s = suggestSchedule({ channels: [channel('@none', [])], timeZone: 'UTC', targetDelayMinutes: 360, nowMs: NOW, unitsPerRun: 2 });
    expect(s).toMatchObject({ basis: 'interval', schedule_type: 'interval', schedule_value: '4h', share: null });
    expect(s.explanation).toMatch(/^No upload pattern to go by \(@none: no upload in the last 26 weeks\)/);
  });

  test('multi-zone job (Tokyo mornings, New York afternoons, seen from London): every channel gets ≥ 90 %', () => {
    const s = suggestSchedule({
      channels: [channel('@tokyo', tokyo()), channel('@ny', newYork())],
      timeZone: 'Europe/London',
      targetDelayMinutes: 60,
      nowMs: NOW,
      unitsPerRun: 3,
    });
    expect(s.basis).toBe('pattern');
    for (const c of s.channels) expect(c.share).toBeGreaterThanOrEqual(TARGET_SHARE);
    expect(s.runsPerWeek).toBeLessThan(7 * 24);
    expect(s.channels.map((c) => c.pattern.summary)).toEqual([
      expect.stringMatching(/every day 00:00–01:00/),
      expect.stringMatching(/Mon, Tue, Wed, Thu and Fri 2[12]:00/),
    ]);
  });

  test('DST-crossing uploads seen from a UTC job: one daily time covers both offsets', () => {
    const s = suggestSchedule({
      channels: [channel('@d', dstCrossing())],
      timeZone: 'UTC',
      targetDelayMinutes: 120,
      nowMs: NOW,
      unitsPerRun: 2,
    });
    expect(s.schedule_type).toBe('daily');
    expect(s.schedule_value.split(',')).toHaveLength(1);
    expect(s.share).toBeGreaterThanOrEqual(TARGET_SHARE);
  });

  test("the same uploads in the channel's own zone follow it through DST (one time, local)", () => {
    const s = suggestSchedule({
      channels: [channel('@d', dstCrossing())],
      timeZone: 'America/New_York',
      targetDelayMinutes: 60,
      nowMs: NOW,
      unitsPerRun: 2,
    });
    expect(s.schedule_type).toBe('daily');
    expect(s.schedule_value).toMatch(/^17:\d\d$/);
    expect(s.share).toBeGreaterThanOrEqual(TARGET_SHARE);
  });

  test('an existing hourly job on the regular channel could run far less often with the same freshness', () => {
    const cmp = compareWithCurrent(
      fields('interval', '1h', 'America/New_York'),
      Date.parse('2025-01-01T00:00:00Z'),
      [channel('@c', regular())],
      NOW,
      2,
    );
    expect(cmp.current.runsPerWeek).toBe(168);
    expect(cmp.targetDelayMinutes).toBeLessThanOrEqual(70);
    expect(cmp.factor).toBeGreaterThan(5);
    expect(cmp.hint).toMatch(/^This job could run \d+× less often with the same freshness \(90 % of videos within 1 h( \d+ min)?\)/);
    const same = compareWithCurrent(
      fields(cmp.suggestion!.schedule_type, cmp.suggestion!.schedule_value, 'America/New_York'),
      0,
      [channel('@c', regular())],
      NOW,
      2,
    );
    expect(same.hint).toBeNull(); // following the advice leaves nothing to gain
  });
});

describe('freshness digest', () => {
  test('bins, window and quantiles', () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(119)).toBe(FRESHNESS_BIN_EDGES.indexOf(120));
    let d: FreshnessDigest = [];
    const at = Date.parse('2026-03-01T12:00:00Z');
    d = addDelays(
      d,
      [10, 20, 30, 40, 50, 60, 70, 80, 90, 600].map((m) => m * 60_000),
      at,
    );
    const s = summarizeFreshness(d, at);
    expect(s.samples).toBe(10);
    expect(s.medianMinutes).toBeGreaterThanOrEqual(45);
    expect(s.medianMinutes).toBeLessThanOrEqual(60);
    expect(s.p90Minutes).toBeGreaterThanOrEqual(60);
    expect(s.p90Minutes).toBeLessThanOrEqual(120);
    // 31 days later the period has left the window.
    expect(summarizeFreshness(d, at + 31 * DAY).samples).toBe(0);
    expect(addDelays(d, [], at + 31 * DAY)).toEqual([]);
    expect(JSON.stringify(addDelays(d, [5 * 60_000], at + 6 * DAY)).length).toBeLessThan(100);
  });

  test('bounded whatever happens: 30 days of runs with thousands of videos stay under 500 bytes', () => {
    let d: FreshnessDigest = [];
    for (let day = 0; day < 60; day++)
      d = addDelays(
        d,
        Array.from({ length: 200 }, (_, i) => i * 97_000),
        Date.parse('2026-01-01T00:00:00Z') + day * DAY,
      );
    expect(d.length).toBeLessThanOrEqual(6);
    expect(JSON.stringify(d).length).toBeLessThan(500);
  });

  test('only videos published after the previous complete run began are counted', () => {
    const written = Date.parse('2026-03-01T12:00:00Z');
    expect(runDelays([written - HOUR, written - 30 * DAY], written, written - 2 * HOUR)).toEqual([HOUR]);
    expect(runDelays([written - HOUR], written, null)).toEqual([]); // a first sync is a backfill
  });
});

describe('anomalies', () => {
  test("a run far above the job's own units or duration", () => {
    let h = pushRun([], 2, 10);
    expect(runAnomalies(h, 500, 900, 'r1', 'now')).toEqual([]); // not enough history to judge
    for (let i = 0; i < 5; i++) h = pushRun(h, 2, 10);
    expect(runAnomalies(h, 3, 12, 'r2', 'now')).toEqual([]);
    expect(runAnomalies(h, 40, 12, 'r3', 'now').map((a) => a.kind)).toEqual(['run_units']);
    expect(runAnomalies(h, 2, 200, 'r4', 'now').map((a) => a.kind)).toEqual(['run_duration']);
    for (let i = 0; i < 40; i++) h = pushRun(h, 2, 10);
    expect(h).toHaveLength(20);
  });

  test('a regular channel that stops is silent; a bursty one within its gaps is not', () => {
    const s = silenceAnomaly('@s', silent(), NOW, 'now');
    expect(s?.kind).toBe('channel_silent');
    expect(s?.message).toMatch(/^@s has not uploaded for 9\d d( \d+ h)?; it usually uploads every 7 d/);
    expect(silenceAnomaly('@r', regular(), NOW, 'now')).toBeNull();
    expect(silenceAnomaly('@b', bursty(), Date.parse('2026-03-19T00:00:00Z'), 'now')).toBeNull();
    expect(silenceAnomaly('@few', [NOW - 100 * DAY], NOW, 'now')).toBeNull(); // too little to judge
  });

  test("freshness that degrades against the job's earlier weeks", () => {
    let d: FreshnessDigest = [];
    const start = Date.parse('2026-02-01T12:00:00Z');
    for (let day = 0; day < 20; day++) d = addDelays(d, [20 * 60_000, 30 * 60_000], start + day * DAY);
    const now = start + 20 * DAY;
    expect(freshnessAnomaly(d, now, 'now')).toBeNull();
    for (let day = 20; day < 26; day++) d = addDelays(d, [8 * HOUR, 10 * HOUR], start + day * DAY);
    const a = freshnessAnomaly(d, start + 26 * DAY, 'now');
    expect(a?.kind).toBe('freshness');
    expect(a?.key).toBe(`freshness:${periodOf(start + 26 * DAY)}`);
  });
});
