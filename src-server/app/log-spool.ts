/**
 * Log rows that could not be appended to the hidden history and audit tabs (sheet protected, service
 * error, spreadsheet full). The store already holds the change the rows describe, so failing the use
 * case would report an error for something that happened; instead the rows wait in one property and
 * the next flush writes them first. One value holds at most 9 KB: the oldest rows beyond that are
 * dropped and counted, and the count itself is written to the audit log when the spool drains.
 */
import type { AuditDto, RunDto } from './contract';
import { utf8Length } from './bytes';
import { entryBytes, KEYS, VALUE_LIMIT_BYTES } from './store';

export interface SpooledLogs {
  since: string; // when the first row could not be written
  error: string; // the last failure, for health
  runs: RunDto[];
  audit: AuditDto[];
  dropped_runs: number;
  dropped_audit: number;
}

export function readSpool(raw: string | null): SpooledLogs | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<SpooledLogs>;
    return {
      since: typeof value.since === 'string' ? value.since : '',
      error: typeof value.error === 'string' ? value.error : '',
      runs: Array.isArray(value.runs) ? value.runs : [],
      audit: Array.isArray(value.audit) ? value.audit : [],
      dropped_runs: Number(value.dropped_runs) || 0,
      dropped_audit: Number(value.dropped_audit) || 0,
    };
  } catch {
    return null; // unreadable: nothing to recover
  }
}

/** The stored spool followed by rows this execution could not store; null when both are empty. */
export function mergeSpools(stored: SpooledLogs | null, unsaved: SpooledLogs | null): SpooledLogs | null {
  if (!stored || !unsaved) return stored ?? unsaved;
  return {
    since: stored.since < unsaved.since ? stored.since : unsaved.since,
    error: unsaved.error,
    runs: [...stored.runs, ...unsaved.runs],
    audit: [...stored.audit, ...unsaved.audit],
    dropped_runs: stored.dropped_runs + unsaved.dropped_runs,
    dropped_audit: stored.dropped_audit + unsaved.dropped_audit,
  };
}

/** The spool as one stored value under the 9 KB limit; audit rows are kept before run rows. */
export function encodeSpool(spool: SpooledLogs): string {
  const next: SpooledLogs = { ...spool, runs: [...spool.runs], audit: [...spool.audit] };
  let excess = entryBytes(KEYS.logSpool, JSON.stringify(next)) - VALUE_LIMIT_BYTES;
  // Oldest run rows go first (a run's outcome also lives in its job's state), then the oldest audit rows.
  // Each row costs its JSON plus a comma; the counters may grow by a few digits, hence the margin.
  if (excess > 0) excess += 16;
  while (excess > 0 && next.runs.length > 0) {
    excess -= utf8Length(JSON.stringify(next.runs.shift())) + 1;
    next.dropped_runs++;
  }
  while (excess > 0 && next.audit.length > 0) {
    excess -= utf8Length(JSON.stringify(next.audit.shift())) + 1;
    next.dropped_audit++;
  }
  return JSON.stringify(next);
}
