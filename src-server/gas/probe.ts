/**
 * PlatformProbe over Apps Script services, for the Diagnostics self-test: each method is one plain
 * service call whose answer (or exception) goes back as it is. The verdicts are in app/diagnostics.ts.
 */
import { version } from '../../package.json';
import { runDiagnostics, type DiagnosticsReport } from '../app/diagnostics';
import type { PlatformProbe, ProbedYouTubeError } from '../ports';
import { createGasDeps } from './context';
import { toYouTubeApiError } from './youtube';

interface ThrownDetails {
  code?: unknown;
  errors?: { reason?: unknown }[];
}

function describeThrown(err: unknown): Omit<ProbedYouTubeError, 'classified'> {
  const e = err as { name?: unknown; message?: unknown; details?: unknown } | null;
  const details = e && typeof e.details === 'object' && e.details !== null ? (e.details as ThrownDetails) : null;
  const reason = details && Array.isArray(details.errors) ? details.errors[0]?.reason : undefined;
  return {
    name: typeof e?.name === 'string' ? e.name : '',
    message: typeof e?.message === 'string' ? e.message : String(err),
    hasDetails: details !== null,
    detailsCode: typeof details?.code === 'number' ? details.code : null,
    detailsReason: typeof reason === 'string' ? reason : null,
  };
}

export function createGasProbe(): PlatformProbe {
  let active: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  const ss = (): GoogleAppsScript.Spreadsheet.Spreadsheet => (active ??= SpreadsheetApp.getActiveSpreadsheet());
  const sheet = (name: string): GoogleAppsScript.Spreadsheet.Sheet => {
    const found = ss()
      .getSheets()
      .find((s) => s.getName() === name);
    if (!found) throw new Error(`no tab named ${name}`);
    return found;
  };
  return {
    base64Encode: (bytes) => Utilities.base64Encode(bytes),
    youtubeFailure: (playlistId) => {
      if (typeof YouTube === 'undefined' || !YouTube) throw new Error('the YouTube Data API advanced service is not enabled');
      try {
        YouTube.PlaylistItems.list('id', { playlistId, maxResults: 1 });
        return null;
      } catch (err) {
        const classified = toYouTubeApiError(err, 'playlistItems.list');
        return { ...describeThrown(err), classified: { code: classified.code, reason: classified.reason, kind: classified.kind } };
      }
    },
    insertTab: (name) => {
      ss().insertSheet(name);
    },
    tabNames: () =>
      ss()
        .getSheets()
        .map((s) => s.getName()),
    findTab: (name) => ss().getSheetByName(name)?.getName() ?? null,
    // By exact name among all tabs: getSheetByName may ignore case and find the wrong twin.
    deleteTab: (name) => {
      const found = ss()
        .getSheets()
        .find((s) => s.getName() === name);
      if (!found) return false;
      ss().deleteSheet(found);
      return true;
    },
    writeCell: (tabName, value) => {
      sheet(tabName).getRange(1, 1).setValue(value);
    },
    readCell: (tabName) => sheet(tabName).getRange(1, 1).getValue(),
    flush: () => SpreadsheetApp.flush(),
    scriptLock: () => {
      const lock = LockService.getScriptLock();
      return { tryLock: (ms) => lock.tryLock(ms), hasLock: () => lock.hasLock(), release: () => lock.releaseLock() };
    },
    spreadsheetTimeZone: () => ss().getSpreadsheetTimeZone(),
    authorization: (scopes) => {
      const info = (
        ScriptApp.getAuthorizationInfo as (mode: GoogleAppsScript.Script.AuthMode, scopes?: string[]) => AuthorizationInfoWithScopes
      )(ScriptApp.AuthMode.FULL, [...scopes]);
      const granted = typeof info.getAuthorizedScopes === 'function' ? info.getAuthorizedScopes() : null;
      return { status: String(info.getAuthorizationStatus()), granted: Array.isArray(granted) ? granted.map(String) : null };
    },
  };
}

/** getAuthorizedScopes() is newer than the type definitions (granular consent). */
type AuthorizationInfoWithScopes = GoogleAppsScript.Script.AuthorizationInfo & { getAuthorizedScopes?: () => string[] | null };

/** The self-test with the real services: menu "Diagnostics…" and POST /api/v1/diagnostics. */
export function runGasDiagnostics(): DiagnosticsReport {
  return runDiagnostics({ ...createGasDeps(), probe: createGasProbe() }, { version });
}
