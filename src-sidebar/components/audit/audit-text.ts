/**
 * Audit rows in words: "Alice changed the schedule (daily 09:00 → daily 18:00)". Rows keep the raw
 * action and changes (JSON); the words use the wizard's field labels.
 */
import type { AuditDto } from '../../../src-server/app/contract';
import { FIELD_LABELS, SETTINGS_LABELS } from '../../lib/fields';

const ACTIONS: Record<string, string> = {
  'job.create': 'created the job',
  'job.update': 'edited the job',
  'job.patch': 'edited the job',
  'job.delete': 'deleted the job',
  'job.pause': 'paused the job',
  'job.resume': 'resumed the job',
  'job.enable': 'enabled the job',
  'job.disable': 'disabled the job',
  'job.run_now': 'ran the job now',
  'settings.update': 'changed the settings',
  'key.create': 'created an API key',
  'key.revoke': 'revoked an API key',
  import: 'imported jobs',
  'scheduler.take_over': 'took over scheduling',
};

/** The action in words ("edited the job"), or the raw action when it is not known here. */
export const actionText = (action: string): string => ACTIONS[action] ?? action;

/** "user:alice@example.com" -> "alice@example.com"; "api:k_3f9a" -> "API key k_3f9a"; "system" -> "The scheduler". */
export function actorText(actor: string): string {
  if (actor.startsWith('user:')) return actor.slice(5) || 'A user';
  if (actor.startsWith('api:')) return `API key ${actor.slice(4)}`;
  return actor === 'system' ? 'The scheduler' : actor;
}

const short = (v: unknown): string => {
  const text = v == null || v === '' ? '—' : Array.isArray(v) ? v.join(', ') || '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** What changed, as "Schedule: 09:00 → 18:00; Channels: @a → @a, @b" (created jobs list no values). */
export function changesText(row: AuditDto): string {
  let changes: unknown;
  try {
    changes = JSON.parse(row.changes || '{}');
  } catch {
    return row.changes;
  }
  if (!changes || typeof changes !== 'object') return '';
  // Field labels where the row is about a job or the settings; other rows (keys, imports) keep plain words.
  const labels: Record<string, string> = row.action.startsWith('job.')
    ? FIELD_LABELS
    : row.action.startsWith('settings.')
      ? SETTINGS_LABELS
      : {};
  const entries = Object.entries(changes as Record<string, unknown>);
  if (row.action === 'job.create') return '';
  return entries
    .map(([k, v]) => {
      const label = labels[k] ?? k.replace(/_/g, ' ');
      return Array.isArray(v) && v.length === 2 ? `${label}: ${short(v[0])} → ${short(v[1])}` : `${label}: ${short(v)}`;
    })
    .join('; ');
}

/** One line: who did what, and what changed. */
export function auditText(row: AuditDto): string {
  const changes = changesText(row);
  return `${actorText(row.actor)} ${actionText(row.action)}${changes ? ` (${changes})` : ''}`;
}

/** Names of jobs the rows mention, for jobs that no longer exist (a delete or a create row names them). */
export function namesFromRows(rows: readonly AuditDto[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of rows) {
    if (!row.job_id || out.has(row.job_id)) continue;
    try {
      const changes = JSON.parse(row.changes || '{}') as { name?: unknown };
      const name = Array.isArray(changes.name) ? (changes.name[1] ?? changes.name[0]) : changes.name;
      if (typeof name === 'string' && name) out.set(row.job_id, name);
    } catch {
      /* not JSON: no name */
    }
  }
  return out;
}
