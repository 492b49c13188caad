import { nextQuotaReset, QuotaMeter, quotaDay, QUOTA_COST } from '../../../emulator/youtube/quota';

describe('quota day (midnight America/Los_Angeles)', () => {
  it('uses the official costs', () => {
    expect(QUOTA_COST).toEqual({ 'channels.list': 1, 'playlistItems.list': 1, 'videos.list': 1, 'search.list': 100 });
  });

  it('keys the day by the Pacific calendar date, not UTC', () => {
    // 07:59Z on Jan 6 is 23:59 PST on Jan 5; 08:00Z is midnight Jan 6.
    expect(quotaDay(new Date('2026-01-06T07:59:59Z'))).toBe('2026-01-05');
    expect(quotaDay(new Date('2026-01-06T08:00:00Z'))).toBe('2026-01-06');
    // In summer (PDT, UTC-7) the boundary is 07:00Z.
    expect(quotaDay(new Date('2026-07-01T06:59:59Z'))).toBe('2026-06-30');
    expect(quotaDay(new Date('2026-07-01T07:00:00Z'))).toBe('2026-07-01');
  });

  it('resets at the next Pacific midnight, in winter and in summer', () => {
    expect(nextQuotaReset(new Date('2026-01-05T12:00:00Z')).toISOString()).toBe('2026-01-06T08:00:00.000Z');
    expect(nextQuotaReset(new Date('2026-07-01T06:59:00Z')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    // Exactly at midnight the next reset is a day later.
    expect(nextQuotaReset(new Date('2026-01-06T08:00:00Z')).toISOString()).toBe('2026-01-07T08:00:00.000Z');
  });

  it('is DST-correct across the spring-forward and fall-back days (23 h and 25 h days)', () => {
    // 2026-03-08: clocks go 02:00 PST -> 03:00 PDT. The day starts at 08:00Z and ends at 07:00Z.
    const springStart = new Date('2026-03-08T08:00:00Z');
    const springEnd = nextQuotaReset(springStart);
    expect(springEnd.toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect((springEnd.getTime() - springStart.getTime()) / 3_600_000).toBe(23);
    // 2026-11-01: clocks go 02:00 PDT -> 01:00 PST. The day starts at 07:00Z and ends at 08:00Z next day.
    const fallStart = new Date('2026-11-01T07:00:00Z');
    const fallEnd = nextQuotaReset(fallStart);
    expect(fallEnd.toISOString()).toBe('2026-11-02T08:00:00.000Z');
    expect((fallEnd.getTime() - fallStart.getTime()) / 3_600_000).toBe(25);
    // During the repeated hour (01:30 PDT, then 01:30 PST) the reset is still the next midnight.
    expect(nextQuotaReset(new Date('2026-11-01T08:30:00Z')).toISOString()).toBe('2026-11-02T08:00:00.000Z');
    expect(nextQuotaReset(new Date('2026-11-01T09:30:00Z')).toISOString()).toBe('2026-11-02T08:00:00.000Z');
  });

  it('counts units per day and refuses a call that would pass the limit', () => {
    const meter = new QuotaMeter(150);
    const day1 = new Date('2026-03-08T20:00:00Z');
    meter.charge('search.list', day1);
    meter.charge('videos.list', day1);
    expect(meter.usedToday(day1)).toBe(101);
    expect(meter.wouldExceed('search.list', day1)).toBe(true);
    expect(meter.wouldExceed('videos.list', day1)).toBe(false);
    expect(meter.byMethod(day1)).toEqual({ 'search.list': { calls: 1, units: 100 }, 'videos.list': { calls: 1, units: 1 } });
    // One second before the (DST-shortened) day ends: still counted; at midnight: zero.
    expect(meter.usedToday(new Date('2026-03-09T06:59:59Z'))).toBe(101);
    expect(meter.usedToday(new Date('2026-03-09T07:00:00Z'))).toBe(0);
    expect(meter.toJSON().history).toEqual({ '2026-03-08': 101 });
  });

  it('round-trips through JSON', () => {
    const meter = new QuotaMeter();
    const now = new Date('2026-01-05T12:00:00Z');
    meter.charge('channels.list', now);
    const copy = new QuotaMeter(undefined, JSON.parse(JSON.stringify(meter.toJSON())));
    expect(copy.usedToday(now)).toBe(1);
    expect(copy.limit).toBe(10_000);
  });
});
