/**
 * THE latency table: virtual milliseconds each service call adds to the clock (and to the execution's
 * 6-minute budget). Keys are `Service.Class.method`, `Service.Class.*`, `Service.*` or `*`; the most
 * specific key wins. Figures are modelled on typical Apps Script round trips (Properties ~30 ms,
 * Spreadsheet reads ~60 ms and writes ~100 ms, trigger changes ~200 ms, mail ~500 ms); builders and
 * local helpers (HtmlOutput setters, Utilities.formatDate, Logger) cost nothing.
 *
 * Spreadsheet reads and writes also cost per volume moved (the `VOLUME` keys below): a base (the call's
 * entry) plus a cost per 1,000 cells of the range and per MB of the text in it, so reading 10,000 rows
 * costs what it would on the platform, not what reading one row does. See `volumeLatency`.
 */
export type LatencyTable = Record<string, number>;

/**
 * Keys of the volume rates in the latency table (not call names: no call is ever named like them).
 *
 * The model: a Spreadsheet read or write (getValues, getDisplayValues, getFormulas, getNumberFormats,
 * setValues, setNumberFormat(s), clearContent, clear, appendRow, ...) costs its base latency above
 * plus `cells / 1,000 × per1000Cells` plus `bytes / 1,000,000 × perMB`, where cells are the range's
 * rows × columns and bytes the UTF-8 size of the values read or written (numbers and dates 8 bytes).
 *
 * Published measurements are few; where they disagree the slower reading is taken:
 * - bugbugnow.net, "GoogleAppsScriptのスプレッドシート処理を高速化する" (2019-03,
 *   https://www.bugbugnow.net/2019/03/GoogleAppsScript-speed-up.html): getValues + setValues of a
 *   1,000 × 1 column with a 1,000-step logging loop in between took 905 ms in all. Less the fixed
 *   calls, at most ~0.28 ms per cell moved: reads are modelled at 250 ms per 1,000 cells.
 * - howdy39 on Qiita (http://qiita.com/howdy39/items/2fb95bb7b52cb0bb00ab, Sheets API): 10,000
 *   cells written with one updateCells request took about 3 s, 0.3 ms per cell: writes are modelled
 *   at 300 ms per 1,000 cells.
 * - Stack Overflow, "What is faster: ScriptDb or SpreadsheetApp?" (mirrored at
 *   https://ruby-bash.developreference.com/article/29263774/What+is+faster+ScriptDb+or+SpreadsheetApp):
 *   one setValues of 4,000 cells took under 50 ms and 610 ms with a flush after it, ~0.15 ms per
 *   cell: faster than the rate above, which is kept as the slower reading.
 * - Kanshi Tanaike's report on 10,000,000-cell spreadsheets
 *   (https://gist.github.com/tanaikech/cc4380692790150cc090114553e38a0e): reading a sheet's size
 *   takes 0.3 s even at 10 million cells; the base latencies above are of that order.
 * No published figure separates the cost of the text in the cells from the count of cells; 1 s per
 * MB (a slow 8 Mbit/s link, far below what Google's own backends carry) is assumed, so a table of
 * long JSON cells costs more than one of short values.
 */
export const VOLUME = Object.freeze({
  readPer1000Cells: 'SpreadsheetApp:read ms per 1,000 cells',
  readPerMB: 'SpreadsheetApp:read ms per MB',
  writePer1000Cells: 'SpreadsheetApp:write ms per 1,000 cells',
  writePerMB: 'SpreadsheetApp:write ms per MB',
});

/** What one Spreadsheet read or write moved: cells of the range and UTF-8 bytes of its values. */
export interface Volume {
  kind: 'read' | 'write';
  cells: number;
  bytes: number;
}

/** The volume part of a call's latency (0 when the table has no rates, e.g. `{ '*': 0 }`). */
export function volumeLatency(table: Readonly<LatencyTable>, volume: Volume): number {
  const perCells = table[volume.kind === 'read' ? VOLUME.readPer1000Cells : VOLUME.writePer1000Cells] ?? 0;
  const perMB = table[volume.kind === 'read' ? VOLUME.readPerMB : VOLUME.writePerMB] ?? 0;
  return Math.round((volume.cells / 1000) * perCells + (volume.bytes / 1_000_000) * perMB);
}

