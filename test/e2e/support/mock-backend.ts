/**
 * An in-memory stand-in for the server's RPC functions (same names, same Result envelopes), used to
 * render the surfaces in Chromium without the runtime: UI development, unit-level e2e checks of the
 * client (shim, wrapper, states), and screenshots when no dev server is available.
 */
import type {
  CalendarChipDto,
  CalendarKind,
  ApiKeyDto,
  CalendarDto,
  JobDetailDto,
  JobDto,
  ListJobsQuery,
  MonitorDto,
  RunDto,
  Settings,
  SidebarViewDto,
} from '../../../src-server/app/contract';

type Answer = { ok: boolean; value?: unknown; error?: { name: string; message: string } };
type Fn = (...args: never[]) => unknown;

const NOW = Date.parse('2026-01-14T15:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function run(job: JobDto, i: number, status: RunDto['status']): RunDto {
  const started = NOW - (i + 1) * 86_400_000;
  return {
    run_id: `r_${job.id}_${i}`,
    job_id: job.id,
    job_name: job.config.name,
    scheduled_for: iso(started),
    started_at: iso(started),
    finished_at: iso(started + 4200),
    status,
    trigger: 'schedule',
    videos_added: status === 'succeeded' ? 12 - i : 0,
    videos_updated: 40,
    quota_units: 3,
    duration_ms: 4200,
    error: status === 'failed' ? 'backendError: The service is unavailable (retry 3 of 3)' : null,
  };
}

function makeJob(
  id: string,
  name: string,
  channels: string[],
  type: string,
  value: string,
  tab: string,
  extra: Partial<JobDto> = {},
): JobDto {
  const config = {
    name,
    description: '',
    channels,
    schedule_type: type,
    schedule_value: value,
    timezone: 'America/New_York',
    start_at: null,
    end_at: null,
    target_sheet_id: '',
    target_tab_name: tab,
    output_mode: 'upsert',
    columns: ['video_id', 'title', 'published_at', 'url', 'views'],
    video_filter: 'all',
    max_videos: 500,
    priority: 5,
    max_retries: 3,
    retry_backoff_minutes: 5,
    misfire_grace_minutes: 60,
    catch_up: 'latest',
    notify_emails: [],
    notify_on: ['failure', 'recovery'],
    enabled: true,
    tags: ['tech'],
    depends_on: null,
  };
  const job = {
    id,
    version: 1,
    config,
    status: 'active',
    paused: false,
    created_at: iso(NOW - 20 * 86_400_000),
    updated_at: iso(NOW - 86_400_000),
    created_by: 'owner@example.com',
    next_run_at: iso(NOW + 3 * 3600_000),
    last_run: null,
    consecutive_failures: 0,
    channel_titles: { '@mkbhd': 'Marques Brownlee' },
    ...extra,
  } as unknown as JobDto;
  job.last_run = run(job, 0, job.status === 'failing' ? 'failed' : 'succeeded');
  return job;
}

/** An error the app throws (the RPC layer answers it as {ok:false, error: dto}). */
export function appError(dto: { status: number; code: string; message: string; details?: unknown }): Error {
  return Object.assign(new Error(dto.message), { dto });
}

/** One chip per job and day (its most telling kind, first time, count), problems first, like the app's calendar grid. */
const CHIP_RANK: Record<string, number> = { failed: 0, missed: 1, partial: 2, deferred: 3, succeeded: 4, skipped: 5, scheduled: 6 };
export const dayChips = (entries: { job_id: string; job_name: string; at: string; kind: string }[]): CalendarChipDto[] => {
  const byJob = new Map<string, CalendarChipDto>();
  for (const e of entries) {
    const c = byJob.get(e.job_id);
    if (!c) byJob.set(e.job_id, { job_id: e.job_id, job_name: e.job_name, at: e.at, kind: e.kind as CalendarKind, count: 1 });
    else {
      c.count++;
      if (CHIP_RANK[e.kind]! < CHIP_RANK[c.kind]!) c.kind = e.kind as CalendarKind;
      if (e.at < c.at) c.at = e.at;
    }
  }
  return [...byJob.values()].sort((a, b) => CHIP_RANK[a.kind]! - CHIP_RANK[b.kind]! || a.at.localeCompare(b.at));
};

