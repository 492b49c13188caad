/**
 * The Diagnostics self-test: each platform assumption the project relies on (docs/platform.md),
 * checked where the code runs, with a verdict and the value the platform showed. The menu's
 * "Diagnostics…" dialog and POST /api/v1/diagnostics run it; the report's `text` is meant to be pasted
 * into a bug report.
 *
 * Pure logic over ports: AppDeps for what the project already uses, PlatformProbe (gas/probe.ts) for
 * the raw observations nothing else needs. Every check removes what it creates (a scratch tab, a probe
 * trigger) in `finally`, whatever failed, and a cleanup that fails turns the check into a failure that
 * names what to delete by hand.
 */
import {
  dependencies as MANIFEST_DEPENDENCIES,
  oauthScopes as MANIFEST_SCOPES,
  runtimeVersion as MANIFEST_RUNTIME,
} from '../../appsscript.json';
import type { PlatformProbe, ProbedYouTubeError, TriggerInfo } from '../ports';
import { AppContext } from './context';
import { TICK_HANDLER, type AppDeps } from './deps';
import { formatKb } from './bytes';
import { addQuota } from './quota';
import { WORK_BUDGET_MS } from './runner';
import { STORE_LIMIT_BYTES, storeUsage, VALUE_LIMIT_BYTES } from './store';
import { readTriggerRecord } from './triggers';
import { checkZones, type ZoneCheck } from './tz-check';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface DiagnosticCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** What the platform answered, in words and numbers. */
  observed: string;
  /** What the project assumes. */
  expected: string;
  /** What a warning or failure means and what to do; '' when there is nothing to add. */
  note: string;
  ms: number;
}

export interface DiagnosticsReport {
  generated_at: string;
  version: string;
  status: CheckStatus;
  counts: Record<CheckStatus, number>;
  environment: { user: string; runtime: string; script_time_zone: string; spreadsheet_time_zone: string; elapsed_ms: number };
  checks: DiagnosticCheck[];
  /** The whole report as plain text, for a bug report. */
  text: string;
}

export interface DiagnosticsDeps extends AppDeps {
  probe: PlatformProbe;
}

/** "V8; YouTube v3": the runtime and advanced services the manifest asks for. */
export const MANIFEST_RUNTIME_TEXT = [
  MANIFEST_RUNTIME,
  ...MANIFEST_DEPENDENCIES.enabledAdvancedServices.map((s) => `${s.userSymbol} ${s.version}`),
].join('; ');

/** The scopes appsscript.json declares: what the project needs granted. */
export const REQUIRED_SCOPES: readonly string[] = MANIFEST_SCOPES;

/** What breaks without each scope (shown when one is missing). */
const SCOPE_USES: Record<string, string> = {
  'https://www.googleapis.com/auth/spreadsheets': 'reading and writing tabs',
  'https://www.googleapis.com/auth/script.container.ui': 'the menu, sidebar and dialogs',
  'https://www.googleapis.com/auth/script.scriptapp': 'installing the triggers',
  'https://www.googleapis.com/auth/script.send_mail': 'failure mails',
  'https://www.googleapis.com/auth/youtube.readonly': 'reading YouTube',
  'https://www.googleapis.com/auth/userinfo.email': "the user's address in audit rows",
};

/** A playlist id YouTube cannot know (valid characters, impossible content): the call fails with 404, 1 unit. */
export const PROBE_PLAYLIST_ID = 'PLy2sDiagnosticsNoSuchPlaylist00000000000';
export const PROBE_PLAYLIST_COST = 1;

/** Zones checked besides those in use: DST in both hemispheres, half and quarter hours, Pacific (the quota clock). */
export const SAMPLE_ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
] as const;

