/** Health report: triggers, last tick and lag, quotas and their clocks, store usage, failing jobs, time zones. */
import { YOUTUBE_DAILY_QUOTA } from '../domain/catalogue';
import { quotaResetAt } from '../sync/quota-day';
import type { HealthDto, HealthLevel } from './contract';
import type { AppContext, Loaded } from './context';
import { readQuota } from './quota';
import { readRuntime, TRIGGER_RUNTIME_BUDGET_MS } from './runtime-meter';
import { KEYS, STORE_LIMIT_BYTES, storeUsage, VALUE_LIMIT_BYTES } from './store';
import { readTriggerRecord } from './triggers';
import { checkZones } from './tz-check';

export function healthReport(ctx: AppContext, loaded: Loaded, now: Date, repaired: string[], triggersChecked: boolean): HealthDto {
  const warnings: string[] = [];
  let level: HealthLevel = 'ok';
  const raise = (to: HealthLevel, message: string): void => {
    warnings.push(message);
    if (to === 'error' || level === 'ok') level = to;
  };
  const settings = loaded.settings;

  const record = readTriggerRecord(loaded.snapshot);
  const triggers: HealthDto['triggers'] = {
    heartbeat: !!record.heartbeat,
    heartbeat_minutes: record.heartbeat?.minutes ?? null,
    precise_at: record.precise?.at ?? null,
    total: (record.heartbeat ? 1 : 0) + (record.precise ? 1 : 0),
    repaired,
  };
  if (!triggers.heartbeat && loaded.jobs().length > 0) raise('error', 'The heartbeat trigger is not installed: jobs will not run on schedule.');
  if (repaired.length > 0 && triggersChecked) raise('warning', `Triggers repaired: ${repaired.join('; ')}.`);

  const lastTick = loaded.snapshot.json<{ at: string; lag_ms: number | null }>(KEYS.lastTick);
  const heartbeatMs = settings.heartbeat_minutes * 60_000;
  if (lastTick?.lag_ms !== null && lastTick?.lag_ms !== undefined && lastTick.lag_ms > 2 * heartbeatMs) {
    raise('warning', `The last tick ran ${Math.round(lastTick.lag_ms / 60_000)} min after work was due.`);
  }

  const quota = readQuota(loaded.snapshot, now);
  if (quota.deferred_until) raise('warning', `YouTube quota exhausted: YouTube work waits until ${quota.deferred_until}.`);
  else if (quota.used >= 0.8 * settings.daily_quota_budget) raise('warning', `YouTube quota: ${quota.used} of ${settings.daily_quota_budget} units used today.`);

  const runtimeMs = readRuntime(loaded.snapshot, now.getTime());
  if (runtimeMs >= 0.8 * TRIGGER_RUNTIME_BUDGET_MS) raise('warning', `Triggers ran ${Math.round(runtimeMs / 60_000)} min in 24 h (budget ${TRIGGER_RUNTIME_BUDGET_MS / 60_000} min).`);

  const usage = storeUsage(loaded.snapshot.current());
  if (usage.used_bytes >= 0.8 * STORE_LIMIT_BYTES) raise('warning', `The property store is ${Math.round((usage.used_bytes / STORE_LIMIT_BYTES) * 100)} % full.`);

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
  if (failing.length > 0) raise('warning', `${failing.length} job(s) failing: ${failing.map((f) => f.job_name).join(', ')}.`);

  const timezones = checkZones(ctx.deps.timeZones, zones, now);
  for (const z of timezones) {
    if (!z.ok) raise('error', `Time zone ${z.zone}: Intl says ${z.intl_offset} but Apps Script says ${z.apps_script_offset}; schedules in this zone may run at the wrong local time.`);
  }

  return {
    status: level,
    checked_at: now.toISOString(),
    triggers,
    last_tick: { at: lastTick?.at ?? null, lag_ms: lastTick?.lag_ms ?? null },
    youtube_quota: {
      used_today: quota.used,
      daily_budget: settings.daily_quota_budget,
      project_limit: YOUTUBE_DAILY_QUOTA,
      resets_at: quotaResetAt(now).toISOString(),
      deferred_until: quota.deferred_until,
    },
    trigger_runtime: { used_ms_24h: runtimeMs, budget_ms: TRIGGER_RUNTIME_BUDGET_MS },
    property_store: { used_bytes: usage.used_bytes, limit_bytes: STORE_LIMIT_BYTES, largest_value_bytes: usage.largest_value_bytes, value_limit_bytes: VALUE_LIMIT_BYTES },
    failing_jobs: failing,
    timezones,
    warnings,
  };
}
