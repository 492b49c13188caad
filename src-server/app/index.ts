/**
 * createSchedulerApp(deps): the use cases of contract.ts over the ports. Every door (sidebar RPC,
 * menu, web API, triggers) goes through this object. Each mutation: script lock, one property read,
 * one batched write, one audit append.
 */
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
  SchedulerOwnerDto,
  Settings,
  StatsDto,
  TakeOverDto,
} from './contract';
import { AppError } from './contract';
import { isValidTimeZone, wallTimeAt } from '../domain/timezone';
import { createChannelChecks } from './channel-checks';
import { AppContext, configDiff, type Loaded } from './context';
import type { AppDeps } from './deps';
import { exportFile } from './export';
import { healthReport, overdueInstant } from './health';
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
import { quotaResetAt } from '../sync';
import { drainMissed } from './missed';
import { readQuota } from './quota';
import {
  allJobRows,
  calendarDayPage,
  calendarGrid,
  conflictsFor,
  invalidateMonitor,
  jobDetail,
  jobDto,
  monitorPoll,
  monitorView,
} from './queries';
import { leaseActive, type JobRecord } from './records';
import { claimPlanned, manualRun, recordExecuted, tabHolder } from './runner';
import { tabLabel } from '../domain/tab-key';
import { applySettingsPatch } from './settings';
import { allWindows } from './stats';
import { KEYS } from './store';
import { computeNextWake, NOTHING_DUE, runTick, runClaims, storeWake } from './tick';
import {
  countByStatus,
  filterJobs,
  jobChoices as pickJobs,
  newestFirst,
  pageOf,
  sidebarFocus,
  sortJobs,
  tabWriters as writersOfTabs,
  withScheduleText,
  type JobRow,
} from './views';
import { checkFiringTrigger, ownerStatus, readTriggerRecord } from './triggers';

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

  /** Records the current user as the owner of triggers recorded without one (the tick they fired runs as their creator). */
  const claimRecordedTriggers = (): void => {
    const user = deps.identity.userEmail();
    if (!user) return;
    ctx.mutate((loaded) => {
      const record = readTriggerRecord(loaded.snapshot);
      if (!record.owner) loaded.snapshot.setJson(KEYS.triggers, { ...record, owner: user, since: ctx.now().toISOString() });
    });
  };

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

  /** The answer of a run now that waits for another job's run on the same tab. */
  const queuedRun = (id: string, name: string, holder: JobRecord, trigger: 'api' | 'manual'): RunDto => {
    return {
      run_id: '',
      job_id: id,
      job_name: name,
      scheduled_for: null,
      started_at: null,
      finished_at: null,
      status: 'deferred',
      trigger,
      videos_added: 0,
      videos_updated: 0,
      quota_units: 0,
      duration_ms: null,
      error: `Tab ${tabLabel(holder.config)} is being written by job ${holder.config.name} (${holder.id}): this run is queued and starts with the first tick after that run ends.`,
    };
  };

  /** Who runs the schedule, as the current user sees it (no service call beyond the identity). */
  const ownerView = (loaded: Loaded, now: Date): SchedulerOwnerDto => {
    const record = readTriggerRecord(loaded.snapshot);
    const status = ownerStatus(record, loaded.snapshot.get(KEYS.beat), now, loaded.settings.heartbeat_minutes);
    const you = deps.identity.userEmail();
    const overdue = overdueInstant(loaded.snapshot.get(KEYS.nextDue), now.getTime(), loaded.settings.heartbeat_minutes * 60_000);
    const youAreOwner = !!you && status.owner === you;
    const installed = !!record.heartbeat || !!record.precise;
    return {
      ...status,
      you,
      you_are_owner: youAreOwner,
      overdue_since: overdue,
      take_over_suggested: !!you && !youAreOwner && (status.heartbeat_dead || overdue !== null || (!status.owner && !installed)),
    };
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
          throw new AppError(
            429,
            'quota_exhausted',
            `The YouTube quota is used up (${quota.used} of ${loaded.settings.daily_quota_budget} units today): YouTube work waits until ${until}.`,
            {
              retry_at: until,
            },
          );
        }
        const planned = manualRun(id, job.config, triggerFor(actor), now, sheetId());
        const holder = tabHolder(loaded, planned.tab_key, id, now.getTime(), sheetId());
        if (holder) {
          // Another run writes the same tab: this one waits for the tick after that run ends.
          loaded.setState(id, { ...state, requested: { trigger: triggerFor(actor), at: now.toISOString() } });
          ctx.audit(actor, 'job.run_now', id, { queued: true, tab_busy_with: holder.id });
          refreshWake(loaded);
          return {
            queuedBehind: holder,
            jobName: job.config.name,
            claimed: null,
            quotaUsed: quota.used,
            budget: loaded.settings.daily_quota_budget,
          };
        }
        ctx.audit(actor, 'job.run_now', id, {});
        const claimed = claimPlanned(ctx, loaded, planned);
        if (!claimed) throw new AppError(404, 'job_not_found', `No job with id ${id}`);
        const wake = computeNextWake(ctx, loaded, now, sheetId());
        loaded.snapshot.set(KEYS.nextDue, wake ? wake.toISOString() : NOTHING_DUE);
        return { queuedBehind: null, jobName: job.config.name, claimed, quotaUsed: quota.used, budget: loaded.settings.daily_quota_budget };
      });
      if (!claim.claimed) return queuedRun(id, claim.jobName, claim.queuedBehind!, triggerFor(actor));
      const claimed = claim.claimed;
      const executed = runClaims(ctx, [claimed], claim.quotaUsed, claim.budget)[0]!;
      return ctx.locked((loaded) => {
        drainMissed(ctx, loaded); // left by an execution that died: this phase appends rows anyway
        const row = recordExecuted(ctx, loaded, executed);
        loaded.invalidate();
        const now = ctx.now();
        storeWake(ctx, loaded, now, computeNextWake(ctx, loaded, now, sheetId()));
        ctx.commit(loaded, { keepPropertiesOnFull: true });
        invalidateMonitor(ctx);
        if (row) return row;
        const run = claimed.run;
        const pending: RunDto = {
          run_id: run.run_id,
          job_id: id,
          job_name: claimed.jobName,
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
          refresh_units: (run.refresh_units ?? 0) + (executed.outcome?.refreshUnits ?? 0),
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
      if (q.since && Number.isNaN(since))
        throw new AppError(422, 'validation_failed', 'since: expected an ISO date-time', [
          { path: 'since', message: 'expected an ISO date-time' },
        ]);
      const rows = ctx.logs.audit
        .all()
        .filter(
          (a) =>
            (!q.job_id || a.job_id === q.job_id) &&
            (!q.action || a.action === q.action) &&
            (!q.actor || a.actor === q.actor) &&
            (since === null || Date.parse(a.at) >= since),
        );
      return pageOf(newestFirst(rows), q.page, q.page_size);
    },

    exportJobs(format: ExportFormat, query) {
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new AppError(422, 'validation_failed', `format: must be one of ${EXPORT_FORMATS.join(', ')}`, [
          { path: 'format', message: 'unknown format' },
        ]);
      }
      return exportFile(format, listRows(query ?? {}), ctx.now());
    },

    importJobs(text, format, actor) {
      let doc: unknown;
      try {
        doc = format === 'yaml' ? deps.yaml.parse(text) : JSON.parse(text);
      } catch (err) {
        const reason = err instanceof Error ? err.message.split('\n')[0] : 'unreadable';
        throw new AppError(422, 'validation_failed', `import: the ${format === 'yaml' ? 'YAML' : 'JSON'} text cannot be read (${reason})`, [
          { path: '', message: 'unreadable document' },
        ]);
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
      const given =
        partialConfig && typeof partialConfig === 'object' && !Array.isArray(partialConfig)
          ? (partialConfig as Record<string, unknown>)
          : {};
      const filled: Record<string, unknown> = { ...given };
      for (const [key, value] of Object.entries(PREVIEW_PLACEHOLDERS))
        if (filled[key] === undefined || filled[key] === '') filled[key] = value;
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
      // The monitor shows the daily quota budget: its cached record is rebuilt after the change.
      const updated = ctx.mutate((loaded) => {
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
      invalidateMonitor(ctx);
      return updated;
    },

    sidebarView() {
      // Opening the sidebar repairs the triggers (onOpen cannot: simple triggers run in LIMITED mode).
      const { repaired, loaded } = repairedView();
      const now = ctx.now();
      // Bounded at any job count: the jobs that matter now and counts; listJobs pages the rest.
      const rows = allJobRows(loaded, now);
      const jobs = sidebarFocus(rows).map(withScheduleText);
      const next = rows
        .filter((j) => j.next_run_at)
        .map((j) => ({ job_id: j.id, job_name: j.config.name, at: j.next_run_at!, timezone: j.config.timezone }))
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
        .slice(0, 10);
      const report = healthReport(ctx, loaded, now, repaired, true);
      return {
        jobs,
        summary: countByStatus(rows),
        monitor: monitorView(ctx, loaded, now),
        next_runs: next,
        health: { status: report.status, warnings: report.warnings },
        settings: loaded.settings,
        user_email: deps.identity.userEmail(),
        spreadsheet_url: ctx.spreadsheetUrl(),
        scheduler: ownerView(loaded, now),
      };
    },

    monitor() {
      // A poll: one cache read while the monitor's record can answer (app/monitor-record.ts).
      return monitorPoll(ctx, () => ctx.load(), ctx.now());
    },

    calendar(month, timeZone) {
      const loaded = ctx.load();
      return calendarGrid(loaded, ctx.logs.runs.all(), month, timeZone || loaded.settings.default_timezone, ctx.now());
    },

    calendarDay(date, timeZone, query) {
      const loaded = ctx.load();
      return calendarDayPage(
        loaded,
        ctx.logs.runs.all(),
        date,
        timeZone || loaded.settings.default_timezone,
        ctx.now(),
        query?.page,
        query?.page_size,
      );
    },

    jobChoices(query) {
      return pickJobs(allJobRows(ctx.load(), ctx.now()), query ?? {});
    },

    calendarStart(month, timeZone) {
      const loaded = ctx.load();
      const now = ctx.now();
      // "Job zone": the zone every job shares, else the spreadsheet's default zone.
      let shared: string | null | undefined;
      for (const job of loaded.jobs()) {
        if (shared === undefined) shared = job.config.timezone;
        else if (shared !== job.config.timezone) {
          shared = null;
          break;
        }
      }
      const jobZone = shared || loaded.settings.default_timezone;
      const zone = timeZone || jobZone;
      if (!isValidTimeZone(zone))
        throw new AppError(422, 'validation_failed', 'time_zone: expected an IANA time zone', [
          { path: 'time_zone', message: 'unknown time zone' },
        ]);
      const w = wallTimeAt(zone, now.getTime());
      const current = `${w.year}-${String(w.month).padStart(2, '0')}`;
      return { ...calendarGrid(loaded, ctx.logs.runs.all(), month || current, zone, now), now: now.toISOString(), job_zone: jobZone };
    },

    tabWriters(query) {
      return writersOfTabs(ctx.load().jobs(), query ?? {});
    },

    tick(event) {
      if (event?.triggerUid) {
        // Only the owner's recorded triggers tick; any other one removes itself (see triggers.ts).
        const check = checkFiringTrigger(deps, event.triggerUid, ctx.now());
        if (!check.run) {
          deps.logger.warn(
            `Tick trigger ${event.triggerUid} is not one of the scheduler's (owner ${check.record.owner ?? 'not recorded'}): removed it.`,
          );
          return { ran: 0, next_wake_at: null };
        }
        // Triggers recorded before owners were: the user they run as is their creator, hence the owner.
        if (!check.record.owner) claimRecordedTriggers();
      }
      const result = runTick(ctx);
      if (result.ran > 0) invalidateMonitor(ctx);
      return result;
    },

    ensureTriggers() {
      return repairTriggers().repaired;
    },

    schedulerOwner() {
      return ownerView(ctx.load(), ctx.now());
    },

    takeOverScheduling(actor) {
      return ctx.mutate((loaded): TakeOverDto => {
        const now = ctx.now();
        const view = ownerView(loaded, now);
        if (!view.you)
          throw new AppError(403, 'identity_unknown', 'Apps Script did not reveal your account, so the schedule cannot run as you.');
        if (view.you_are_owner) throw new AppError(409, 'already_owner', `Scheduling already runs as you (${view.you}).`);
        const reason: TakeOverDto['reason'] = !view.owner
          ? 'no_owner'
          : view.heartbeat_dead || view.overdue_since
            ? 'heartbeat_dead'
            : 'explicit';
        // Forget the previous owner's trigger ids: when they fire, they find themselves unrecorded and delete themselves.
        loaded.snapshot.setJson(KEYS.triggers, { heartbeat: null, precise: null, owner: view.you, since: now.toISOString() });
        loaded.snapshot.delete(KEYS.beat);
        ctx.audit(actor, 'scheduler.take_over', null, {
          from: view.owner,
          to: view.you,
          reason,
          last_heartbeat_at: view.last_heartbeat_at,
        });
        const repaired = storeWake(ctx, loaded, now, wakeKeepingOverdue(loaded, now));
        return { owner: view.you, previous_owner: view.owner, reason, repaired };
      });
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
