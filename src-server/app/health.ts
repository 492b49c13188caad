/** Health report: triggers, last tick and lag, quotas and their clocks, store usage, failing jobs, time zones. */
import { YOUTUBE_DAILY_QUOTA } from '../domain/catalogue';
import { quotaResetAt } from '../sync';
import type { HealthDto, HealthLevel } from './contract';
import type { AppContext, Loaded } from './context';
import { readQuota } from './quota';
import { formatKb } from './bytes';
import { idleTickEstimateMs, readRuntime, TRIGGER_RUNTIME_BUDGET_MS } from './runtime-meter';
import { KEYS, STORE_LIMIT_BYTES, storeUsage, VALUE_LIMIT_BYTES } from './store';
import { DEAD_AFTER_INTERVALS, isTriggerRepair, ownerStatus, readTriggerRecord } from './triggers';
import { checkZones } from './tz-check';
import { allAnomalies } from './insights';
import { limitsDto, projectStoredDay, waitingForReset } from './quota-projection';

/** Above this share of the 500 KB the store counts as full: a run's state may no longer fit. */
export const STORE_FULL_RATIO = 0.95;

/** The stored next-due instant when it lies more than two heartbeat intervals in the past, else null. */
export function overdueInstant(stored: string | null, nowMs: number, heartbeatMs: number): string | null {
  if (!stored || stored === 'none') return null;
  const due = Date.parse(stored);
  return !Number.isNaN(due) && nowMs - due > 2 * heartbeatMs ? new Date(due).toISOString() : null;
}

