/**
 * The only file that defines Apps Script globals. Each entry point is one or two lines: parse the
 * event, call a use case, format the answer. `global.x = ...` lines are turned into top-level function
 * declarations by esbuild-gas-plugin so Apps Script can find them.
 * Sections: each is owned by one part of the product; keep edits inside your section.
 */
import * as rpc from './rpc';
import { handleRequest } from './api/router';
import { requestFromEvent } from './api/event';
import * as webApi from './gas/web-api';
import { createGasApp } from './gas/context';
import * as boot from './boot';

declare const global: Record<string, unknown>;

// ==== menu and dialogs (ui) ====
function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi()
    .createMenu('YouTube2Sheets')
    .addItem('Open scheduler', 'openSidebar')
    .addItem('Job manager', 'openJobManager')
    .addItem('New job…', 'openWizard')
    .addItem('Calendar', 'openCalendar')
    .addSeparator()
    .addItem('Run due jobs now', 'runDueJobsNow')
    // Acts on the active tab; says so when no job writes it (menus cannot change per selected tab).
    .addItem('Sync this tab now', 'syncActiveTab')
    .addSeparator()
    .addItem('API keys…', 'openApiKeys')
    .addItem('Settings…', 'openSettings')
    .addItem('Repair triggers', 'repairTriggersNow')
    .addItem('Take over scheduling', 'takeOverSchedulingNow')
    .addItem('Diagnostics…', 'openDiagnostics')
    .addItem('Audit log…', 'openAuditLog')
    .addToUi();
}

function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

/** A built surface; `boot` is appended as JSON the page reads on load (e.g. the job to edit). */
function surface_(name: rpc.Surface, boot?: Record<string, unknown>): GoogleAppsScript.HTML.HtmlOutput {
  const output = HtmlService.createHtmlOutputFromFile(name);
  if (boot) {
    const json = JSON.stringify(boot).replace(/</g, '\\u003c');
    output.append(`<script type="application/json" id="y2s-boot">${json}</script>`);
  }
  return output;
}

function showDialog_(name: rpc.Surface, title: string, width: number, height: number, boot?: Record<string, unknown>): void {
  SpreadsheetApp.getUi().showModalDialog(surface_(name, boot).setWidth(width).setHeight(height), title);
}

function openSidebar(): void {
  // The first view travels with the page (boot.ts): no second execution before anything shows.
  SpreadsheetApp.getUi().showSidebar(
    surface_('sidebar', boot.sidebarBoot() as Record<string, unknown> | undefined).setTitle('YouTube2Sheets'),
  );
}

/**
 * The first authorised action of any kind installs (or repairs) the triggers: onOpen cannot, it runs
 * in LIMITED mode. The sidebar does it when it loads (sidebarView); every other menu action here.
 * Only the trigger owner's executions change triggers (app/triggers.ts); a failure never blocks the action.
 */
