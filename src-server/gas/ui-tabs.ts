/**
 * The sidebar's "open the tab" and the keys dialog's base URL: the only UI actions that touch the
 * spreadsheet's view (the active sheet) or the web app's deployment, kept behind two small functions.
 */

/** A tab of this spreadsheet (names compare case-insensitively, like Sheets) made the active sheet. */
export function activateTab(name: string): { tab: string; url: string } | null {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const wanted = name.trim().toLowerCase();
  const sheet = ss.getSheets().find((s) => s.getName().toLowerCase() === wanted);
  if (!sheet) return null;
  sheet.activate();
  return { tab: sheet.getName(), url: `${ss.getUrl()}#gid=${sheet.getSheetId()}` };
}

/** The web app's URL (null until the script is deployed as a web app). */
export function webAppUrl(): string | null {
  try {
    return ScriptApp.getService().getUrl() || null;
  } catch {
    return null;
  }
}
