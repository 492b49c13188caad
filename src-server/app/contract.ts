/**
 * The use cases every door (sidebar RPC, menu, web API, triggers) goes through, and the JSON-safe
 * DTOs they return (ISO strings, no Date, no class instances: google.script.run passes plain values).
 * Implemented by createSchedulerApp() in app/; the API router and the sidebar code against this file.
 */
import type { ExportFormat, HeartbeatMinutes, RunStatus, RunTrigger } from '../domain/catalogue';
import type { ChannelCheck } from '../domain/channels';
import type { JobConfig } from '../domain/job';

export { CHANNEL_CHECK_REASONS, isFinalChannelReason, type ChannelCheckReason } from '../domain/channels';

/** Who asked: audit rows and notifications name them. */
export type Actor = { kind: 'user'; email: string } | { kind: 'api'; key_id: string } | { kind: 'system' };

/** A job's lifecycle state as shown to people. */
export type JobStatus = 'active' | 'paused' | 'disabled' | 'running' | 'failing' | 'completed';

export interface RunDto {
  run_id: string;
  job_id: string;
  job_name: string;
  scheduled_for: string | null; // the occurrence; null for manual runs
  started_at: string | null;
  finished_at: string | null;
  status: RunStatus;
  trigger: RunTrigger;
  videos_added: number;
  videos_updated: number;
  quota_units: number;
  /** Of quota_units, those spent refreshing the statistics of rows already in the tab (the job's stats_refresh). */
  refresh_units?: number;
  duration_ms: number | null;
  error: string | null;
}

export interface ConflictWarningDto {
  job_id: string;
  job_name: string;
  tab: string;
  at: string;
  message: string;
}

export interface JobDto {
  id: string;
  version: number; // optimistic concurrency: bumped on every definition change
  config: JobConfig;
  status: JobStatus;
  paused: boolean;
  created_at: string;
  updated_at: string;
  created_by: string;
  next_run_at: string | null;
  last_run: RunDto | null;
  consecutive_failures: number;
  /** Channels resolved so far: input as typed -> title (for the UI); absent until first run. */
  channel_titles: Record<string, string>;
  schedule_text: string; // "Every day at 09:00 (America/New_York)"
  /** Present while the job waits for the YouTube quota reset because the day's budget cannot cover it. */
  deferral?: { reason: 'quota_budget'; until: string; message: string };
}

