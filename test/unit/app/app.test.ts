import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { AppError } from '../../../src-server/app/contract';
import { AUDIT_TAB } from '../../../src-server/app/logs';
import { createFakeWorld, resetCalls, storedJobIds, storedRows, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const daily = {
  name: 'Daily Sync',
  channels: ['@mkbhd'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  target_sheet_id: '',
  target_tab_name: 'Videos',
};

function setup(start = '2026-01-05T12:00:00Z'): { world: FakeWorld; app: ReturnType<typeof createSchedulerApp> } {
  const world = createFakeWorld(start);
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 120);
  return { world, app: createSchedulerApp(world.deps) };
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

function auditActions(world: FakeWorld): string[] {
  return (world.spreadsheets.tab(AUDIT_TAB)?.rows.slice(1) ?? []).map((r) => String(r[2]));
}

describe('job definitions', () => {
  test('create accepts the spec example, stores definition and state apart, audits, arms triggers', () => {
    const { world, app } = setup();
    const { job } = app.createJob(daily, owner);
    expect(job.version).toBe(1);
    expect(job.config.timezone).toBe('America/New_York');
    expect(job.next_runs[0]).toBe('2026-01-05T14:00:00.000Z');
    expect(job.schedule_text).toContain('09:00');
    // Definition and state in the job's row of the hidden jobs tab; only coordination data in properties.
    const row = storedRows(world).get(job.id)!;
    expect(row.definition).toMatchObject({ id: job.id, version: 1, config: { name: 'Daily Sync' } });
    expect(row.state).toMatchObject({ planner: {} });
    expect(world.spreadsheets.tab('_y2s_jobs')!.hidden).toBe(true);
    expect(Object.keys(world.properties.data).filter((k) => k.includes(job.id))).toEqual([]);
    expect(world.properties.data['meta:next_due']).toBe('2026-01-05T14:00:00.000Z');
    // One read for the channel check (outside the lock, settings and quota), one under the lock;
    // the check's quota unit is written in the same batch as the job.
    expect(world.calls['properties.getAll']).toBe(2);
    // The change (with its journaled audit row), then the mark that the row is appended.
    expect(world.calls['properties.setMany']).toBe(2);
    expect(world.calls['youtube.listChannels']).toBe(1);
    expect(app.health().youtube_quota.used_today).toBe(1);
    expect(auditActions(world)).toEqual(['job.create']);
    const audit = world.spreadsheets.tab(AUDIT_TAB)!;
    expect(audit.hidden).toBe(true);
    expect(audit.rows[1]![1]).toBe('user:owner@example.com');
    expect(world.triggers.items.map((t) => t.kind).sort()).toEqual(['clock-at', 'clock-every-minutes']);
  });

  test('validation errors name the field; nothing is written', () => {
    const { world, app } = setup();
    const err = errorOf(() => app.createJob({ ...daily, schedule_type: 'weekly', schedule_value: 'sometimes' }, owner));
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toMatch(/schedule_value/);
    expect(world.properties.data).toEqual({});
    expect(world.lock.held).toBe(false);
  });

  test('channels YouTube does not know are refused by name before anything is written', async () => {
    const { YouTubeApiError } = await import('../../../src-server/ports');
    const { world, app } = setup();
    world.youtube.addChannel('@veritasium', 'UCveritasium0000000000000', 5);
    // Schema errors come first, without spending quota on a check.
    expect(errorOf(() => app.createJob({ ...daily, channels: ['@nosuch'], schedule_value: '25:00' }, owner)).message).toMatch(
      /^schedule_value/,
    );
    expect(world.calls['youtube.listChannels'] ?? 0).toBe(0);

    const err = errorOf(() => app.createJob({ ...daily, channels: ['@mkbhd', '@nosuch', 'UCnotachannel00000000000'] }, owner));
    expect(err).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(err.details).toEqual([
      { path: 'channels.1', message: '@nosuch: no such channel', reason: 'not_found' },
      { path: 'channels.2', message: 'UCnotachannel00000000000: no such channel', reason: 'not_found' },
    ]);
    expect(Object.keys(world.properties.data).filter((k) => k.startsWith('job:'))).toEqual([]);
    expect(app.health().youtube_quota.used_today).toBe(3); // the refused check's units are still metered

    const { job } = app.createJob(daily, owner);
    expect(errorOf(() => app.patchJob(job.id, { channels: ['@mkbhd', '@typo'] }, owner)).details).toEqual([
      { path: 'channels.1', message: '@typo: no such channel', reason: 'not_found' },
    ]);
    expect(errorOf(() => app.updateJob(job.id, { ...daily, channels: ['@typo'] }, owner)).message).toBe(
      'channels.0: @typo: no such channel',
    );
    expect(app.getJob(job.id).config.channels).toEqual(['@mkbhd']);
    expect(app.patchJob(job.id, { channels: ['@mkbhd', '@veritasium'] }, owner).job.config.channels).toEqual(['@mkbhd', '@veritasium']);

    // A channel the job already has is not checked again (it may be gone: the run reports that).
    world.youtube.channels = world.youtube.channels.filter((c) => c.handle !== '@veritasium');
    const calls = world.calls['youtube.listChannels'];
    expect(app.patchJob(job.id, { channels: ['@veritasium', '@mkbhd'] }, owner).job.version).toBe(3);
    expect(world.calls['youtube.listChannels']).toBe(calls);
    // ... also when a client sends it in another form (a URL for the stored @handle).
    const renamed = app.updateJob(
      job.id,
      { ...daily, name: 'Renamed', channels: ['https://www.youtube.com/@veritasium', '@mkbhd'] },
      owner,
    );
    expect(renamed.job.config.name).toBe('Renamed');
    expect(world.calls['youtube.listChannels']).toBe(calls);
    // A stale version is refused before any quota is spent on a check.
    expect(errorOf(() => app.patchJob(job.id, { channels: ['@brandnew'] }, owner, 1)).code).toBe('version_conflict');
    expect(world.calls['youtube.listChannels']).toBe(calls);

    // When YouTube cannot answer (quota), the change goes through unchecked.
    world.youtube.failures.push(new YouTubeApiError('quota', 'channels.list', 403, 'quotaExceeded', 'quota'));
    expect(
      app.createJob({ ...daily, name: 'Unchecked', channels: ['@later'], target_tab_name: 'Later' }, owner).job.config.channels,
    ).toEqual(['@later']);
  });

  test('a new job that could never run is refused, naming the field', () => {
    const { world, app } = setup(); // now: 2026-01-05T12:00Z
    const once = errorOf(() => app.createJob({ ...daily, schedule_type: 'once', schedule_value: '2025-01-01T09:00' }, owner));
    expect(once.details).toEqual([
      { path: 'schedule_value', message: 'schedule_value: 2025-01-01T09:00 (America/New_York) is in the past; a once job would never run' },
    ]);
    expect(errorOf(() => app.createJob({ ...daily, end_at: '2026-01-01T00:00' }, owner)).details).toEqual([
      { path: 'end_at', message: 'end_at: 2026-01-01T00:00 leaves no run after now; the job would never run' },
    ]);
    expect(Object.keys(world.properties.data).filter((k) => k.startsWith('job:'))).toEqual([]);
    // A once job later today, or a disabled one, is fine.
    expect(app.createJob({ ...daily, schedule_type: 'once', schedule_value: '2026-01-05T18:00' }, owner).job.next_runs).toEqual([
      '2026-01-05T23:00:00.000Z',
    ]);
    expect(
      app.createJob(
        { ...daily, name: 'Old', target_tab_name: 'Old', schedule_type: 'once', schedule_value: '2025-01-01T09:00', enabled: false },
        owner,
      ).job.config.enabled,
    ).toBe(false);
  });

  test('update checks the version; patch changes one field and bumps the version', () => {
    const { app } = setup();
    const { job } = app.createJob(daily, owner);
    const conflict = errorOf(() => app.updateJob(job.id, { ...daily, name: 'X' }, owner, 7));
    expect(conflict.status).toBe(409);
    expect(conflict.code).toBe('version_conflict');
    const patched = app.patchJob(job.id, { schedule_value: '10:30' }, owner, 1).job;
    expect(patched.version).toBe(2);
    expect(patched.config.schedule_value).toBe('10:30');
    expect(patched.config.name).toBe('Daily Sync');
    expect(errorOf(() => app.patchJob(job.id, { name: 'Y' }, owner, 1)).code).toBe('version_conflict');
  });

  test('busy when the lock cannot be had', () => {
    const { world, app } = setup();
    world.lock.contended = true;
    const err = errorOf(() => app.createJob(daily, owner));
    expect(err.status).toBe(503);
    expect(err.code).toBe('busy');
  });

  test('a full property store no longer stops jobs: a new job is stored in the jobs tab', () => {
    const { world, app } = setup();
    app.createJob(daily, owner);
    // Fill the property store close to 500 KB with other data (e.g. API keys of the API).
    let used = Object.entries(world.properties.data).reduce((n, [k, v]) => n + k.length + v.length, 0);
    for (let i = 0; used < 500 * 1024 - 300; i++) {
      const value = 'x'.repeat(Math.min(8_000, 500 * 1024 - 300 - used));
      world.properties.data[`filler:${i}`] = value;
      used += `filler:${i}`.length + value.length;
    }
    const { job } = app.createJob({ ...daily, name: 'Another', description: 'd'.repeat(900) }, owner);
    expect(app.getJob(job.id).config.description).toHaveLength(900);
    expect(storedJobIds(world)).toHaveLength(2);
  });

  test('a job over a cell is refused with the limit named; nothing is written', () => {
    const { world, app } = setup();
    const { job } = app.createJob(daily, owner);
    const rowsBefore = JSON.stringify(world.spreadsheets.tab('_y2s_jobs')!.rows);
    const err = errorOf(() => app.patchJob(job.id, { tags: Array.from({ length: 2_000 }, (_, i) => `tag-${i}-${'é'.repeat(20)}`) }, owner));
    expect([413, 422]).toContain(err.status);
    expect(JSON.stringify(world.spreadsheets.tab('_y2s_jobs')!.rows)).toBe(rowsBefore);
    expect(app.getJob(job.id).version).toBe(1);
  });

  test('pause/resume/enable/disable/delete each write an audit row with the actor', () => {
    const { world, app } = setup();
    const api: Actor = { kind: 'api', key_id: 'k_1' };
    const { job } = app.createJob(daily, owner);
    expect(app.pauseJob(job.id, api).status).toBe('paused');
    expect(app.resumeJob(job.id, api).status).toBe('active');
    expect(app.disableJob(job.id, api).status).toBe('disabled');
    expect(app.enableJob(job.id, api).status).toBe('active');
    app.deleteJob(job.id, { kind: 'system' });
    expect(auditActions(world)).toEqual(['job.create', 'job.pause', 'job.resume', 'job.disable', 'job.enable', 'job.delete']);
    const actors = world.spreadsheets
      .tab(AUDIT_TAB)!
      .rows.slice(1)
      .map((r) => r[1]);
    expect(actors).toEqual(['user:owner@example.com', 'api:k_1', 'api:k_1', 'api:k_1', 'api:k_1', 'system']);
    expect(errorOf(() => app.getJob(job.id)).code).toBe('job_not_found');
    expect(Object.keys(world.properties.data).filter((k) => k.includes(job.id))).toEqual([]);
    expect(storedJobIds(world)).toEqual([]);
  });

  test('bulk acts on many ids under one lock and one write, reporting each', () => {
    const { world, app } = setup();
    const a = app.createJob(daily, owner).job.id;
    const b = app.createJob({ ...daily, name: 'B', target_tab_name: 'B' }, owner).job.id;
    resetCalls(world.calls);
    const result = app.bulk('pause', [a, b, 'nope'], owner);
    expect(result.results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(result.results[2]!.error!.code).toBe('job_not_found');
    expect(world.calls['lock.tryLock']).toBe(1);
    // One write of the change (with the jobs tab's new revision), one of the mark after the audit rows.
    expect(world.calls['properties.setMany']).toBe(2);
    expect(app.listJobs({ status: 'paused' }).total).toBe(2);
  });

  test('bulk delete of a job and its dependent works in either order; a lone delete of the dependency is refused', () => {
    for (const order of ['dependency first', 'dependent first'] as const) {
      const { world, app } = setup();
      const a = app.createJob(daily, owner).job.id;
      const b = app.createJob({ ...daily, name: 'B', target_tab_name: 'B', depends_on: a }, owner).job.id;
      const c = app.createJob({ ...daily, name: 'C', target_tab_name: 'C', depends_on: b }, owner).job.id;
      expect(errorOf(() => app.deleteJob(a, owner)).code).toBe('has_dependents');
      const ids = order === 'dependency first' ? [a, b, c] : [c, a, b];
      const result = app.bulk('delete', ids, owner);
      expect(result.results).toEqual(ids.map((id) => ({ id, ok: true }))); // reported in the order given
      expect(app.listJobs({}).total).toBe(0);
      expect(auditActions(world).filter((x) => x === 'job.delete')).toHaveLength(3);
    }
    // A dependent left out of the batch still protects its dependency.
    const { app } = setup();
    const a = app.createJob(daily, owner).job.id;
    app.createJob({ ...daily, name: 'B', target_tab_name: 'B', depends_on: a }, owner);
    const other = app.createJob({ ...daily, name: 'O', target_tab_name: 'O' }, owner).job.id;
    const result = app.bulk('delete', [a, other], owner);
    expect(result.results.map((r) => [r.ok, r.error?.code])).toEqual([
      [false, 'has_dependents'],
      [true, undefined],
    ]);
  });

  test('run now is refused while the YouTube quota is used up, before any YouTube call or audit row', () => {
    const { world, app } = setup();
    const { job } = app.createJob(daily, owner);
    world.properties.data['meta:quota'] = JSON.stringify({ day: '2026-01-05', used: 9_000, deferred_until: null });
    resetCalls(world.calls);
    const err = errorOf(() => app.runNow(job.id, owner));
    expect(err.status).toBe(429);
    expect(err.code).toBe('quota_exhausted');
    expect(err.message).toMatch(/9000 of 9000 units/);
    expect(world.calls['youtube.listChannels']).toBeUndefined();
    expect(auditActions(world)).toEqual(['job.create']);
  });

  test('channel checks keep to the daily budget, and a quotaExceeded answer defers all YouTube work', async () => {
    const { YouTubeApiError } = await import('../../../src-server/ports');
    const { world, app } = setup();
    world.youtube.failures.push(new YouTubeApiError('quota', 'channels.list', 403, 'quotaExceeded', 'quota'));
    const [check] = app.checkChannels(['@mkbhd']);
    expect(check!.ok).toBe(false);
    expect(check!.error).toMatch(/quota is used up/);
    expect(check!.reason).toBe('quota');
    const health = app.health();
    expect(health.youtube_quota.deferred_until).toBe('2026-01-06T08:00:00.000Z');
    expect(health.warnings.join(' ')).toMatch(/quota exhausted/i);
    // While deferred, a check makes no YouTube call at all.
    resetCalls(world.calls);
    expect(app.checkChannels(['@other'])[0]!.error).toMatch(/quota is used up; checks resume after 2026-01-06T08:00:00.000Z/);
    expect(world.calls['youtube.listChannels']).toBeUndefined();
    // After the reset, checks work and are metered.
    world.clock.set('2026-01-06T08:00:30Z');
    expect(app.checkChannels(['@mkbhd'])[0]).toMatchObject({ ok: true, reason: null });
    expect(app.checkChannels(['@mkbhd', 'not a channel!'])).toMatchObject([
      { ok: true, reason: null },
      { ok: false, reason: 'invalid' },
    ]); // the first from the cache
    expect(app.health().youtube_quota.used_today).toBe(1);
    // The budget setting holds for checks too.
    app.updateSettings({ daily_quota_budget: 1 }, owner);
    resetCalls(world.calls);
    expect(app.checkChannels(['@third'])[0]!.error).toMatch(/budget \(settings\) is used up/);
    expect(world.calls['youtube.listChannels']).toBeUndefined();
  });

  test('list filters, sorts and paginates', () => {
    const { app } = setup();
    for (const [i, name] of ['c', 'a', 'b'].entries())
      app.createJob({ ...daily, name, priority: i + 1, target_tab_name: name, tags: i === 0 ? ['x'] : [] }, owner);
    expect(app.listJobs({ sort: 'name' }).items.map((j) => j.config.name)).toEqual(['a', 'b', 'c']);
    expect(app.listJobs({ sort: 'priority', order: 'desc' }).items.map((j) => j.config.name)).toEqual(['b', 'a', 'c']);
    const page = app.listJobs({ sort: 'name', page: 2, page_size: 2 });
    expect(page.items.map((j) => j.config.name)).toEqual(['c']);
    expect(page.total).toBe(3);
    expect(app.listJobs({ tag: 'x' }).items.map((j) => j.config.name)).toEqual(['c']);
    expect(app.listJobs({ q: 'C' }).items.map((j) => j.config.name)).toEqual(['c']);
    expect(errorOf(() => app.listJobs({ sort: 'bogus' })).code).toBe('validation_failed');
  });
});

describe('export and import', () => {
  test('CSV is quoted and neutralises formula-looking cells', () => {
    const { app } = setup();
    app.createJob({ ...daily, name: '=HYPERLINK("http://x")', description: 'a,b' }, owner);
    app.createJob({ ...daily, name: '+1 "quoted"', target_tab_name: 'Other' }, owner);
    const file = app.exportJobs('csv', { sort: 'name' });
    expect(file.content_type).toBe('text/csv');
    const lines = file.body.trim().split('\r\n');
    expect(lines[0]!.startsWith('id,name,status')).toBe(true);
    expect(file.body).toContain(`"'+1 ""quoted"""`);
    expect(file.body).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  test('JSON and YAML exports import back; ids kept -> update; all-or-nothing', () => {
    const { world, app } = setup();
    const { job } = app.createJob(daily, owner);
    const yes = app.createJob(
      { ...daily, name: 'yes', description: '<<', schedule_value: '10:30', target_tab_name: 'on', tags: ['no', '0o17'] },
      owner,
    ).job;
    const json = app.exportJobs('json', {});
    const yaml = app.exportJobs('yaml', {});
    // Quoted so that YAML 1.1 readers do not turn them into numbers or booleans.
    expect(yaml.body).toContain('schedule_value: "09:00"');
    expect(yaml.body).toContain('schedule_value: "10:30"');
    expect(yaml.body).toContain('name: "yes"');
    expect(yaml.body).toContain('target_tab_name: "on"');
    expect(yaml.body).toMatch(/- "no"\n\s+- "0o17"/);
    expect(yaml.body).toContain('description: "<<"');
    expect(yaml.body).toContain('name: "Daily Sync"');
    expect(yaml.body).toMatch(/\n\s+priority: 5\n/); // numbers stay numbers
    // Re-importing an unchanged export changes nothing: same versions, no job.update audit row.
    const updatesBefore = auditActions(world).filter((a) => a === 'job.update').length;
    expect(app.importJobs(json.body, 'json', owner)).toEqual({ created: [], updated: [], unchanged: [job.id, yes.id] });
    expect(app.importJobs(yaml.body, 'yaml', owner)).toEqual({ created: [], updated: [], unchanged: [job.id, yes.id] });
    expect(app.getJob(job.id).version).toBe(job.version);
    expect(auditActions(world).filter((a) => a === 'job.update').length).toBe(updatesBefore);
    expect(app.getJob(job.id).config.schedule_value).toBe('09:00');
    const edited = yaml.body.replace('schedule_value: "09:00"', 'schedule_value: "07:15"');
    expect(app.importJobs(edited, 'yaml', owner)).toEqual({ created: [], updated: [job.id], unchanged: [yes.id] });
    expect(app.getJob(job.id)).toMatchObject({ version: job.version + 1, config: { schedule_value: '07:15' } });
    const doc = JSON.parse(json.body) as { jobs: Record<string, unknown>[] };
    const bad = {
      jobs: [
        { ...daily, name: 'New one', target_tab_name: 'N' },
        { ...daily, schedule_type: 'never' },
      ],
    };
    const before = { ...world.properties.data };
    const err = errorOf(() => app.importJobs(JSON.stringify(bad), 'json', owner));
    expect(err.code).toBe('validation_failed');
    expect(err.message).toMatch(/jobs\.1\.schedule_type/);
    expect(world.properties.data).toEqual(before);
    const created = app.importJobs(
      `jobs:\n  - name: From YAML\n    channels: ["@mkbhd"]\n    schedule_type: interval\n    schedule_value: 6h\n    target_tab_name: Y\n`,
      'yaml',
      owner,
    );
    expect(created.created).toHaveLength(1);
    expect(doc.jobs[0]!.id).toBe(job.id);
    expect(auditActions(world)).toContain('import');
  });
});

describe('history and audit tabs that cannot be written', () => {
  /** The world's spreadsheets, failing on the hidden log tabs while `broken.on` is set. */
  function brokenLogs(world: FakeWorld): { on: boolean; deps: typeof world.deps } {
    const broken = { on: true, deps: world.deps };
    const real = world.spreadsheets;
    const fail = (tabName: string): void => {
      if (broken.on && (tabName === '_y2s_runs' || tabName === '_y2s_audit'))
        throw new Error('You are trying to edit a protected cell or object.');
    };
    broken.deps = {
      ...world.deps,
      spreadsheets: Object.assign(Object.create(real) as typeof real, {
        getTab: (id: string | null, tab: string) => (fail(tab), real.getTab(id, tab)),
        createTab: (id: string | null, tab: string, options?: { hidden?: boolean }) => (fail(tab), real.createTab(id, tab, options)),
      }),
    };
    return broken;
  }

  test("the change stands, its audit row waits in the job row's journal, health warns, and the next write appends it first", () => {
    const { world } = setup();
    const broken = brokenLogs(world);
    const first = createSchedulerApp(broken.deps);
    const { job } = first.createJob(daily, owner); // no error: the job is stored
    expect(storedJobIds(world)).toEqual([job.id]);
    expect(auditActions(world)).toEqual([]);
    expect(storedRows(world).get(job.id)!.journal).toMatchObject({ audit: [{ action: 'job.create', job_id: job.id }] });
    first.pauseJob(job.id, owner); // same execution, still failing: both rows wait, in order
    expect((storedRows(world).get(job.id)!.journal as { audit: { action: string }[] }).audit.map((a) => a.action)).toEqual([
      'job.create',
      'job.pause',
    ]);
    const health = createSchedulerApp(broken.deps).health();
    expect(health.warnings.join(' ')).toMatch(/2 run-history or audit row\(s\) wait/);

    // A later execution with the tabs writable again: the waiting rows come first, then its own.
    broken.on = false;
    createSchedulerApp(broken.deps).resumeJob(job.id, owner);
    expect(auditActions(world)).toEqual(['job.create', 'job.pause', 'job.resume']);
    expect(createSchedulerApp(broken.deps).health().warnings.join(' ')).not.toMatch(/wait to be written/);
    // Nothing is appended twice by later changes.
    createSchedulerApp(broken.deps).pauseJob(job.id, owner);
    expect(auditActions(world)).toEqual(['job.create', 'job.pause', 'job.resume', 'job.pause']);
  });

  test('journals are read under each lock: rows appended by another execution are not written again', () => {
    const { world } = setup();
    const broken = brokenLogs(world);
    const first = createSchedulerApp(broken.deps); // one long execution (a tick, a run now)
    const { job } = first.createJob(daily, owner);
    broken.on = false;
    createSchedulerApp(broken.deps).pauseJob(job.id, owner); // another execution appends the waiting row
    expect(auditActions(world)).toEqual(['job.create', 'job.pause']);
    first.resumeJob(job.id, owner); // the first one commits again: only its new row
    expect(auditActions(world)).toEqual(['job.create', 'job.pause', 'job.resume']);

    // Two executions failing in turn both keep their rows; neither overwrites the other.
    broken.on = true;
    const a = createSchedulerApp(broken.deps);
    const b = createSchedulerApp(broken.deps);
    a.pauseJob(job.id, owner);
    b.resumeJob(job.id, owner);
    a.disableJob(job.id, owner);
    broken.on = false;
    createSchedulerApp(broken.deps).enableJob(job.id, owner);
    expect(auditActions(world).slice(3)).toEqual(['job.pause', 'job.resume', 'job.disable', 'job.enable']);
  });

  test('a journal over its cell keeps the newest rows and the appended log says how many were lost', () => {
    const { world } = setup();
    const broken = brokenLogs(world);
    const app = createSchedulerApp(broken.deps);
    const { job } = app.createJob(daily, owner);
    for (let i = 0; i < 60; i++) app.patchJob(job.id, { description: `edit ${i} ${'é'.repeat(450)}` }, owner);
    const stored = String(world.spreadsheets.tab('_y2s_jobs')!.rows[1]![3]);
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(40_000);
    const journal = JSON.parse(stored) as { audit: { changes: string }[]; dropped: number };
    // Rows dropped by earlier trims travel as a count in the property journal.
    const carried = JSON.parse(world.properties.data['meta:journal'] ?? '{"dropped":0}') as { dropped: number };
    const dropped = journal.dropped + carried.dropped;
    expect(dropped).toBeGreaterThan(0);
    expect(journal.audit.at(-1)!.changes).toContain('edit 59');
    broken.on = false;
    createSchedulerApp(broken.deps).pauseJob(job.id, owner);
    const actions = auditActions(world);
    expect(actions.slice(-2)).toEqual(['job.pause', 'log.rows_lost']);
    // Every one of the 61 rows (the create and 60 edits) is either in the tab or counted as lost.
    expect(actions.filter((a) => a === 'job.create' || a === 'job.patch').length + dropped).toBe(61);
  });
});

describe('settings', () => {
  test('validated with field names; heartbeat change re-installs the heartbeat', () => {
    const { world, app } = setup();
    app.createJob(daily, owner);
    const err = errorOf(() => app.updateSettings({ heartbeat_minutes: 7 as never, notification_email: 'nope' }, owner));
    expect(err.message).toMatch(/heartbeat_minutes/);
    expect(err.message).toMatch(/notification_email/);
    const s = app.updateSettings({ heartbeat_minutes: 15 }, owner);
    expect(s.heartbeat_minutes).toBe(15);
    const beats = world.triggers.items.filter((t) => t.kind === 'clock-every-minutes');
    expect(beats).toHaveLength(1);
    expect(beats[0]!.everyMinutes).toBe(15);
    expect(auditActions(world)).toContain('settings.update');
  });
});

describe("time zones: the spreadsheet's, not the script's, is the default of new jobs", () => {
  test("a job without timezone takes the bound spreadsheet's zone; an explicit one wins; settings can override", () => {
    const world = createFakeWorld('2026-01-05T12:00:00Z', 'America/New_York', 'Asia/Tokyo');
    world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 120);
    const app = createSchedulerApp(world.deps);
    expect(app.createJob(daily, owner).job.config.timezone).toBe('Asia/Tokyo');
    expect(app.createJob({ ...daily, name: 'Paris', target_tab_name: 'Paris', timezone: 'Europe/Paris' }, owner).job.config.timezone).toBe(
      'Europe/Paris',
    );
    app.updateSettings({ default_timezone: 'Europe/London' }, owner);
    expect(app.createJob({ ...daily, name: 'London', target_tab_name: 'London' }, owner).job.config.timezone).toBe('Europe/London');
  });

  test("no bound spreadsheet zone: the script's", () => {
    const world = createFakeWorld('2026-01-05T12:00:00Z', 'America/New_York', '');
    world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 120);
    expect(createSchedulerApp(world.deps).createJob(daily, owner).job.config.timezone).toBe('America/New_York');
  });
});
