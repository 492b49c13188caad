/**
 * createSchedulerApp(deps): the use cases of contract.ts over the ports. Every door (sidebar RPC,
 * menu, web API, triggers) goes through this object. Each mutation: script lock, one property read,
 * one batched write, one audit append.
 */
import { parse as parseYaml } from 'yaml';
import { EXPORT_FORMATS, type ExportFormat } from '../domain/catalogue';
import { parseJobConfig } from '../domain/job';
import { stateOnResume } from '../domain/run-state';
import { describeSchedule, nextRuns } from '../domain/schedule';
import type {
  Actor,
  AuditQuery,
  BulkAction,
  ChannelCheck,
  ConflictWarningDto,
  JobDetailDto,
  JobDto,
  ListJobsQuery,
  RunDto,
  SchedulePreview,
  SchedulerApp,
  Settings,
  StatsDto,
} from './contract';
import { AppError } from './contract';
import { createChannelChecks } from './channel-checks';
import { AppContext, configDiff, type Loaded } from './context';
import type { AppDeps } from './deps';
import { exportFile } from './export';
import { healthReport } from './health';
import { createInsights, freshnessDto } from './insights';
import {
  bulkApply,
  checkVersion,
  deleteJobRecord,
  importAll,
  importItems,
  insertJob,
  parseConfigOrThrow,
  refuseNeverRunning,
  patchConfig,
  replaceConfig,
  toggleJob,
} from './jobs';
import { withLock } from './lock';
import { quotaResetAt } from '../sync/quota-day';
import { drainMissed } from './missed';
import { readQuota } from './quota';
import { commitRecorded } from './record-commit';
import { allJobRows, calendarGrid, conflictsFor, invalidateMonitor, jobDetail, jobDto, monitorView } from './queries';
import { leaseActive, type JobRecord } from './records';
import { claimPlanned, manualRun, recordExecuted } from './runner';
import { applySettingsPatch } from './settings';
import { allWindows } from './stats';
import { KEYS } from './store';
import { computeNextWake, NOTHING_DUE, runTick, runClaims, storeWake } from './tick';
import { filterJobs, newestFirst, pageOf, sortJobs, withScheduleText, type JobRow } from './views';

export type { AppDeps } from './deps';

const PREVIEW_PLACEHOLDERS: Record<string, unknown> = { name: 'Preview', channels: ['@preview'], target_tab_name: 'Preview' };

function triggerFor(actor: Actor): 'api' | 'manual' {
  return actor.kind === 'api' ? 'api' : 'manual';
}

