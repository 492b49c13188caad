/**
 * Notification mails through the app (tick and run now): success mails when asked, and the failure
 * mail sent at once when a permanent error leaves nothing to retry.
 */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { RUNS_TAB } from '../../../src-server/app/logs';
import { YouTubeApiError } from '../../../src-server/ports';
import { createFakeWorld, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const every5m = {
  channels: ['@mkbhd'],
  schedule_type: 'interval',
  schedule_value: '5m',
  target_tab_name: 'Videos',
  notify_emails: ['ops@example.com'],
};

function setup() {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 3);
  return world;
}
const execution = (world: FakeWorld) => createSchedulerApp(world.deps);
const statuses = (world: FakeWorld) => (world.spreadsheets.tab(RUNS_TAB)?.rows.slice(1) ?? []).map((r) => String(r[6]));
const tickAt = (world: FakeWorld, iso: string) => {
  world.clock.set(iso);
  execution(world).tick();
};

describe('notify_on: ["success"]', () => {
  test('successful runs mail, at most once an hour per job; failures and recoveries do not', () => {
    const world = setup();
    execution(world).createJob({ ...every5m, name: 'Quiet', notify_on: ['success'], max_retries: 0 }, owner);

    tickAt(world, '2026-01-05T12:05:30Z');
    expect(statuses(world)).toEqual(['succeeded']);
    expect(world.mailer.sent).toHaveLength(1);
    const mail = world.mailer.sent[0]!;
    expect(mail.to).toEqual(['ops@example.com']);
    expect(mail.subject).toBe('[YouTube2Sheets] "Quiet" succeeded');
    expect(mail.body).toContain('status succeeded');
    expect(mail.body).toContain('Videos added: 3, updated: 0');
    expect(mail.body).toContain('Next attempt: 2026-01-05T12:10:00.000Z');
    expect(mail.body).not.toMatch(/Error:/);

    // Five minutes later: another success, no mail (one success mail an hour per job).
    tickAt(world, '2026-01-05T12:10:30Z');
    expect(statuses(world)).toEqual(['succeeded', 'succeeded']);
    expect(world.mailer.sent).toHaveLength(1);

    // A failure is not asked for, nor the recovery after it: no mail for either.
    world.youtube.failures.push(new YouTubeApiError('Channel gone', 'channels.list', 404, 'channelNotFound', 'permanent'));
    world.cache.data.clear(); // resolved channels are cached; make the run ask YouTube again
    tickAt(world, '2026-01-05T12:15:30Z');
    expect(statuses(world)[2]).toBe('failed');
    tickAt(world, '2026-01-05T12:20:30Z');
    expect(statuses(world)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded']);
    expect(world.mailer.sent).toHaveLength(1);
    // An hour after the first mail, the next success mails again.
    tickAt(world, '2026-01-05T13:05:30Z');
    expect(world.mailer.sent.map((m) => m.subject.replace(/^.*" /, ''))).toEqual(['succeeded', 'succeeded']);
  });

  test('a run now that succeeds mails too; none is sent beyond the mail quota', () => {
    const world = setup();
    const { job } = execution(world).createJob(
      { ...every5m, name: 'Manual', notify_on: ['success'], notify_emails: ['a@example.com', 'b@example.com'] },
      owner,
    );
    expect(execution(world).runNow(job.id, owner).status).toBe('succeeded');
    expect(world.mailer.sent).toEqual([
      expect.objectContaining({ to: ['a@example.com', 'b@example.com'], subject: '[YouTube2Sheets] "Manual" succeeded' }),
    ]);
    world.mailer.quota = 1; // two recipients, room for one
    world.clock.advance(3_600_000); // past the hourly success-mail throttle
    expect(execution(world).runNow(job.id, owner).status).toBe('succeeded');
    expect(world.mailer.sent).toHaveLength(1);
    expect(world.logs.some((l) => l.includes('Mail quota exhausted: success mail'))).toBe(true);
  });

  test("without notify_emails the success mail goes to the settings' notification address", () => {
    const world = setup();
    const app = execution(world);
    app.updateSettings({ notification_email: 'team@example.com' }, owner);
    const { job } = app.createJob({ ...every5m, name: 'Fallback', notify_on: ['success'], notify_emails: [] }, owner);
    execution(world).runNow(job.id, owner);
    expect(world.mailer.sent.map((m) => m.to)).toEqual([['team@example.com']]);
  });
});

describe('failure mail after a permanent error', () => {
  test('is sent at once although retries are allowed: a permanent error is not retried', () => {
    const world = setup();
    world.youtube.addChannel('@gone', 'UCgone000000000000000000', 1);
    execution(world).createJob({ ...every5m, name: 'Gone', channels: ['@gone'], max_retries: 3, notify_on: ['failure'] }, owner);
    world.youtube.channels = world.youtube.channels.filter((c) => c.handle !== '@gone'); // gone after it was checked

    tickAt(world, '2026-01-05T12:05:30Z');
    expect(statuses(world)).toEqual(['failed']);
    expect(world.mailer.sent).toHaveLength(1);
    const mail = world.mailer.sent[0]!;
    expect(mail.subject).toBe('[YouTube2Sheets] "Gone" failed');
    expect(mail.body).toMatch(/Error: .*gone/i);
    // No retry is planned: the next attempt is the next scheduled occurrence.
    expect(mail.body).toContain('Next attempt: 2026-01-05T12:10:00.000Z');
    // Nothing runs as a retry before that occurrence.
    tickAt(world, '2026-01-05T12:07:30Z');
    expect(statuses(world)).toEqual(['failed']);
    // The next occurrence fails again within the hour: throttled, one failure mail an hour.
    tickAt(world, '2026-01-05T12:10:30Z');
    expect(statuses(world)).toEqual(['failed', 'failed']);
    expect(world.mailer.sent).toHaveLength(1);
    // An hour after the first mail, the next failure mails again.
    tickAt(world, '2026-01-05T13:05:30Z');
    expect(world.mailer.sent.map((m) => m.subject)).toEqual(['[YouTube2Sheets] "Gone" failed', '[YouTube2Sheets] "Gone" failed']);
  });

  test("a job's detail shows its pending retry next to the schedule's next runs (the manager's expanded row)", () => {
    const world = setup();
    const { job } = execution(world).createJob(
      { ...every5m, name: 'Flaky', schedule_value: '6h', max_retries: 2, retry_backoff_minutes: 10 },
      owner,
    );
    expect(execution(world).getJob(job.id).pending_retry_at).toBeNull();
    const unavailable = () => new YouTubeApiError('Backend Error', 'playlistItems.list', 503, 'backendError', 'transient');
    world.youtube.failures.push(unavailable(), unavailable(), unavailable(), unavailable(), unavailable(), unavailable());
    tickAt(world, '2026-01-05T18:00:30Z');
    const detail = execution(world).getJob(job.id);
    expect(detail.pending_retry_at).not.toBeNull();
    const retryAt = Date.parse(detail.pending_retry_at!);
    expect(retryAt).toBeGreaterThan(Date.parse('2026-01-05T18:00:30Z'));
    expect(retryAt).toBeLessThan(Date.parse(detail.next_runs[0]!)); // before the schedule's next occurrence
  });

  test('a transient error mails nothing until its retries are exhausted', () => {
    const world = setup();
    execution(world).createJob(
      { ...every5m, name: 'Flaky', schedule_value: '6h', max_retries: 1, retry_backoff_minutes: 1, notify_on: ['failure'] },
      owner,
    );
    const unavailable = () => new YouTubeApiError('Backend Error', 'playlistItems.list', 503, 'backendError', 'transient');
    world.youtube.failures.push(unavailable(), unavailable(), unavailable(), unavailable(), unavailable(), unavailable());
    tickAt(world, '2026-01-05T18:00:30Z');
    expect(statuses(world)).toEqual(['failed']);
    expect(world.mailer.sent).toHaveLength(0); // a retry follows
    world.youtube.failures.push(unavailable(), unavailable(), unavailable(), unavailable(), unavailable(), unavailable());
    tickAt(world, '2026-01-05T18:10:30Z');
    expect(statuses(world)).toEqual(['failed', 'failed']);
    expect(world.mailer.sent.map((m) => m.subject)).toEqual(['[YouTube2Sheets] "Flaky" failed']);
  });
});
