/**
 * Run history and audit log: hidden tabs `_y2s_runs` and `_y2s_audit` of the bound spreadsheet.
 * Rows are buffered during a use case and appended in one batch (flush), newest at the bottom.
 */
import { RESERVED_TAB_PREFIX } from '../domain/job';
import type { RunStatus, RunTrigger } from '../domain/catalogue';
import { RUN_STATUSES, RUN_TRIGGERS } from '../domain/catalogue';
import type { Spreadsheets } from '../ports';
import type { Actor, AuditDto, RunDto } from './contract';
import { cellNumber, cellText, cellTextOrNull, SheetTable, type TableCodec, type TableEnd } from './sheet-table';

export const RUNS_TAB = `${RESERVED_TAB_PREFIX}runs`;
export const AUDIT_TAB = `${RESERVED_TAB_PREFIX}audit`;

/** The run-history tab's columns, in order (tests and tools read rows by these names). */
export const RUN_COLUMNS = [
  'run_id',
  'job_id',
  'job_name',
  'scheduled_for',
  'started_at',
  'finished_at',
  'status',
  'trigger',
  'videos_added',
  'videos_updated',
  'quota_units',
  'duration_ms',
  'error',
  'refresh_units',
] as const;

const NUMERIC_RUN_COLUMNS = new Set(['videos_added', 'videos_updated', 'quota_units', 'duration_ms', 'refresh_units']);

const runCodec: TableCodec<RunDto> = {
  columns: RUN_COLUMNS,
  textColumns: new Set(RUN_COLUMNS.filter((c) => !NUMERIC_RUN_COLUMNS.has(c))),
  toRow: (r) => [
    r.run_id,
    r.job_id,
    r.job_name,
    r.scheduled_for ?? '',
    r.started_at ?? '',
    r.finished_at ?? '',
    r.status,
    r.trigger,
    r.videos_added,
    r.videos_updated,
    r.quota_units,
    r.duration_ms ?? '',
    r.error ?? '',
    r.refresh_units ?? 0,
  ],
  fromRow: (row) => {
    const runId = cellText(row[0]);
    if (!runId) return null;
    const status = cellText(row[6]) as RunStatus;
    const trigger = cellText(row[7]) as RunTrigger;
    const duration = cellText(row[11]);
    return {
      run_id: runId,
      job_id: cellText(row[1]),
      job_name: cellText(row[2]),
      scheduled_for: cellTextOrNull(row[3]),
      started_at: cellTextOrNull(row[4]),
      finished_at: cellTextOrNull(row[5]),
      status: (RUN_STATUSES as readonly string[]).includes(status) ? status : 'failed',
      trigger: (RUN_TRIGGERS as readonly string[]).includes(trigger) ? trigger : 'schedule',
      videos_added: cellNumber(row[8]),
      videos_updated: cellNumber(row[9]),
      quota_units: cellNumber(row[10]),
      duration_ms: duration === '' ? null : cellNumber(duration),
      error: cellTextOrNull(row[12]),
      refresh_units: cellNumber(row[13]),
    };
  },
};

/** The audit tab's columns, in order. */
export const AUDIT_COLUMNS = ['at', 'actor', 'action', 'job_id', 'changes', 'id'] as const;

const auditCodec: TableCodec<AuditDto> = {
  columns: AUDIT_COLUMNS,
  textColumns: new Set(AUDIT_COLUMNS),
  toRow: (a) => [a.at, a.actor, a.action, a.job_id ?? '', a.changes, a.id ?? ''],
  fromRow: (row) => {
    const at = cellText(row[0]);
    if (!at) return null;
    return {
      at,
      actor: cellText(row[1]),
      action: cellText(row[2]),
      job_id: cellTextOrNull(row[3]),
      changes: cellText(row[4]),
      ...(cellText(row[5]) ? { id: cellText(row[5]) } : {}),
    };
  },
};

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.email || 'unknown'}`;
    case 'api':
      return `api:${actor.key_id}`;
    default:
      return 'system';
  }
}

/**
 * A log with a write buffer: use cases add records; the commit (AppContext.commit) journals them with
 * the change they describe and appends them in one batch.
 */
export class BufferedLog<T> {
  private readonly pending: T[] = [];

  constructor(private readonly table: SheetTable<T>) {}

  add(record: T): void {
    this.pending.push(record);
  }

  /** Stored records, oldest first, plus those not yet appended by this execution. */
  all(): T[] {
    return [...this.table.readAll(), ...this.pending];
  }

  /** The newest `count` stored records (one read). */
  tail(count: number): T[] {
    return this.table.tail(count);
  }

  pendingCount(): number {
    return this.pending.length;
  }

  /** Empties the buffer, returning what was in it. */
  takePending(): T[] {
    return this.pending.splice(0, this.pending.length);
  }

  /** Appends records in one write (trimming to `keep`); throws when the append fails. Returns the tab's end. */
  appendNow(records: readonly T[], keep: number, known: TableEnd | null = null): TableEnd | null {
    return this.table.append(records, keep, known);
  }
}

export interface Logs {
  runs: BufferedLog<RunDto>;
  audit: BufferedLog<AuditDto>;
}

export function createLogs(spreadsheets: Spreadsheets): Logs {
  return {
    runs: new BufferedLog(new SheetTable(spreadsheets, RUNS_TAB, runCodec)),
    audit: new BufferedLog(new SheetTable(spreadsheets, AUDIT_TAB, auditCodec)),
  };
}
