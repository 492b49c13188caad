import { parseJobConfig, type JobConfigInput } from '../../../src-server/domain/job';
import { findConflicts } from '../../../src-server/domain/conflicts';
import { plan, type PlannerJob, type PlannerJobState } from '../../../src-server/domain/planner';
import { retryDelayMs, isTransient } from '../../../src-server/domain/retry';
import { stateAfterRun, stateOnClaim, stateOnDeferred, stateOnMissed, stateOnResume } from '../../../src-server/domain/run-state';

const CREATED = '2026-01-01T00:00:00.000Z';
const H = 3_600_000;
const M = 60_000;

function job(id: string, overrides: Partial<JobConfigInput> = {}, extra: Partial<PlannerJob> = {}): PlannerJob {
  const parsed = parseJobConfig(
    {
      name: `Job ${id}`,
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '09:00',
      timezone: 'UTC',
      target_tab_name: `Tab ${id}`,
      ...overrides,
    },
    { defaultTimezone: 'UTC' },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return { id, config: parsed.value, paused: false, created_at: CREATED, ...extra };
}

const at = (s: string) => new Date(s);
const budget = { maxRuns: 10 };
const handled = (iso: string): PlannerJobState => ({ last_scheduled_for: iso });
const dueSummary = (p: ReturnType<typeof plan>) =>
  p.due.map((r) => `${r.job_id}@${r.occurrence.toISOString().slice(5, 16)}/${r.trigger}/x${r.coalesced}`);

describe('plan: due occurrences and misfires', () => {
  it('runs an occurrence that is due, and wakes at the next one', () => {
    const p = plan([job('a')], { a: handled('2026-01-04T09:00:00Z') }, at('2026-01-05T09:02:00Z'), budget);
    expect(dueSummary(p)).toEqual(['a@01-05T09:00/schedule/x1']);
    expect(p.due[0]).toMatchObject({ attempt: 1, resumed_run_id: null });
    expect(p.next_wake_at).toEqual(at('2026-01-06T09:00:00Z'));
    expect(p.missed).toEqual([]);
  });

  it('plans nothing before the time and wakes at it', () => {
    const p = plan([job('a')], { a: handled('2026-01-04T09:00:00Z') }, at('2026-01-05T08:59:00Z'), budget);
    expect(p.due).toEqual([]);
    expect(p.next_wake_at).toEqual(at('2026-01-05T09:00:00Z'));
  });

  it('a new job only runs occurrences after it was created', () => {
    const p = plan([job('a', {}, { created_at: '2026-01-05T09:30:00Z' })], {}, at('2026-01-05T10:00:00Z'), budget);
    expect(p.due).toEqual([]);
    expect(p.next_wake_at).toEqual(at('2026-01-06T09:00:00Z'));
  });

  it('coalesces the occurrences found within the grace window into one run for the newest', () => {
    const j = job('a', { schedule_type: 'interval', schedule_value: '10m', misfire_grace_minutes: 60 });
    const p = plan([j], { a: handled('2026-01-05T09:00:00Z') }, at('2026-01-05T09:45:00Z'), budget);
    expect(dueSummary(p)).toEqual(['a@01-05T09:40/schedule/x4']);
    expect(p.missed).toEqual([]);
  });

  it("catch_up 'latest': after downtime longer than the grace, older occurrences are missed and the newest runs as catch-up", () => {
    const p = plan([job('a', { misfire_grace_minutes: 30 })], { a: handled('2026-01-02T09:00:00Z') }, at('2026-01-05T12:00:00Z'), budget);
    expect(dueSummary(p)).toEqual(['a@01-05T09:00/catch-up/x1']);
    expect(p.missed.map((m) => m.occurrence.toISOString())).toEqual(['2026-01-03T09:00:00.000Z', '2026-01-04T09:00:00.000Z']);
  });

  it("catch_up 'none': stale occurrences are only recorded as missed", () => {
    const p = plan(
      [job('a', { misfire_grace_minutes: 30, catch_up: 'none' })],
      { a: handled('2026-01-02T09:00:00Z') },
      at('2026-01-05T12:00:00Z'),
      budget,
    );
    expect(p.due).toEqual([]);
    expect(p.missed).toHaveLength(3);
    expect(p.next_wake_at).toEqual(at('2026-01-06T09:00:00Z'));
  });

  it("catch_up 'all': stale occurrences run one by one, oldest first", () => {
    const p = plan(
      [job('a', { misfire_grace_minutes: 30, catch_up: 'all' })],
      { a: handled('2026-01-02T09:00:00Z') },
      at('2026-01-05T12:00:00Z'),
      budget,
    );
    expect(dueSummary(p)).toEqual(['a@01-03T09:00/catch-up/x1']);
    expect(p.missed).toEqual([]);
  });

  it('a fresh occurrence runs and stale ones before it are missed', () => {
    const p = plan([job('a', { misfire_grace_minutes: 60 })], { a: handled('2026-01-03T09:00:00Z') }, at('2026-01-05T09:30:00Z'), budget);
    expect(dueSummary(p)).toEqual(['a@01-05T09:00/schedule/x1']);
    expect(p.missed.map((m) => m.occurrence.toISOString())).toEqual(['2026-01-04T09:00:00.000Z']);
  });

  it('folds a long backlog of missed occurrences into one entry plus the newest ones', () => {
    const j = job('a', { schedule_type: 'interval', schedule_value: '5m', misfire_grace_minutes: 0, catch_up: 'none' });
    const p = plan([j], { a: handled('2026-01-05T00:00:00Z') }, at('2026-01-06T00:02:00Z'), budget);
    const total = p.missed.reduce((n, m) => n + m.count, 0);
    expect(total).toBe(24 * 12);
    // The newest 20 one by one, the older ones as one entry.
    expect(p.missed).toHaveLength(21);
    expect(p.missed[0]).toMatchObject({ count: 24 * 12 - 20, first: at('2026-01-05T00:05:00Z'), occurrence: at('2026-01-05T22:20:00Z') });
    expect(p.missed.slice(1).every((m) => m.count === 1)).toBe(true);
    expect(p.missed[20]!.occurrence).toEqual(at('2026-01-06T00:00:00Z'));
  });

  it('a deferred occurrence (state.deferred_for) does not turn stale', () => {
    const j = job('a', { misfire_grace_minutes: 10, catch_up: 'none' });
    const state = { last_scheduled_for: '2026-01-04T09:00:00Z', deferred_for: '2026-01-05T09:00:00Z' };
    expect(dueSummary(plan([j], { a: state }, at('2026-01-05T15:00:00Z'), budget))).toEqual(['a@01-05T09:00/schedule/x1']);
    expect(plan([j], { a: { last_scheduled_for: state.last_scheduled_for } }, at('2026-01-05T15:00:00Z'), budget).due).toEqual([]);
  });

  it('ignores paused and disabled jobs', () => {
    const p = plan([job('a', {}, { paused: true }), job('b', { enabled: false })], {}, at('2026-01-05T09:00:00Z'), budget);
    expect(p).toEqual({ due: [], missed: [], deferred: [], next_wake_at: null });
  });
});

describe('plan: order and budget', () => {
  it('orders by priority (10 first), then occurrence, and defers what does not fit', () => {
    const jobs = [
      job('low', { priority: 1, schedule_value: '08:00' }),
      job('high', { priority: 10, schedule_value: '09:00' }),
      job('mid-late', { priority: 5, schedule_value: '09:00' }),
      job('mid-early', { priority: 5, schedule_value: '08:30' }),
    ];
    const states = Object.fromEntries(jobs.map((j) => [j.id, handled('2026-01-04T12:00:00Z')]));
    const p = plan(jobs, states, at('2026-01-05T09:10:00Z'), { maxRuns: 2 });
    expect(p.due.map((r) => r.job_id)).toEqual(['high', 'mid-early']);
    expect(p.deferred.map((d) => [d.job_id, d.reason])).toEqual([
      ['mid-late', 'budget'],
      ['low', 'budget'],
    ]);
    // Deferred work is due already: wake at once.
    expect(p.next_wake_at).toEqual(at('2026-01-05T09:10:00Z'));
  });
});

describe('plan: conflicts', () => {
  it('runs at most one job per tab, counting runs leased by other ticks', () => {
    const jobs = [
      job('a', { target_tab_name: 'Videos', priority: 9 }),
      job('b', { target_tab_name: 'videos' }),
      job('c', { target_tab_name: 'Other' }),
    ];
    const states = Object.fromEntries(jobs.map((j) => [j.id, handled('2026-01-04T09:00:00Z')]));
    const p = plan(jobs, states, at('2026-01-05T09:01:00Z'), budget);
    expect(p.due.map((r) => r.job_id)).toEqual(['a', 'c']);
    expect(p.deferred).toEqual([expect.objectContaining({ job_id: 'b', reason: 'tab_conflict' })]);

    const leased = {
      ...states,
      x: {
        last_scheduled_for: '2026-01-04T23:00:00Z',
        lease: { run_id: 'r1', until: '2026-01-05T09:20:00Z', occurrence: '2026-01-05T09:00:00Z', trigger: 'manual' as const },
      },
    };
    const withX = [...jobs, job('x', { target_tab_name: 'VIDEOS', schedule_value: '23:00' })];
    const p2 = plan(withX, leased, at('2026-01-05T09:01:00Z'), budget);
    expect(p2.due.map((r) => r.job_id)).toEqual(['c']);
    expect(p2.deferred.map((d) => [d.job_id, d.reason, d.until?.toISOString()])).toEqual([
      ['a', 'tab_conflict', '2026-01-05T09:20:00.000Z'],
      ['b', 'tab_conflict', '2026-01-05T09:20:00.000Z'],
    ]);
  });

  it('treats an empty target_sheet_id and the bound spreadsheet id as the same spreadsheet', () => {
    const jobs = [
      job('a', { target_tab_name: 'V', priority: 9 }),
      job('b', { target_tab_name: 'V', target_sheet_id: 'BOUND' }),
      job('c', { target_tab_name: 'V', target_sheet_id: 'ELSEWHERE' }),
    ];
    const states = Object.fromEntries(jobs.map((j) => [j.id, handled('2026-01-04T09:00:00Z')]));
    const p = plan(jobs, states, at('2026-01-05T09:01:00Z'), { maxRuns: 10, activeSpreadsheetId: 'BOUND' });
    expect(p.due.map((r) => r.job_id)).toEqual(['a', 'c']);
  });

  it('never starts a job that is still running; its due occurrence waits', () => {
    const state = {
      last_scheduled_for: '2026-01-04T09:00:00Z',
      lease: { run_id: 'r1', until: '2026-01-05T09:30:00Z', occurrence: '2026-01-04T09:00:00Z', trigger: 'schedule' as const },
    };
    const p = plan([job('a')], { a: state }, at('2026-01-05T09:05:00Z'), budget);
    expect(p.due).toEqual([]);
    expect(p.deferred).toEqual([expect.objectContaining({ job_id: 'a', reason: 'job_running' })]);
  });

  it('resumes the run of an execution that died (expired lease)', () => {
    const state = {
      last_scheduled_for: '2026-01-05T09:00:00Z',
      attempt: 1,
      lease: { run_id: 'r9', until: '2026-01-05T09:10:00Z', occurrence: '2026-01-05T09:00:00Z', trigger: 'schedule' as const, attempt: 1 },
    };
    const p = plan([job('a')], { a: state }, at('2026-01-05T09:20:00Z'), budget);
    expect(p.due).toEqual([
      expect.objectContaining({
        job_id: 'a',
        occurrence: at('2026-01-05T09:00:00Z'),
        resumed_run_id: 'r9',
        trigger: 'schedule',
        attempt: 1,
      }),
    ]);
  });

  it('findConflicts reports other jobs writing the same tab within the same hour', () => {
    const others = [
      job('same-tab-close', { target_tab_name: 'Videos', schedule_value: '09:30' }),
      job('same-tab-far', { target_tab_name: 'Videos', schedule_value: '15:00' }),
      job('other-tab', { target_tab_name: 'Else', schedule_value: '09:00' }),
      job('paused', { target_tab_name: 'Videos', schedule_value: '09:00' }, { paused: true }),
    ];
    const candidate = job('new', { target_tab_name: 'Videos', schedule_value: '09:00' });
    const warnings = findConflicts(candidate, others, at('2026-01-05T00:00:00Z'));
    expect(warnings).toEqual([
      {
        job_id: 'same-tab-close',
        job_name: 'Job same-tab-close',
        tab: 'Videos',
        at: '2026-01-05T09:30:00.000Z',
        message:
          "Job same-tab-close also writes “Videos” within the same hour (Mon, Jan 5, 09:30 UTC, 30 min from this job's 09:00): one of them will wait for the other.",
      },
    ]);
    expect(findConflicts({ id: 'same-tab-close', config: others[0]!.config }, others, at('2026-01-05T00:00:00Z'))).toEqual([]);
  });
});

describe('plan: dependencies', () => {
  const upstream = job('up', { schedule_value: '08:00' });
  const downstream = job('down', { schedule_value: '09:00', depends_on: 'up' });

  it('waits until the dependency succeeded since its previous occurrence', () => {
    const states = {
      up: { last_scheduled_for: '2026-01-05T08:00:00Z', last_success_for: '2026-01-04T08:00:00Z' },
      down: handled('2026-01-04T09:00:00Z'),
    };
    const p = plan([upstream, downstream], states, at('2026-01-05T09:05:00Z'), budget);
    expect(p.due).toEqual([]);
    expect(p.deferred).toEqual([
      expect.objectContaining({ job_id: 'down', reason: 'dependency', message: expect.stringContaining('Job up') }),
    ]);

    const ok = { ...states, up: { ...states.up, last_success_for: '2026-01-05T08:00:00Z' } };
    expect(plan([upstream, downstream], ok, at('2026-01-05T09:05:00Z'), budget).due.map((r) => r.job_id)).toEqual(['down']);
  });

  it('a dependency at the same time must succeed for this period, not the previous one', () => {
    const same = job('up', { schedule_value: '09:00' });
    const states = {
      up: { last_success_for: '2026-01-04T09:00:00Z', last_scheduled_for: '2026-01-05T09:00:00Z' },
      down: handled('2026-01-04T09:00:00Z'),
    };
    expect(plan([same, downstream], states, at('2026-01-05T09:05:00Z'), budget).deferred.map((d) => d.reason)).toEqual(['dependency']);
  });

  it('waits, with a message, when the dependency does not exist', () => {
    const p = plan([downstream], { down: handled('2026-01-04T09:00:00Z') }, at('2026-01-05T09:05:00Z'), budget);
    expect(p.deferred).toEqual([expect.objectContaining({ reason: 'dependency', message: 'waits for job up, which does not exist' })]);
  });
});

describe('plan: retries and quota', () => {
  it('plans a retry once its backoff has passed, and wakes for it before', () => {
    const state = {
      last_scheduled_for: '2026-01-05T09:00:00Z',
      attempt: 1,
      retry_at: '2026-01-05T09:12:00Z',
      retry_of: '2026-01-05T09:00:00Z',
    };
    const before = plan([job('a')], { a: state }, at('2026-01-05T09:10:00Z'), budget);
    expect(before.due).toEqual([]);
    expect(before.next_wake_at).toEqual(at('2026-01-05T09:12:00Z'));
    const after = plan([job('a')], { a: state }, at('2026-01-05T09:12:00Z'), budget);
    expect(after.due).toEqual([expect.objectContaining({ trigger: 'retry', attempt: 2, occurrence: at('2026-01-05T09:00:00Z') })]);
  });

  it('a newer due occurrence supersedes a pending retry', () => {
    const j = job('a', { schedule_type: 'interval', schedule_value: '30m' });
    const state = {
      last_scheduled_for: '2026-01-05T09:00:00Z',
      attempt: 2,
      retry_at: '2026-01-05T09:40:00Z',
      retry_of: '2026-01-05T09:00:00Z',
    };
    const p = plan([j], { a: state }, at('2026-01-05T09:31:00Z'), budget);
    expect(p.due).toEqual([expect.objectContaining({ trigger: 'schedule', attempt: 1, occurrence: at('2026-01-05T09:30:00Z') })]);
  });

  it('defers every due run while the quota is exhausted, and wakes at the reset', () => {
    const reset = at('2026-01-05T08:00:00Z');
    const p = plan([job('a')], { a: handled('2026-01-04T09:00:00Z') }, at('2026-01-05T07:00:00Z'), {
      maxRuns: 10,
      quotaDeferredUntil: reset,
    });
    expect(p.due).toEqual([]);
    const q = plan([job('a')], { a: handled('2026-01-04T09:00:00Z') }, at('2026-01-05T09:00:00Z'), {
      maxRuns: 10,
      quotaDeferredUntil: new Date('2026-01-05T10:00:00Z'),
    });
    expect(q.deferred).toEqual([expect.objectContaining({ reason: 'quota', until: at('2026-01-05T10:00:00Z') })]);
    expect(q.next_wake_at).toEqual(at('2026-01-05T10:00:00Z'));
    const perJob = plan(
      [job('a')],
      { a: { ...handled('2026-01-04T09:00:00Z'), quota_deferred_until: '2026-01-05T10:00:00Z' } },
      at('2026-01-05T09:00:00Z'),
      budget,
    );
    expect(perJob.deferred.map((d) => d.reason)).toEqual(['quota']);
  });
});

describe('retry policy and state transitions', () => {
  it('retryDelayMs doubles per attempt with deterministic jitter within ±25%', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const d = retryDelayMs(attempt, 5, `job:${attempt}`);
      const base = 5 * M * 2 ** (attempt - 1);
      expect(d).toBeGreaterThanOrEqual(base * 0.75);
      expect(d).toBeLessThan(base * 1.25);
      expect(retryDelayMs(attempt, 5, `job:${attempt}`)).toBe(d);
    }
    expect(retryDelayMs(30, 1440, 'x')).toBe(24 * H);
    expect(new Set(['a', 'b', 'c', 'd'].map((s) => retryDelayMs(1, 60, s))).size).toBeGreaterThan(1);
    expect(isTransient('transient')).toBe(true);
    expect(isTransient('permanent')).toBe(false);
    expect(isTransient('quota')).toBe(false);
  });

  const cfg = { max_retries: 2, retry_backoff_minutes: 5 };
  const occurrence = at('2026-01-05T09:00:00Z');
  const finishedAt = at('2026-01-05T09:03:00Z');

  it('a transient failure schedules a retry until max_retries is used up', () => {
    const s1 = stateAfterRun({}, 'a', cfg, { status: 'failed', occurrence, attempt: 1, finishedAt, errorKind: 'transient' });
    expect(s1.retry_of).toBe(occurrence.toISOString());
    expect(Date.parse(s1.retry_at!) - finishedAt.getTime()).toBe(retryDelayMs(1, 5, 'a:1'));
    const s3 = stateAfterRun(s1, 'a', cfg, { status: 'failed', occurrence, attempt: 3, finishedAt, errorKind: 'transient' });
    expect(s3.retry_at).toBeNull();
    expect(s3.consecutive_failures).toBe(2);
  });

  it('a permanent failure does not retry; success resets the failure count', () => {
    const s = stateAfterRun({ consecutive_failures: 4 }, 'a', cfg, {
      status: 'failed',
      occurrence,
      attempt: 1,
      finishedAt,
      errorKind: 'permanent',
    });
    expect(s).toMatchObject({ retry_at: null, consecutive_failures: 5, last_status: 'failed' });
    expect(stateAfterRun(s, 'a', cfg, { status: 'succeeded', occurrence, attempt: 1, finishedAt })).toMatchObject({
      consecutive_failures: 0,
      last_success_for: occurrence.toISOString(),
      lease: null,
    });
  });

  it('a quota failure waits for the reset without using an attempt', () => {
    const reset = at('2026-01-05T08:00:00Z');
    const s = stateAfterRun({}, 'a', cfg, {
      status: 'failed',
      occurrence,
      attempt: 1,
      finishedAt,
      errorKind: 'quota',
      quotaResetAt: reset,
    });
    expect(s).toMatchObject({ quota_deferred_until: reset.toISOString(), retry_at: reset.toISOString(), attempt: 0 });
  });

  it('claim, missed, deferred and resume transitions feed the next plan', () => {
    const j = job('a', { misfire_grace_minutes: 30 });
    const now = at('2026-01-05T12:00:00Z');
    let state: PlannerJobState = handled('2026-01-02T09:00:00Z');
    const p = plan([j], { a: state }, now, budget);
    state = stateOnMissed(state, p.missed);
    state = stateOnClaim(state, p.due[0]!, 'run-1', new Date(now.getTime() + 10 * M));
    expect(state.last_scheduled_for).toBe('2026-01-05T09:00:00.000Z');
    expect(plan([j], { a: state }, new Date(now.getTime() + M), budget)).toMatchObject({ due: [], missed: [] });
    state = stateOnDeferred(state, { job_id: 'a', reason: 'budget', occurrence: at('2026-01-06T09:00:00Z'), until: null, message: '' });
    expect(state.deferred_for).toBe('2026-01-06T09:00:00.000Z');
    expect(stateOnResume(state, at('2026-02-01T00:00:00Z')).last_scheduled_for).toBe('2026-02-01T00:00:00.000Z');
  });
});

describe('plan is pure', () => {
  it('returns the same plan for the same inputs and does not touch them', () => {
    const jobs = [job('a'), job('b', { schedule_type: 'cron', schedule_value: '*/15 * * * *', target_tab_name: 'Tab a' })];
    const states = {
      a: handled('2026-01-04T09:00:00Z'),
      b: { retry_at: '2026-01-05T09:00:00Z', retry_of: '2026-01-05T08:00:00Z', last_scheduled_for: '2026-01-05T08:00:00Z' },
    };
    const frozen = JSON.stringify({ jobs, states });
    const p1 = plan(jobs, states, at('2026-01-05T09:01:00Z'), budget);
    const p2 = plan(jobs, states, at('2026-01-05T09:01:00Z'), budget);
    expect(p1).toEqual(p2);
    expect(JSON.stringify({ jobs, states })).toBe(frozen);
  });
});
