/**
 * Job field paths as people see them: the server names a problem by its path ("notify_emails.0:
 * must be an email address"); the UI shows the label of the control instead ("Notification emails,
 * item 1: must be an email address"). One table for the wizard and the job manager.
 */
import type { JobConfig } from '../../src-server/domain/job';
import { RpcError } from '../rpc';

/** The label each job field has in the wizard (typed: a new schema field must be named here). */
export const FIELD_LABELS: Record<keyof JobConfig, string> = {
  name: 'Job name',
  description: 'Description',
  channels: 'Channels',
  schedule_type: 'Repeats',
  schedule_value: 'Schedule',
  timezone: 'Time zone',
  start_at: 'Starts',
  end_at: 'Ends',
  target_sheet_id: 'Spreadsheet id or URL',
  target_tab_name: 'Tab',
  output_mode: 'Mode',
  columns: 'Columns',
  video_filter: 'Videos',
  max_videos: 'Max videos per channel',
  priority: 'Priority',
  max_retries: 'Max retries',
  retry_backoff_minutes: 'Retry backoff (min)',
  misfire_grace_minutes: 'Misfire grace (min)',
  catch_up: 'Missed runs',
  notify_emails: 'Notification emails',
  notify_on: 'Notify on',
  enabled: 'Enabled',
  tags: 'Tags',
  depends_on: 'Run after (depends on)',
};

/** "notify_emails.0" -> "Notification emails, item 1"; '' -> "Job"; unknown fields keep their name. */
export function fieldLabel(path: string): string {
  const [head = '', ...rest] = path.split(/[.[\]]+/).filter(Boolean);
  if (!head) return 'Job';
  const label = (FIELD_LABELS as Record<string, string>)[head] ?? head;
  const items = rest.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : p));
  return [label, ...items].join(', ');
}

/** The server's message for `path` with its leading "path: " (or "job: ") replaced by the label. */
export function humanIssue(path: string, message: string): string {
  const prefixes = [`${path}: `, path ? '' : 'job: '].filter(Boolean);
  const prefix = prefixes.find((p) => message.startsWith(p));
  const rest = prefix ? message.slice(prefix.length) : message;
  return `${fieldLabel(path)}: ${rest}`;
}

/** An error as a sentence: a validation failure lists each issue with its field's label. */
export function humanError(err: unknown): string {
  if (err instanceof RpcError && err.code === 'validation_failed' && Array.isArray(err.details) && err.details.length) {
    return (err.details as { path?: unknown; message?: unknown }[])
      .map((d) => humanIssue(typeof d.path === 'string' ? d.path : '', String(d.message ?? '')))
      .join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}
