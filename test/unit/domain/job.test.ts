import { DEFAULT_COLUMNS } from '../../../src-server/domain/catalogue';
import {
  JOB_LIMITS,
  normalizeChannelInput,
  parseJobConfig,
  parseJobPatch,
  tryNormalizeChannelInput,
  utf8Length,
  type JobConfig,
} from '../../../src-server/domain/job';

const ctx = { defaultTimezone: 'America/New_York' };
const SPEC_BODY = {
  name: 'Daily Sync',
  channels: ['@mkbhd'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  target_sheet_id: 'your_sheet_id',
  target_tab_name: 'Videos',
};

function valid(input: unknown): JobConfig {
  const r = parseJobConfig(input, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  const r = parseJobConfig(input, ctx);
  if (r.ok) throw new Error('expected a validation error');
  return r.issues;
}

describe('parseJobConfig', () => {
  it('accepts the specification body as it is and fills every default', () => {
    expect(valid(SPEC_BODY)).toEqual({
      ...SPEC_BODY,
      description: '',
      header_row: 'keys',
      timezone: 'America/New_York',
      start_at: null,
      end_at: null,
      output_mode: 'upsert',
      columns: [...DEFAULT_COLUMNS],
      video_filter: 'all',
      stats_refresh: 'daily',
      max_videos: 500,
      priority: 5,
      max_retries: 3,
      retry_backoff_minutes: 5,
      misfire_grace_minutes: 60,
      catch_up: 'latest',
      notify_emails: [],
      notify_on: ['failure', 'recovery'],
      enabled: true,
      tags: [],
      depends_on: null,
    });
  });

  it('keeps an explicit timezone and uses the context one when empty', () => {
    expect(valid({ ...SPEC_BODY, timezone: 'Asia/Kolkata' }).timezone).toBe('Asia/Kolkata');
    expect(valid({ ...SPEC_BODY, timezone: '' }).timezone).toBe('America/New_York');
  });

  it('is idempotent: a parsed config parses to itself', () => {
    const once = valid({
      ...SPEC_BODY,
      channels: ['https://www.youtube.com/@MKBHD/videos', 'UCBJycsmduvYEL83R_U4JriQ'],
      target_sheet_id: 'https://docs.google.com/spreadsheets/d/1AbCdEf_-123/edit#gid=0',
    });
    expect(valid(once)).toEqual(once);
  });

  it('does not share default arrays between jobs', () => {
    const a = valid(SPEC_BODY);
    a.columns.push('tags');
    expect(valid(SPEC_BODY).columns).toEqual([...DEFAULT_COLUMNS]);
  });

  it('rejects unknown fields by name, with a suggestion for near misses', () => {
    const issues = issuesOf({ ...SPEC_BODY, shedule_value: '10:00', colour: 'red' });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'shedule_value', message: 'shedule_value: unknown field (did you mean schedule_value?)' },
        { path: 'colour', message: 'colour: unknown field' },
      ]),
    );
  });

  it('names every missing required field', () => {
    expect(
      issuesOf({})
        .map((i) => i.path)
        .sort(),
    ).toEqual(['channels', 'name', 'schedule_type', 'schedule_value', 'target_tab_name']);
    expect(issuesOf({}).find((i) => i.path === 'name')!.message).toBe('name: is required');
  });

  it('rejects a body that is not an object', () => {
    expect(issuesOf([1, 2])).toEqual([{ path: '', message: 'job: expected a JSON object with the job fields' }]);
    expect(issuesOf(null)[0]!.path).toBe('');
  });

  it('reports problems of several fields at once, schedule included', () => {
    const issues = issuesOf({ ...SPEC_BODY, name: '', schedule_type: 'weekly', schedule_value: 'MOM@09:00' });
    expect(issues.map((i) => i.path).sort()).toEqual(['name', 'schedule_value']);
    expect(issues.find((i) => i.path === 'schedule_value')!.message).toBe(
      "schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30; unknown day 'MOM'",
    );
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['empty name', { name: '   ' }, 'name', /must not be empty/],
    ['long name', { name: 'x'.repeat(101) }, 'name', /at most 100/],
    ['long description', { description: 'x'.repeat(1001) }, 'description', /at most 1000/],
    ['no channels', { channels: [] }, 'channels', /at least 1 channel/],
    ['too many channels', { channels: Array.from({ length: 51 }, (_, i) => `@chan${i}`) }, 'channels', /at most 50/],
    ['bad channel', { channels: ['@mkbhd', 'not a channel'] }, 'channels.1', /expected @handle/],
    ['duplicate channel', { channels: ['@mkbhd', 'https://youtube.com/@MKBHD'] }, 'channels.1', /same channel as channels.0/],
    ['bad schedule type', { schedule_type: 'hourly' }, 'schedule_type', /one of daily, weekly/],
    ['bad time zone', { timezone: 'Mars/Olympus' }, 'timezone', /IANA time zone/],
    ['bad start_at', { start_at: 'tomorrow' }, 'start_at', /ISO date-time/],
    ['end before start', { start_at: '2026-05-01T00:00', end_at: '2026-04-01T00:00' }, 'end_at', /before start_at/],
    ['bad sheet id', { target_sheet_id: 'a sheet!' }, 'target_sheet_id', /spreadsheet id/],
    ['empty tab', { target_tab_name: '' }, 'target_tab_name', /must not be empty/],
    ['control char in tab', { target_tab_name: 'Vid\u0007eos' }, 'target_tab_name', /control characters/],
    ['reserved tab', { target_tab_name: '_Y2S_runs' }, 'target_tab_name', /reserved for the scheduler/],
    ['bad output mode', { output_mode: 'merge' }, 'output_mode', /upsert, append, overwrite/],
    ['unknown column', { columns: ['video_id', 'rating'] }, 'columns.1', /must be one of video_id/],
    ['duplicate column', { columns: ['video_id', 'title', 'title'] }, 'columns.2', /duplicate/],
    ['upsert without video_id', { columns: ['title'] }, 'columns', /video_id/],
    [
      'append without a key column',
      { output_mode: 'append', columns: ['title', 'views'] },
      'columns',
      /^columns: append needs the video_id or url column/,
    ],
    [
      'overwrite without a key column',
      { output_mode: 'overwrite', columns: ['title'] },
      'columns',
      /^columns: overwrite needs the video_id or url column/,
    ],
    ['bad filter', { video_filter: 'music' }, 'video_filter', /all, long, shorts/],
    ['max_videos 0', { max_videos: 0 }, 'max_videos', /between 1 and 20000/],
    ['max_videos too high', { max_videos: 20001 }, 'max_videos', /between 1 and 20000/],
    ['priority 11', { priority: 11 }, 'priority', /between 1 and 10/],
    ['priority fraction', { priority: 5.5 }, 'priority', /whole number/],
    ['priority as text', { priority: '5' }, 'priority', /whole number/],
    ['max_retries 11', { max_retries: 11 }, 'max_retries', /between 0 and 10/],
    ['backoff 0', { retry_backoff_minutes: 0 }, 'retry_backoff_minutes', /between 1 and 1440/],
    ['grace too long', { misfire_grace_minutes: 10081 }, 'misfire_grace_minutes', /between 0 and 10080/],
    ['bad catch_up', { catch_up: 'some' }, 'catch_up', /latest, all, none/],
    ['bad email', { notify_emails: ['me@example.com', 'nobody'] }, 'notify_emails.1', /email/],
    ['too many emails', { notify_emails: Array.from({ length: 11 }, (_, i) => `u${i}@example.com`) }, 'notify_emails', /at most 10/],
    ['bad notify event', { notify_on: ['failure', 'always'] }, 'notify_on.1', /failure, success, recovery/],
    ['enabled as text', { enabled: 'yes' }, 'enabled', /true or false/],
    ['too many tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags', /at most 20/],
    ['long tag', { tags: ['x'.repeat(31)] }, 'tags.0', /at most 30/],
    ['empty depends_on', { depends_on: '' }, 'depends_on', /must not be empty/],
  ];
  it.each(cases)('rejects %s, naming the field', (_label, patch, path, message) => {
    const issues = issuesOf({ ...SPEC_BODY, ...patch });
    const issue = issues.find((i) => i.path === path);
    expect(issue).toBeDefined();
    expect(issue!.message.startsWith(`${path}: `)).toBe(true);
    expect(issue!.message).toMatch(message);
  });

  it('accepts append without video_id and every schedule type', () => {
    expect(valid({ ...SPEC_BODY, output_mode: 'append', columns: ['title', 'url'] }).columns).toEqual(['title', 'url']);
    for (const [type, value] of [
      ['weekly', 'MON,WED,FRI@09:00'],
      ['monthly', 'last@18:00'],
      ['interval', '6h'],
      ['cron', '0 9 * * 1-5'],
      ['once', '2026-12-24T18:00'],
    ]) {
      expect(valid({ ...SPEC_BODY, schedule_type: type, schedule_value: value }).schedule_value).toBe(value);
    }
  });

  it('normalises a spreadsheet URL to its id, and channel inputs to a canonical form', () => {
    const job = valid({
      ...SPEC_BODY,
      target_sheet_id: 'https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit#gid=0',
      channels: [
        'youtube.com/@mkbhd',
        'https://www.youtube.com/channel/UCBJycsmduvYEL83R_U4JriQ/videos',
        'https://www.youtube.com/user/marquesbrownlee',
        ' @LinusTechTips ',
      ],
    });
    expect(job.target_sheet_id).toBe('1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms');
    expect(job.channels).toEqual(['@mkbhd', 'UCBJycsmduvYEL83R_U4JriQ', 'https://www.youtube.com/user/marquesbrownlee', '@LinusTechTips']);
  });

  it('keeps the stored JSON of a job at every limit under 9 KB', () => {
    const max = valid({
      name: 'N'.repeat(JOB_LIMITS.name),
      description: 'D'.repeat(JOB_LIMITS.description),
      channels: Array.from({ length: 50 }, (_, i) => `https://www.youtube.com/user/${String(i).padStart(2, '0')}${'u'.repeat(48)}`),
      schedule_type: 'daily',
      schedule_value: Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`).join(
        ',',
      ),
      timezone: 'America/Argentina/ComodRivadavia',
      start_at: '2026-01-01T00:00:00.000+05:30',
      end_at: '2027-01-01T00:00:00.000+05:30',
      target_sheet_id: 'S'.repeat(44),
      target_tab_name: 'T'.repeat(JOB_LIMITS.tabName),
      columns: [
        'video_id',
        'title',
        'published_at',
        'url',
        'views',
        'likes',
        'comments',
        'duration',
        'channel',
        'thumbnail',
        'tags',
        'description',
        'is_short',
      ],
      notify_emails: Array.from({ length: 10 }, (_, i) => `${i}${'e'.repeat(40)}@${'d'.repeat(40)}.example.com`),
      notify_on: ['failure', 'success', 'recovery'],
      tags: Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'t'.repeat(28)}`),
      depends_on: 'j'.repeat(JOB_LIMITS.jobId),
    });
    const bytes = utf8Length(JSON.stringify(max));
    expect(bytes).toBeLessThanOrEqual(JOB_LIMITS.storedBytes);
    expect(bytes).toBeLessThan(9 * 1024);
    expect(bytes).toBeGreaterThan(7000); // the fixture really is near the limits
  });

  it('refuses a job whose multi-byte text would overflow the stored size', () => {
    const issues = issuesOf({
      ...SPEC_BODY,
      description: '語'.repeat(1000),
      channels: Array.from({ length: 50 }, (_, i) => `@${String(i).padStart(2, '0')}${'語'.repeat(28)}`),
      tags: Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'語'.repeat(28)}`),
    });
    expect(issues).toEqual([{ path: '', message: expect.stringMatching(/^job: the job takes \d+ bytes stored, more than 8192/) }]);
  });

  it('counts UTF-8 bytes like TextEncoder', () => {
    for (const s of ['abc', 'é', '語', '😀', 'a😀b語']) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});

describe('parseJobPatch', () => {
  const existing = valid({ ...SPEC_BODY, start_at: '2026-01-01T00:00' });

  it('changes only the given fields and validates the result', () => {
    const r = parseJobPatch(existing, { priority: 9, start_at: null }, ctx);
    expect(r).toEqual({ ok: true, value: { ...existing, priority: 9, start_at: null } });
  });

  it('checks the merged config as a whole', () => {
    const r = parseJobPatch(existing, { schedule_type: 'weekly' }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(['schedule_value']);
  });

  it('rejects unknown fields and non-objects', () => {
    const r = parseJobPatch(existing, { id: 'x' }, ctx);
    expect(r).toEqual({ ok: false, issues: [{ path: 'id', message: 'id: unknown field' }] });
    expect(parseJobPatch(existing, 'x', ctx).ok).toBe(false);
  });
});

describe('normalizeChannelInput', () => {
  it.each([
    ['@mkbhd', { kind: 'handle', handle: 'mkbhd', key: 'handle:mkbhd' }],
    ['https://www.youtube.com/@MKBHD', { kind: 'handle', handle: 'MKBHD', key: 'handle:mkbhd' }],
    ['m.youtube.com/@mkbhd/shorts?si=abc', { kind: 'handle', handle: 'mkbhd', key: 'handle:mkbhd' }],
    ['UCBJycsmduvYEL83R_U4JriQ', { kind: 'id', id: 'UCBJycsmduvYEL83R_U4JriQ', key: 'id:UCBJycsmduvYEL83R_U4JriQ' }],
    [
      'https://youtube.com/channel/UCBJycsmduvYEL83R_U4JriQ',
      { kind: 'id', id: 'UCBJycsmduvYEL83R_U4JriQ', key: 'id:UCBJycsmduvYEL83R_U4JriQ' },
    ],
    ['http://www.youtube.com/user/marquesbrownlee', { kind: 'username', username: 'marquesbrownlee', key: 'user:marquesbrownlee' }],
    ['https://www.youtube.com/@%E6%97%A5%E6%9C%AC%E8%AA%9E', { kind: 'handle', handle: '日本語', key: 'handle:日本語' }],
  ])('reads %s', (input, ref) => {
    expect(normalizeChannelInput(input)).toEqual(ref);
  });

  it.each([
    '',
    '@',
    '@ab',
    'mkbhd',
    'https://example.com/@mkbhd',
    'https://youtube.com/c/mkbhd',
    'UCshort',
    'https://youtube.com/channel/UCnope',
  ])('refuses %j', (input) => {
    expect(tryNormalizeChannelInput(input)).toBeNull();
    expect(() => normalizeChannelInput(input)).toThrow(RangeError);
  });
});
