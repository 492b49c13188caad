/**
 * One execution's working set: the property snapshot (read once), settings, the two logs with their
 * write buffers, and the helpers every use case shares (lock + load + commit + flush, audit rows).
 */
import type { JobConfig } from '../domain/job';
import { nextRuns } from '../domain/schedule';
import { normalizeSyncState, type SyncState } from '../sync';
import type { Actor, AuditDto, RunDto, Settings } from './contract';
import { AppError } from './contract';
import type { AppDeps } from './deps';
import { JobTable, MAX_JOBS } from './job-table';
import { auditKey, encodeJournal, isPending, journalDone, missingRows, readJournal, type Journal } from './journal';
import { withLock } from './lock';
import { actorLabel, createLogs, type Logs } from './logs';
import { readSpool } from './log-spool';
import type { TableEnd } from './sheet-table';
import {
  legacyKeys,
  migrateLegacy,
  readAllJobs,
  readJob,
  readState,
  removeJob,
  writeJob,
  writeState,
  leaseActive,
  LEASE_MS,
  type JobRecord,
  type JobState,
} from './records';
import { readSettings } from './settings';
import { KEYS, PropertySnapshot, VALUE_LIMIT_BYTES } from './store';

/** Where the hidden log tabs end, remembered with the log mark (sheet-table.ts). */
interface LogEnds {
  runs?: TableEnd;
  audit?: TableEnd;
}

/** A commit that journals rows in at least this many job rows clears them once appended. */
const BULK_JOURNAL_CLEAR = 50;

/**
 * How long a deleted job's row outlives its newest history or audit row: a run's lease, so that a
 * run claimed before the delete still records into the row, in the same write as its state.
 */
const TOMBSTONE_KEEP_MS = LEASE_MS;
/** Journal sizes: a job row's journal cell, and the property for rows about no stored job. */
const ROW_JOURNAL_BYTES = 40_000;
const PROPERTY_JOURNAL_BYTES = VALUE_LIMIT_BYTES - 64;

export class Loaded {
  settings: Settings;
  private tableCache: JobTable | null = null;
  private jobsCache: JobRecord[] | null = null;
  private readonly states = new Map<string, JobState>();
  /** Log rows of earlier commits that did not finish their append (read with the table). */
  private recovered: { runs: RunDto[]; audit: AuditDto[]; dropped: number; maxTag: number } | null = null;

  constructor(
    readonly snapshot: PropertySnapshot,
    defaultZone: string | (() => string),
    private readonly spreadsheets: AppDeps['spreadsheets'],
  ) {
    this.settings = readSettings(snapshot, defaultZone);
  }

  /** Properties to delete once the table is written (the layout before the jobs tab). */
  readonly deleteAfterTable: string[] = [];

  /** The jobs tab, read on first use (settings, keys and health figures do not need it). */
  get table(): JobTable {
    if (!this.tableCache) {
      const mark = this.logMark();
      this.tableCache = JobTable.load(this.spreadsheets, (journal) => journalDone(journal, mark));
      // An install from before the jobs tab: its jobs move over in the next commit (legacy keys win
      // over rows a killed migration wrote, so repeating it is harmless).
      if (legacyKeys(this.snapshot).length > 0) this.deleteAfterTable.push(...migrateLegacy(this.snapshot, this.tableCache));
    }
    return this.tableCache;
  }

  /** Takes this execution's copy of the table (still what is stored: see AppContext.locked). */
  adoptTable(table: JobTable): void {
    this.tableCache = table;
  }

  /** Whether the table was read by this execution. */
  tableLoaded(): boolean {
    return this.tableCache !== null;
  }

  jobs(): JobRecord[] {
    this.jobsCache ??= readAllJobs(this.table);
    return this.jobsCache;
  }

  jobCount(): number {
    return this.table.count();
  }

  job(id: string): JobRecord | null {
    if (typeof id !== 'string') return null;
    return this.jobsCache ? (this.jobsCache.find((j) => j.id === id) ?? null) : readJob(this.table, id);
  }

  requireJob(id: string): JobRecord {
    const job = typeof id === 'string' ? this.job(id) : null;
    if (!job) throw new AppError(404, 'job_not_found', `No job with id ${String(id)}`);
    return job;
  }

  state(id: string): JobState {
    let s = this.states.get(id);
    if (!s) {
      s = readState(this.table, id);
      this.states.set(id, s);
    }
    return s;
  }

