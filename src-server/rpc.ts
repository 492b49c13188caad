/**
 * The sidebar RPC surface: every function here becomes a top-level Apps Script function callable with
 * google.script.run (main.ts adds one `global.x = rpc.x` line each). The client (src-sidebar/rpc.ts)
 * takes its types from this file with `import type`, so the contract is written once.
 *
 * Convention: every function returns a `Result<T>` envelope and never throws. google.script.run
 * turns a thrown Error into its message only; the envelope keeps the error code and the field issues
 * (validation_failed details) the wizard shows next to each field.
 */
import type {
  Actor,
  ApiKeyDto,
  AppErrorDto,
  AuditDto,
  AuditQuery,
  BulkAction,
  BulkResult,
  CalendarDayPageDto,
  CalendarStartDto,
  CalendarDto,
  ChannelCheck,
  ConflictWarningDto,
  ExportFile,
  JobDetailDto,
  JobDto,
  ListJobsQuery,
  MonitorDto,
  Page,
  RunDto,
  SchedulePreview,
  SchedulerApp,
  SchedulerOwnerDto,
  Settings,
  SidebarViewDto,
  TakeOverDto,
  ScheduleSuggestionDto,
  JobInsightsDto,
  JobChoicesDto,
  JobChoicesQuery,
  SuggestScheduleRequest,
  TabWritersDto,
  TabWritersQuery,
} from './app/contract';
import type { ExportFormat } from './domain/catalogue';
import { gasApiKeyManager, type ApiKeyManager } from './gas/web-api';
import { createGasApp } from './gas/context';
import type { DiagnosticsReport } from './app/diagnostics';
import { writeExportToTab, type ExportTabResult } from './app/export-tab';
import { runGasDiagnostics } from './gas/probe';
import { activateTab, webAppUrl } from './gas/ui-tabs';

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppErrorDto };

/** A surface the menu or a surface can open (the file name of its built HTML). */
export type Surface = 'sidebar' | 'wizard' | 'manager' | 'calendar' | 'settings' | 'keys' | 'diagnostics' | 'audit';

/** The menu/dialog entry points main.ts defines (they need HtmlService); surfaces call them too. */
export interface UiEntryPoints {
  openSidebar(): void;
  openJobManager(): void;
  /** Opens the wizard; with a job id, in edit mode for that job. */
  openWizard(jobId?: string): void;
  openCalendar(): void;
  openSettings(): void;
  openApiKeys(): void;
  openDiagnostics(): void;
  /** The audit log viewer; with a job id, filtered to that job. */
  openAuditLog(jobId?: string): void;
}

function toErrorDto(err: unknown): AppErrorDto {
  if (err && typeof err === 'object' && 'toDto' in err && typeof (err as { toDto: unknown }).toDto === 'function') {
    return (err as { toDto(): AppErrorDto }).toDto();
  }
  const message = err instanceof Error ? err.message : String(err);
  return { status: 500, code: 'internal', message: message || 'Unexpected error' };
}

/** Runs a use case and wraps its value (or its error) in the envelope. */
function answer<T>(work: (ctx: RpcContext) => T): Result<T> {
  try {
    return { ok: true, data: work(context()) };
  } catch (err) {
    return { ok: false, error: toErrorDto(err) };
  }
}

interface RpcContext {
  app: SchedulerApp;
  actor: Actor;
}

function context(): RpcContext {
  const gas = createGasApp();
  // The actor is looked up only by calls that change something: a monitor poll asks no Session service.
  return {
    app: gas.app,
    get actor(): Actor {
      return { kind: 'user', email: gas.userEmail() };
    },
  };
}

// ---------------------------------------------------------------- views

export function sidebarView(): Result<SidebarViewDto> {
  return answer(({ app }) => app.sidebarView());
}

export function monitorView(): Result<MonitorDto> {
  return answer(({ app }) => app.monitor());
}

/** At most RPC_MAX_PAGE_SIZE jobs a page (the answer's page_size says the size used): an answer stays small. */
export function listJobs(query: ListJobsQuery): Result<Page<JobDto>> {
  return answer(({ app }) => app.listJobs(rpcPage(query ?? {})));
}

export function getJob(id: string): Result<JobDetailDto> {
  return answer(({ app }) => app.getJob(id));
}

