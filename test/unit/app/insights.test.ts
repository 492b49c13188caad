/**
 * Schedule intelligence through the app: freshness recorded where run results are recorded, shown in
 * job details, stats and the monitor; anomalies in monitor and health, mailed once when asked; the
 * suggestion's YouTube cost (one playlist page per channel nobody has read, then nothing).
 */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import type { YouTubeVideo } from '../../../src-server/ports';
import { createFakeWorld, resetCalls, storedRows, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const CHANNEL_ID = 'UCshow0000000000000000000';
const UPLOADS = `UU${CHANNEL_ID.slice(2)}`;
const MIN = 60_000;
const DAY = 86_400_000;

function video(n: number, publishedAt: number): YouTubeVideo {
  return {
    id: `show-v${n}`,
    title: `Episode ${n}`,
    description: '',
    publishedAt: new Date(publishedAt).toISOString(),
    channelId: CHANNEL_ID,
    channelTitle: 'Show',
    tags: [],
    thumbnailUrl: null,
    durationIso: 'PT10M',
    views: n,
    likes: 0,
    comments: 0,
  };
}

/** A channel that uploaded every Tuesday and Thursday at 21:30 UTC for 20 weeks before the start. */
function setup(start = '2026-01-05T12:00:00Z'): { world: FakeWorld; publish: (at: number) => void } {
  const world = createFakeWorld(start, 'UTC');
  world.youtube.channels.push({
    id: CHANNEL_ID,
    title: 'Show',
    handle: '@show',
    uploadsPlaylistId: UPLOADS,
    videoCount: 0,
    thumbnailUrl: null,
  });
  const list: YouTubeVideo[] = [];
  let n = 0;
  for (let t = Date.parse('2025-08-19T21:30:00Z'); t < Date.parse(start); t += DAY) {
    const day = new Date(t).getUTCDay();
    if (day === 2 || day === 4) list.unshift(video(n++, t));
  }
  world.youtube.uploads.set(UPLOADS, list);
  return { world, publish: (at: number) => list.unshift(video(n++, at)) };
}
const app = (world: FakeWorld) => createSchedulerApp(world.deps);
const tickAt = (world: FakeWorld, ms: number) => {
  world.clock.set(new Date(ms));
  app(world).tick();
};
const hourly = {
  name: 'Show hourly',
  channels: ['@show'],
  schedule_type: 'interval',
  schedule_value: '1h',
  target_tab_name: 'Videos',
  timezone: 'UTC',
};

describe('freshness', () => {
  test('measured from publish time to the run that wrote it; the first (backfill) run counts nothing', () => {
    const { world, publish } = setup();
    const { job } = app(world).createJob(hourly, owner);
    tickAt(world, Date.parse('2026-01-05T13:00:30Z')); // backfill: 40 old videos
    expect(app(world).getJob(job.id).freshness).toMatchObject({ samples: 0, median_minutes: null });

    publish(Date.parse('2026-01-06T21:30:00Z'));
    tickAt(world, Date.parse('2026-01-06T22:00:30Z')); // written 30 minutes after it was published
    publish(Date.parse('2026-01-08T21:10:00Z'));
    tickAt(world, Date.parse('2026-01-08T22:00:30Z')); // 50 minutes

    const detail = app(world).getJob(job.id);
    expect(detail.freshness!.samples).toBe(2);
    expect(detail.freshness!.median_minutes).toBeGreaterThanOrEqual(30);
    expect(detail.freshness!.p90_minutes).toBeLessThanOrEqual(60);
    expect(app(world).stats().per_job[0]!.freshness).toEqual(detail.freshness);
    expect(app(world).monitor().freshness).toEqual([{ job_id: job.id, job_name: 'Show hourly', ...detail.freshness }]);

    // Kept small: the state holds a digest, not a row per video.
    const state = JSON.stringify(storedRows(world).get(job.id)!.state);
    expect(
      JSON.parse(state)
        .insight.fr.flatMap((p: [number, number[]]) => p[1])
        .reduce((s: number, c: number) => s + c, 0),
    ).toBe(2);
    expect(state.length).toBeLessThan(3000);
  });

  test('insights: the hourly job could run far less often with the same freshness', () => {
    const { world } = setup();
    const { job } = app(world).createJob(hourly, owner);
    tickAt(world, Date.parse('2026-01-05T13:00:30Z'));
    const insights = app(world).jobInsights(job.id);
    expect(insights.channels[0]).toMatchObject({ channel: '@show', source: 'job', summary: 'mostly Tue and Thu 21:00–22:00' });
    expect(insights.heatmap[2]![21]).toBeGreaterThan(10);
    expect(insights.current.runs_per_week).toBe(168);
    expect(insights.suggestion).toMatchObject({ schedule_type: 'weekly', runs_per_week: 2 });
    expect(insights.less_often_factor).toBe(84);
    expect(insights.hint).toMatch(/^This job could run 84× less often with the same freshness/);
  });
});

describe('anomalies', () => {
  test("a run far above the job's units is flagged in monitor and health and mailed once when asked", () => {
    const { world, publish } = setup();
    const { job } = app(world).createJob({ ...hourly, notify_on: ['anomaly'], notify_emails: ['ops@example.com'] }, owner);
    let t = Date.parse('2026-01-05T13:00:30Z');
    for (let i = 0; i < 7; i++, t += 3_600_000) tickAt(world, t);
    expect(app(world).monitor().anomalies).toEqual([]);
    expect(world.mailer.sent).toHaveLength(0);

    for (let i = 0; i < 400; i++) publish(t - 50 * MIN + i * 1000); // a flood: 8 pages and 8 videos.list calls
    tickAt(world, t);
    const monitor = app(world).monitor();
    expect(monitor.anomalies!.map((a) => a.kind)).toEqual(['run_units']);
    expect(monitor.anomalies![0]!.message).toMatch(/^A run used 1\d YouTube units; the job's last \d runs used 2 \(median\)\.$/);
    const health = app(world).health();
    expect(health.anomalies).toHaveLength(1);
    expect(health.warnings.join(' ')).toContain('1 anomaly in 1 job(s): Show hourly: A run used');
    expect(world.mailer.sent).toHaveLength(1);
    expect(world.mailer.sent[0]!.subject).toBe('[YouTube2Sheets] "Show hourly": an anomaly');
    expect(world.mailer.sent[0]!.body).toContain('Anomaly: A run used');

    // The next ordinary run clears it; nothing more is mailed.
    tickAt(world, t + 3_600_000);
    expect(app(world).monitor().anomalies).toEqual([]);
    expect(world.mailer.sent).toHaveLength(1);
    expect(app(world).getJob(job.id).anomalies).toEqual([]);
  });

  test('not mailed unless notify_on asks for anomaly', () => {
    const { world, publish } = setup();
    app(world).createJob({ ...hourly, notify_emails: ['ops@example.com'] }, owner);
    let t = Date.parse('2026-01-05T13:00:30Z');
    for (let i = 0; i < 7; i++, t += 3_600_000) tickAt(world, t);
    for (let i = 0; i < 400; i++) publish(t - 50 * MIN + i * 1000);
    tickAt(world, t);
    expect(app(world).monitor().anomalies).toHaveLength(1);
    expect(world.mailer.sent).toHaveLength(0);
  });
});

describe('suggestion', () => {
  test('a channel nobody has read costs its check and one playlist page, once; then the cache answers', () => {
    const { world } = setup();
    const first = app(world).suggestSchedule({ channels: ['@show'], timezone: 'UTC', target_delay_minutes: 120 });
    expect(first).toMatchObject({
      schedule_type: 'weekly',
      schedule_value: expect.stringMatching(/^TUE,THU@2[1-3]:\d\d$/),
      basis: 'pattern',
      runs_per_week: 2,
      quota_units_spent: 1,
    });
    expect(first.channels[0]).toMatchObject({ source: 'youtube', uploads: 40 });
    expect(first.met_share).toBeGreaterThanOrEqual(0.9);
    expect(first.explanation).toMatch(
      /^@show uploads mostly Tue and Thu 21:00–22:00 UTC; syncing Tue and Thu at 2\d:\d\d gets 100 % of videos within 2 h for 4 units a week/,
    );
    expect(world.calls['youtube.listPlaylistItems']).toBe(1);
    expect(world.calls['youtube.listChannels']).toBe(1);
    expect(JSON.parse(world.properties.data['meta:quota']!).used).toBe(2);

    resetCalls(world.calls);
    const again = app(world).suggestSchedule({ channels: ['@show'], timezone: 'UTC', target_delay_minutes: 120 });
    expect(again.channels[0]!.source).toBe('cache');
    expect(again.quota_units_spent).toBe(0);
    expect(world.calls['youtube.listPlaylistItems'] ?? 0).toBe(0);
    expect(world.calls['youtube.listChannels'] ?? 0).toBe(0);
  });

  test('a channel a job has read costs nothing', () => {
    const { world } = setup();
    app(world).createJob(hourly, owner);
    tickAt(world, Date.parse('2026-01-05T13:00:30Z'));
    world.cache.data.clear();
    resetCalls(world.calls);
    const s = app(world).suggestSchedule({ channels: ['https://www.youtube.com/@show'], target_delay_minutes: 60 });
    expect(s.channels[0]!.source).toBe('job');
    expect(s.timezone).toBe('UTC');
    expect(world.calls['youtube.listPlaylistItems'] ?? 0).toBe(0);
  });

  test('bad input names the field', () => {
    const { world } = setup();
    expect(() => app(world).suggestSchedule({ channels: [], target_delay_minutes: 60 })).toThrow('channels: must list 1 to 50 channels');
    expect(() => app(world).suggestSchedule({ channels: ['@show'], target_delay_minutes: 5 })).toThrow(
      /^target_delay_minutes: must be a whole number of minutes from 15/,
    );
    expect(() => app(world).suggestSchedule({ channels: ['@show'], target_delay_minutes: 60, timezone: 'Mars/Base' })).toThrow(
      /^timezone: must be an IANA/,
    );
    expect(() => app(world).suggestSchedule({ channels: ['not a channel!'], target_delay_minutes: 60 })).toThrow(/^channels\.0: /);
    expect(() => app(world).suggestSchedule({ channels: ['@show'], target_delay_minutes: 60, delay: 1 })).toThrow(/^delay: unknown field/);
  });
});
