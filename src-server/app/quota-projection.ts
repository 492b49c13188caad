/**
 * The day's projected use of the platform's limits for the stored jobs (domain/quota-projection.ts),
 * and the tick's degradation when the YouTube budget cannot cover the day: the lowest-priority due
 * runs are deferred to the Pacific reset, visibly (JobState.budget_deferral, health, the job's row),
 * before any run can fail on the budget mid-way.
 */
import { projectDay, type DeferredJob, type ProjectionJob, type QuotaProjection } from '../domain/quota-projection';
import type { TickPlan } from '../domain/planner';
import { stateOnDeferred } from '../domain/run-state';
import { compileSchedule } from '../domain/schedule';
import { quotaResetAt } from '../sync';
import type { LimitsDto } from './contract';
import type { Loaded } from './context';
import { readQuota } from './quota';
import { idleTickEstimateMs, readRuntime } from './runtime-meter';

/** Why a job waits for the reset (stored on the job, shown by its row, the sidebar and health). */
export interface BudgetDeferral {
  until: string;
  message: string;
  at: string;
}

/** The projection of the stored jobs; `due` are runs due now that the day still has to pay for. */
export function projectStoredDay(loaded: Loaded, now: Date, due: ReadonlySet<string> = new Set()): QuotaProjection {
  const jobs: ProjectionJob[] = [];
  for (const job of loaded.jobs()) {
    if (!job.config.enabled || job.paused) continue;
    const schedule = compileSchedule(job.config, { anchor: new Date(job.created_at) });
    if (!schedule) continue;
    const history = loaded.state(job.id).insight?.rh ?? [];
    const pending = due.has(job.id);
    jobs.push({
      id: job.id,
      name: job.config.name,
      priority: job.config.priority,
      channels: job.config.channels.length,
      // A run due now counts as one more occurrence, at now.
      next: pending ? (after) => (after < now.getTime() ? now.getTime() : schedule.next(after)) : (after) => schedule.next(after),
      history,
    });
  }
  const settings = loaded.settings;
  return projectDay({
    jobs,
    // Just before now: an occurrence at this very instant is still to be paid for.
    nowMs: now.getTime() - 1,
    resetMs: quotaResetAt(now).getTime(),
    usedUnits: readQuota(loaded.snapshot, now).used,
    dailyBudget: settings.daily_quota_budget,
    runtimeUsedMs: readRuntime(loaded.snapshot, now.getTime()),
    idleEstimateMs: idleTickEstimateMs(settings.heartbeat_minutes),
  });
}

export function budgetMessage(p: QuotaProjection, resetIso: string): string {
  return (
    `Deferred to the YouTube quota reset (${resetIso}): today's projected use is ${p.youtube.projected} units of the ${p.youtube.budget}-unit daily budget ` +
    `(${p.youtube.used} used), so the lowest-priority jobs wait. Raise the budget, lower the jobs' frequency, or see docs/operations.md "Past one project's quotas".`
  );
}

/**
 * Takes out of the plan the due runs of jobs the day's budget cannot cover (the projection's deferred
 * jobs) and defers them to the reset: their occurrence stays fresh (deferred_for) and the planner
 * waits (quota_deferred_until), so no tick wakes for them before the reset. Returns how many.
 */
export function deferOverBudget(loaded: Loaded, now: Date, plan: TickPlan): number {
  if (plan.due.length === 0) return 0;
  const projection = projectStoredDay(loaded, now, new Set(plan.due.map((r) => r.job_id)));
  if (projection.youtube.deferred.length === 0) return 0;
  const over = new Set(projection.youtube.deferred.map((d) => d.id));
  const reset = quotaResetAt(now).toISOString();
  const message = budgetMessage(projection, reset);
  const kept = [];
  let deferred = 0;
  for (const run of plan.due) {
    if (!over.has(run.job_id)) {
      kept.push(run);
      continue;
    }
    const state = loaded.state(run.job_id);
    const planner = stateOnDeferred(
      { ...state.planner, quota_deferred_until: reset },
      { job_id: run.job_id, reason: 'quota', occurrence: run.occurrence, until: new Date(reset), message },
    );
    loaded.setState(run.job_id, { ...state, planner, budget_deferral: { until: reset, message, at: now.toISOString() } });
    plan.deferred.push({ job_id: run.job_id, reason: 'quota', occurrence: run.occurrence, until: new Date(reset), message });
    deferred++;
  }
  plan.due = kept;
  return deferred;
}

/** Consumer accounts: 90 min of trigger runtime a day; Workspace: 6 h. */
export const CONSUMER_RUNTIME_MS = 90 * 60_000;
export const WORKSPACE_RUNTIME_MS = 6 * 3_600_000;
/** Triggers per user per script. */
export const TRIGGERS_PER_USER = 20;
const LISTED = 20;

/** Jobs whose due run waits for the reset now (the tick deferred it), highest priority first. */
export function waitingForReset(loaded: Loaded, now: Date): DeferredJob[] {
  const out: DeferredJob[] = [];
  for (const job of loaded.jobs()) {
    const d = loaded.state(job.id).budget_deferral;
    if (d && Date.parse(d.until) > now.getTime()) out.push({ id: job.id, name: job.config.name, priority: job.config.priority, units: 0 });
  }
  return out.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
}

/**
 * The limits as health and the monitor show them. `waiting`: jobs whose due run the tick already
 * moved to the reset (listed with the projection's deferred ones, once).
 */
export function limitsDto(
  projection: QuotaProjection,
  now: Date,
  projectLimit: number,
  triggersUsed: number,
  waiting: readonly DeferredJob[] = [],
): LimitsDto {
  const y = projection.youtube;
  const ahead = new Set(y.deferred.map((d) => d.id));
  const deferred = [...y.deferred, ...waiting.filter((w) => !ahead.has(w.id))];
  return {
    youtube_units: {
      used_today: y.used,
      projected_today: y.projected,
      planned_today: y.planned,
      daily_budget: y.budget,
      project_limit: projectLimit,
      resets_at: quotaResetAt(now).toISOString(),
      deferred_jobs: deferred.slice(0, LISTED).map((d) => ({ job_id: d.id, job_name: d.name, priority: d.priority, units: d.units })),
      deferred_total: deferred.length,
    },
    trigger_runtime: {
      used_ms_24h: projection.runtime.used_ms_24h,
      projected_ms_24h: projection.runtime.projected_ms_24h,
      consumer_limit_ms: CONSUMER_RUNTIME_MS,
      workspace_limit_ms: WORKSPACE_RUNTIME_MS,
    },
    triggers: { used: triggersUsed, limit: TRIGGERS_PER_USER },
  };
}
