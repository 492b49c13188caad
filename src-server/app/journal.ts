/**
 * Run-history and audit rows travel in the same write as the change they record, so that an
 * execution killed between the store write and the log append delays a row but never loses it.
 *
 * Every committing execution (under the script lock) takes the next commit number N, writes its log
 * rows into the journal of the job row they concern (or, for rows about no stored job, into the
 * `meta:journal` property) tagged N, in the same setValues/setProperties as the state; then it appends
 * them to the hidden tabs and stores N as `meta:log_mark`. A journal tagged above the mark was written
 * by a commit that did not finish its append: the next locked execution reads the tails of the hidden
 * tabs, appends what is missing (a commit killed after its append but before the mark adds nothing
 * twice) and carries on. Journals tagged at or below the mark are done and are overwritten freely.
 */
import type { AuditDto, RunDto } from './contract';
import { utf8Length } from './bytes';

export interface Journal {
  /** The commit that wrote it. */
  c: number;
  runs: RunDto[];
  audit: AuditDto[];
  /** Rows dropped to keep the journal within its cell or property (appends failing for long). */
  dropped?: number;
}

export function readJournal(raw: string | null | undefined): Journal | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Journal>;
    const c = Number(value.c);
    if (!Number.isFinite(c)) return null;
    return {
      c,
      runs: Array.isArray(value.runs) ? value.runs : [],
      audit: Array.isArray(value.audit) ? value.audit : [],
      dropped: Number(value.dropped) || 0,
    };
  } catch {
    return null;
  }
}

/** The commit number of a stored journal, read without parsing the rows (tables read thousands). */
export function journalTag(raw: string): number | null {
  const match = /^\{"c":(\d+)/.exec(raw);
  return match ? Number(match[1]) : null;
}

/** True when the stored journal is empty or known to be appended (its commit is at or below the mark). */
export function journalDone(raw: string, mark: number): boolean {
  if (!raw) return true;
  const tag = journalTag(raw) ?? readJournal(raw)?.c ?? null;
  return tag === null || tag <= mark;
}

/** True when the journal holds rows whose append is not known to have happened. */
export function isPending(journal: Journal | null, mark: number): journal is Journal {
  return !!journal && journal.c > mark && (journal.runs.length > 0 || journal.audit.length > 0 || (journal.dropped ?? 0) > 0);
}

/** The journal as text within `limitBytes` (UTF-8): the oldest run rows go first, then audit rows. */
export function encodeJournal(journal: Journal, limitBytes: number): string {
  const next: Journal = { ...journal, runs: [...journal.runs], audit: [...journal.audit], dropped: journal.dropped ?? 0 };
  let text = JSON.stringify(next);
  while (utf8Length(text) > limitBytes && (next.runs.length > 0 || next.audit.length > 0)) {
    if (next.runs.length > 0) next.runs.shift();
    else next.audit.shift();
    next.dropped = (next.dropped ?? 0) + 1;
    text = JSON.stringify(next);
  }
  return text;
}

/** Identity of an audit row for de-duplication: its id (older rows: their content). */
export function auditKey(row: AuditDto): string {
  if (row.id) return row.id;
  return JSON.stringify([row.at, row.actor, row.action, row.job_id ?? '', row.changes]);
}

/** The rows of `pending` not among the rows already at the tail of a tab. */
export function missingRows<T>(pending: readonly T[], tail: readonly T[], key: (row: T) => string): T[] {
  const present = new Map<string, number>();
  for (const row of tail) present.set(key(row), (present.get(key(row)) ?? 0) + 1);
  const out: T[] = [];
  for (const row of pending) {
    const k = key(row);
    const n = present.get(k) ?? 0;
    if (n > 0) present.set(k, n - 1);
    else out.push(row);
  }
  return out;
}