  setState(id: string, state: JobState): void {
    this.states.set(id, state);
    writeState(this.table, id, state);
  }

  putJob(job: JobRecord): void {
    writeJob(this.table, job);
    this.jobsCache = null;
  }

  removeJob(id: string): void {
    removeJob(this.table, id);
    this.states.delete(id);
    this.jobsCache = null;
  }

  syncState(id: string): SyncState {
    const raw = this.table.sync(id);
    let value: unknown = null;
    try {
      value = raw ? JSON.parse(raw) : null;
    } catch {
      value = null;
    }
    return normalizeSyncState(value);
  }

  setSyncState(id: string, state: SyncState): void {
    this.table.set(id, 'sync', JSON.stringify(state));
  }

  /** Refuses (413) adding `count` jobs past MAX_JOBS, naming the limit. */
  admit(count: number): void {
    const stored = this.jobCount();
    if (stored + count > MAX_JOBS) {
      const room = Math.max(0, MAX_JOBS - stored);
      throw new AppError(
        413,
        'store_full',
        `This spreadsheet's scheduler holds at most ${MAX_JOBS.toLocaleString('en-US')} jobs: ${stored.toLocaleString('en-US')} are stored, ` +
          `so ${room.toLocaleString('en-US')} more can be added and this change adds ${count.toLocaleString('en-US')}. ` +
          'Delete unused jobs, or split jobs across spreadsheets (docs/operations.md). Nothing was saved.',
        { stored, adding: count, limit_jobs: MAX_JOBS },
      );
    }
  }

  /** The last commit whose log rows are known to be appended. */
  logMark(): number {
    return Number(this.snapshot.get(KEYS.logMark)) || 0;
  }

  /**
   * Log rows that earlier commits journaled and did not finish appending: from every job row's
   * journal and the property journal. Read once per execution with the table.
   */
  pendingJournals(): { runs: RunDto[]; audit: AuditDto[]; dropped: number; maxTag: number } {
    if (this.recovered) return this.recovered;
    const mark = this.logMark();
    const out = { runs: [] as RunDto[], audit: [] as AuditDto[], dropped: 0, maxTag: mark };
    const add = (journal: Journal | null): void => {
      if (!isPending(journal, mark)) return;
      out.runs.push(...journal.runs);
      out.audit.push(...journal.audit);
      out.dropped += journal.dropped ?? 0;
      out.maxTag = Math.max(out.maxTag, journal.c);
    };
    add(readJournal(this.snapshot.get(KEYS.journal)));
    for (const id of this.table.rowIds()) {
      const raw = this.table.get(id, 'journal');
      if (!journalDone(raw, mark)) add(readJournal(raw));
    }
    // Rows from the spool of the layout before journals.
    const spool = readSpool(this.snapshot.get(KEYS.logSpool));
    if (spool) {
      out.runs.push(...spool.runs);
      out.audit.push(...spool.audit);
      out.dropped += spool.dropped_runs + spool.dropped_audit;
    }
    this.recovered = out;
    return out;
  }

  /** Forget cached records after writes. */
  invalidate(): void {
    this.jobsCache = null;
  }
}