export function healthReport(ctx: AppContext, loaded: Loaded, now: Date, repaired: string[], triggersChecked: boolean): HealthDto {
  const warnings: string[] = [];
  let level: HealthLevel = 'ok';
  const raise = (to: HealthLevel, message: string): void => {
    warnings.push(message);
    if (to === 'error' || level === 'ok') level = to;
  };
  const settings = loaded.settings;

  const record = readTriggerRecord(loaded.snapshot);
  const owner = ownerStatus(record, loaded.snapshot.get(KEYS.beat), now, settings.heartbeat_minutes);
  const triggers: HealthDto['triggers'] = {
    heartbeat: !!record.heartbeat,
    heartbeat_minutes: record.heartbeat?.minutes ?? null,
    precise_at: record.precise?.at ?? null,
    total: (record.heartbeat ? 1 : 0) + (record.precise ? 1 : 0),
    repaired,
    owner: owner.owner,
    last_heartbeat_at: owner.last_heartbeat_at,
    heartbeat_dead: owner.heartbeat_dead,
  };
  if (owner.heartbeat_dead && loaded.jobs().length > 0) {
    raise(
      'error',
      `Scheduling runs as ${owner.owner}, whose heartbeat has not ticked since ${owner.last_heartbeat_at ?? owner.since} ` +
        `(more than ${DEAD_AFTER_INTERVALS * settings.heartbeat_minutes} min): ask them to open the sidebar, or take over (menu YouTube2Sheets > Take over scheduling).`,
    );
  }
  if (!triggers.heartbeat && loaded.jobs().length > 0)
    raise('error', 'The heartbeat trigger is not installed: jobs will not run on schedule.');
  const repairs = repaired.filter(isTriggerRepair);
  if (repairs.length > 0 && triggersChecked) raise('warning', `Triggers repaired: ${repairs.join('; ')}.`);

  // Idle ticks record nothing (that is what keeps them cheap), so the last tick is the last busy one.
  // A dead heartbeat shows as work that is due and that no tick has taken: every busy tick moves
  // meta:next_due ahead, so a stored instant older than two heartbeat intervals means no tick ran.
  const lastTick = loaded.snapshot.json<{ at: string; lag_ms: number | null }>(KEYS.lastTick);
  const heartbeatMs = settings.heartbeat_minutes * 60_000;
  if (lastTick?.lag_ms !== null && lastTick?.lag_ms !== undefined && lastTick.lag_ms > 2 * heartbeatMs) {
    raise('warning', `The last tick ran ${Math.round(lastTick.lag_ms / 60_000)} min after work was due.`);
  }
  const overdueSince = overdueInstant(loaded.snapshot.get(KEYS.nextDue), now.getTime(), heartbeatMs);
  if (overdueSince !== null) {
    raise(
      'error',
      `No tick has run since work fell due at ${overdueSince} (${Math.round((now.getTime() - Date.parse(overdueSince)) / 60_000)} min ago): ` +
        'the triggers are not firing (disabled, failing or out of daily runtime). Check Extensions > Apps Script > Triggers and Executions.',
    );
  }

  const pending = loaded.pendingJournals();
  const waiting = pending.runs.length + pending.audit.length;
  if (waiting > 0 || pending.dropped > 0) {
    raise(
      'warning',
      `${waiting} run-history or audit row(s) wait to be written to the hidden tabs with the next change` +
        `${pending.dropped > 0 ? `, ${pending.dropped} older row(s) could not be kept` : ''}. ` +
        'Check that the tabs _y2s_runs and _y2s_audit are not protected and the spreadsheet is not full.',
    );
  }

  const quota = readQuota(loaded.snapshot, now);
  if (quota.deferred_until) raise('warning', `YouTube quota exhausted: YouTube work waits until ${quota.deferred_until}.`);
  else if (quota.used >= 0.8 * settings.daily_quota_budget)
    raise('warning', `YouTube quota: ${quota.used} of ${settings.daily_quota_budget} units used today.`);

  const runtimeMs = readRuntime(loaded.snapshot, now.getTime());
  const idleMs = idleTickEstimateMs(settings.heartbeat_minutes);
  if (runtimeMs + idleMs >= 0.8 * TRIGGER_RUNTIME_BUDGET_MS) {
    raise(
      'warning',
      `Triggers ran about ${Math.round((runtimeMs + idleMs) / 60_000)} min in 24 h (budget ${TRIGGER_RUNTIME_BUDGET_MS / 60_000} min), idle ticks estimated.`,
    );
  }

  const usage = storeUsage(loaded.snapshot.current());
  const percent = Math.round((usage.used_bytes / STORE_LIMIT_BYTES) * 100);
  if (usage.used_bytes >= STORE_FULL_RATIO * STORE_LIMIT_BYTES) {
    raise(
      'error',
      `The property store is ${percent} % full (${formatKb(Math.max(0, STORE_LIMIT_BYTES - usage.used_bytes))} left): settings and API keys cannot be changed (jobs are stored in the hidden _y2s_jobs tab and keep running). Revoke unused API keys.`,
    );
  } else if (usage.used_bytes >= 0.8 * STORE_LIMIT_BYTES) raise('warning', `The property store is ${percent} % full.`);
  if (usage.largest_value_bytes >= 0.9 * VALUE_LIMIT_BYTES) {
    raise(
      'warning',
      `A stored value takes ${formatKb(usage.largest_value_bytes)} of the ${formatKb(VALUE_LIMIT_BYTES)} allowed per value `,
    );
  }

  const failing: HealthDto['failing_jobs'] = [];
  const zones = new Set<string>([settings.default_timezone]);
  for (const job of loaded.jobs()) {
    zones.add(job.config.timezone);
    const state = loaded.state(job.id);
    const failures = state.planner.consecutive_failures ?? 0;
    if (failures > 0 && state.last_run?.status === 'failed') {
      failing.push({ job_id: job.id, job_name: job.config.name, consecutive_failures: failures, last_error: state.last_error });
    }
  }
  // Names the first few: the warning travels in every sidebar answer, which stays small at any job count.
  if (failing.length > 0) {
    const named = failing
      .slice(0, 5)
      .map((f) => f.job_name)
      .join(', ');
    raise(
      'warning',
      `${failing.length} job(s) failing: ${named}${failing.length > 5 ? ` and ${failing.length - 5} more (job manager, status failing)` : ''}.`,
    );
  }

  const anomalies = allAnomalies(loaded);
  if (anomalies.length > 0) {
    const jobs = [...new Set(anomalies.map((a) => a.job_name))];
    raise(
      'warning',
      `${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'} in ${jobs.length} job(s): ${anomalies
        .slice(0, 3)
        .map((a) => `${a.job_name}: ${a.message}`)
        .join(' ')}${anomalies.length > 3 ? ' …' : ''}`,
    );
  }

  // The day ahead against each daily limit (app/quota-projection.ts); what the scheduler defers to stay within.
  const limits = limitsDto(projectStoredDay(loaded, now), now, YOUTUBE_DAILY_QUOTA, triggers.total, waitingForReset(loaded, now));
  const yt = limits.youtube_units;
  if (yt.deferred_total > 0) {
    const named = yt.deferred_jobs
      .slice(0, 5)
      .map((d) => `${d.job_name} (priority ${d.priority})`)
      .join(', ');
    raise(
      'warning',
      `The day's YouTube budget cannot cover every job (${yt.used_today} units used, ${yt.projected_today} projected, budget ${yt.daily_budget}): ${yt.deferred_total} lowest-priority job(s) wait for the quota reset at ${yt.resets_at}: ` +
        `${named}${yt.deferred_total > 5 ? ` and ${yt.deferred_total - 5} more` : ''}. See docs/operations.md "Past one project's quotas".`,
    );
  }
  const rt = limits.trigger_runtime;
  if (rt.projected_ms_24h >= 0.8 * rt.consumer_limit_ms) {
    raise(
      'warning',
      `Triggers are projected to run about ${Math.round(rt.projected_ms_24h / 60_000)} min in the next 24 h: ${rt.projected_ms_24h >= rt.consumer_limit_ms ? 'over' : 'near'} the 90-min daily limit of a consumer account ` +
        `(a Workspace account has ${rt.workspace_limit_ms / 3_600_000} h). See docs/operations.md "Past one project's quotas".`,
    );
  }

  const timezones = checkZones(ctx.deps.timeZones, zones, now);
  for (const z of timezones) {
    if (!z.ok)
      raise(
        'error',
        `Time zone ${z.zone}: Intl says ${z.intl_offset} but Apps Script says ${z.apps_script_offset}; schedules in this zone may run at the wrong local time.`,
      );
  }

  return {
    status: level,
    checked_at: now.toISOString(),
    triggers,
    last_tick: { at: lastTick?.at ?? null, lag_ms: lastTick?.lag_ms ?? null, overdue_since: overdueSince },
    youtube_quota: {
      used_today: quota.used,
      daily_budget: settings.daily_quota_budget,
      project_limit: YOUTUBE_DAILY_QUOTA,
      resets_at: quotaResetAt(now).toISOString(),
      deferred_until: quota.deferred_until,
    },
    trigger_runtime: { used_ms_24h: runtimeMs, budget_ms: TRIGGER_RUNTIME_BUDGET_MS, idle_estimate_ms_24h: idleMs },
    property_store: {
      used_bytes: usage.used_bytes,
      limit_bytes: STORE_LIMIT_BYTES,
      largest_value_bytes: usage.largest_value_bytes,
      value_limit_bytes: VALUE_LIMIT_BYTES,
    },
    failing_jobs: failing,
    anomalies,
    timezones,
    limits,
    warnings,
  };
}
