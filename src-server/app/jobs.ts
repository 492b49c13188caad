/** Job definitions: create, update, patch, delete, pause/resume, enable/disable, import, bulk. */
import { parseJobConfig, parseJobPatch, type FieldIssue, type JobConfig } from '../domain/job';
import { nextRuns } from '../domain/schedule';
import type { Actor, BulkAction, BulkResult, ConflictWarningDto, ImportResult } from './contract';
import { AppError } from './contract';
import { configDiff, type AppContext, type Loaded } from './context';
import { actorLabel } from './logs';
import { emptyJobState, type JobRecord } from './records';

export const JOB_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function validationError(issues: FieldIssue[], prefix = ''): AppError {
  const details = issues.map((i) => ({ path: prefix + i.path, message: prefix ? `${prefix}${i.message}` : i.message }));
  return new AppError(422, 'validation_failed', details.map((d) => d.message).join('; ') || 'Invalid job', details);
}

export function parseConfigOrThrow(input: unknown, loaded: Loaded): JobConfig {
  const result = parseJobConfig(input, { defaultTimezone: loaded.settings.default_timezone });
  if (!result.ok) throw validationError(result.issues);
  return result.value;
}

/**
 * A new job whose schedule has no occurrence after now would never run: a `once` in the past or an
 * end_at already passed is a mistake when creating (an existing or imported job may well be finished).
 */
export function refuseNeverRunning(config: JobConfig, now: Date): void {
  if (!config.enabled || nextRuns(config, now, 1, { anchor: now }).length > 0) return;
  const issue =
    config.schedule_type === 'once'
      ? {
          path: 'schedule_value',
          message: `schedule_value: ${config.schedule_value} (${config.timezone}) is in the past; a once job would never run`,
        }
      : { path: 'end_at', message: `end_at: ${config.end_at ?? ''} leaves no run after now; the job would never run` };
  throw validationError([issue]);
}

/** depends_on must name another existing job, and never form a cycle. */
export function checkDependency(loaded: Loaded, id: string, config: JobConfig, pending: ReadonlyMap<string, JobConfig> = new Map()): void {
  const dep = config.depends_on;
  if (!dep) return;
  const exists = (jobId: string) => pending.has(jobId) || loaded.job(jobId) !== null;
  if (dep === id || !exists(dep)) {
    throw new AppError(
      422,
      'dependency_not_found',
      `depends_on: ${dep === id ? 'a job cannot depend on itself' : `no job with id ${dep}`}`,
      [{ path: 'depends_on', message: dep === id ? 'a job cannot depend on itself' : `no job with id ${dep}` }],
    );
  }
  const seen = new Set([id]);
  let cursor: string | null = dep;
  while (cursor) {
    if (seen.has(cursor)) {
      throw new AppError(422, 'dependency_not_found', `depends_on: ${dep} would form a dependency cycle`, [
        { path: 'depends_on', message: 'dependency cycle' },
      ]);
    }
    seen.add(cursor);
    cursor = (pending.get(cursor) ?? loaded.job(cursor)?.config ?? null)?.depends_on ?? null;
  }
}

export function checkVersion(job: JobRecord, expected: number | undefined): void {
  if (expected !== undefined && expected !== null && expected !== job.version) {
    throw new AppError(
      409,
      'version_conflict',
      `Job ${job.id} was changed by someone else (version ${job.version}, you had ${expected}); reload and try again.`,
      {
        current_version: job.version,
      },
    );
  }
}

export function newRecord(ctx: AppContext, id: string, config: JobConfig, actor: Actor): JobRecord {
  const now = ctx.now().toISOString();
  return {
    id,
    version: 1,
    paused: false,
    created_at: now,
    created_by: actorLabel(actor),
    updated_at: now,
    updated_by: actorLabel(actor),
    config,
  };
}

export function insertJob(ctx: AppContext, loaded: Loaded, config: JobConfig, actor: Actor, id?: string): JobRecord {
  const jobId = id ?? ctx.newId('j_');
  loaded.admit(1);
  checkDependency(loaded, jobId, config);
  const record = newRecord(ctx, jobId, config, actor);
  loaded.putJob(record);
  loaded.setState(jobId, emptyJobState());
  loaded.invalidate();
  ctx.audit(actor, 'job.create', jobId, configDiff(null, config));
  return record;
}