export function createSchedulerApp(deps: AppDeps): SchedulerApp {
  const ctx = new AppContext(deps);

  /** After a definition change: move the stored next-due (and precise trigger) earlier if needed. */
  const refreshWake = (loaded: Loaded): void => {
    const now = ctx.now();
    const wake = computeNextWake(ctx, loaded, now, sheetId());
    const stored = loaded.snapshot.get(KEYS.nextDue);
    const storedMs = stored && stored !== NOTHING_DUE ? Date.parse(stored) : Number.POSITIVE_INFINITY;
    const missing = stored === null || stored === '';
    if (missing || (wake && wake.getTime() < storedMs)) storeWake(ctx, loaded, now, wake);
  };

  /**
   * The next wake-up for a trigger repair outside a tick. While work is overdue the stored instant is
   * kept (not moved to now), so health can tell how long no tick has picked it up.
   */
  const wakeKeepingOverdue = (loaded: Loaded, now: Date): Date | null => {
    const wake = computeNextWake(ctx, loaded, now, sheetId());
    const stored = loaded.snapshot.get(KEYS.nextDue);
    const storedMs = stored && stored !== NOTHING_DUE ? Date.parse(stored) : NaN;
    if (wake && wake.getTime() <= now.getTime() && !Number.isNaN(storedMs) && storedMs < wake.getTime()) return new Date(storedMs);
    return wake;
  };

  /** Repairs the triggers under the lock; the snapshot it read serves the caller too (one property read). */
  const repairTriggers = (): { repaired: string[]; loaded: Loaded } =>
    ctx.mutate((loaded) => {
      const now = ctx.now();
      return { repaired: storeWake(ctx, loaded, now, wakeKeepingOverdue(loaded, now)), loaded };
    });

  /** Repairs the triggers when the context allows it; returns the repairs and a loaded snapshot. */
  const repairedView = (): { repaired: string[]; checked: boolean; loaded: Loaded } => {
    try {
      return { ...repairTriggers(), checked: true };
    } catch (err) {
      deps.logger.warn(`Trigger check skipped: ${err instanceof Error ? err.message : String(err)}`);
      return { repaired: [], checked: false, loaded: ctx.load() };
    }
  };

  const sheetId = (): string => {
    try {
      return deps.spreadsheets.activeSpreadsheetId();
    } catch {
      return '';
    }
  };

  const saved = (loaded: Loaded, job: JobRecord): { job: JobDetailDto; warnings: ConflictWarningDto[] } => {
    const detail = jobDetail(ctx, loaded, job, ctx.now(), null);
    return { job: detail, warnings: detail.conflicts };
  };

  const listRows = (query: ListJobsQuery): JobRow[] => {
    const loaded = ctx.load();
    const jobs = filterJobs(allJobRows(loaded, ctx.now()), query ?? {});
    return sortJobs(jobs, query?.sort, query?.order);
  };

  const toggle = (id: string, action: 'pause' | 'resume' | 'enable' | 'disable', actor: Actor): JobDto =>
    ctx.mutate((loaded) => {
      const before = loaded.requireJob(id);
      const job = toggleJob(ctx, loaded, id, action, actor);
      const wasIdle = before.paused || !before.config.enabled;
      const nowActive = !job.paused && job.config.enabled;
      if (wasIdle && nowActive) {
        // What the job skipped while paused or disabled is not caught up.
        const state = loaded.state(id);
        loaded.setState(id, { ...state, planner: stateOnResume(state.planner, ctx.now()) });
      }
      refreshWake(loaded);
      return jobDto(loaded, job, ctx.now());
    });

  const requestRun = (loaded: Loaded, id: string, actor: Actor): void => {
    const job = loaded.requireJob(id);
    const state = loaded.state(id);
    if (leaseActive(state, ctx.now().getTime())) throw new AppError(409, 'job_running', `Job ${job.config.name} is running already.`);
    loaded.setState(id, { ...state, requested: { trigger: triggerFor(actor), at: ctx.now().toISOString() } });
    ctx.audit(actor, 'job.run_now', id, { queued: true });
  };

  const channels = createChannelChecks(ctx);
  const { refuseMissingChannels, saveChecked } = channels;
  const insights = createInsights(ctx, channels.check);

  const app: SchedulerApp = {
    createJob(input, actor) {
      const checked = refuseMissingChannels(input, null, (loaded) => refuseNeverRunning(parseConfigOrThrow(input, loaded), ctx.now()));
      return saveChecked(checked, (loaded) => {
        const config = parseConfigOrThrow(input, loaded);
        refuseNeverRunning(config, ctx.now());
        const job = insertJob(ctx, loaded, config, actor);
        refreshWake(loaded);
        return saved(loaded, job);
      });
    },

    updateJob(id, input, actor, expectedVersion) {
      const checked = refuseMissingChannels(input, id, (loaded) => {
        checkVersion(loaded.requireJob(id), expectedVersion);
        parseConfigOrThrow(input, loaded);
      });
      return saveChecked(checked, (loaded) => {
        const current = loaded.requireJob(id);
        checkVersion(current, expectedVersion);
        const config = parseConfigOrThrow(input, loaded);
        const job = replaceConfig(ctx, loaded, current, config, actor, 'job.update');
        refreshWake(loaded);
        return saved(loaded, job);
      });
    },

    patchJob(id, patch, actor, expectedVersion) {
      const checked = refuseMissingChannels(patch, id, (loaded) => {
        checkVersion(loaded.requireJob(id), expectedVersion);
        patchConfig(loaded, loaded.requireJob(id), patch);
      });
      return saveChecked(checked, (loaded) => {
        const current = loaded.requireJob(id);
        checkVersion(current, expectedVersion);
        const config = patchConfig(loaded, current, patch);
        const job = replaceConfig(ctx, loaded, current, config, actor, 'job.patch');
        refreshWake(loaded);
        return saved(loaded, job);
      });
    },

    deleteJob(id, actor) {
      ctx.mutate((loaded) => deleteJobRecord(ctx, loaded, id, actor));
    },

    pauseJob: (id, actor) => toggle(id, 'pause', actor),
    resumeJob: (id, actor) => toggle(id, 'resume', actor),
    enableJob: (id, actor) => toggle(id, 'enable', actor),
    disableJob: (id, actor) => toggle(id, 'disable', actor),

    runNow(id, actor) {
      const claim = ctx.mutate((loaded) => {
        const job = loaded.requireJob(id);
        const state = loaded.state(id);
        const now = ctx.now();
        if (leaseActive(state, now.getTime())) throw new AppError(409, 'job_running', `Job ${job.config.name} is running already.`);
        const quota = readQuota(loaded.snapshot, now);
        if (quota.deferred_until || quota.used >= loaded.settings.daily_quota_budget) {
          const until = quota.deferred_until ?? quotaResetAt(now).toISOString();
          throw new AppError(429, 'quota_exhausted', `The YouTube quota is used up (${quota.used} of ${loaded.settings.daily_quota_budget} units today): YouTube work waits until ${until}.`, {
            retry_at: until,
          });
        }
        ctx.audit(actor, 'job.run_now', id, {});
        const claimed = claimPlanned(ctx, loaded, manualRun(id, job.config, triggerFor(actor), now, sheetId()));
        if (!claimed) throw new AppError(404, 'job_not_found', `No job with id ${id}`);
        const wake = computeNextWake(ctx, loaded, now, sheetId());
        loaded.snapshot.set(KEYS.nextDue, wake ? wake.toISOString() : NOTHING_DUE);
        return { claimed, quotaUsed: quota.used, budget: loaded.settings.daily_quota_budget };
      });
      const executed = runClaims(ctx, [claim.claimed], claim.quotaUsed, claim.budget)[0]!;
      return withLock(deps.lock, () => {
        const loaded = ctx.load();
        drainMissed(ctx, loaded); // left by an execution that died: this phase appends rows anyway
        const row = recordExecuted(ctx, loaded, executed);
        loaded.invalidate();
        const now = ctx.now();
        storeWake(ctx, loaded, now, computeNextWake(ctx, loaded, now, sheetId()));
        try {
          commitRecorded(ctx, loaded, row ? [row] : []);
        } finally {
          ctx.flushLogs(loaded);
        }
        invalidateMonitor(ctx);
        if (row) return row;
        const run = claim.claimed.run;
        const pending: RunDto = {
          run_id: run.run_id,
          job_id: id,
          job_name: claim.claimed.jobName,
          scheduled_for: null,
          // Not started at all in this execution (its time budget was spent): no start to show yet.
          started_at: run.executions > 0 ? run.started_at : executed.notStarted ? null : (executed.startedAt ?? run.started_at),
          finished_at: null,
          // Not a final status: the rest of the work is deferred to the next execution.
          status: 'deferred',
          trigger: run.trigger,
          videos_added: run.videos_added + (executed.outcome?.videosAdded ?? 0),
          videos_updated: run.videos_updated + (executed.outcome?.videosUpdated ?? 0),
          quota_units: run.quota_units + (executed.outcome?.quotaUnits ?? 0),
          duration_ms: executed.durationMs,
          error: 'Not finished within this execution: the next tick continues from the checkpoint.',
        };
        return pending;
      });
    },

    bulk(action: BulkAction, ids: string[], actor: Actor) {
      return ctx.mutate((loaded) => {
        const result = bulkApply(ctx, loaded, action, ids, actor, { runNow: requestRun });
        if (action === 'resume' || action === 'enable') {
          for (const r of result.results) {
            if (!r.ok) continue;
            const state = loaded.state(r.id);
            loaded.setState(r.id, { ...state, planner: stateOnResume(state.planner, ctx.now()) });
          }
        }
        refreshWake(loaded);
        return result;
      });
    },

    listJobs(query) {
      const q = query ?? {};
      const page = pageOf(listRows(q), q.page, q.page_size);
      return { ...page, items: page.items.map(withScheduleText) };
    },

    getJob(id) {
      const loaded = ctx.load();
      const job = loaded.requireJob(id);
      return jobDetail(ctx, loaded, job, ctx.now(), ctx.logs.runs.all());
    },

    jobRuns(id, query) {
      const loaded = ctx.load();
      loaded.requireJob(id);
      const runs = newestFirst(ctx.logs.runs.all().filter((r) => r.job_id === id));
      return pageOf(runs, query?.page, query?.page_size);
    },

    stats(): StatsDto {
      const loaded = ctx.load();
      const now = ctx.now();
      const jobs = allJobRows(loaded, now);
      const runs = ctx.logs.runs.all();
      const byJob = new Map<string, RunDto[]>();
      for (const run of runs) byJob.set(run.job_id, [...(byJob.get(run.job_id) ?? []), run]);
      return {
        generated_at: now.toISOString(),
        jobs: {
          total: jobs.length,
          active: jobs.filter((j) => j.status === 'active' || j.status === 'running').length,
          paused: jobs.filter((j) => j.status === 'paused').length,
          disabled: jobs.filter((j) => j.status === 'disabled').length,
          failing: jobs.filter((j) => j.status === 'failing').length,
        },
        overall: allWindows(runs, now.getTime()),
        per_job: jobs.map((j) => ({
          job_id: j.id,
          job_name: j.config.name,
          windows: allWindows(byJob.get(j.id) ?? [], now.getTime()),
          freshness: freshnessDto(loaded.state(j.id).insight, now.getTime()),
        })),
      };
    },

    health() {
      const { repaired, checked, loaded } = repairedView();
      const report = healthReport(ctx, loaded, ctx.now(), repaired, checked);
      if (!checked) report.warnings.push('Triggers could not be checked in this context (open the menu or the sidebar to repair them).');
      return report;
    },

    audit(query: AuditQuery) {
      const q = query ?? {};
      const since = q.since ? Date.parse(q.since) : null;
      if (q.since && Number.isNaN(since)) throw new AppError(422, 'validation_failed', 'since: expected an ISO date-time', [{ path: 'since', message: 'expected an ISO date-time' }]);
      const rows = ctx.logs.audit
        .all()
        .filter((a) => (!q.job_id || a.job_id === q.job_id) && (!q.action || a.action === q.action) && (since === null || Date.parse(a.at) >= since));
      return pageOf(newestFirst(rows), q.page, q.page_size);
    },

    exportJobs(format: ExportFormat, query) {
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new AppError(422, 'validation_failed', `format: must be one of ${EXPORT_FORMATS.join(', ')}`, [{ path: 'format', message: 'unknown format' }]);
      }
      return exportFile(format, listRows(query ?? {}), ctx.now());
    },

    importJobs(text, format, actor) {
      let doc: unknown;
      try {
        doc = format === 'yaml' ? parseYaml(text) : JSON.parse(text);
      } catch (err) {
        const reason = err instanceof Error ? err.message.split('\n')[0] : 'unreadable';
        throw new AppError(422, 'validation_failed', `import: the ${format === 'yaml' ? 'YAML' : 'JSON'} text cannot be read (${reason})`, [{ path: '', message: 'unreadable document' }]);
      }
      const items = importItems(doc);
      return ctx.mutate((loaded) => {
        const result = importAll(ctx, loaded, items, actor);
        refreshWake(loaded);
        return result;
      });
    },

    previewSchedule(partialConfig, count, viewerTimeZone) {
      const loaded = ctx.load();
      const given = partialConfig && typeof partialConfig === 'object' && !Array.isArray(partialConfig) ? (partialConfig as Record<string, unknown>) : {};
      const filled: Record<string, unknown> = { ...given };
      for (const [key, value] of Object.entries(PREVIEW_PLACEHOLDERS)) if (filled[key] === undefined || filled[key] === '' ) filled[key] = value;
      if (filled.timezone === undefined && viewerTimeZone) filled.timezone = loaded.settings.default_timezone;
      const parsed = parseJobConfig(filled, { defaultTimezone: loaded.settings.default_timezone });
      const n = Math.max(1, Math.min(50, Math.trunc(Number(count) || 5)));
      if (!parsed.ok) {
        const errors = parsed.issues.filter((i) => !(i.path in PREVIEW_PLACEHOLDERS) || given[i.path] !== undefined);
        return { ok: false, errors, runs: [], schedule_text: '', conflicts: [] } satisfies SchedulePreview;
      }
      const now = ctx.now();
      const config = parsed.value;
      const id = typeof given.id === 'string' ? given.id : undefined;
      const anchorJob = id ? loaded.job(id) : null;
      return {
        ok: true,
        errors: [],
        runs: nextRuns(config, now, n, { anchor: anchorJob ? new Date(anchorJob.created_at) : now }).map((d) => d.toISOString()),
        schedule_text: describeSchedule(config),
        conflicts: given.target_tab_name ? conflictsFor(ctx, loaded, id ? { id, config } : { config }, now) : [],
      };
    },

    checkChannels(inputs: string[]): ChannelCheck[] {
      return channels.check(inputs);
    },

    getSettings(): Settings {
      return ctx.load().settings;
    },

    updateSettings(patch, actor) {
      return ctx.mutate((loaded) => {
        const before = loaded.settings;
        const next = applySettingsPatch(before, patch);
        loaded.snapshot.setJson(KEYS.settings, next);
        ctx.audit(actor, 'settings.update', null, configDiffSettings(before, next));
        if (next.heartbeat_minutes !== before.heartbeat_minutes) {
          (loaded as { settings: Settings }).settings = next;
          const now = ctx.now();
          storeWake(ctx, loaded, now, computeNextWake(ctx, loaded, now, sheetId()));
        }
        return next;
      });
    },

    sidebarView() {
      // Opening the sidebar repairs the triggers (onOpen cannot: simple triggers run in LIMITED mode).
      const { repaired, loaded } = repairedView();
      const now = ctx.now();
      const jobs = sortJobs(allJobRows(loaded, now), 'name', 'asc').map(withScheduleText);
      const next = jobs
        .filter((j) => j.next_run_at)
        .map((j) => ({ job_id: j.id, job_name: j.config.name, at: j.next_run_at! }))
        .sort((a, b) => (a.at < b.at ? -1 : 1))
        .slice(0, 10);
      const report = healthReport(ctx, loaded, now, repaired, true);
      return {
        jobs,
        monitor: monitorView(ctx, loaded, now),
        next_runs: next,
        health: { status: report.status, warnings: report.warnings },
        settings: loaded.settings,
        user_email: deps.identity.userEmail(),
        spreadsheet_url: ctx.spreadsheetUrl(),
      };
    },

    monitor() {
      return monitorView(ctx, ctx.load(), ctx.now());
    },

    calendar(month, timeZone) {
      const loaded = ctx.load();
      return calendarGrid(loaded, ctx.logs.runs.all(), month, timeZone || loaded.settings.default_timezone, ctx.now());
    },

    tick() {
      const result = runTick(ctx);
      if (result.ran > 0) invalidateMonitor(ctx);
      return result;
    },

    ensureTriggers() {
      return repairTriggers().repaired;
    },

    suggestSchedule(request) {
      return insights.suggest(request);
    },

    jobInsights(id) {
      return insights.jobInsights(id);
    },
  };
  return app;
}

function configDiffSettings(before: Settings, after: Settings): Record<string, [unknown, unknown]> {
  return configDiff(before as never, after as never);
}

