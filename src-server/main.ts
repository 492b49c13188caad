/**
 * The only file that defines Apps Script globals. Each entry point is one or two lines: parse the
 * event, call a use case, format the answer. `global.x = x` lines are turned into top-level function
 * declarations by esbuild-gas-plugin so Apps Script can find them.
 */
declare const global: Record<string, unknown>;

function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi().createMenu('YouTube2Sheets').addItem('Open scheduler', 'openSidebar').addToUi();
}

function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

function openSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile('sidebar').setTitle('YouTube2Sheets'));
}

function tick(_e?: GoogleAppsScript.Events.TimeDriven): void {
  // Filled by the scheduler runtime.
}

function doGet(_e: GoogleAppsScript.Events.DoGet): GoogleAppsScript.Content.TextOutput {
  return ContentService.createTextOutput(JSON.stringify({ ok: true, data: { status: 'ok' } })).setMimeType(
    ContentService.MimeType.JSON,
  );
}

function doPost(e: GoogleAppsScript.Events.DoPost): GoogleAppsScript.Content.TextOutput {
  return doGet(e as unknown as GoogleAppsScript.Events.DoGet);
}

global.onOpen = onOpen;
global.onInstall = onInstall;
global.openSidebar = openSidebar;
global.tick = tick;
global.doGet = doGet;
global.doPost = doPost;
