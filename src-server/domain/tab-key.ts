/**
 * Which tab a job writes, as one comparable key. Sheets tab names are case-insensitive (a spreadsheet
 * cannot hold both "Videos" and "videos"), and an empty target_sheet_id means the bound spreadsheet.
 */
import type { JobConfig } from './job';

export function tabKey(config: Pick<JobConfig, 'target_sheet_id' | 'target_tab_name'>, activeSpreadsheetId = ''): string {
  const sheet = config.target_sheet_id === '' || config.target_sheet_id === activeSpreadsheetId ? '' : config.target_sheet_id;
  return `${sheet}\u0000${config.target_tab_name.trim().toLowerCase()}`;
}

/** "Videos" or "Videos (in spreadsheet 1AbC…)" for messages. */
export function tabLabel(config: Pick<JobConfig, 'target_sheet_id' | 'target_tab_name'>): string {
  return config.target_sheet_id ? `${config.target_tab_name} (in spreadsheet ${config.target_sheet_id})` : config.target_tab_name;
}