export interface JobDetailDto extends JobDto {
  next_runs: string[]; // next 5 occurrences
  /** A retry (or quota-deferred run) of this job that is due before or between them; null when none. */
  pending_retry_at?: string | null;
  recent_runs: RunDto[]; // newest first, up to 10
  conflicts: ConflictWarningDto[];
  freshness?: FreshnessDto;
  anomalies?: AnomalyDto[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number; // 1-based
  page_size: number;
}

export type SortOrder = 'asc' | 'desc';

export interface ListJobsQuery {
  page?: number;
  page_size?: number; // default 50, max 200
  status?: JobStatus;
  enabled?: boolean;
  tag?: string;
  q?: string; // free text over name, description, channels, tab
  sort?: string; // any JobDto column: name, priority, status, next_run_at, updated_at, created_at, schedule_type, target_tab_name, last_run
  order?: SortOrder;
}

export type BulkAction = 'pause' | 'resume' | 'enable' | 'disable' | 'delete' | 'run_now';

export interface BulkResult {
  action: BulkAction;
  results: { id: string; ok: boolean; error?: AppErrorDto }[];
}

export interface WindowStats {
  window: '24h' | '7d' | '30d';
  runs: number;
  succeeded: number;
  failed: number;
  /** Runs where some channels failed permanently and the others synced: runs = succeeded + failed + partial. */
  partial: number;
  success_rate: number | null; // succeeded / runs (a partial run is not a success), 0..1, null when no runs
  mean_duration_ms: number | null;
  p95_duration_ms: number | null;
  videos_written: number;
  quota_units: number;
  /** Of quota_units, those spent refreshing statistics rather than syncing new videos. */
  refresh_units: number;
}

export interface StatsDto {
  generated_at: string;
  jobs: { total: number; active: number; paused: number; disabled: number; failing: number };
  overall: WindowStats[];
  per_job: { job_id: string; job_name: string; windows: WindowStats[]; freshness?: FreshnessDto }[];
}

// ---------------------------------------------------------------- schedule intelligence (docs/insights.md)

/** Publish-to-sheet delay of the videos a job added, over the last 25–30 days. */
export interface FreshnessDto {
  window_days: number;
  samples: number;
  median_minutes: number | null;
  p90_minutes: number | null;
}

export interface AnomalyDto {
  job_id: string;
  job_name: string;
  kind: 'channel_silent' | 'run_units' | 'run_duration' | 'freshness';
  message: string;
  at: string;
}

/** A channel's uploads by day and hour in the job's zone, and how a schedule does on them. */
export interface UploadPatternDto {
  channel: string;
  /** Uploads the pattern is made of (the newest, last 26 weeks). */
  uploads: number;
  /** heatmap[day][hour]: day 0 = Sunday, hours 0–23 local to the zone. */
  heatmap: number[][];
  per_week: number;
  /** 0..1: how much more than chance the uploads keep to their busiest hours. */
  regularity: number;
  summary: string;
  last_upload_at: string | null;
  /** Where the publish times came from: the job's runs, a cached look-up, one YouTube call (1 unit), or nowhere. */
  source: 'job' | 'cache' | 'youtube' | 'none';
  /** Share of these uploads the schedule brings in within the target, replayed. */
  met_share: number | null;
  median_delay_minutes: number | null;
  error?: string;
}

export interface SuggestScheduleRequest {
  channels: string[];
  /** Default: the settings' zone. */
  timezone?: string;
  /** How late a new video may reach the sheet, 15 min to 7 days. */
  target_delay_minutes: number;
}

export interface ScheduleSuggestionDto {
  timezone: string;
  target_delay_minutes: number;
  schedule_type: 'daily' | 'weekly' | 'interval';
  schedule_value: string;
  schedule_text: string;
  /** pattern: fitted to the uploads; interval: an interval just under the target. */
  basis: 'pattern' | 'interval';
  runs_per_week: number;
  units_per_run: number;
  expected_daily_units: number;
  /** The lowest replayed share of a channel's uploads brought in within the target. */
  met_share: number | null;
  hourly: { runs_per_week: number; expected_daily_units: number };
  explanation: string;
  /** All channels together. */
  heatmap: number[][];
  channels: UploadPatternDto[];
  quota_units_spent: number;
}

export interface JobInsightsDto {
  job_id: string;
  job_name: string;
  timezone: string;
  freshness: FreshnessDto;
  anomalies: AnomalyDto[];
  heatmap: number[][];
  channels: UploadPatternDto[];
  current: { schedule_text: string; runs_per_week: number; met_share: number | null; p90_delay_minutes: number | null };
  /** The cheapest schedule with the current schedule's freshness (90 % within target_delay_minutes). */
  suggestion: ScheduleSuggestionDto | null;
  /** Current runs ÷ suggested runs. */
  less_often_factor: number | null;
  hint: string | null;
}

export type HealthLevel = 'ok' | 'warning' | 'error';

export interface HealthDto {
  status: HealthLevel;
  checked_at: string;
  triggers: {
    heartbeat: boolean;
    heartbeat_minutes: number | null;
    precise_at: string | null;
    total: number;
    repaired: string[];
    /** The user the triggers run as (null: not installed yet, or installed before owners were recorded). */
    owner?: string | null;
    /** The owner's last heartbeat tick. */
    last_heartbeat_at?: string | null;
    heartbeat_dead?: boolean;
  };
  /** The last busy tick (idle ticks record nothing); overdue_since: work due since then and no tick has taken it. */
  last_tick: { at: string | null; lag_ms: number | null; overdue_since?: string | null };
  youtube_quota: { used_today: number; daily_budget: number; project_limit: number; resets_at: string; deferred_until: string | null };
  /** used_ms_24h: busy ticks as measured; idle_estimate_ms_24h: idle ticks (not measured), estimated from the heartbeat. */
  trigger_runtime: { used_ms_24h: number; budget_ms: number; idle_estimate_ms_24h?: number };
  property_store: { used_bytes: number; limit_bytes: number; largest_value_bytes: number; value_limit_bytes: number };
  failing_jobs: { job_id: string; job_name: string; consecutive_failures: number; last_error: string | null }[];
  /** Found at each job's last run (docs/insights.md). */
  anomalies?: AnomalyDto[];
  timezones: { zone: string; ok: boolean; intl_offset: string; apps_script_offset: string }[];
  /** How close the install is to each daily limit, with the day's projected use (docs/operations.md). */
  limits?: LimitsDto;
  warnings: string[];
}

/** The platform's daily limits: used, projected, and what the scheduler defers to stay within them. */
export interface LimitsDto {
  youtube_units: {
    used_today: number;
    /** Used + the remaining occurrences until the reset × each job's recent units per run. */
    projected_today: number;
    /** What the day should end at once the deferred jobs wait. */
    planned_today: number;
    daily_budget: number;
    project_limit: number;
    resets_at: string;
    /** Jobs deferred to the reset, highest priority first (at most 20 listed; deferred_total counts all). */
    /** units: what its runs until the reset would take (0: its due run already waits for the reset). */
    deferred_jobs: { job_id: string; job_name: string; priority: number; units: number }[];
    deferred_total: number;
  };
  /** Apps Script cannot tell a consumer account from a Workspace one: both limits are shown. */
  trigger_runtime: { used_ms_24h: number; projected_ms_24h: number; consumer_limit_ms: number; workspace_limit_ms: number };
  /** Per user, for all of their scripts: this project needs 2 (heartbeat and precise). */
  triggers: { used: number; limit: number };
}

export interface AuditDto {
  at: string;
  actor: string; // 'user:alice@example.com' | 'api:k_3f9a' | 'system'
  action: string; // job.create, job.update, job.delete, job.pause, ..., key.create, settings.update, import
  job_id: string | null;
  changes: string; // JSON text of what changed (before/after of changed fields)
  /** Unique per row (rows of the layout before ids have none): lets a recovered journal skip rows already appended. */
  id?: string;
}

export interface AuditQuery {
  page?: number;
  page_size?: number;
  job_id?: string;
  action?: string;
  /** 'user:alice@example.com', 'api:k_…', 'system' (as the rows name the actor). */
  actor?: string;
  since?: string;
}

export interface ExportFile {
  format: ExportFormat;
  content_type: string; // application/json | text/csv | application/yaml
  filename: string; // youtube2sheets-jobs-2026-11-26.json
  body: string;
}

export interface ImportResult {
  created: string[];
  updated: string[];
  unchanged: string[]; // already exactly as imported: version and audit untouched
}

export interface Settings {
  default_timezone: string;
  heartbeat_minutes: HeartbeatMinutes;
  daily_quota_budget: number; // units per Pacific day, <= project limit
  run_history_rows: number; // rotation: newest N run rows kept
  audit_rows: number;
  notification_email: string; // fallback recipient; '' = none
  rate_limit_per_minute: number; // web API, per credential
}

export interface SchedulePreview {
  ok: boolean;
  errors: { path: string; message: string }[];
  runs: string[]; // ISO instants
  schedule_text: string;
  conflicts: ConflictWarningDto[];
}

/** Defined in domain/ so the sync engine, which answers channel checks, needs nothing from app/. */
export type { ChannelCheck };

/** Live view for the sidebar monitor (polled every 2 s while a run is in progress, up to 30 s when idle): one cache read (app/monitor-record.ts). */
export interface MonitorDto {
  now: string;
  /** Runs in progress, oldest first, at most 20 (running_total counts them all). */
  running: {
    job_id: string;
    job_name: string;
    run_id: string;
    started_at: string;
    processed: number;
    expected: number | null;
    phase: string;
  }[];
  running_total?: number;
  quota: { used_today: number; daily_budget: number };
  /** Runs that ended in the last 24 h, counted as the run statistics count them (a partial run is not a success). */
  last_24h: MonitorWindowDto;
  /** Failed and partial runs of the same 24 h, newest first, at most 5. */
  recent_problems: MonitorProblemRunDto[];
  /** Jobs' freshness (least fresh first, at most 5) and current anomalies (docs/insights.md). */
  freshness?: (FreshnessDto & { job_id: string; job_name: string })[];
  anomalies?: AnomalyDto[];
  /** The daily limits with the day's projection (as health reports them), when the monitor was rebuilt from the store. */
  limits?: LimitsDto;
}

export interface MonitorWindowDto {
  since: string; // start of the window (now - 24 h)
  runs: number; // runs that executed to an end: succeeded + failed + partial
  succeeded: number;
  failed: number;
  partial: number;
  success_rate: number | null; // succeeded / runs; null when no run ended
}

export interface MonitorProblemRunDto {
  run_id: string;
  job_id: string;
  job_name: string;
  status: 'failed' | 'partial';
  at: string; // the instant the run counts at: finished, else started, else scheduled
  error: string | null;
}

/** The sidebar's one-RPC view (bounded at any job count: docs/operations.md "Payloads"). */
export interface SidebarViewDto {
  /**
   * The jobs that matter now, at most 20: every job while there are no more than 20, else the running
   * ones, the failing ones, then the next due. The rest: listJobs pages (search, status filter).
   */
  jobs: JobDto[];
  /** Every job counted by status. */
  summary?: JobCountsDto;
  monitor: MonitorDto;
  /** The job's zone: its times are shown there. */
  next_runs: { job_id: string; job_name: string; at: string; timezone?: string }[];
  health: Pick<HealthDto, 'status' | 'warnings'>;
  settings: Settings;
  user_email: string;
  spreadsheet_url: string;
  /** Who runs the schedule, and whether this user may (or should) take it over. */
  scheduler?: SchedulerOwnerDto;
}

/** Who runs the schedule (the triggers' owner), as the sidebar and health show it. */
export interface SchedulerOwnerDto {
  owner: string | null;
  since: string | null;
  /** The user asking ('' when Apps Script does not reveal it). */
  you: string;
  you_are_owner: boolean;
  last_heartbeat_at: string | null;
  heartbeat_dead: boolean;
  /** Work fell due and no tick took it (health's overdue_since). */
  overdue_since: string | null;
  /** The take-over is offered: this user is not the owner and the owner's schedule looks dead (or nobody owns it). */
  take_over_suggested: boolean;
}

export interface TakeOverDto {
  owner: string;
  previous_owner: string | null;
  reason: 'heartbeat_dead' | 'no_owner' | 'explicit';
  repaired: string[];
}

export type CalendarKind = 'scheduled' | 'succeeded' | 'failed' | 'missed' | 'partial' | 'skipped' | 'deferred';

export interface CalendarEntryDto {
  job_id: string;
  job_name: string;
  at: string;
  kind: CalendarKind;
}

export interface CalendarDay {
  date: string; // YYYY-MM-DD in the viewer's zone
  /** The day's first occurrences by time (at most 3: the chips); calendarDay lists them all. */
  entries: CalendarEntryDto[];
  run_count: number;
  /** Every occurrence of the day (scheduled ones and run-history rows). */
  total?: number;
  /** The same, by kind (kinds with none are left out). */
  counts?: Partial<Record<CalendarKind, number>>;
  /** The month grid's chips: one per job (its most telling occurrence), at most 3, problems first. */
  chips?: CalendarChipDto[];
  /** Jobs with an occurrence on the day (chips shows at most 3 of them). */
  jobs?: number;
}

/** A job's occurrences on a day as one chip: the most telling kind (failed, missed, partial … scheduled), the first time, how many. */
export interface CalendarChipDto {
  job_id: string;
  job_name: string;
  kind: CalendarKind;
  /** The day's first occurrence of the job. */
  at: string;
  count: number;
}

/** One day of the calendar, a page at a time (calendarDay). */
export interface CalendarDayPageDto extends Page<CalendarEntryDto & { paused: boolean; tab: string }> {
  date: string;
  time_zone: string;
  run_count: number;
}

/** Jobs counted by status (the sidebar's summary). */
export interface JobCountsDto {
  total: number;
  by_status: Record<JobStatus, number>;
}

/** A job as a picker lists it (the wizard's "Run after"). */
export interface JobChoiceDto {
  id: string;
  name: string;
  status: JobStatus;
}

export interface JobChoicesQuery {
  /** Part of the name, case-insensitive ('' or absent: every job, by name). */
  q?: string;
  /** Jobs always listed (e.g. the one chosen now), whether they match or not. */
  ids?: string[];
  /** Default 20, at most 50. */
  limit?: number;
  /** q names the whole name (trimmed, case ignored), e.g. "is this name taken?". */
  exact?: boolean;
  /** Only the ids asked for (no search): names of known jobs, at most 400 ids. */
  only_ids?: boolean;
}

export interface JobChoicesDto {
  items: JobChoiceDto[];
  /** How many jobs match q (items holds at most `limit` of them, plus the ids asked for). */
  total: number;
}

export interface CalendarDto {
  month: string; // YYYY-MM
  time_zone: string;
  days: CalendarDay[];
}

/** The calendar's first view (and each refresh) in one round trip: a month, the server's clock, the jobs' zone. */
export type CalendarStartDto = CalendarDto & {
  now: string;
  /** The zone the jobs share, or the spreadsheet's default zone when they differ ("job zone" mode). */
  job_zone: string;
};

/** A tab other jobs write (the wizard's output step): its writers' names (at most 3) and how many write it. */
export interface TabWriterDto {
  tab: string;
  writers: string[];
  count: number;
}

export interface TabWritersQuery {
  /** The spreadsheet the tabs belong to ('' or absent: this one). */
  sheet_id?: string;
  /** The job being edited (its own tab is not "another job's"). */
  except_id?: string | null;
  /** Tabs asked about (listed first whether or not they are within the cap), at most 200. */
  names?: string[];
}

export interface TabWritersDto {
  /** The tabs asked about that jobs write, then others by name, at most 200 in all. */
  items: TabWriterDto[];
  /** Distinct tabs jobs write in that spreadsheet. */
  total: number;
}

export interface ApiKeyDto {
  id: string; // short public id, e.g. k_3f9a12
  name: string;
  scope: 'read' | 'write';
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked: boolean;
}

/** Errors every use case may throw; the doors map them to a status (API) or a message (UI). */
export interface AppErrorDto {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toDto(): AppErrorDto {
    const dto: AppErrorDto = { status: this.status, code: this.code, message: this.message };
    if (this.details !== undefined) dto.details = this.details;
    return dto;
  }
}

/**
 * Error codes (status): validation_failed (422, details: {path,message}[]), job_not_found (404),
 * version_conflict (409), store_full (413: says how much room is left), dependency_not_found (422),
 * busy (503: the script lock could not be had), quota_exhausted (429), unauthorized (401),
 * forbidden (403), rate_limited (429, details.retry_after seconds), bad_request (400),
 * payload_too_large (413), unsupported_media_type (415), not_found (404), method_not_allowed (405),
 * internal (500).
 */
export type AppErrorCode = string;

export interface SchedulerApp {
  createJob(input: unknown, actor: Actor): { job: JobDetailDto; warnings: ConflictWarningDto[] };
  /** Full replacement of the config; `expectedVersion` (when given) must match or version_conflict. */
  updateJob(id: string, input: unknown, actor: Actor, expectedVersion?: number): { job: JobDetailDto; warnings: ConflictWarningDto[] };
  patchJob(id: string, patch: unknown, actor: Actor, expectedVersion?: number): { job: JobDetailDto; warnings: ConflictWarningDto[] };
  deleteJob(id: string, actor: Actor): void;
  pauseJob(id: string, actor: Actor): JobDto;
  resumeJob(id: string, actor: Actor): JobDto;
  enableJob(id: string, actor: Actor): JobDto;
  disableJob(id: string, actor: Actor): JobDto;
  /** Runs the job now in this execution (within the time budget; resumable if cut). */
  runNow(id: string, actor: Actor): RunDto;
  bulk(action: BulkAction, ids: string[], actor: Actor): BulkResult;
  listJobs(query: ListJobsQuery): Page<JobDto>;
  getJob(id: string): JobDetailDto;
  jobRuns(id: string, query: { page?: number; page_size?: number }): Page<RunDto>;
  stats(): StatsDto;
  health(): HealthDto;
  audit(query: AuditQuery): Page<AuditDto>;
  exportJobs(format: ExportFormat, query: ListJobsQuery): ExportFile;
  /** All-or-nothing: every job validated before anything is written. */
  importJobs(text: string, format: 'json' | 'yaml', actor: Actor): ImportResult;
  previewSchedule(partialConfig: unknown, count: number, viewerTimeZone?: string): SchedulePreview;
  checkChannels(inputs: string[]): ChannelCheck[];
  getSettings(): Settings;
  updateSettings(patch: Partial<Settings>, actor: Actor): Settings;
  sidebarView(): SidebarViewDto;
  monitor(): MonitorDto;
  calendar(month: string, timeZone: string): CalendarDto;
  /** One day of the calendar, every occurrence, a page at a time. */
  calendarDay(date: string, timeZone: string, query?: { page?: number; page_size?: number }): CalendarDayPageDto;
  /** Jobs by name for a picker: bounded, searched on the server. */
  jobChoices(query: JobChoicesQuery): JobChoicesDto;
  /** The calendar month (null: the current one in the zone) with the server's clock; zone null: the jobs' zone. */
  calendarStart(month: string | null, timeZone: string | null): CalendarStartDto;
  /** Tabs other jobs write, bounded (the wizard's output step). */
  tabWriters(query: TabWritersQuery): TabWritersDto;
  /** The trigger handler's use case: plan, claim, run within budget, record, re-arm triggers. */
  /** `event.triggerUid`: the trigger that fired it (ticks of triggers that are not the owner's remove that trigger and stop). */
  tick(event?: { triggerUid?: string }): { ran: number; next_wake_at: string | null };
  /** Idempotent: heartbeat + precise trigger present exactly once. Returns what was repaired. */
  ensureTriggers(): string[];
  /** Who runs the schedule, seen by the current user. */
  schedulerOwner(): SchedulerOwnerDto;
  /** The current user becomes the trigger owner (audited); the previous owner's triggers remove themselves when they next fire. */
  takeOverScheduling(actor: Actor): TakeOverDto;
  /** The cheapest schedule for channels and a target delay (may spend 1 unit per channel never read). */
  suggestSchedule(request: unknown): ScheduleSuggestionDto;
  /** A job's upload patterns, freshness, anomalies, and what the same freshness would cost. */
  jobInsights(id: string): JobInsightsDto;
}