export function replaceConfig(ctx: AppContext, loaded: Loaded, job: JobRecord, config: JobConfig, actor: Actor, action: string): JobRecord {
  checkDependency(loaded, job.id, config);
  const diff = configDiff(job.config, config);
  // The same definition again (a PUT retried, an unchanged export re-imported) is not a change.
  if (Object.keys(diff).length === 0) return job;
  const next: JobRecord = { ...job, config, version: job.version + 1, updated_at: ctx.now().toISOString(), updated_by: actorLabel(actor) };
  loaded.putJob(next);
  loaded.invalidate();
  ctx.audit(actor, action, job.id, diff);
  return next;
}

export function patchConfig(loaded: Loaded, job: JobRecord, patch: unknown): JobConfig {
  const result = parseJobPatch(job.config, patch, { defaultTimezone: loaded.settings.default_timezone });
  if (!result.ok) throw validationError(result.issues);
  return result.value;
}

type Toggle = 'pause' | 'resume' | 'enable' | 'disable';

export function toggleJob(ctx: AppContext, loaded: Loaded, id: string, action: Toggle, actor: Actor): JobRecord {
  const job = loaded.requireJob(id);
  const paused = action === 'pause' ? true : action === 'resume' ? false : job.paused;
  const enabled = action === 'enable' ? true : action === 'disable' ? false : job.config.enabled;
  if (paused === job.paused && enabled === job.config.enabled) return job;
  const next: JobRecord = {
    ...job,
    paused,
    config: { ...job.config, enabled },
    version: job.version + 1,
    updated_at: ctx.now().toISOString(),
    updated_by: actorLabel(actor),
  };
  loaded.putJob(next);
  loaded.invalidate();
  const changes = paused !== job.paused ? { paused: [job.paused, paused] } : { enabled: [job.config.enabled, enabled] };
  ctx.audit(actor, `job.${action}`, id, changes);
  return next;
}

export function deleteJobRecord(ctx: AppContext, loaded: Loaded, id: string, actor: Actor): void {
  const job = loaded.requireJob(id);
  const dependents = loaded.jobs().filter((j) => j.config.depends_on === id && j.id !== id);
  if (dependents.length > 0) {
    throw new AppError(
      409,
      'has_dependents',
      `Job ${id} is a dependency of ${dependents.map((j) => j.config.name).join(', ')}; change those first.`,
      {
        dependents: dependents.map((j) => j.id),
      },
    );
  }
  loaded.removeJob(id);
  loaded.invalidate();
  ctx.audit(actor, 'job.delete', id, { name: job.config.name });
}

export interface ImportItem {
  id: string | null;
  input: unknown;
}

/** Reads the jobs of an import document: a list, or { jobs: [...] }; each an object with optional id. */
export function importItems(doc: unknown): ImportItem[] {
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object' && Array.isArray((doc as { jobs?: unknown }).jobs)
      ? (doc as { jobs: unknown[] }).jobs
      : null;
  if (!list)
    throw new AppError(422, 'validation_failed', 'import: expected a list of jobs or { "jobs": [...] }', [
      { path: '', message: 'expected a list of jobs' },
    ]);
  return list.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      throw new AppError(422, 'validation_failed', `jobs.${i}: expected an object`, [{ path: `jobs.${i}`, message: 'expected an object' }]);
    }
    const { id, ...rest } = item as Record<string, unknown>;
    if (id !== undefined && id !== null && (typeof id !== 'string' || !JOB_ID_RE.test(id))) {
      throw new AppError(422, 'validation_failed', `jobs.${i}.id: must be 1-64 letters, digits, _ or -`, [
        { path: `jobs.${i}.id`, message: 'invalid id' },
      ]);
    }
    return { id: (id as string | undefined) ?? null, input: rest };
  });
}

