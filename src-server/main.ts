/**
 * The only file that defines Apps Script globals. Each entry point is one or two lines: parse the
 * event, call a use case, format the answer. `global.x = ...` lines are turned into top-level function
 * declarations by esbuild-gas-plugin so Apps Script can find them.
 * Sections: each is owned by one part of the product; keep edits inside your section.
 */
declare const global: Record<string, unknown>;

// ==== menu and dialogs (ui) ====
function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi().createMenu('YouTube2Sheets').addItem('Open scheduler', 'openSidebar').addToUi();
}

function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

function openSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile('sidebar').setTitle('YouTube2Sheets'));
}

global.onOpen = onOpen;
global.onInstall = onInstall;
global.openSidebar = openSidebar;
// ==== end menu and dialogs ====

// ==== scheduler (app) ====
function tick(_e?: GoogleAppsScript.Events.TimeDriven): void {
  // Filled by the scheduler runtime.
}

global.tick = tick;
// ==== end scheduler ====

// ==== web API (api) ====
function doGet(_e: GoogleAppsScript.Events.DoGet): GoogleAppsScript.Content.TextOutput {
  return ContentService.createTextOutput(JSON.stringify({ ok: true, data: { status: 'ok' } })).setMimeType(
    ContentService.MimeType.JSON,
  );
}

function doPost(e: GoogleAppsScript.Events.DoPost): GoogleAppsScript.Content.TextOutput {
  return doGet(e as unknown as GoogleAppsScript.Events.DoGet);
}

global.doGet = doGet;
global.doPost = doPost;
// ==== end web API ====

// ==== sidebar RPC (ui): one `global.name = rpc.name;` line per function of src-server/rpc.ts ====
// ==== end sidebar RPC ====
