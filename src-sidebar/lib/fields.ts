/**
 * Job field paths as people see them: the server names a problem by its path ("notify_emails.0:
 * must be an email address"); the UI shows the label of the control instead ("Notification emails,
 * item 1: must be an email address"). One table for the wizard and the job manager.
 */
import type { JobConfig } from '../../src-server/domain/job';
import type { Settings } from '../../src-server/app/contract';
import { COLUMN_HEADERS, type Column, type OutputMode } from '../../src-server/domain/catalogue';
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
  header_row: 'Header row',
  video_filter: 'Videos',
  stats_refresh: 'Refresh views, likes, comments',
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

/** The Settings form's labels. */
export const SETTINGS_LABELS: Record<keyof Settings, string> = {
  default_timezone: 'Default time zone',
  heartbeat_minutes: 'Heartbeat every',
  daily_quota_budget: 'Daily YouTube quota budget',
  run_history_rows: 'Run history kept (rows)',
  audit_rows: 'Audit log kept (rows)',
  notification_email: 'Notification address',
  rate_limit_per_minute: 'Web API requests per minute',
};

/** The API key form's labels (createApiKey's arguments). */
export const KEY_LABELS: Record<string, string> = { name: 'Key name', scope: 'Scope' };

type Labels = Record<string, string>;

/** "notify_emails.0" -> "Notification emails, item 1"; '' -> "Job"; unknown fields keep their name. */
export function fieldLabel(path: string, labels: Labels = FIELD_LABELS): string {
  const [head = '', ...rest] = path.split(/[.[\]]+/).filter(Boolean);
  if (!head) return 'Job';
  const label = labels[head] ?? head;
  const items = rest.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : p));
  return [label, ...items].join(', ');
}

/** The server's message for `path` with its leading "path: " (or "job: ") replaced by the label. */
export function humanIssue(path: string, message: string, labels: Labels = FIELD_LABELS): string {
  const prefixes = [`${path}: `, path ? '' : 'job: '].filter(Boolean);
  const prefix = prefixes.find((p) => message.startsWith(p));
  const rest = prefix ? message.slice(prefix.length) : message;
  if (!path && labels !== FIELD_LABELS) return humanMessage(rest, labels);
  return `${fieldLabel(path, labels)}: ${rest}`;
}

/** A message that starts with a known field's name ("run_history_rows: …") gets its label instead. */
export function humanMessage(message: string, labels: Labels = FIELD_LABELS): string {
  const m = /^([a-z_]+)((?:\.\d+)*): /.exec(message);
  if (!m || !(m[1]! in labels)) return message;
  return `${fieldLabel(m[1]! + m[2]!, labels)}: ${message.slice(m[0].length)}`;
}

/** An error as a sentence: a validation failure lists each issue with its field's label. */
export function humanError(err: unknown, labels: Labels = FIELD_LABELS): string {
  if (err instanceof RpcError && err.code === 'validation_failed' && Array.isArray(err.details) && err.details.length) {
    return (err.details as { path?: unknown; message?: unknown }[])
      .map((d) => humanIssue(typeof d.path === 'string' ? d.path : '', String(d.message ?? ''), labels))
      .join('; ');
  }
  return humanMessage(err instanceof Error ? err.message : String(err), labels);
}

/** A validation error's issues keyed by field, worded with `labels` (for messages under each field). */
export function humanFieldIssues(err: unknown, labels: Labels): Record<string, string> {
  if (!(err instanceof RpcError)) return {};
  return Object.fromEntries(Object.entries(err.fieldIssues()).map(([path, message]) => [path, humanIssue(path, message, labels)]));
}

/** Column names as people read them (the catalogue's labels; a job's header row may use them too). */
export const COLUMN_LABELS: Record<Column, string> = COLUMN_HEADERS;

/** Output modes: a name and one line on what a run does to the tab. */
export const OUTPUT_MODE_TEXT: Record<OutputMode, { label: string; explain: string }> = {
  upsert: {
    label: 'Update and add',
    explain: 'Each run updates the rows of videos already in the tab (found by Video ID) and adds new videos.',
  },
  append: { label: 'Add new only', explain: 'Each run adds videos not in the tab yet; rows already written are never changed.' },
  overwrite: { label: 'Replace all', explain: 'Each run clears the table and writes it again from scratch.' },
};