/** Validates every job first; writes nothing unless all are valid (the caller commits once). */
export function importAll(ctx: AppContext, loaded: Loaded, items: ImportItem[], actor: Actor): ImportResult {
  const issues: FieldIssue[] = [];
  const parsed: { id: string; config: JobConfig; existing: JobRecord | null }[] = [];
  const pending = new Map<string, JobConfig>();
  items.forEach((item, i) => {
    const result = parseJobConfig(item.input, { defaultTimezone: loaded.settings.default_timezone });
    if (!result.ok) {
      for (const issue of result.issues) issues.push({ path: `jobs.${i}.${issue.path}`, message: `jobs.${i}.${issue.message}` });
      return;
    }
    const id = item.id ?? ctx.newId('j_');
    if (pending.has(id)) {
      issues.push({ path: `jobs.${i}.id`, message: `jobs.${i}.id: ${id} appears twice` });
      return;
    }
    pending.set(id, result.value);
    parsed.push({ id, config: result.value, existing: loaded.job(id) });
  });
  if (issues.length > 0) throw new AppError(422, 'validation_failed', issues.map((i) => i.message).join('; '), issues);
  parsed.forEach(({ id, config }, i) => {
    try {
      checkDependency(loaded, id, config, pending);
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.status, err.code, `jobs.${i}.${err.message}`, err.details);
      throw err;
    }
  });
  loaded.admit(parsed.filter((p) => !p.existing).length);
  const result: ImportResult = { created: [], updated: [], unchanged: [] };
  for (const { id, config, existing } of parsed) {
    if (existing) {
      const next = replaceConfig(ctx, loaded, existing, config, actor, 'job.update');
      (next === existing ? result.unchanged : result.updated).push(id);
    } else {
      const record = newRecord(ctx, id, config, actor);
      loaded.putJob(record);
      loaded.setState(id, emptyJobState());
      ctx.audit(actor, 'job.create', id, configDiff(null, config));
      result.created.push(id);
    }
  }
  loaded.invalidate();
  ctx.audit(actor, 'import', null, { created: result.created.length, updated: result.updated.length, unchanged: result.unchanged.length });
  return result;
}

export interface BulkHooks {
  runNow(loaded: Loaded, id: string, actor: Actor): void;
}

export const BULK_ACTIONS: readonly BulkAction[] = ['pause', 'resume', 'enable', 'disable', 'delete', 'run_now'];

export function bulkApply(ctx: AppContext, loaded: Loaded, action: BulkAction, ids: string[], actor: Actor, hooks: BulkHooks): BulkResult {
  if (!BULK_ACTIONS.includes(action)) {
    throw new AppError(422, 'validation_failed', `action: must be one of ${BULK_ACTIONS.join(', ')}`, [
      { path: 'action', message: 'unknown action' },
    ]);
  }
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 500) {
    throw new AppError(422, 'validation_failed', 'ids: must list 1 to 500 job ids', [
      { path: 'ids', message: 'must list 1 to 500 job ids' },
    ]);
  }
  const byId = new Map<string, BulkResult['results'][number]>();
  // Deleting a job and the jobs that depend on it in one call works whatever the order of the ids.
  const order = action === 'delete' ? dependentsFirst(loaded, ids) : ids;
  for (const id of order) {
    if (byId.has(id)) continue; // an id listed twice is acted on once
    try {
      if (action === 'delete') deleteJobRecord(ctx, loaded, id, actor);
      else if (action === 'run_now') hooks.runNow(loaded, id, actor);
      else toggleJob(ctx, loaded, id, action, actor);
      byId.set(id, { id, ok: true });
    } catch (err) {
      if (err instanceof AppError) byId.set(id, { id, ok: false, error: err.toDto() });
      else throw err;
    }
  }
  // Results in the order the ids were given.
  return { action, results: [...new Set(ids)].map((id) => byId.get(id)!) };
}

/** The ids ordered so that a job comes after every job of the list that depends on it (directly or not). */
export function dependentsFirst(loaded: Loaded, ids: readonly string[]): string[] {
  const depth = (id: string): number => {
    // Length of the depends_on chain above the job: a dependent is always deeper than its dependency.
    let n = 0;
    const seen = new Set<string>([id]);
    let cursor = typeof id === 'string' ? (loaded.job(id)?.config.depends_on ?? null) : null;
    while (cursor && !seen.has(cursor)) {
      seen.add(cursor);
      n++;
      cursor = loaded.job(cursor)?.config.depends_on ?? null;
    }
    return n;
  };
  const depths = new Map(ids.map((id) => [id, depth(id)]));
  return [...ids].sort((a, b) => depths.get(b)! - depths.get(a)!);
}

export type { ConflictWarningDto };