/** Apps Script ends any execution at 6 minutes. */
export const EXECUTION_LIMIT_MS = 360_000;
/** Diagnostics taking longer than this means service calls are unusually slow. */
export const SLOW_DIAGNOSTICS_MS = 60_000;
/** Triggers per user per script. */
export const TRIGGER_LIMIT = 20;
/** How far ahead the probe trigger is armed, so that it never fires even if its removal fails. */
const PROBE_TRIGGER_AHEAD_MS = 7 * 24 * 3600_000;
const LOCK_WAIT_MS = 10_000;

interface Verdict {
  status: CheckStatus;
  observed: string;
  expected: string;
  note?: string;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function shown<T>(a: Attempt<T>): string {
  return a.ok ? JSON.stringify(a.value) : `refused (${clip(a.error, 120)})`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "o…@example.com": enough to tell users apart in a pasted report, without the whole address. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return email ? `${email[0]}…` : '(unknown)';
  return `${email[0]}…${email.slice(at)}`;
}

// ---------------------------------------------------------------- the checks

export function checkSignedBytes(probe: PlatformProbe, sha256: (text: string) => number[]): Verdict {
  const minusOne = attempt(() => probe.base64Encode([-1]));
  const unsigned = attempt(() => probe.base64Encode([255]));
  const digest = attempt(() => sha256('abc')); // SHA-256("abc") starts with 0xba: -70 as a Java byte
  const first = digest.ok ? digest.value[0] : undefined;
  const observed = `base64Encode([-1]) → ${shown(minusOne)}; base64Encode([255]) → ${shown(unsigned)}; SHA-256("abc")[0] → ${digest.ok ? String(first) : shown(digest)}`;
  const expected = 'base64Encode([-1]) = "/w=="; [255] refused (or "/w=="); digests come back signed (-70)';
  if (!minusOne.ok || minusOne.value !== '/w==') {
    return {
      status: 'fail',
      observed,
      expected,
      note: 'A -1 byte is not the byte 0xFF here: API key and token encoding would produce other strings than the project expects.',
    };
  }
  if (unsigned.ok && unsigned.value !== '/w==') {
    return {
      status: 'fail',
      observed,
      expected,
      note: 'The number 255 was silently turned into another byte: anything passing 0..255 would be corrupted.',
    };
  }
  if (!digest.ok || first !== -70) {
    return {
      status: 'warn',
      observed,
      expected,
      note: 'Digests do not come back as signed Java bytes. The project masks bytes with & 0xff, so it still works, but the emulator models them signed.',
    };
  }
  const note = unsigned.ok ? 'The platform accepts 255 as well; the emulator refuses it (the stricter reading).' : '';
  return { status: 'pass', observed, expected, note };
}

export function describeYouTubeError(e: ProbedYouTubeError): string {
  const details = e.hasDetails ? `details.code ${e.detailsCode ?? 'absent'}, reason ${e.detailsReason ?? 'absent'}` : 'no details';
  return `${e.name || 'thrown'}: "${clip(e.message, 160)}"; ${details}; classified ${e.classified.kind} (${e.classified.code} ${e.classified.reason || 'no reason'})`;
}

export function judgeYouTubeError(e: ProbedYouTubeError | null): Verdict {
  const expected =
    '404 playlistNotFound classified permanent (403 quotaExceeded classified quota when the quota is used up), with details.code and reason';
  if (!e)
    return {
      status: 'fail',
      observed: 'the call succeeded',
      expected,
      note: 'A playlist that cannot exist was answered without an error; the UULF/UUSH fallback relies on a 404.',
    };
  const observed = describeYouTubeError(e);
  const { kind, code } = e.classified;
  const quota = kind === 'quota' || /quota/i.test(e.detailsReason ?? '') || /quota/i.test(e.message);
  const right = quota ? kind === 'quota' : kind === 'permanent' && code === 404;
  if (!right) {
    return {
      status: 'fail',
      observed,
      expected,
      note: quota
        ? 'A quota error is not classified as quota: runs would retry instead of waiting for the reset.'
        : 'A missing playlist is not classified as a permanent 404: failures would be retried as transient and the UULF/UUSH fallback never taken.',
    };
  }
  if (!e.hasDetails || e.detailsCode === null || !e.detailsReason) {
    return {
      status: 'warn',
      observed,
      expected,
      note: 'The error carries no details (undocumented field): the project classified it from the message text, which is localized.',
    };
  }
  return {
    status: 'pass',
    observed,
    expected,
    note: quota ? 'The quota is used up today: the shape was checked on the quotaExceeded error.' : '',
  };
}

/** Three instants: now, and mid-January and mid-July of this year (both sides of DST everywhere). */
export function zoneInstants(now: Date): Date[] {
  const year = now.getUTCFullYear();
  return [now, new Date(Date.UTC(year, 0, 15, 12)), new Date(Date.UTC(year, 6, 15, 12))];
}

export function judgeZones(results: { at: Date; checks: ZoneCheck[] }[]): Verdict {
  const zones = new Set<string>();
  const wrong: string[] = [];
  for (const { at, checks } of results) {
    for (const c of checks) {
      zones.add(c.zone);
      if (!c.ok) wrong.push(`${c.zone} at ${at.toISOString()}: Intl ${c.intl_offset}, Utilities.formatDate ${c.apps_script_offset}`);
    }
  }
  const expected = "Intl's UTC offset equals Utilities.formatDate(…, 'Z') for every zone in use and the sample zones";
  if (wrong.length > 0) {
    return {
      status: 'fail',
      observed: `${wrong.length} difference(s): ${wrong.slice(0, 6).join('; ')}${wrong.length > 6 ? '; …' : ''}`,
      expected,
      note: "Schedules are computed with Intl (croner): jobs in these zones would run at the wrong local time. Use another zone name for them, or report the platform's answer.",
    };
  }
  return {
    status: 'pass',
    observed: `${zones.size} zone(s) × ${results.length} instants agree: ${[...zones].sort().join(', ')}`,
    expected,
  };
}

export function judgeScriptVsSpreadsheetZone(scriptZone: string, sheetZone: Attempt<string>): Verdict {
  const expected = 'two separate settings; schedules use each job’s own zone';
  if (!sheetZone.ok)
    return { status: 'warn', observed: `script ${scriptZone}; spreadsheet zone unreadable (${sheetZone.error})`, expected };
  const observed = `script ${scriptZone}; spreadsheet ${sheetZone.value}`;
  if (sheetZone.value === scriptZone) return { status: 'pass', observed, expected };
  return {
    status: 'warn',
    observed,
    expected,
    note:
      "The zones differ: dates in cells show in the spreadsheet's zone while the script's zone is another. Nothing breaks (each job has its own zone), " +
      'but set both alike (File > Settings, and Project Settings in the script editor) unless that is intended.',
  };
}

/** A scratch tab name no user would pick: lower case, so that its upper-case twin differs only by case. */
export function scratchTabName(seed: string, purpose: string): string {
  return `_y2s_diag_${purpose}_${seed}`.toLowerCase();
}

/** The seed of one run's scratch tabs: random, then the minute it started (base 36), so a later run can date them. */
export function scratchSeed(random: string, now: Date): string {
  return `${random}_${Math.floor(now.getTime() / 60_000).toString(36)}`.toLowerCase();
}

const SCRATCH_TAB = /^_y2s_diag_[a-z]+_[0-9a-z]+_([0-9a-z]+)$/i;
/** Younger scratch tabs may belong to a run still going (another user's); older ones were left by a killed run. */
export const SCRATCH_STALE_MS = 15 * 60_000;

/** Scratch tabs of earlier runs that were killed before their cleanup (the platform ends executions at 6 min). */
export function staleScratchTabs(names: readonly string[], now: Date): string[] {
  return names.filter((name) => {
    const match = SCRATCH_TAB.exec(name);
    if (!match) return false;
    const startedMs = parseInt(match[1]!, 36) * 60_000;
    return Number.isFinite(startedMs) && now.getTime() - startedMs > SCRATCH_STALE_MS;
  });
}

/** Creates the scratch tab, runs `work`, then removes every tab listed in `created`, whatever happened. */
function withScratchTabs(probe: PlatformProbe, first: string, work: (created: string[]) => Verdict): Verdict {
  const created: string[] = [];
  let outcome: Attempt<Verdict>;
  try {
    probe.insertTab(first);
    created.push(first);
    outcome = { ok: true, value: work(created) };
  } catch (err) {
    outcome = { ok: false, error: errorText(err) };
  }
  const left = created.filter((name) => {
    const removed = attempt(() => probe.deleteTab(name));
    return !removed.ok || !removed.value;
  });
  if (left.length > 0) {
    const note = `Could not remove the scratch tab(s) ${left.join(', ')}: delete them by hand.`;
    if (!outcome.ok) throw new Error(`${outcome.error}. ${note}`);
    return { ...outcome.value, status: 'fail', note: [outcome.value.note, note].filter(Boolean).join(' ') };
  }
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

export function checkTabCase(probe: PlatformProbe, seed: string): Verdict {
  const lower = scratchTabName(seed, 'case');
  const upper = lower.toUpperCase();
  return withScratchTabs(probe, lower, (created) => {
    const twin = attempt(() => probe.insertTab(upper));
    if (twin.ok) created.push(upper);
    const found = attempt(() => probe.findTab(upper));
    const lookup = found.ok
      ? found.value === null
        ? 'getSheetByName is case-sensitive'
        : `getSheetByName("${upper}") finds "${found.value}"`
      : `getSheetByName threw (${found.error})`;
    const observed = `insertSheet("${upper}") next to "${lower}" → ${twin.ok ? 'created a second tab' : `refused: ${clip(twin.error, 140)}`}; ${lookup}`;
    const expected = 'a name differing only by case is refused with "already exists"';
    if (twin.ok) {
      return {
        status: 'fail',
        observed,
        expected,
        note: 'Tab names are case-sensitive here: jobs writing "Shared" and "shared" would write two tabs, and the project treats them as one.',
      };
    }
    if (!/already exists/i.test(twin.error)) {
      return {
        status: 'warn',
        observed,
        expected,
        note: 'Refused, but with a message the project does not recognise as a duplicate name: such failures may be retried as transient.',
      };
    }
    return { status: 'pass', observed, expected };
  });
}

export function checkLockAndFlush(probe: PlatformProbe, seed: string, now: () => number): Verdict {
  const tab = scratchTabName(seed, 'lock');
  const expected = 'the script lock is granted and held (hasLock), flush() commits, release() lets go';
  return withScratchTabs(probe, tab, () => {
    const lock = probe.scriptLock();
    const started = now();
    const acquired = lock.tryLock(LOCK_WAIT_MS);
    const waited = now() - started;
    if (!acquired) {
      return {
        status: 'warn',
        observed: `tryLock(${LOCK_WAIT_MS}) → false after ${waited} ms`,
        expected,
        note: 'Another execution held the script lock for 10 s: run Diagnostics again when the scheduler is idle.',
      };
    }
    const marker = `diag ${seed}`;
    let held = false;
    let readBack: Attempt<unknown> = { ok: false, error: 'not read' };
    let flushed: Attempt<void> = { ok: false, error: 'not flushed' };
    let released: Attempt<boolean>;
    try {
      held = lock.hasLock();
      probe.writeCell(tab, marker);
      flushed = attempt(() => probe.flush());
      readBack = attempt(() => probe.readCell(tab));
    } finally {
      released = attempt(() => {
        lock.release();
        return !lock.hasLock();
      });
    }
    const observed =
      `tryLock → true after ${waited} ms; hasLock → ${held}; flush() → ${flushed.ok ? 'ok' : `threw (${flushed.error})`}; ` +
      `read back → ${shown(readBack)}; after releaseLock hasLock → ${released.ok ? String(!released.value) : `threw (${released.error})`}`;
    if (!held || !flushed.ok || !readBack.ok || readBack.value !== marker || !released.ok || !released.value) {
      return {
        status: 'fail',
        observed,
        expected,
        note: 'Sheet writes made under the lock may not be committed (or the lock not released) before the next execution reads them.',
      };
    }
    return { status: 'pass', observed, expected };
  });
}

export interface TriggerFacts {
  recordedHeartbeat: string | null;
  jobCount: number;
}

export function checkTriggers(deps: Pick<AppDeps, 'triggers' | 'clock'>, facts: TriggerFacts, user: string): Verdict {
  const expected = `getProjectTriggers lists this user's triggers only; a trigger created is listed until deleted; at most ${TRIGGER_LIMIT} per user`;
  const listed = deps.triggers.list();
  const ticks = listed.filter((t) => t.handler === TICK_HANDLER).length;
  const heartbeatVisible = facts.recordedHeartbeat ? listed.some((t) => t.id === facts.recordedHeartbeat) : null;
  const head = `${listed.length} trigger(s) visible to ${user} (${ticks} calling ${TICK_HANDLER})`;
  if (listed.length >= TRIGGER_LIMIT) {
    return {
      status: 'fail',
      observed: head,
      expected,
      note: `This user has ${TRIGGER_LIMIT} triggers for this project (the per-user limit): the scheduler cannot arm its triggers. Delete unused ones (Extensions > Apps Script > Triggers).`,
    };
  }
  // A one-off trigger far ahead: listed after creation, gone after deletion. Removed whatever happens.
  let probe: TriggerInfo | null = null;
  let listedAfterCreate = false;
  let goneAfterDelete = false;
  try {
    probe = deps.triggers.createAt(TICK_HANDLER, new Date(deps.clock.now().getTime() + PROBE_TRIGGER_AHEAD_MS));
    const id = probe.id;
    listedAfterCreate = deps.triggers.list().some((t) => t.id === id);
  } finally {
    if (probe) {
      const id = probe.id;
      const deleted = attempt(() => {
        deps.triggers.delete(id);
        return !deps.triggers.list().some((t) => t.id === id);
      });
      goneAfterDelete = deleted.ok && deleted.value;
    }
  }
  const heartbeat =
    heartbeatVisible === null
      ? 'no heartbeat recorded'
      : heartbeatVisible
        ? 'the recorded heartbeat is among them'
        : 'the recorded heartbeat is NOT among them';
  const observed = `${head}; ${heartbeat}; probe trigger listed after create: ${listedAfterCreate}, gone after delete: ${goneAfterDelete}`;
  if (!listedAfterCreate || !goneAfterDelete) {
    const note = goneAfterDelete ? '' : ` Delete the trigger ${probe?.id ?? ''} (${TICK_HANDLER}, one-off) by hand if it is still listed.`;
    return {
      status: 'fail',
      observed,
      expected,
      note: `Triggers this user creates are not listed as expected: the trigger repair cannot see its own triggers.${note}`,
    };
  }
  if (heartbeatVisible === false) {
    return {
      status: 'warn',
      observed,
      expected,
      note: 'The schedule’s heartbeat belongs to another user (getProjectTriggers lists only the current user’s triggers) or was deleted. Triggers run as the user who created them.',
    };
  }
  if (heartbeatVisible === null && facts.jobCount > 0) {
    return { status: 'warn', observed, expected, note: 'Jobs exist but no heartbeat is recorded: use the menu’s Repair triggers.' };
  }
  return { status: 'pass', observed, expected };
}

export function checkProperties(deps: Pick<AppDeps, 'properties' | 'clock'>): Verdict {
  const started = deps.clock.now().getTime();
  const all = deps.properties.getAll();
  const readMs = deps.clock.now().getTime() - started;
  const usage = storeUsage(all);
  const percent = Math.round((usage.used_bytes / STORE_LIMIT_BYTES) * 100);
  const observed =
    `${formatKb(usage.used_bytes)} of ${formatKb(STORE_LIMIT_BYTES)} (${percent} %) in ${Object.keys(all).length} key(s); ` +
    `largest entry ${formatKb(usage.largest_value_bytes)} of ${formatKb(VALUE_LIMIT_BYTES)}; one getProperties() took ${readMs} ms`;
  const expected = `under ${formatKb(STORE_LIMIT_BYTES)} per store and ${formatKb(VALUE_LIMIT_BYTES)} per entry (read only: nothing is written)`;
  if (usage.used_bytes >= 0.95 * STORE_LIMIT_BYTES)
    return { status: 'fail', observed, expected, note: 'The property store is nearly full: new jobs and keys are refused.' };
  if (usage.used_bytes >= 0.8 * STORE_LIMIT_BYTES || usage.largest_value_bytes >= 0.9 * VALUE_LIMIT_BYTES) {
    return { status: 'warn', observed, expected, note: 'The property store is filling up.' };
  }
  return { status: 'pass', observed, expected };
}

export function checkMailQuota(remaining: number): Verdict {
  const observed = `MailApp.getRemainingDailyQuota() → ${remaining}`;
  const expected = 'recipients left today (100 a day for consumer accounts, 1,500 for Workspace; read only: no mail is sent)';
  if (!Number.isFinite(remaining) || remaining < 0) return { status: 'fail', observed, expected, note: 'The mail quota cannot be read.' };
  if (remaining === 0)
    return {
      status: 'warn',
      observed,
      expected,
      note: 'No failure mail can be sent until the quota rolls over (24 h after the first mail of the day).',
    };
  return { status: 'pass', observed, expected };
}

export function judgeScopes(auth: { status: string; granted: string[] | null }, required: readonly string[] = REQUIRED_SCOPES): Verdict {
  const expected = `authorization NOT_REQUIRED and every manifest scope granted (${required.length})`;
  const grantedText =
    auth.granted === null ? 'granted scopes not reported' : `${auth.granted.length} of ${required.length} manifest scopes granted`;
  const missing = auth.granted === null ? [] : required.filter((s) => !auth.granted!.includes(s));
  const observed = `status ${auth.status}; ${grantedText}${missing.length ? `; missing: ${missing.map((s) => s.replace('https://www.googleapis.com/auth/', '')).join(', ')}` : ''}`;
  if (missing.length > 0) {
    return {
      status: 'fail',
      observed,
      expected,
      note: `Not granted: ${missing.map((s) => `${s.replace('https://www.googleapis.com/auth/', '')} (${SCOPE_USES[s] ?? 'used by the project'})`).join('; ')}. Run any menu item again and allow every permission.`,
    };
  }
  if (auth.status !== 'NOT_REQUIRED')
    return {
      status: 'fail',
      observed,
      expected,
      note: 'The script needs authorization again: run any menu item and allow every permission.',
    };
  if (auth.granted === null)
    return {
      status: 'warn',
      observed,
      expected,
      note: 'The platform did not list the granted scopes, so partial consent cannot be ruled out.',
    };
  return { status: 'pass', observed, expected };
}

export function judgeBudget(elapsedMs: number): Verdict {
  const observed = `this execution has run ${(elapsedMs / 1000).toFixed(1)} s`;
  const expected = `well under the ${EXECUTION_LIMIT_MS / 60_000} min execution limit; the scheduler starts no work after ${WORK_BUDGET_MS / 60_000} min`;
  if (elapsedMs >= WORK_BUDGET_MS)
    return { status: 'fail', observed, expected, note: 'Service calls are so slow that a run would not fit its time budget.' };
  if (elapsedMs >= SLOW_DIAGNOSTICS_MS)
    return { status: 'warn', observed, expected, note: 'Service calls are unusually slow: runs will do less per execution.' };
  return { status: 'pass', observed, expected };
}

// ---------------------------------------------------------------- the run

const TITLES: Record<string, string> = {
  'bytes.signed': 'Byte arrays are signed Java bytes',
  'youtube.error_shape': 'Shape of a YouTube error (1 quota unit)',
  'timezones.intl': 'Intl time zones agree with Utilities.formatDate',
  'timezones.script_vs_spreadsheet': 'Script and spreadsheet time zones',
  'sheets.tab_case': 'Tab names are unique ignoring case (scratch tab)',
  'lock.flush': 'Script lock and SpreadsheetApp.flush (scratch tab)',
  'triggers.visibility': 'Trigger visibility and ownership',
  'properties.usage': 'Property store usage',
  'mail.quota': 'Mail quota',
  'auth.scopes': 'OAuth scopes granted',
  'execution.budget': 'Execution time budget',
};

export function runDiagnostics(deps: DiagnosticsDeps, info: { version: string }): DiagnosticsReport {
  const ctx = new AppContext(deps);
  const clockMs = (): number => deps.clock.now().getTime();
  const generatedAt = deps.clock.now();
  const checks: DiagnosticCheck[] = [];
  const run = (id: string, work: () => Verdict): void => {
    const started = clockMs();
    let verdict: Verdict;
    try {
      verdict = work();
    } catch (err) {
      verdict = {
        status: 'fail',
        observed: `threw: ${clip(errorText(err), 300)}`,
        expected: '',
        note: 'The check could not run to its end.',
      };
    }
    checks.push({
      id,
      title: TITLES[id] ?? id,
      status: verdict.status,
      observed: verdict.observed,
      expected: verdict.expected,
      note: verdict.note ?? '',
      ms: clockMs() - started,
    });
  };

  const user = attempt(() => deps.identity.userEmail());
  const userLabel = user.ok ? maskEmail(user.value) : '(unknown)';
  const scriptZone = attempt(() => deps.identity.scriptTimeZone());
  const sheetZone = attempt(() => deps.probe.spreadsheetTimeZone());
  const seed = attempt(() => deps.crypto.uuid().replace(/-/g, '').slice(0, 8));
  const runSeed = scratchSeed(seed.ok ? seed.value : String(generatedAt.getTime() % 1e8), generatedAt);
  const loaded = attempt(() => ctx.load());
  // Leftovers of a run killed before its cleanup: removed first, so a scratch tab never stays for long.
  const swept = attempt(() => {
    const stale = staleScratchTabs(deps.probe.tabNames(), generatedAt);
    return stale.filter((name) => deps.probe.deleteTab(name));
  });

  run('bytes.signed', () => checkSignedBytes(deps.probe, (text) => deps.crypto.sha256(text)));
  run('youtube.error_shape', () => {
    let probed: ProbedYouTubeError | null;
    try {
      probed = deps.probe.youtubeFailure(PROBE_PLAYLIST_ID);
    } finally {
      meterProbe(ctx, deps);
    }
    return judgeYouTubeError(probed);
  });
  run('timezones.intl', () => {
    const zones = new Set<string>(SAMPLE_ZONES);
    if (scriptZone.ok) zones.add(scriptZone.value);
    if (sheetZone.ok) zones.add(sheetZone.value);
    if (loaded.ok) {
      zones.add(loaded.value.settings.default_timezone);
      for (const job of loaded.value.jobs()) zones.add(job.config.timezone);
    }
    return judgeZones(zoneInstants(generatedAt).map((at) => ({ at, checks: checkZones(deps.timeZones, zones, at) })));
  });
  run('timezones.script_vs_spreadsheet', () => {
    if (!scriptZone.ok) throw new Error(`Session.getScriptTimeZone() failed: ${scriptZone.error}`);
    return judgeScriptVsSpreadsheetZone(scriptZone.value, sheetZone);
  });
  run('sheets.tab_case', () => {
    const verdict = checkTabCase(deps.probe, runSeed);
    if (!swept.ok)
      return {
        ...verdict,
        note: [verdict.note, `Leftover scratch tabs could not be listed or removed (${swept.error}).`].filter(Boolean).join(' '),
      };
    if (swept.value.length === 0) return verdict;
    return {
      ...verdict,
      observed: `${verdict.observed}; removed ${swept.value.length} scratch tab(s) an interrupted run left: ${swept.value.join(', ')}`,
    };
  });
  run('lock.flush', () => checkLockAndFlush(deps.probe, runSeed, clockMs));
  run('triggers.visibility', () => {
    if (!loaded.ok) throw new Error(`the project's records could not be read: ${loaded.error}`);
    const record = readTriggerRecord(loaded.value.snapshot);
    return checkTriggers(deps, { recordedHeartbeat: record.heartbeat?.id ?? null, jobCount: loaded.value.jobs().length }, userLabel);
  });
  run('properties.usage', () => checkProperties(deps));
  run('mail.quota', () => checkMailQuota(deps.mailer.remainingDailyQuota()));
  run('auth.scopes', () => judgeScopes(deps.probe.authorization(REQUIRED_SCOPES)));
  run('execution.budget', () => judgeBudget(ctx.elapsedMs()));

  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  const report: Omit<DiagnosticsReport, 'text'> = {
    generated_at: generatedAt.toISOString(),
    version: info.version,
    status: counts.fail > 0 ? 'fail' : counts.warn > 0 ? 'warn' : 'pass',
    counts,
    environment: {
      user: userLabel,
      runtime: MANIFEST_RUNTIME_TEXT,
      script_time_zone: scriptZone.ok ? scriptZone.value : `unknown (${scriptZone.error})`,
      spreadsheet_time_zone: sheetZone.ok ? sheetZone.value : `unknown (${sheetZone.error})`,
      elapsed_ms: ctx.elapsedMs(),
    },
    checks,
  };
  return { ...report, text: formatReport(report) };
}

/** The probe call's unit goes on the day's meter like any other YouTube call; a busy lock only loses the count. */
function meterProbe(ctx: AppContext, deps: AppDeps): void {
  try {
    ctx.mutate((loaded) => addQuota(loaded.snapshot, ctx.now(), PROBE_PLAYLIST_COST, null));
  } catch (err) {
    deps.logger.warn(`Diagnostics: the probe's quota unit was not recorded (${errorText(err)})`);
  }
}

const MARK: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

/** Plain text for a bug report: header, one block per check, nothing that needs rendering. */
export function formatReport(report: Omit<DiagnosticsReport, 'text'>): string {
  const lines = [
    `YouTube2Sheets Diagnostics — ${report.status.toUpperCase()} (${report.counts.pass} pass, ${report.counts.warn} warn, ${report.counts.fail} fail)`,
    `version: ${report.version} (${report.environment.runtime})`,
    `date: ${report.generated_at}`,
    `user: ${report.environment.user}`,
    `script time zone: ${report.environment.script_time_zone}; spreadsheet time zone: ${report.environment.spreadsheet_time_zone}`,
    `took: ${(report.environment.elapsed_ms / 1000).toFixed(1)} s`,
    '',
  ];
  for (const c of report.checks) {
    lines.push(`[${MARK[c.status]}] ${c.title} (${c.id}, ${c.ms} ms)`);
    lines.push(`  observed: ${c.observed}`);
    if (c.expected) lines.push(`  expected: ${c.expected}`);
    if (c.note) lines.push(`  note: ${c.note}`);
  }
  return lines.join('\n');
}
