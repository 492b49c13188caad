/**
 * The `meta:log_spool` property of the layout before journals (journal.ts): log rows an earlier
 * version could not append. Read once by the migration, whose commit appends them and removes it.
 */
import type { AuditDto, RunDto } from './contract';

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