export function createMockBackend() {
  const jobs: JobDto[] = [
    makeJob('j_daily1', 'Daily Sync', ['@mkbhd'], 'daily', '09:00', 'Videos'),
    makeJob('j_weekly', 'Competitors weekly', ['@linustechtips', '@verge'], 'weekly', 'MON,THU@07:30', 'Competitors', {
      status: 'paused',
      paused: true,
    } as Partial<JobDto>),
    makeJob('j_shorts', 'Shorts tracker', ['@mkbhd'], 'interval', '6h', 'Shorts', {
      status: 'failing',
      consecutive_failures: 2,
    } as Partial<JobDto>),
  ];
  const keys: ApiKeyDto[] = [
    {
      id: 'k_3f9a12c4',
      name: 'Zapier',
      scope: 'write',
      created_at: iso(NOW - 9 * 86_400_000),
      created_by: 'owner@example.com',
      last_used_at: iso(NOW - 3600_000),
      revoked: false,
    },
  ];
  let settings: Settings = {
    default_timezone: 'America/New_York',
    heartbeat_minutes: 5,
    daily_quota_budget: 8000,
    run_history_rows: 5000,
    audit_rows: 5000,
    notification_email: 'owner@example.com',
    rate_limit_per_minute: 60,
  };
  const monitor = (): MonitorDto => ({
    now: iso(NOW),
    running: [
      {
        job_id: 'j_daily1',
        job_name: 'Daily Sync',
        run_id: 'r_live',
        started_at: iso(NOW - 42_000),
        processed: 150,
        expected: 400,
        phase: 'fetching uploads',
      },
    ],
    quota: { used_today: 1240, daily_budget: settings.daily_quota_budget },
    last_24h: { since: iso(NOW - 86_400_000), runs: 13, succeeded: 11, failed: 1, partial: 1, success_rate: 11 / 13 },
    recent_problems: [
      {
        run_id: 'r_j_shorts_recent',
        job_id: 'j_shorts',
        job_name: 'Shorts tracker',
        status: 'failed',
        at: iso(NOW - 2 * 3600_000),
        error: 'backendError: The service is unavailable (retry 3 of 3)',
      },
      {
        run_id: 'r_j_weekly_recent',
        job_id: 'j_weekly',
        job_name: 'Competitors weekly',
        status: 'partial',
        at: iso(NOW - 5 * 3600_000),
        error: '@verge: no such channel',
      },
    ],
  });
  const scheduleText = (j: JobDto) => `Every day at ${j.config.schedule_value} (America/New_York)`;
  /** Runs started with runJobNow, newest first (shown first in the job's recent runs). */
  const manualRuns: RunDto[] = [];
  const detail = (j: JobDto): JobDetailDto => ({
    ...j,
    next_runs: [1, 2, 3, 4, 5].map((d) => iso(NOW + d * 86_400_000)),
    recent_runs: [...manualRuns.filter((r) => r.job_id === j.id), ...[0, 1, 2, 3].map((i) => run(j, i, i === 1 ? 'failed' : 'succeeded'))],
    schedule_text: scheduleText(j),
    conflicts: [],
  });
  /** A day's entries (1 to 3 jobs a day; days past the 13th are ahead: scheduled). */
  const dayEntries = (date: string, i: number) => {
    const kinds = ['succeeded', 'succeeded', 'failed', 'missed', 'scheduled'] as const;
    return jobs.slice(0, 1 + (i % 3)).map((j, k) => ({
      job_id: j.id,
      job_name: j.config.name,
      at: `${date}T${String(13 + k).padStart(2, '0')}:00:00Z`,
      kind: i >= 13 ? 'scheduled' : kinds[(i + k) % 4]!,
    }));
  };
  const find = (id: string) => {
    const j = jobs.find((x) => x.id === id);
    if (!j)
      throw Object.assign(new Error(`No job with id ${id}`), {
        dto: { status: 404, code: 'job_not_found', message: `No job with id ${id}` },
      });
    return j;
  };

  /** Audit rows, newest first (the viewer's filters and a job's history). */
  const audit = [
    {
      id: 'a_3',
      at: iso(NOW - 3600_000),
      actor: 'user:alice@example.com',
      action: 'job.update',
      job_id: 'j_daily1',
      changes: JSON.stringify({ schedule_value: ['08:00', '09:00'] }),
    },
    { id: 'a_2', at: iso(NOW - 2 * 3600_000), actor: 'api:k_3f9a12c4', action: 'job.pause', job_id: 'j_weekly', changes: '{}' },
    {
      id: 'a_1',
      at: iso(NOW - 86_400_000),
      actor: 'user:owner@example.com',
      action: 'job.create',
      job_id: 'j_daily1',
      changes: JSON.stringify({ name: [null, 'Daily Sync'] }),
    },
    {
      id: 'a_0',
      at: iso(NOW - 2 * 86_400_000),
      actor: 'user:owner@example.com',
      action: 'settings.update',
      job_id: null,
      changes: JSON.stringify({ daily_quota_budget: [9000, 8000] }),
    },
  ];
  /** Every listJobs query the surfaces made (paging checks). */
  const listQueries: ListJobsQuery[] = [];
  const fns: Record<string, Fn> = {
    // Like the app: every job while there are at most 20, else 20 of them (the app picks those that matter now).
    sidebarView: (): SidebarViewDto => ({
      jobs: jobs.length <= 20 ? jobs : [...jobs].sort((a, b) => b.config.name.localeCompare(a.config.name)).slice(0, 20),
      monitor: monitor(),
      next_runs: jobs.map((j) => ({ job_id: j.id, job_name: j.config.name, at: j.next_run_at! })),
      summary: {
        total: jobs.length,
        by_status: {
          active: 0,
          running: 0,
          failing: 0,
          paused: 0,
          disabled: 0,
          completed: 0,
          ...Object.fromEntries(
            ['active', 'running', 'failing', 'paused', 'disabled', 'completed'].map((s) => [s, jobs.filter((j) => j.status === s).length]),
          ),
        },
      },
      health: { status: 'ok', warnings: [] },
      settings,
      user_email: 'owner@example.com',
      spreadsheet_url: 'https://docs.google.com/spreadsheets/d/local',
    }),
    monitorView: monitor,
    // Pages like the app through google.script.run: page_size 50 by default and at most; name search and name sort.
    listJobs: (query: ListJobsQuery = {}) => {
      const size = Math.min(50, Math.max(1, query.page_size ?? 50));
      const page = Math.max(1, query.page ?? 1);
      const text = query.q?.toLowerCase() ?? '';
      const matching = jobs.filter((j) => !text || j.config.name.toLowerCase().includes(text));
      if (query.sort === 'name') {
        matching.sort((a, b) => a.config.name.localeCompare(b.config.name) * (query.order === 'desc' ? -1 : 1));
      }
      listQueries.push(query);
      // schedule_text: the human schedule the manager shows, as the server's list items carry it.
      const items = matching.slice((page - 1) * size, page * size).map((j) => ({ ...j, schedule_text: scheduleText(j) }));
      return { items, total: matching.length, page, page_size: size };
    },
    getJob: (id: string) => detail(find(id)),
    // Compact like the app: per day the first three entries, the counts and one chip per job (at most
    // three, problems first); calendarDay lists a day in full.
    calendarView: (month: string): CalendarDto => ({
      month,
      time_zone: 'America/New_York',
      days: Array.from({ length: 28 }, (_, i) => {
        const date = `${month}-${String(i + 1).padStart(2, '0')}`;
        const entries = dayEntries(date, i);
        const counts: Record<string, number> = {};
        for (const e of entries) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
        const chips = dayChips(entries);
        return {
          date,
          run_count: (i * 7) % 5,
          entries: entries.slice(0, 3),
          total: entries.length,
          counts,
          chips: chips.slice(0, 3),
          jobs: chips.length,
        };
      }),
    }),
    calendarDay: (date: string, _tz: string, page = 1) => {
      const i = Number(date.slice(8)) - 1;
      const items =
        i >= 0 && i < 28
          ? dayEntries(date, i).map((e) => ({ ...e, paused: find(e.job_id).paused, tab: find(e.job_id).config.target_tab_name }))
          : [];
      return {
        items: items.slice((page - 1) * 100, page * 100),
        total: items.length,
        page,
        page_size: 100,
        date,
        time_zone: 'America/New_York',
        run_count: (i * 7) % 5,
      };
    },
    // The wizard's Run-after picker: names containing q, by name, at most 20, plus the ids asked for.
    jobChoices: (query: { q?: string; ids?: string[]; limit?: number; exact?: boolean; only_ids?: boolean } = {}) => {
      const text = (query.q ?? '').trim().toLowerCase();
      const named = (j: JobDto) => (query.exact ? j.config.name.trim().toLowerCase() === text : j.config.name.toLowerCase().includes(text));
      const matching = jobs
        .filter((j) => !query.only_ids && (!text || named(j)))
        .sort((a, b) => a.config.name.localeCompare(b.config.name));
      const shown = matching.slice(0, query.limit ?? 20);
      const extra = jobs.filter((j) => (query.ids ?? []).includes(j.id) && !shown.includes(j));
      return { items: [...shown, ...extra].map((j) => ({ id: j.id, name: j.config.name, status: j.status })), total: matching.length };
    },
    previewSchedule: (config: Record<string, unknown>) => ({
      ok: true,
      errors: config.name === '' ? [] : [],
      runs: [1, 2, 3, 4, 5].map((d) => iso(NOW + d * 86_400_000)),
      schedule_text: `Every day at ${String(config.schedule_value)} (${String(config.timezone)})`,
      conflicts:
        config.target_tab_name === 'Videos'
          ? [
              {
                job_id: 'j_daily1',
                job_name: 'Daily Sync',
                tab: 'Videos',
                at: iso(NOW + 86_400_000),
                message:
                  'Daily Sync also writes “Videos” within the same hour (Thu, Jan 15, 09:00 EST, as this job): one of them will wait for the other.',
              },
            ]
          : [],
    }),
    // "@nosuch…" does not exist, text with a space is no channel reference; any form of mkbhd is one channel.
    checkChannels: (inputs: string[]) =>
      inputs.map((input) => {
        const fail = (error: string, reason: string) => ({
          input,
          ok: false,
          channel_id: null,
          title: null,
          video_count: null,
          thumbnail_url: null,
          error,
          reason,
        });
        if (input.includes('nosuch')) return fail(`${input}: no such channel`, 'not_found');
        if (/\s/.test(input)) return fail(`${input}: not a channel (use @handle, a channel URL or a UC… id)`, 'invalid');
        const mkbhd = /mkbhd|UCBJycsmduvYEL83R_U4JriQ/i.test(input);
        return {
          input,
          ok: true,
          channel_id: mkbhd ? 'UCBJycsmduvYEL83R_U4JriQ' : `UC_${input.replace(/\W/g, '')}`,
          title: mkbhd ? 'Marques Brownlee' : input,
          video_count: 1650,
          thumbnail_url: null,
          error: null,
          reason: null,
        };
      }),
    listTabs: () => ['Sheet1', 'Videos', 'Competitors', 'Shorts'],
    createJob: (config: Record<string, unknown>) => {
      const j = makeJob(
        `j_${jobs.length + 1}`,
        String(config.name),
        config.channels as string[],
        String(config.schedule_type),
        String(config.schedule_value),
        String(config.target_tab_name),
      );
      jobs.push(j);
      return { job: detail(j), warnings: [] };
    },
    updateJob: (id: string) => ({ job: detail(find(id)), warnings: [] }),
    patchJob: (id: string, patch: Record<string, unknown>) => {
      const j = find(id);
      Object.assign(j.config, patch);
      return { job: detail(j), warnings: [] };
    },
    deleteJob: (id: string) => {
      jobs.splice(jobs.indexOf(find(id)), 1);
      return null;
    },
    pauseJob: (id: string) => Object.assign(find(id), { paused: true, status: 'paused' }),
    resumeJob: (id: string) => Object.assign(find(id), { paused: false, status: 'active' }),
    runJobNow: (id: string) => {
      const r: RunDto = {
        ...run(find(id), 0, 'succeeded'),
        run_id: `r_manual_${manualRuns.length + 1}`,
        trigger: 'manual',
        started_at: iso(NOW),
        finished_at: iso(NOW + 4200),
      };
      manualRuns.unshift(r);
      return r;
    },
    bulkJobs: (action: string, ids: string[]) => ({
      action,
      results: ids.map((id) => {
        if (action === 'pause') fns.pauseJob!(id as never);
        if (action === 'resume') fns.resumeJob!(id as never);
        if (action === 'delete') fns.deleteJob!(id as never);
        if (action === 'enable') Object.assign(find(id), { status: 'active' });
        return { id, ok: true };
      }),
    }),
    exportJobs: (format: string) => ({
      format,
      content_type: 'application/json',
      filename: `youtube2sheets-jobs.${format}`,
      body: JSON.stringify(jobs.map((j) => j.config)),
    }),
    runDueJobs: () => ({ ran: 0, next_wake_at: null }),
    getSettings: () => settings,
    saveSettings: (patch: Partial<Settings>) => (settings = { ...settings, ...patch }),
    listApiKeys: () => keys,
    createApiKey: (name: string, scope: 'read' | 'write') => {
      const key: ApiKeyDto = {
        id: `k_${(keys.length + 1).toString(16).padStart(8, '0')}`,
        name,
        scope,
        created_at: iso(NOW),
        created_by: 'owner@example.com',
        last_used_at: null,
        revoked: false,
      };
      keys.unshift(key);
      return { key, secret: `y2s_${key.id}_mocksecretmocksecretmocksecret1` };
    },
    // The calendar's one-call first view (rpc.calendarStart): the compact month, the clock and the jobs' zone.
    calendarStart: (month: string | null, zone: string | null) => ({
      ...(fns.calendarView!((month ?? '2026-01') as never) as CalendarDto),
      time_zone: zone ?? 'America/New_York',
      now: iso(NOW),
      job_zone: 'America/New_York',
    }),
    // The wizard's output step: tabs other jobs write in that spreadsheet (the asked ones first), three writers named.
    tabWriters: (query: { sheet_id?: string; except_id?: string | null; names?: string[] } = {}) => {
      const byTab = new Map<string, { tab: string; writers: string[]; count: number }>();
      for (const j of jobs) {
        if (j.id === query.except_id || (j.config.target_sheet_id || '') !== (query.sheet_id ?? '')) continue;
        const key = j.config.target_tab_name.toLowerCase();
        const t = byTab.get(key) ?? { tab: j.config.target_tab_name, writers: [], count: 0 };
        t.count++;
        if (t.writers.length < 3) t.writers.push(j.config.name);
        byTab.set(key, t);
      }
      return { items: [...byTab.values()].slice(0, 200), total: byTab.size };
    },
    openJobTab: (id: string) => ({ tab: find(id).config.target_tab_name, url: null, opened: true }),
    apiInfo: () => ({ base_url: 'https://script.google.com/macros/s/MOCK/exec/api/v1' }),
    auditLog: (query: { job_id?: string; actor?: string; action?: string; page?: number; page_size?: number } = {}) => {
      const rows = audit.filter(
        (a) =>
          (!query.job_id || a.job_id === query.job_id) &&
          (!query.actor || a.actor === query.actor) &&
          (!query.action || a.action === query.action),
      );
      const size = query.page_size ?? 50;
      const page = query.page ?? 1;
      return {
        items: rows.slice((page - 1) * size, page * size),
        total: rows.length,
        page,
        page_size: size,
        actors: [...new Set(audit.map((a) => a.actor))].sort(),
        actions: [...new Set(audit.map((a) => a.action))].sort(),
        // Like the app: the existing jobs the newest rows mention (never the whole list).
        jobs: jobs
          .filter((j) => audit.some((a) => a.job_id === j.id) || j.id === query.job_id)
          .map((j) => ({ id: j.id, name: j.config.name })),
      };
    },
    revokeApiKey: (id: string) =>
      Object.assign(
        keys.find((k) => k.id === id)!,
        { revoked: true },
      ),
  };
  /** Replacements of single functions by a test (e.g. a checkChannels that fails). */
  const overrides: Record<string, Fn> = {};
  /** Every server call with its arguments, in order. */
  const callLog: { fn: string; args: unknown[] }[] = [];
  const ui = ['openSidebar', 'openJobManager', 'openWizard', 'openCalendar', 'openSettings', 'openApiKeys', 'openAuditLog'];
  const opened: { fn: string; args: unknown[] }[] = [];

  return {
    opened,
    listQueries,
    callLog,
    /** Answers `fn` with `impl` from now on. */
    override(fn: string, impl: (...args: never[]) => unknown): void {
      overrides[fn] = impl as Fn;
    },
    /** Calls the default implementation (for an override that changes only some answers). */
    original(fn: string, ...args: unknown[]): unknown {
      return (fns[fn] as (...a: unknown[]) => unknown)(...args);
    },
    /** Answers like the runtime's scriptRun: {ok, value} or {ok:false, error}. */
    scriptRun(fn: string, args: unknown[]): Answer {
      if (ui.includes(fn)) {
        opened.push({ fn, args });
        return { ok: true, value: null };
      }
      callLog.push({ fn, args });
      const f = overrides[fn] ?? fns[fn];
      if (!f) return { ok: false, error: { name: 'ReferenceError', message: `Script function not found: ${fn}` } };
      try {
        return { ok: true, value: { ok: true, data: JSON.parse(JSON.stringify((f as (...a: unknown[]) => unknown)(...args) ?? null)) } };
      } catch (err) {
        const dto = (err as { dto?: unknown }).dto ?? { status: 500, code: 'internal', message: String(err) };
        return { ok: true, value: { ok: false, error: dto } };
      }
    },
  };
}