export function jobRuns(id: string, page: number, pageSize: number): Result<Page<RunDto>> {
  return answer(({ app }) => app.jobRuns(id, { page, page_size: pageSize }));
}

export function calendarView(month: string, timeZone: string): Result<CalendarDto> {
  return answer(({ app }) => app.calendar(month, timeZone));
}

// ---------------------------------------------------------------- wizard helpers

export function previewSchedule(partialConfig: unknown, viewerTimeZone: string): Result<SchedulePreview> {
  return answer(({ app }) => app.previewSchedule(partialConfig, 5, viewerTimeZone));
}

export function checkChannels(inputs: string[]): Result<ChannelCheck[]> {
  return answer(({ app }) => app.checkChannels(Array.isArray(inputs) ? inputs : []));
}

/** Visible tabs of this spreadsheet ('' ) or of another one (the wizard's "existing tab" list). */
export function listTabs(spreadsheetId: string): Result<string[]> {
  return answer(() => {
    const tabs = createGasApp().deps.spreadsheets.listTabs(spreadsheetId ? spreadsheetId : null);
    return tabs.filter((t) => !t.hidden).map((t) => t.name);
  });
}

// ---------------------------------------------------------------- job mutations

type Saved = { job: JobDetailDto; warnings: ConflictWarningDto[] };

export function createJob(input: unknown): Result<Saved> {
  return answer(({ app, actor }) => app.createJob(input, actor));
}

export function updateJob(id: string, input: unknown, expectedVersion: number | null): Result<Saved> {
  return answer(({ app, actor }) => app.updateJob(id, input, actor, expectedVersion ?? undefined));
}

/** Inline edits of the job manager (schedule time, channels): a partial config. */
export function patchJob(id: string, patch: unknown, expectedVersion: number | null): Result<Saved> {
  return answer(({ app, actor }) => app.patchJob(id, patch, actor, expectedVersion ?? undefined));
}

export function deleteJob(id: string): Result<null> {
  return answer(({ app, actor }) => {
    app.deleteJob(id, actor);
    return null;
  });
}

export function pauseJob(id: string): Result<JobDto> {
  return answer(({ app, actor }) => app.pauseJob(id, actor));
}

export function resumeJob(id: string): Result<JobDto> {
  return answer(({ app, actor }) => app.resumeJob(id, actor));
}

export function runJobNow(id: string): Result<RunDto> {
  return answer(({ app, actor }) => app.runNow(id, actor));
}

export function bulkJobs(action: BulkAction, ids: string[]): Result<BulkResult> {
  return answer(({ app, actor }) => app.bulk(action, ids, actor));
}

export function exportJobs(format: ExportFormat, query: ListJobsQuery): Result<ExportFile> {
  return answer(({ app }) => app.exportJobs(format, query ?? {}));
}

/** Menu "Run due jobs now": one tick, in this execution. */
export function runDueJobs(): Result<{ ran: number; next_wake_at: string | null }> {
  return answer(({ app }) => app.tick());
}

/** Menu "Sync this tab now": runs every job of this spreadsheet that writes the tab. */
export function syncTab(tabName: string): Result<{ message: string; runs: RunDto[] }> {
  return answer(({ app, actor }) => {
    const jobs: JobDto[] = [];
    for (let page = 1; ; page++) {
      const batch = app.listJobs({ page, page_size: 200 });
      jobs.push(...batch.items);
      if (batch.items.length === 0 || page * batch.page_size >= batch.total) break;
    }
    // Tab names are unique ignoring case: a job writing "shared" writes the tab "Shared" too.
    const wanted = tabName.trim().toLowerCase();
    const mine = jobs.filter((j) => j.config.target_tab_name.trim().toLowerCase() === wanted && !j.config.target_sheet_id);
    if (mine.length === 0) return { message: `No job writes the tab “${tabName}”.`, runs: [] };
    const runs: RunDto[] = [];
    const running: string[] = [];
    for (const j of mine) {
      try {
        runs.push(app.runNow(j.id, actor));
      } catch (err) {
        // A job whose run is under way is syncing the tab already: the others still run (or queue).
        if ((err as { code?: unknown }).code !== 'job_running') throw err;
        running.push(j.config.name);
      }
    }
    const added = runs.reduce((n, r) => n + r.videos_added, 0);
    const failed = runs.filter((r) => r.status === 'failed').length;
    const queued = runs.filter((r) => r.status === 'deferred' && !r.run_id).length;
    const notes = [
      failed ? `${failed} failed` : '',
      queued ? `${queued} queued behind a run on this tab (the next tick starts it)` : '',
      running.length ? `already running: ${running.join(', ')}` : '',
    ].filter(Boolean);
    return {
      message: `Synced “${tabName}” with ${runs.length} job(s): ${added} video(s) added${notes.length ? `, ${notes.join(', ')}` : ''}.`,
      runs,
    };
  });
}

