/**
 * One execution's working set: the property snapshot (read once), settings, the two logs with their
 * write buffers, and the helpers every use case shares (lock + load + commit + flush, audit rows).
 */
import type { JobConfig } from '../domain/job';
import { nextRuns } from '../domain/schedule';
import type { Actor, AuditDto, Settings } from './contract';
import { AppError } from './contract';
import type { AppDeps } from './deps';
import { withLock } from './lock';
import { actorLabel, createLogs, type Logs } from './logs';
import { readAllJobs, readJob, readState, writeState, leaseActive, type JobRecord, type JobState } from './records';
import { readSettings } from './settings';
import { encodeSpool, mergeSpools, readSpool, type SpooledLogs } from './log-spool';
import { KEYS, PropertySnapshot } from './store';

export class Loaded {
  readonly settings: Settings;
  private jobsCache: JobRecord[] | null = null;
  private readonly states = new Map<string, JobState>();

  constructor(
    readonly snapshot: PropertySnapshot,
    scriptTimeZone: string,
  ) {
    this.settings = readSettings(snapshot, scriptTimeZone);
  }

  jobs(): JobRecord[] {
    this.jobsCache ??= readAllJobs(this.snapshot);
    return this.jobsCache;
  }

  job(id: string): JobRecord | null {
    return this.jobsCache ? (this.jobsCache.find((j) => j.id === id) ?? null) : readJob(this.snapshot, id);
  }

  requireJob(id: string): JobRecord {
    const job = typeof id === 'string' ? this.job(id) : null;
    if (!job) throw new AppError(404, 'job_not_found', `No job with id ${String(id)}`);
    return job;
  }

  state(id: string): JobState {
    let s = this.states.get(id);
    if (!s) {
      s = readState(this.snapshot, id);
      this.states.set(id, s);
    }
    return s;
  }

  setState(id: string, state: JobState): void {
    this.states.set(id, state);
    writeState(this.snapshot, id, state);
  }

  /** Forget cached records after writes through the snapshot. */
  invalidate(): void {
    this.jobsCache = null;
  }
}

export class AppContext {
  readonly logs: Logs;
  private readonly startedMs: number;
  private idSeed: string | null = null;
  /** Rows of a failed flush whose spool could not be stored either: written first by the next flush. */
  private unsaved: SpooledLogs | null = null;
  private idCount = 0;