export const DEFAULT_LATENCY: Readonly<LatencyTable> = Object.freeze({
  '*': 0,
  'PropertiesService.*': 5,
  'PropertiesService.Properties.*': 30,
  'CacheService.*': 5,
  'CacheService.Cache.*': 20,
  'LockService.*': 5,
  'LockService.Lock.*': 10,
  'SpreadsheetApp.*': 20,
  'SpreadsheetApp.getActive': 100,
  'SpreadsheetApp.getActiveSpreadsheet': 100,
  'SpreadsheetApp.openById': 300,
  'SpreadsheetApp.openByUrl': 300,
  'SpreadsheetApp.flush': 200,
  'SpreadsheetApp.getUi': 5,
  'SpreadsheetApp.Spreadsheet.*': 40,
  'SpreadsheetApp.Spreadsheet.insertSheet': 200,
  'SpreadsheetApp.Spreadsheet.deleteSheet': 200,
  'SpreadsheetApp.Spreadsheet.toast': 50,
  'SpreadsheetApp.Sheet.*': 40,
  'SpreadsheetApp.Sheet.getRange': 5,
  'SpreadsheetApp.Sheet.appendRow': 100,
  'SpreadsheetApp.Sheet.insertRowsAfter': 100,
  'SpreadsheetApp.Sheet.insertRowsBefore': 100,
  'SpreadsheetApp.Sheet.deleteRows': 100,
  'SpreadsheetApp.Sheet.clear': 100,
  'SpreadsheetApp.Sheet.clearContents': 100,
  'SpreadsheetApp.Range.*': 60,
  'SpreadsheetApp.Range.getRow': 0,
  'SpreadsheetApp.Range.getColumn': 0,
  'SpreadsheetApp.Range.getNumRows': 0,
  'SpreadsheetApp.Range.getNumColumns': 0,
  'SpreadsheetApp.Range.getA1Notation': 0,
  'SpreadsheetApp.Range.offset': 0,
  'SpreadsheetApp.Range.setValues': 100,
  'SpreadsheetApp.Range.setValue': 100,
  'SpreadsheetApp.Range.setNumberFormat': 100,
  'SpreadsheetApp.Range.setNumberFormats': 100,
  'SpreadsheetApp.Range.clearContent': 100,
  'SpreadsheetApp.Ui.*': 50,
  'SpreadsheetApp.Menu.*': 0,
  'SpreadsheetApp.Menu.addToUi': 50,
  'ScriptApp.*': 5,
  'ScriptApp.getProjectTriggers': 100,
  'ScriptApp.deleteTrigger': 200,
  'ScriptApp.TriggerBuilder.*': 0,
  'ScriptApp.ClockTriggerBuilder.*': 0,
  'ScriptApp.ClockTriggerBuilder.create': 200,
  'ScriptApp.Trigger.*': 0,
  'ScriptApp.Service.*': 0,
  'HtmlService.*': 0,
  'HtmlService.createHtmlOutputFromFile': 20,
  'HtmlService.createTemplateFromFile': 20,
  'HtmlService.HtmlOutput.*': 0,
  'HtmlService.HtmlTemplate.*': 0,
  'ContentService.*': 0,
  'Session.*': 5,
  'Session.User.*': 0,
  'Utilities.*': 0,
  'Utilities.Blob.*': 0,
  'MailApp.*': 20,
  'MailApp.sendEmail': 500,
  'Logger.*': 0,
  'UrlFetchApp.*': 200,
  'UrlFetchApp.HTTPResponse.*': 0,
  'YouTube.*': 200,
  // Volume rates of Spreadsheet reads and writes (see VOLUME and volumeLatency above).
  [VOLUME.readPer1000Cells]: 250,
  [VOLUME.readPerMB]: 1000,
  [VOLUME.writePer1000Cells]: 300,
  [VOLUME.writePerMB]: 1000,
});

/** The most specific latency entry for a call name. */
export function latencyOf(table: Readonly<LatencyTable>, name: string): number {
  const exact = table[name];
  if (exact !== undefined) return exact;
  let cut = name.lastIndexOf('.');
  let prefix = name;
  while (cut > 0) {
    prefix = prefix.slice(0, cut);
    const wildcard = table[`${prefix}.*`];
    if (wildcard !== undefined) return wildcard;
    cut = prefix.lastIndexOf('.');
  }
  return table['*'] ?? 0;
}

/**
 * Merges overrides onto the default table. An override of '*' replaces the whole table (so
 * `{ '*': 0 }` makes every call free, and `{ '*': 0, 'SpreadsheetApp.*': 50 }` models only Sheets).
 */
export function makeLatencyTable(overrides?: Partial<LatencyTable>): LatencyTable {
  const table: LatencyTable = overrides && overrides['*'] !== undefined ? {} : { ...DEFAULT_LATENCY };
  for (const [k, v] of Object.entries(overrides ?? {})) if (v !== undefined) table[k] = v;
  return table;
}

/** A table where every call is free (for tests that only care about behaviour). */
export function zeroLatency(): LatencyTable {
  return Object.fromEntries(Object.keys(DEFAULT_LATENCY).map((k) => [k, 0]));
}