// ---------------------------------------------------------------- settings and API keys

export function getSettings(): Result<Settings> {
  return answer(({ app }) => app.getSettings());
}

export function saveSettings(patch: Partial<Settings>): Result<Settings> {
  return answer(({ app, actor }) => app.updateSettings(patch, actor));
}

export function listApiKeys(): Result<ApiKeyDto[]> {
  return answer((ctx) => keys(ctx).list());
}

/** The secret is in the answer once and never again. */
export function createApiKey(name: string, scope: 'read' | 'write'): Result<{ key: ApiKeyDto; secret: string }> {
  return answer((ctx) => keys(ctx).create(name, scope));
}

export function revokeApiKey(id: string): Result<ApiKeyDto> {
  return answer((ctx) => keys(ctx).revoke(id));
}

/** Creating and revoking write an audit row (key.create / key.revoke, actor user:<email>). */
function keys(ctx: RpcContext): ApiKeyManager {
  return gasApiKeyManager(ctx.actor);
}

// ---------------------------------------------------------------- scheduling owner

/** Who runs the schedule (the triggers' owner), seen by the calling user. */
export function schedulerOwner(): Result<SchedulerOwnerDto> {
  return answer(({ app }) => app.schedulerOwner());
}

/** The calling user takes the schedule over (audited as scheduler.take_over). */
export function takeOverScheduling(): Result<TakeOverDto> {
  return answer(({ app, actor }) => app.takeOverScheduling(actor));
}

// ---------------------------------------------------------------- export fallback and diagnostics

/**
 * Writes an export into a new tab of this spreadsheet (one line per row, plain text): the fallback
 * when the dialog cannot download the file. Named after the format and the time in the script's zone.
 */
export function exportJobsToTab(format: ExportFormat, query: ListJobsQuery): Result<ExportTabResult> {
  return answer(() => {
    const gas = createGasApp();
    const file = gas.app.exportJobs(format, query ?? {});
    return writeExportToTab(gas.deps.spreadsheets, gas.deps.timeZones, file, gas.deps.clock.now(), gas.deps.identity.scriptTimeZone());
  });
}

/** The menu's Diagnostics… dialog: checks every platform assumption here and reports (see app/diagnostics.ts). */
export function runDiagnostics(): Result<DiagnosticsReport> {
  return answer(() => runGasDiagnostics());
}

// ---------------------------------------------------------------- schedule intelligence

/** The wizard's "Suggest a schedule": may spend 1 unit per channel no job has read yet. */
export function suggestSchedule(request: SuggestScheduleRequest): Result<ScheduleSuggestionDto> {
  return answer(({ app }) => app.suggestSchedule(request));
}

/** A job's upload patterns, freshness, anomalies and a cheaper schedule with the same freshness. */
export function jobInsights(id: string): Result<JobInsightsDto> {
  return answer(({ app }) => app.jobInsights(id));
}

// ---------------------------------------------------------------- bounded views (docs/operations.md "Payloads")

/**
 * Jobs a listJobs page holds through google.script.run (about 1.2 KB a job: 50 keep an answer near
 * 60 KB). The web API pages up to 200.
 */
export const RPC_MAX_PAGE_SIZE = 50;

function rpcPage(query: ListJobsQuery): ListJobsQuery {
  const size = query.page_size === undefined ? undefined : Number(query.page_size);
  return size !== undefined && Number.isFinite(size) && size > RPC_MAX_PAGE_SIZE ? { ...query, page_size: RPC_MAX_PAGE_SIZE } : query;
}