export class AppContext {
  readonly logs: Logs;
  private readonly startedMs: number;
  private idSeed: string | null = null;
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
    return new Loaded(PropertySnapshot.load(this.deps.properties), () => this.defaultTimeZone(), this.deps.spreadsheets);
  }

  /** Lock, load, work, commit (store, journal, log append), unlock. */
  mutate<T>(work: (loaded: Loaded) => T): T {
    return this.locked((loaded) => {
      const result = work(loaded);
      this.commit(loaded);
      return result;
    });
  }

  /**
   * Lock and load; the caller commits. When the last write of the jobs tab was this execution's own
   * (the revision it set is still the stored one), its copy of the table is reused: a busy tick's
   * record phase does not read every job again.
   */
  locked<T>(work: (loaded: Loaded) => T): T {
    return withLock(this.deps, () => {
      const loaded = this.load();
      const mine = this.ownTable;
      if (mine && loaded.snapshot.get(KEYS.tableRev) === mine.rev && legacyKeys(loaded.snapshot).length === 0)
        loaded.adoptTable(mine.table);
      return work(loaded);
    });
  }

  /** The table as this execution last wrote it, with the revision that write set. */
  private ownTable: { rev: string; table: JobTable } | null = null;

  /**
   * Writes a locked phase's changes: the buffered log rows go into the journals of the rows they
   * concern (same write as the state), the jobs tab is written, then the properties, then the rows
   * are appended to the hidden tabs and the commit is marked done. Rows an earlier commit left
   * unappended are appended with this commit's. `keepPropertiesOnFull`: when the property store is
   * full, the grown coordination values are left as stored instead of failing (a run's record must
   * be kept: its state lives in the table, and the properties only hold figures that are re-derived).
   */
  commit(loaded: Loaded, options: { keepPropertiesOnFull?: boolean } = {}): void {
    const logsPending = this.logs.runs.pendingCount() + this.logs.audit.pendingCount() > 0;
    // Every commit that reads jobs brings over rows earlier commits left unappended.
    const recovered = loaded.tableLoaded() || logsPending ? loaded.pendingJournals() : null;
    let carried = { runs: [] as RunDto[], audit: [] as AuditDto[] };
    // When the tabs cannot even be read, nothing is appended: every row stays journaled.
    let appendable = true;
    if (recovered && (recovered.runs.length > 0 || recovered.audit.length > 0)) {
      try {
        carried = this.notYetAppended(recovered);
      } catch {
        carried = { runs: recovered.runs, audit: recovered.audit };
        appendable = false;
      }
    }
    const runs = [...carried.runs, ...this.logs.runs.takePending()];
    const audit = [...carried.audit, ...this.logs.audit.takePending()];
    // Rows dropped from full journals are counted in the audit log once the tabs can be written;
    // until then the count travels with the journal.
    let carriedDropped = 0;
    if (recovered && recovered.dropped > 0) {
      if (appendable) audit.push(this.auditRow({ kind: 'system' }, 'log.rows_lost', null, { rows: recovered.dropped }));
      else carriedDropped = recovered.dropped;
    }
    const hasRows = runs.length > 0 || audit.length > 0 || carriedDropped > 0;
    const tag = Math.max(loaded.logMark(), recovered?.maxTag ?? 0) + 1;
    const journaled = hasRows ? this.journal(loaded, tag, runs, audit, carriedDropped) : new Set<string>();
    if (loaded.tableLoaded()) this.freeTombstones(loaded, journaled);
    if (recovered && recovered.maxTag > loaded.logMark() && !hasRows) {
      // Everything pending was found appended already: only the mark moves.
      loaded.snapshot.set(KEYS.logMark, String(recovered.maxTag));
    }
    const afterTable = [...loaded.deleteAfterTable];
    if (loaded.snapshot.get(KEYS.logSpool) !== null) afterTable.push(KEYS.logSpool);

    // Properties first, with the table's new revision: an execution killed before the table write
    // leaves a revision no copy holds, so nobody reuses a copy that misses a write.
    this.ownTable = null;
    const table = loaded.tableLoaded() ? loaded.table : null;
    const writesTable = !!table && table.hasChanges();
    const rev = writesTable ? this.newId('t') : loaded.snapshot.get(KEYS.tableRev);
    if (writesTable) loaded.snapshot.set(KEYS.tableRev, rev!);
    this.commitProperties(loaded, options.keepPropertiesOnFull ?? false);
    if (table) table.commit();
    // What the table now holds (jobs, spooled rows) may leave the properties.
    if (afterTable.length > 0) this.deps.properties.deleteMany(afterTable);
    if (table && rev) this.ownTable = { rev, table };
    if (!hasRows || !appendable) return;
    const known = loaded.snapshot.json<LogEnds>(KEYS.logEnds) ?? {};
    const ends: LogEnds = { ...known };
    try {
      if (runs.length > 0) ends.runs = this.logs.runs.appendNow(runs, loaded.settings.run_history_rows, known.runs ?? null) ?? undefined;
      if (audit.length > 0) ends.audit = this.logs.audit.appendNow(audit, loaded.settings.audit_rows, known.audit ?? null) ?? undefined;
    } catch (err) {
      // The rows wait in their journals; the next locked execution appends them.
      this.deps.logger.error(
        `Run history and audit rows could not be written (${err instanceof Error ? err.message : String(err)}); kept in the journal for the next write.`,
      );
      return;
    }
    try {
      this.deps.properties.setMany({ [KEYS.logMark]: String(tag), [KEYS.logEnds]: JSON.stringify(ends) });
    } catch (err) {
      // Not marked: the next locked execution finds the rows appended and only moves the mark.
      this.deps.logger.warn(`Log mark not stored: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    // A change of many jobs (an import, a bulk action) would leave its appended rows in every row it
    // touched, read again by every busy tick: one more write (adjacent rows: one block) clears them.
    if (table && journaled.size >= BULK_JOURNAL_CLEAR) {
      try {
        for (const id of journaled) table.set(id, 'journal', '');
        table.commit();
      } catch (err) {
        this.ownTable = null;
        this.deps.logger.warn(`Appended journals not cleared: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private commitProperties(loaded: Loaded, keepOnFull: boolean): void {
    try {
      loaded.snapshot.commit(this.deps.properties);
    } catch (err) {
      if (!keepOnFull || !(err instanceof AppError) || err.code !== 'store_full') throw err;
      for (const key of loaded.snapshot.grownKeys()) loaded.snapshot.revert(key);
      this.deps.logger.error(`Recording: ${err.message} Coordination figures were left as stored.`);
      loaded.snapshot.commit(this.deps.properties);
    }
  }

  /**
   * A deleted job's row is kept (id and journal only) until its last rows are known to be appended;
   * the first commit after that blanks it, so nothing of the job outlives it (the row is reused by the
   * next new job). A tombstone stays while its journal is pending, while this commit journals rows
   * into it (they must travel in the same write as the change they record, not in a property written
   * after the table), and in the commit that deletes the job (its job.delete row goes there). It also
   * stays for a lease after its newest row: a run under way when the job was deleted records into it.
   */
  private freeTombstones(loaded: Loaded, journaled: ReadonlySet<string>): void {
    const table = loaded.table;
    const mark = loaded.logMark();
    const live = new Set(table.jobIds());
    const nowMs = this.now().getTime();
    for (const id of table.rowIds()) {
      if (live.has(id) || journaled.has(id) || table.isStaged(id)) continue;
      const journal: Journal | null = readJournal(table.get(id, 'journal'));
      const entries = [
        ...(journal?.runs ?? []).map((r) => r.finished_at ?? r.started_at ?? ''),
        ...(journal?.audit ?? []).map((a) => a.at),
      ];
      const times = entries.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t));
      if (isPending(journal, mark)) continue;
      if (times.length > 0 && nowMs - Math.max(...times) < TOMBSTONE_KEEP_MS) continue;
      table.free(id);
    }
  }

  /** Stages each row into the journal of its job's row (live or tombstone), the rest into the property journal. */
  private journal(loaded: Loaded, tag: number, runs: RunDto[], audit: AuditDto[], dropped: number): Set<string> {
    const byJob = new Map<string, Journal>();
    const orphan: Journal = { c: tag, runs: [], audit: [], dropped };
    const table = loaded.tableLoaded() ? loaded.table : null;
    const target = (jobId: string | null): Journal => {
      if (!jobId || !table || !table.hasRow(jobId)) return orphan;
      let j = byJob.get(jobId);
      if (!j) {
        j = { c: tag, runs: [], audit: [] };
        byJob.set(jobId, j);
      }
      return j;
    };
    for (const row of runs) target(row.job_id).runs.push(row);
    for (const row of audit) target(row.job_id).audit.push(row);
    for (const [jobId, j] of byJob) table!.set(jobId, 'journal', encodeJournal(j, ROW_JOURNAL_BYTES));
    if (orphan.runs.length > 0 || orphan.audit.length > 0 || dropped > 0)
      loaded.snapshot.set(KEYS.journal, encodeJournal(orphan, PROPERTY_JOURNAL_BYTES));
    else if (loaded.snapshot.get(KEYS.journal) !== null) loaded.snapshot.delete(KEYS.journal);
    return new Set(byJob.keys());
  }

  /** The recovered rows that the hidden tabs do not hold yet (a commit may have died after its append). */
  private notYetAppended(recovered: { runs: RunDto[]; audit: AuditDto[] }): { runs: RunDto[]; audit: AuditDto[] } {
    const runs =
      recovered.runs.length > 0 ? missingRows(recovered.runs, this.logs.runs.tail(recovered.runs.length + 20), (r) => r.run_id) : [];
    const audit =
      recovered.audit.length > 0 ? missingRows(recovered.audit, this.logs.audit.tail(recovered.audit.length + 20), auditKey) : [];
    return { runs, audit };
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
      id: this.newId('a_'),
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
