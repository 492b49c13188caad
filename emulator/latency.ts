/**
 * THE latency table: virtual milliseconds each service call adds to the clock (and to the execution's
 * 6-minute budget). Keys are `Service.Class.method`, `Service.Class.*`, `Service.*` or `*`; the most
 * specific key wins. Figures are modelled on typical Apps Script round trips (Properties ~30 ms,
 * Spreadsheet reads ~60 ms and writes ~100 ms, trigger changes ~200 ms, mail ~500 ms); builders and
 * local helpers (HtmlOutput setters, Utilities.formatDate, Logger) cost nothing.
 */
export type LatencyTable = Record<string, number>;

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
