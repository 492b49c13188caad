/**
 * Export of job definitions as JSON, YAML (both importable) or CSV (for spreadsheets; not importable).
 * CSV cells are quoted per RFC 4180, and cells that a spreadsheet would read as a formula
 * (leading = + - @, tab or CR) are prefixed with an apostrophe.
 */
import type { ExportFormat } from '../domain/catalogue';
import { toYaml } from '../domain/yaml-emit';
import type { JobConfig } from '../domain/job';
import type { ExportFile } from './contract';
import type { JobRow } from './views';

/** The portable form of a job: its id and its config (what import reads back). */
export type ExportedJob = { id: string } & JobConfig;

export function exportedJob(job: JobRow): ExportedJob {
  return { id: job.id, ...job.config };
}

const CSV_COLUMNS: { header: string; value: (j: JobRow) => unknown }[] = [
  { header: 'id', value: (j) => j.id },
  { header: 'name', value: (j) => j.config.name },
  { header: 'status', value: (j) => j.status },
  { header: 'enabled', value: (j) => j.config.enabled },
  { header: 'paused', value: (j) => j.paused },
  { header: 'channels', value: (j) => j.config.channels.join(' ') },
  { header: 'schedule_type', value: (j) => j.config.schedule_type },
  { header: 'schedule_value', value: (j) => j.config.schedule_value },
  { header: 'timezone', value: (j) => j.config.timezone },
  { header: 'target_sheet_id', value: (j) => j.config.target_sheet_id },
  { header: 'target_tab_name', value: (j) => j.config.target_tab_name },
  { header: 'output_mode', value: (j) => j.config.output_mode },
  { header: 'priority', value: (j) => j.config.priority },
  { header: 'tags', value: (j) => j.config.tags.join(' ') },
  { header: 'next_run_at', value: (j) => j.next_run_at ?? '' },
  { header: 'last_run_status', value: (j) => j.last_run?.status ?? '' },
  { header: 'last_run_at', value: (j) => j.last_run?.finished_at ?? j.last_run?.started_at ?? '' },
  { header: 'version', value: (j) => j.version },
  { header: 'created_at', value: (j) => j.created_at },
  { header: 'updated_at', value: (j) => j.updated_at },
];

/** One CSV cell: formula-looking text neutralised, then quoted when needed. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(jobs: readonly JobRow[]): string {
  const lines = [CSV_COLUMNS.map((c) => csvCell(c.header)).join(',')];
  for (const job of jobs) lines.push(CSV_COLUMNS.map((c) => csvCell(c.value(job))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  yaml: 'application/yaml',
};

export function exportFile(format: ExportFormat, jobs: readonly JobRow[], now: Date): ExportFile {
  const date = now.toISOString().slice(0, 10);
  let body: string;
  if (format === 'csv') body = toCsv(jobs);
  // Every string value double-quoted: 10:30, yes, on, 0o17, = or << stay strings for any reader, YAML 1.1
  // (PyYAML) and 1.2 alike. The keys are the schema's field names, plain.
  else if (format === 'yaml') body = toYaml({ jobs: jobs.map(exportedJob) });
  else body = `${JSON.stringify({ jobs: jobs.map(exportedJob) }, null, 2)}\n`;
  return { format, content_type: CONTENT_TYPES[format], filename: `youtube2sheets-jobs-${date}.${format}`, body };
}
