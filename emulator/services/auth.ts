/**
 * Authorization modes. Simple triggers (onOpen, onInstall) run in ScriptApp.AuthMode.LIMITED: the
 * Triggers guide says they "cannot access services that require authorization", and the AuthMode
 * reference describes LIMITED as "access to a limited subset of services". The fake refuses, in
 * LIMITED mode, every call whose OAuth scope the bound file alone does not grant, with the message
 * Apps Script prints for it, e.g. (observed in execution logs):
 *   "You do not have permission to call ScriptApp.getProjectTriggers. Required permissions: https://www.googleapis.com/auth/script.scriptapp"
 *     (github.com/diegomanuel/binance-to-google-sheets/issues/106, an onOpen simple trigger)
 *   "You do not have permission to call Ui.showSidebar. Required permissions: https://www.googleapis.com/auth/script.container.ui"
 *     (github.com/oshliaer/google-apps-script-snippets/issues/18, showSidebar from onOpen)
 *   "You do not have permission to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets"
 *     (github.com/peterherrmann/BetterLog/issues/29, onEdit)
 * and UrlFetchApp "requires the script.external_request scope" (googleworkspace/apps-script-oauth2#125).
 * Allowed in LIMITED: the bound spreadsheet, menus, Properties, Cache, Lock, HtmlService (building
 * output), Utilities, Logger; Session answers with an empty email (its reference: the email is not
 * available "in any context that allows a script to run without that user's authorization, like a
 * simple onOpen(e) or onEdit(e) trigger").
 */
import { GasException } from './errors';
import type { Execution } from './execution';

const SCOPE = {
  scriptapp: 'https://www.googleapis.com/auth/script.scriptapp',
  containerUi: 'https://www.googleapis.com/auth/script.container.ui',
  spreadsheets: 'https://www.googleapis.com/auth/spreadsheets',
  sendMail: 'https://www.googleapis.com/auth/script.send_mail',
  externalRequest: 'https://www.googleapis.com/auth/script.external_request',
  youtube: 'https://www.googleapis.com/auth/youtube.readonly',
} as const;

/** Call-name prefixes (`Service.Class.method`, most specific first) refused in LIMITED mode, with the scope each needs. */
export const LIMITED_REFUSED: readonly (readonly [string, string])[] = [
  ['ScriptApp.newTrigger', SCOPE.scriptapp],
  ['ScriptApp.getProjectTriggers', SCOPE.scriptapp],
  ['ScriptApp.deleteTrigger', SCOPE.scriptapp],
  ['ScriptApp.ClockTriggerBuilder.create', SCOPE.scriptapp],
  ['ScriptApp.getOAuthToken', SCOPE.scriptapp],
  ['SpreadsheetApp.Ui.showSidebar', SCOPE.containerUi],
  ['SpreadsheetApp.Ui.showModalDialog', SCOPE.containerUi],
  ['SpreadsheetApp.Ui.showModelessDialog', SCOPE.containerUi],
  ['SpreadsheetApp.openById', SCOPE.spreadsheets],
  ['SpreadsheetApp.openByUrl', SCOPE.spreadsheets],
  ['MailApp.', SCOPE.sendMail],
  ['UrlFetchApp.', SCOPE.externalRequest],
  ['YouTube.', SCOPE.youtube],
];

/** The method as Apps Script names it in the message: the class and the method ("Ui.showSidebar"). */
function shortName(callName: string): string {
  return callName.split('.').slice(-2).join('.');
}

/** Throws Apps Script's permission error when the call is not allowed in the execution's auth mode. */
export function checkAuthorized(exec: Execution, callName: string): void {
  if (exec.authMode !== 'LIMITED') return;
  const hit = LIMITED_REFUSED.find(([prefix]) => callName === prefix || (prefix.endsWith('.') && callName.startsWith(prefix)));
  if (hit) throw new GasException(`You do not have permission to call ${shortName(callName)}. Required permissions: ${hit[1]}`);
}