  constructor(readonly deps: AppDeps) {
    this.logs = createLogs(deps.spreadsheets);
    this.startedMs = deps.clock.now().getTime();
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /** Milliseconds this execution has run (the platform kills it at 6 minutes). */
  elapsedMs(): number {
    return this.deps.budget ? this.deps.budget.elapsedMs() : this.deps.clock.now().getTime() - this.startedMs;
  }

  /**
   * The zone new jobs default to (unless the settings name one): the bound spreadsheet's, which its
   * owner sees and sets, else the script's (manifest). Asked once per execution.
   */
  defaultTimeZone(): string {
    if (this.zone === null) {
      let zone = '';
      try {
        zone = this.deps.spreadsheets.spreadsheetTimeZone();
      } catch {
        // No bound spreadsheet (a standalone deployment): the script's zone.
      }
      this.zone = zone || this.deps.identity.scriptTimeZone();
    }
    return this.zone;
  }
  private zone: string | null = null;

  load(): Loaded {
    return new Loaded(PropertySnapshot.load(this.deps.properties), this.defaultTimeZone());
  }

  /** Lock, load, work, write the store in one batch, append buffered log rows, unlock. */
  mutate<T>(work: (loaded: Loaded) => T): T {
    return withLock(this.deps, () => {
      const loaded = this.load();
      const result = work(loaded);
      loaded.snapshot.commit(this.deps.properties);
      this.flushLogs(loaded);
      return result;
    });
  }

  /**
   * Appends the buffered run and audit rows. The store already holds what they describe, so a failed
   * append does not fail the use case: the rows are spooled in a property (log-spool.ts) and written
   * first by the next flush, in this execution or a later one. Call under the script lock, with a
   * snapshot loaded under it: the spool is read from that snapshot each time, because other executions
   * may have added to it or drained it since this one last looked.
   */
  flushLogs(loaded: Loaded): void {
    const raw = loaded.snapshot.get(KEYS.logSpool);
    const carried = mergeSpools(readSpool(raw), this.unsaved);
    this.unsaved = null;
    let lostRow: AuditDto | null = null;
    if (carried) {
      this.logs.runs.prepend(carried.runs);
      this.logs.audit.prepend(carried.audit);
      if (carried.dropped_runs > 0 || carried.dropped_audit > 0) {
        lostRow = this.auditRow({ kind: 'system' }, 'log.rows_lost', null, {
          since: carried.since,
          runs: carried.dropped_runs,
          audit: carried.dropped_audit,
          error: carried.error,
        });
        this.logs.audit.prepend([lostRow]);
      }
    }
    try {
      this.logs.runs.flush(loaded.settings.run_history_rows);
      this.logs.audit.flush(loaded.settings.audit_rows);
    } catch (err) {
      this.spoolRows(carried, lostRow, err);
      return;
    }
    if (raw !== null) this.deps.properties.deleteMany([KEYS.logSpool]);
  }

  private spoolRows(carried: SpooledLogs | null, lostRow: AuditDto | null, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    const spool: SpooledLogs = {
      since: carried?.since ?? this.now().toISOString(),
      error,
      runs: this.logs.runs.takePending(),
      // The count of lost rows travels in the spool until it can be written.
      audit: this.logs.audit.takePending().filter((row) => row !== lostRow),
      dropped_runs: carried?.dropped_runs ?? 0,
      dropped_audit: carried?.dropped_audit ?? 0,
    };
    this.deps.logger.error(`Run history and audit rows could not be written (${error}); ${spool.runs.length + spool.audit.length} kept for the next write.`);
    try {
      this.deps.properties.setMany({ [KEYS.logSpool]: encodeSpool(spool) });
    } catch (spoolErr) {
      // Kept in memory for a later flush of this execution; lost if none succeeds.
      this.unsaved = spool;
      this.deps.logger.error(`Log rows not spooled: ${spoolErr instanceof Error ? spoolErr.message : String(spoolErr)}`);
    }
  }

  audit(actor: Actor, action: string, jobId: string | null, changes: unknown): void {
    this.logs.audit.add(this.auditRow(actor, action, jobId, changes));
  }

  private auditRow(actor: Actor, action: string, jobId: string | null, changes: unknown): AuditDto {
    return {
      at: this.now().toISOString(),
      actor: actorLabel(actor),
      action,
      job_id: jobId,
      changes: typeof changes === 'string' ? changes : JSON.stringify(changes ?? {}),
    };
  }

  /**
   * A short unique id: 48 random bits of one v4 UUID per execution (one service call), then a counter
   * for the further ids of the same execution (a tick may name dozens of runs).
   */
  newId(prefix: string): string {
    this.idSeed ??= this.deps.crypto.uuid().replace(/-/g, '').slice(0, 12).toLowerCase();
    const n = this.idCount++;
    return prefix + this.idSeed + (n === 0 ? '' : n.toString(36));
  }

  spreadsheetUrl(): string {
    try {
      return this.deps.spreadsheets.activeSpreadsheetUrl();
    } catch {
      return '';
    }
  }
}

/** The next instant a job will run: a pending retry or resumption first, else its schedule. */
export function nextRunAt(job: JobRecord, state: JobState, now: Date): string | null {
  if (!job.config.enabled || job.paused) return null;
  if ((state.active || state.requested) && !leaseActive(state, now.getTime())) return now.toISOString();
  const scheduled = nextRuns(job.config, now, 1, { anchor: new Date(job.created_at) })[0] ?? null;
  const retryAt = state.planner.retry_at ? new Date(state.planner.retry_at) : null;
  if (retryAt && (!scheduled || retryAt < scheduled)) return retryAt.toISOString();
  return scheduled ? scheduled.toISOString() : null;
}

/** Changed fields of a config: { field: [before, after] }. */
export function configDiff(before: JobConfig | null, after: JobConfig | null): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const a = before ? (before as Record<string, unknown>)[key] : undefined;
    const b = after ? (after as Record<string, unknown>)[key] : undefined;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[key] = [a ?? null, b ?? null];
  }
  return out;
}
