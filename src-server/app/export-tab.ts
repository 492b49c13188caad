/**
 * An export file written into a new tab of the bound spreadsheet, one line per row in column A as
 * plain text: the way out when the dialog cannot download (Google's dialog iframe is sandboxed and
 * the browser may refuse downloads from it) and the clipboard is refused too.
 */
import type { Spreadsheets, TimeZoneOracle } from '../ports';
import { AppError, type ExportFile } from './contract';

/** A cell holds at most 50,000 characters (Sheets' limit). */
export const CELL_LIMIT_CHARS = 50_000;

export interface ExportTabResult {
  tab: string;
  rows: number;
  filename: string;
}

/** "Export json 2026-11-27 14.05.09", with " (2)", " (3)"… when taken (tab names compare ignoring case). */
export function exportTabName(format: string, stamp: string, taken: readonly string[]): string {
  const base = `Export ${format} ${stamp}`;
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  let name = base;
  for (let n = 2; lower.has(name.toLowerCase()); n++) name = `${base} (${n})`;
  return name;
}

export function exportLines(body: string): string[] {
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const long = lines.findIndex((l) => l.length > CELL_LIMIT_CHARS);
  if (long >= 0) {
    throw new AppError(
      413,
      'payload_too_large',
      `Line ${long + 1} of the export has ${lines[long]!.length} characters, more than a cell holds (${CELL_LIMIT_CHARS}); use the download or Copy instead.`,
    );
  }
  return lines;
}

export function writeExportToTab(
  spreadsheets: Spreadsheets,
  timeZones: TimeZoneOracle,
  file: ExportFile,
  now: Date,
  timeZone: string,
): ExportTabResult {
  const lines = exportLines(file.body);
  const stamp = timeZones.formatDate(now, timeZone, 'yyyy-MM-dd HH.mm.ss');
  const name = exportTabName(
    file.format,
    stamp,
    spreadsheets.listTabs(null).map((t) => t.name),
  );
  const tab = spreadsheets.createTab(null, name);
  // '@' (plain text): every line is stored as written, never read as a number, date or formula.
  tab.writeValues(
    1,
    1,
    lines.map((l) => [l]),
    lines.map(() => ['@']),
  );
  return { tab: name, rows: lines.length, filename: file.filename };
}