/** One day of the calendar in full (the month view carries counts and the first few per day). */
export function calendarDay(date: string, timeZone: string, page?: number): Result<CalendarDayPageDto> {
  return answer(({ app }) => app.calendarDay(date, timeZone, { page: page ?? 1 }));
}

/** The wizard's "Run after" picker: jobs by name, searched on the server. */
export function jobChoices(query: JobChoicesQuery): Result<JobChoicesDto> {
  return answer(({ app }) => app.jobChoices(query ?? {}));
}

// ---------------------------------------------------------------- UX: open a tab, API base URL, audit viewer, calendar in one call

/**
 * "Open the tab" after a run: a tab of this spreadsheet becomes the active sheet; a tab of another
 * spreadsheet is answered as its URL (the surface opens it). `opened` is false when the tab does not
 * exist yet (the job has not written it).
 */
export function openJobTab(jobId: string): Result<{ tab: string; url: string | null; opened: boolean }> {
  return answer(({ app }) => {
    const job = app.getJob(jobId);
    const tab = job.config.target_tab_name;
    if (job.config.target_sheet_id) {
      return { tab, url: `https://docs.google.com/spreadsheets/d/${encodeURIComponent(job.config.target_sheet_id)}/edit`, opened: false };
    }
    const shown = activateTab(tab);
    return shown ? { tab: shown.tab, url: shown.url, opened: true } : { tab, url: null, opened: false };
  });
}

/** What the keys dialog shows for HTTP clients: the API's base URL (null until deployed as a web app). */
export function apiInfo(): Result<{ base_url: string | null }> {
  return answer(() => {
    const url = webAppUrl();
    return { base_url: url ? `${url.replace(/\/+$/, '')}/api/v1` : null };
  });
}

export type AuditLogPage = Page<AuditDto> & { actors: string[]; actions: string[]; jobs: { id: string; name: string }[] };

/** Rows the audit viewer's filter choices come from (the newest ones). */
const AUDIT_CHOICE_ROWS = 200;

/**
 * The audit log viewer: a page of rows (newest first) with filters by job, actor and action, and the
 * choices of each filter, from the newest 200 rows plus the current filter's value: `jobs` names the
 * existing jobs those rows and the page mention (bounded by the rows, never the whole job list).
 */
export function auditLog(query: AuditQuery): Result<AuditLogPage> {
  return answer(({ app }) => {
    // At most RPC_MAX_PAGE_SIZE rows a page, as listJobs (a created job's row carries its config).
    const asked = query ?? {};
    const size = asked.page_size === undefined ? undefined : Number(asked.page_size);
    const q = size !== undefined && Number.isFinite(size) && size > RPC_MAX_PAGE_SIZE ? { ...asked, page_size: RPC_MAX_PAGE_SIZE } : asked;
    const page = app.audit(q);
    const recent = app.audit({ page: 1, page_size: AUDIT_CHOICE_ROWS }).items;
    const distinct = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
    // The filter's job first, then the page's, then the newest rows' (a job-choices call holds 400 ids).
    const ids = [
      ...new Set([q.job_id ?? '', ...page.items.map((a) => a.job_id ?? ''), ...recent.map((a) => a.job_id ?? '')].filter(Boolean)),
    ].slice(0, 400);
    const named = ids.length ? app.jobChoices({ ids, only_ids: true }).items : [];
    return {
      ...page,
      actors: distinct([...recent.map((a) => a.actor), q.actor ?? '']),
      actions: distinct([...recent.map((a) => a.action), q.action ?? '']),
      jobs: named.map((j) => ({ id: j.id, name: j.name })).sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
}

export type { CalendarStartDto };

/**
 * The calendar's first view (and each refresh) in one round trip: the month (`month` null: the
 * server's current month in the zone) as compact days (counts, one chip per job, at most 3), the
 * server's clock and the jobs' zone. `timeZone` null: the jobs' zone (job_zone). The selected day
 * comes in full from calendarDay (with each job's paused state and tab).
 */
export function calendarStart(month: string | null, timeZone: string | null): Result<CalendarStartDto> {
  return answer(({ app }) => app.calendarStart(month, timeZone));
}

/** The wizard's output step: tabs other jobs write in a spreadsheet, the ones asked about first (bounded). */
export function tabWriters(query: TabWritersQuery): Result<TabWritersDto> {
  return answer(({ app }) => app.tabWriters(query ?? {}));
}