function authorisedAction_(): void {
  try {
    createGasApp().ensureTriggers();
  } catch (err) {
    console.warn(`Trigger check skipped: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function openJobManager(): void {
  authorisedAction_();
  showDialog_('manager', 'Job manager', 1100, 680, boot.managerBoot() as Record<string, unknown> | undefined);
}

function openWizard(jobId?: string): void {
  authorisedAction_();
  const editing = typeof jobId === 'string' && jobId !== '';
  showDialog_(
    'wizard',
    editing ? 'Edit job' : 'New job',
    720,
    640,
    boot.wizardBoot(editing ? jobId : undefined) as Record<string, unknown>,
  );
}

function openCalendar(): void {
  authorisedAction_();
  showDialog_('calendar', 'Calendar', 960, 680, boot.calendarBoot() as Record<string, unknown> | undefined);
}

function openSettings(): void {
  authorisedAction_();
  showDialog_('settings', 'Settings', 600, 640);
}

function openApiKeys(): void {
  authorisedAction_();
  showDialog_('keys', 'API keys', 640, 480);
}

/** Menu "Diagnostics…": the dialog runs the self-test (rpc.runDiagnostics) and shows the report with Copy. */
function openDiagnostics(): void {
  showDialog_('diagnostics', 'Diagnostics', 760, 640);
}

/** Menu "Audit log…" (and the sidebar's link, the manager's per-job history): who changed what, with filters. */
function openAuditLog(jobId?: string): void {
  showDialog_('audit', 'Audit log', 960, 640, typeof jobId === 'string' && jobId !== '' ? { jobId } : undefined);
}

function runDueJobsNow(): void {
  const result = rpc.runDueJobs();
  SpreadsheetApp.getUi().alert(result.ok ? `Ran ${result.data.ran} due job(s).` : `Could not run due jobs: ${result.error.message}`);
}

function syncActiveTab(): void {
  authorisedAction_();
  const sheet = SpreadsheetApp.getActive().getActiveSheet();
  const result = rpc.syncTab(sheet.getName());
  SpreadsheetApp.getUi().alert(result.ok ? result.data.message : `Could not sync this tab: ${result.error.message}`);
}

/** Menu "Repair triggers": a menu click has full authorization (onOpen has not), so the triggers can be fixed here. */
function repairTriggersNow(): void {
  let message: string;
  try {
    const repaired = repairTriggers();
    message = repaired.length === 0 ? 'The triggers are in order: nothing to repair.' : `Triggers repaired: ${repaired.join('; ')}.`;
  } catch (err) {
    message = `Could not repair the triggers: ${err instanceof Error ? err.message : String(err)}`;
  }
  SpreadsheetApp.getUi().alert(message);
}

/** Menu "Take over scheduling": the schedule's triggers move to this user (confirmed, audited). */
function takeOverSchedulingNow(): void {
  const ui = SpreadsheetApp.getUi();
  const owner = rpc.schedulerOwner();
  if (!owner.ok) {
    ui.alert(`Could not read who runs the schedule: ${owner.error.message}`);
    return;
  }
  const o = owner.data;
  if (o.you_are_owner) {
    ui.alert(`Scheduling already runs as you (${o.you}).`);
    return;
  }
  const state = !o.owner
    ? 'Nobody runs the schedule yet.'
    : o.heartbeat_dead
      ? `Scheduling runs as ${o.owner}, whose heartbeat has not ticked since ${o.last_heartbeat_at ?? o.since}.`
      : `Scheduling runs as ${o.owner} and is working.`;
  const answer = ui.alert(
    'Take over scheduling',
    `${state}\n\nTake over? Scheduled runs will then run as you (${o.you || 'your account'}): your trigger runtime, mail and YouTube authorization.`,
    ui.ButtonSet.YES_NO,
  );
  if (answer !== ui.Button.YES) return;
  const result = rpc.takeOverScheduling();
  ui.alert(result.ok ? `Scheduling now runs as ${result.data.owner}.` : `Could not take over: ${result.error.message}`);
}

// The surfaces call these through google.script.run too; the type keeps them in step with the client.
const uiEntryPoints: rpc.UiEntryPoints = {
  openSidebar,
  openJobManager,
  openWizard,
  openCalendar,
  openSettings,
  openApiKeys,
  openDiagnostics,
  openAuditLog,
};

global.onOpen = onOpen;
global.onInstall = onInstall;
global.openSidebar = uiEntryPoints.openSidebar;
global.openJobManager = uiEntryPoints.openJobManager;
global.openWizard = uiEntryPoints.openWizard;
global.openCalendar = uiEntryPoints.openCalendar;
global.openSettings = uiEntryPoints.openSettings;
global.openApiKeys = uiEntryPoints.openApiKeys;
global.openDiagnostics = uiEntryPoints.openDiagnostics;
global.openAuditLog = uiEntryPoints.openAuditLog;
global.runDueJobsNow = runDueJobsNow;
global.syncActiveTab = syncActiveTab;
global.repairTriggersNow = repairTriggersNow;
global.takeOverSchedulingNow = takeOverSchedulingNow;
// ==== end menu and dialogs ====

// ==== scheduler (app) ====
/** The heartbeat and the precise trigger call this; an idle tick reads one property and returns. */
function tick(e?: GoogleAppsScript.Events.TimeDriven): void {
  createGasApp().tick(e?.triggerUid ? { triggerUid: String(e.triggerUid) } : undefined);
}

/** Menu "Repair triggers": installs the heartbeat and re-arms the precise trigger (needs full auth, not onOpen). */
function repairTriggers(): string[] {
  return createGasApp().ensureTriggers();
}

global.tick = tick;
global.repairTriggers = repairTriggers;
// ==== end scheduler ====

// ==== web API (api) ====
type WebOutput = GoogleAppsScript.Content.TextOutput | GoogleAppsScript.HTML.HtmlOutput;

function doGet(e: GoogleAppsScript.Events.DoGet): WebOutput {
  return webApi.toWebOutput(handleRequest(requestFromEvent(e, 'GET'), webApi.gasApiDeps()));
}

function doPost(e: GoogleAppsScript.Events.DoPost): WebOutput {
  return webApi.toWebOutput(handleRequest(requestFromEvent(e, 'POST'), webApi.gasApiDeps()));
}

/** Run from the script editor: replaces the token signing secret (every access token stops working). */
function rotateJwtSecret(): void {
  webApi.rotateJwtSecretNow();
}

/** Local server only (`npm start -- --api-key KEY`); private: google.script.run cannot call it. */
function importLocalApiKey_(key: string, options?: { name?: string; scope?: 'read' | 'write' }): string {
  return webApi.importLocalApiKey(key, options);
}

global.doGet = doGet;
global.doPost = doPost;
global.rotateJwtSecret = rotateJwtSecret;
global.importLocalApiKey_ = importLocalApiKey_;
// ==== end web API ====

// ==== sidebar RPC (ui): one `global.name = rpc.name;` line per function of src-server/rpc.ts ====
global.sidebarView = rpc.sidebarView;
global.monitorView = rpc.monitorView;
global.listJobs = rpc.listJobs;
global.getJob = rpc.getJob;
global.jobRuns = rpc.jobRuns;
global.calendarView = rpc.calendarView;
global.previewSchedule = rpc.previewSchedule;
global.checkChannels = rpc.checkChannels;
global.listTabs = rpc.listTabs;
global.createJob = rpc.createJob;
global.updateJob = rpc.updateJob;
global.patchJob = rpc.patchJob;
global.deleteJob = rpc.deleteJob;
global.pauseJob = rpc.pauseJob;
global.resumeJob = rpc.resumeJob;
global.runJobNow = rpc.runJobNow;
global.bulkJobs = rpc.bulkJobs;
global.exportJobs = rpc.exportJobs;
global.runDueJobs = rpc.runDueJobs;
global.syncTab = rpc.syncTab;
global.getSettings = rpc.getSettings;
global.saveSettings = rpc.saveSettings;
global.listApiKeys = rpc.listApiKeys;
global.createApiKey = rpc.createApiKey;
global.revokeApiKey = rpc.revokeApiKey;
global.schedulerOwner = rpc.schedulerOwner;
global.takeOverScheduling = rpc.takeOverScheduling;
global.exportJobsToTab = rpc.exportJobsToTab;
global.runDiagnostics = rpc.runDiagnostics;
global.suggestSchedule = rpc.suggestSchedule;
global.jobInsights = rpc.jobInsights;
global.calendarDay = rpc.calendarDay;
global.jobChoices = rpc.jobChoices;
global.openJobTab = rpc.openJobTab;
global.apiInfo = rpc.apiInfo;
global.auditLog = rpc.auditLog;
global.calendarStart = rpc.calendarStart;
global.tabWriters = rpc.tabWriters;
// ==== end sidebar RPC ====
