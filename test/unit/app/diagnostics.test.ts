/**
 * The Diagnostics self-test over fakes: a probe that behaves as Apps Script does passes every check;
 * a probe that answers the other way makes each check warn or fail, with the value it saw; whatever a
 * check creates (scratch tabs, the probe trigger) is removed even when the check fails.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSchedulerApp } from '../../../src-server/app';
import {
  PROBE_PLAYLIST_ID,
  REQUIRED_SCOPES,
  runDiagnostics,
  type CheckStatus,
  type DiagnosticsReport,
} from '../../../src-server/app/diagnostics';
import { readQuota } from '../../../src-server/app/quota';
import { KEYS, PropertySnapshot } from '../../../src-server/app/store';
import type { PlatformProbe, ProbedYouTubeError, ProbeLock, TimeZoneOracle } from '../../../src-server/ports';
import { createFakeWorld, intlOracle, type FakeWorld } from './fakes';

/** Signed Java bytes, as Utilities takes and returns them. */
function javaBase64(bytes: number[]): string {
  for (const b of bytes) if (!Number.isInteger(b) || b < -128 || b > 127) throw new Error(`Cannot convert ${b} to byte.`);
  return Buffer.from(bytes.map((b) => b & 0xff)).toString('base64');
}

const NOT_FOUND: ProbedYouTubeError = {
  name: 'GoogleJsonResponseException',
  message:
    "API call to youtube.playlistItems.list failed with error: The playlist identified with the request's playlistId parameter cannot be found.",
  hasDetails: true,
  detailsCode: 404,
  detailsReason: 'playlistNotFound',
  classified: { code: 404, reason: 'playlistNotFound', kind: 'permanent' },
};

/** A probe that behaves as Apps Script does; tests change one behaviour at a time. */
class FakeProbe implements PlatformProbe {
  tabs: string[] = ['Sheet1'];
  caseSensitiveNames = false;
  duplicateMessage = (name: string) => `A sheet with the name "${name}" already exists. Please enter another name.`;
  deleteFails = false;
  insertFails = false;
  cells = new Map<string, unknown>();
  lockHeld = false;
  lockBusy = false;
  hasLockLies = false;
  releaseKeepsLock = false;
  flushThrows = false;
  writeThrows = false;
  readAnswer: unknown = undefined;
  youtube: () => ProbedYouTubeError | null = () => NOT_FOUND;
  youtubeCalls: string[] = [];
  sheetZone: () => string = () => 'America/New_York';
  auth: { status: string; granted: string[] | null } = { status: 'NOT_REQUIRED', granted: [...REQUIRED_SCOPES] };
  base64: (bytes: number[]) => string = javaBase64;

  base64Encode(bytes: number[]): string {
    return this.base64(bytes);
  }
  youtubeFailure(playlistId: string): ProbedYouTubeError | null {
    this.youtubeCalls.push(playlistId);
    return this.youtube();
  }
  insertTab(name: string): void {
    if (this.insertFails) throw new Error('Service Spreadsheets failed while accessing document');
    const same = (t: string) => (this.caseSensitiveNames ? t === name : t.toLowerCase() === name.toLowerCase());
    if (this.tabs.some(same)) throw new Error(this.duplicateMessage(name));
    this.tabs.push(name);
  }
  tabNames(): string[] {
    return [...this.tabs];
  }
  findTab(name: string): string | null {
    return this.tabs.find((t) => t === name) ?? null;
  }
  deleteTab(name: string): boolean {
    if (this.deleteFails) throw new Error('Service Spreadsheets timed out');
    const before = this.tabs.length;
    this.tabs = this.tabs.filter((t) => t !== name);
    return this.tabs.length < before;
  }
  writeCell(tab: string, value: string): void {
    if (this.writeThrows) throw new Error('Range is protected');
    this.cells.set(tab, value);
  }
  readCell(tab: string): unknown {
    return this.readAnswer !== undefined ? this.readAnswer : this.cells.get(tab);
  }
  flush(): void {
    if (this.flushThrows) throw new Error('flush is not a function');
  }
  scriptLock(): ProbeLock {
    return {
      tryLock: () => {
        if (this.lockBusy) return false;
        this.lockHeld = true;
        return true;
      },
      hasLock: () => (this.hasLockLies ? false : this.lockHeld),
      release: () => {
        if (!this.releaseKeepsLock) this.lockHeld = false;
      },
    };
  }
  spreadsheetTimeZone(): string {
    return this.sheetZone();
  }
  authorization(): { status: string; granted: string[] | null } {
    return this.auth;
  }
}

const signedSha256 = (text: string): number[] => [...createHash('sha256').update(text).digest()].map((b) => (b << 24) >> 24);
const unsignedSha256 = (text: string): number[] => [...createHash('sha256').update(text).digest()];

function setup(): { world: FakeWorld; probe: FakeProbe; run: () => DiagnosticsReport } {
  const world = createFakeWorld();
  // Utilities' digests are signed Java bytes.
  world.deps.crypto = { ...world.deps.crypto, sha256: signedSha256 };
  const probe = new FakeProbe();
  return { world, probe, run: () => runDiagnostics({ ...world.deps, probe }, { version: '9.9.9' }) };
}

function check(report: DiagnosticsReport, id: string): { status: CheckStatus; observed: string; note: string } {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

function statuses(report: DiagnosticsReport): Record<string, CheckStatus> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

function withHeartbeat(world: FakeWorld): string {
  const hb = world.triggers.createHeartbeat('tick', 5);
  world.properties.data[KEYS.triggers] = JSON.stringify({ heartbeat: { id: hb.id, minutes: 5 }, precise: null });
  return hb.id;
}

const ALL_CHECKS = [
  'bytes.signed',
  'youtube.error_shape',
  'timezones.intl',
  'timezones.script_vs_spreadsheet',
  'sheets.tab_case',
  'lock.flush',
  'triggers.visibility',
  'properties.usage',
  'mail.quota',
  'auth.scopes',
  'execution.budget',
];

describe('a platform that behaves as the project assumes', () => {
  test('every check passes, nothing is left behind, the probe call is metered, the text names version and date', () => {
    const { world, probe, run } = setup();
    withHeartbeat(world);
    const report = run();
    expect(report.checks.map((c) => c.id)).toEqual(ALL_CHECKS);
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.observed} ${c.note}`)).toEqual([]);
    expect(report.status).toBe('pass');
    expect(report.counts).toEqual({ pass: 11, warn: 0, fail: 0 });
    expect(probe.tabs).toEqual(['Sheet1']);
    expect(world.triggers.items.map((t) => t.kind)).toEqual(['clock-every-minutes']);
    expect(probe.lockHeld).toBe(false);
    expect(probe.youtubeCalls).toEqual([PROBE_PLAYLIST_ID]);
    expect(readQuota(PropertySnapshot.load(world.properties), world.clock.now()).used).toBe(1);
    expect(report.text.split('\n').slice(0, 4)).toEqual([
      'YouTube2Sheets Diagnostics — PASS (11 pass, 0 warn, 0 fail)',
      'version: 9.9.9 (V8; YouTube v3)',
      'date: 2026-01-05T12:00:00.000Z',
      'user: o…@example.com',
    ]);
    expect(report.text).toContain('[PASS] Tab names are unique ignoring case (scratch tab) (sheets.tab_case, ');
    expect(report.text).toContain('  observed: base64Encode([-1]) → "/w=="; base64Encode([255]) → refused (Cannot convert 255 to byte.)');
  });

  test('the required scopes are exactly the manifest’s', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../appsscript.json'), 'utf8')) as { oauthScopes: string[] };
    expect([...REQUIRED_SCOPES]).toEqual(manifest.oauthScopes);
  });
});

describe('each check fails or warns when the platform answers otherwise', () => {
  test('bytes: -1 refused fails; 255 turned into another byte fails; unsigned digests warn; 255 accepted as 0xFF passes with a note', () => {
    let s = setup();
    s.probe.base64 = (bytes) =>
      Buffer.from(
        bytes.map((b) => {
          if (b < 0) throw new Error(`Cannot convert ${b} to byte.`);
          return b;
        }),
      ).toString('base64');
    expect(check(s.run(), 'bytes.signed')).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('base64Encode([-1]) → refused (Cannot convert -1 to byte.)'),
    });

    s = setup();
    s.probe.base64 = (bytes) => Buffer.from(bytes.map((b) => (b === 255 ? 0x7f : b & 0xff))).toString('base64');
    expect(check(s.run(), 'bytes.signed')).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('base64Encode([255]) → "fw=="'),
    });

    s = setup();
    s.world.deps.crypto = { ...s.world.deps.crypto, sha256: unsignedSha256 };
    expect(check(s.run(), 'bytes.signed')).toMatchObject({ status: 'warn', observed: expect.stringContaining('SHA-256("abc")[0] → 186') });

    s = setup();
    s.probe.base64 = (bytes) => Buffer.from(bytes.map((b) => b & 0xff)).toString('base64');
    const lenient = check(s.run(), 'bytes.signed');
    expect(lenient.status).toBe('pass');
    expect(lenient.note).toMatch(/accepts 255/);
  });

  test('YouTube: an error without details classified transient fails; classified from the text warns; a success fails; quota errors', () => {
    const noDetails = { ...NOT_FOUND, hasDetails: false, detailsCode: null, detailsReason: null };
    let s = setup();
    s.probe.youtube = () => ({ ...noDetails, classified: { code: 0, reason: '', kind: 'transient' } });
    const transient = check(s.run(), 'youtube.error_shape');
    expect(transient.status).toBe('fail');
    expect(transient.observed).toContain('no details; classified transient (0 no reason)');
    expect(transient.note).toMatch(/retried as transient/);

    s = setup();
    s.probe.youtube = () => noDetails;
    expect(check(s.run(), 'youtube.error_shape')).toMatchObject({ status: 'warn', note: expect.stringMatching(/from the message text/) });

    s = setup();
    s.probe.youtube = () => null;
    expect(check(s.run(), 'youtube.error_shape')).toMatchObject({ status: 'fail', observed: 'the call succeeded' });

    const quota: ProbedYouTubeError = {
      ...NOT_FOUND,
      message: 'The request cannot be completed because you have exceeded your quota.',
      detailsCode: 403,
      detailsReason: 'quotaExceeded',
      classified: { code: 403, reason: 'quotaExceeded', kind: 'quota' },
    };
    s = setup();
    s.probe.youtube = () => quota;
    expect(check(s.run(), 'youtube.error_shape')).toMatchObject({ status: 'pass', note: expect.stringMatching(/quota is used up/) });
    s = setup();
    s.probe.youtube = () => ({
      ...quota,
      hasDetails: false,
      detailsCode: null,
      detailsReason: null,
      classified: { code: 0, reason: '', kind: 'transient' },
    });
    expect(check(s.run(), 'youtube.error_shape')).toMatchObject({ status: 'fail', note: expect.stringMatching(/not classified as quota/) });
  });

  test('YouTube: a disabled service fails the check, the others still run, and the attempt is still metered', () => {
    const s = setup();
    s.probe.youtube = () => {
      throw new Error('the YouTube Data API advanced service is not enabled');
    };
    const report = s.run();
    expect(check(report, 'youtube.error_shape')).toMatchObject({
      status: 'fail',
      observed: 'threw: the YouTube Data API advanced service is not enabled',
    });
    expect(report.checks).toHaveLength(11);
    expect(readQuota(PropertySnapshot.load(s.world.properties), s.world.clock.now()).used).toBe(1);
  });

  test('time zones: an offset that differs from Intl fails and names the zone, including zones only jobs use', () => {
    const s = setup();
    s.world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 1);
    createSchedulerApp(s.world.deps).createJob(
      {
        name: 'Tokyo',
        channels: ['@mkbhd'],
        schedule_type: 'daily',
        schedule_value: '09:00',
        target_tab_name: 'T',
        timezone: 'Asia/Tokyo',
      },
      { kind: 'user', email: 'owner@example.com' },
    );
    const skewed: TimeZoneOracle = { formatDate: (d, zone, p) => (zone === 'Asia/Tokyo' ? '+1000' : intlOracle.formatDate(d, zone, p)) };
    s.world.deps.timeZones = skewed;
    const c = check(s.run(), 'timezones.intl');
    expect(c.status).toBe('fail');
    expect(c.observed).toMatch(/^3 difference\(s\): Asia\/Tokyo at .*: Intl \+0900, Utilities\.formatDate \+1000/);
  });

  test('script vs spreadsheet zone: different zones warn; an unreadable spreadsheet zone warns', () => {
    let s = setup();
    s.probe.sheetZone = () => 'Europe/Berlin';
    expect(check(s.run(), 'timezones.script_vs_spreadsheet')).toMatchObject({
      status: 'warn',
      observed: 'script America/New_York; spreadsheet Europe/Berlin',
    });
    s = setup();
    s.probe.sheetZone = () => {
      throw new Error('no spreadsheet bound');
    };
    expect(check(s.run(), 'timezones.script_vs_spreadsheet').status).toBe('warn');
  });

  test('tab names: case-sensitive names fail and both scratch tabs are removed; an unknown message warns', () => {
    let s = setup();
    s.probe.caseSensitiveNames = true;
    const c = check(s.run(), 'sheets.tab_case');
    expect(c.status).toBe('fail');
    expect(c.observed).toMatch(/→ created a second tab/);
    expect(s.probe.tabs).toEqual(['Sheet1']);

    s = setup();
    s.probe.duplicateMessage = () => 'Ein Blatt mit diesem Namen gibt es schon.';
    expect(check(s.run(), 'sheets.tab_case')).toMatchObject({ status: 'warn', note: expect.stringMatching(/does not recognise/) });
  });

  test('scratch tabs a killed run left are removed once older than 15 min; a younger one (a run still going) is kept', () => {
    const s = setup();
    const minute = (iso: string) => Math.floor(Date.parse(iso) / 60_000).toString(36);
    const old = `_y2s_diag_case_0badf00d_${minute('2026-01-05T11:40:00Z')}`;
    const oldTwin = old.toUpperCase();
    const young = `_y2s_diag_lock_0c0ffee0_${minute('2026-01-05T11:50:00Z')}`;
    s.probe.caseSensitiveNames = true; // so that the upper-case twin of the old tab could exist
    s.probe.tabs.push(old, oldTwin, young, '_y2s_diag_notes');
    s.probe.caseSensitiveNames = false;
    const c = check(s.run(), 'sheets.tab_case');
    expect(c.status).toBe('pass');
    expect(c.observed).toContain(`removed 2 scratch tab(s) an interrupted run left: ${old}, ${oldTwin}`);
    expect(s.probe.tabs).toEqual(['Sheet1', young, '_y2s_diag_notes']);
  });

  test('scratch tabs: a failed removal fails the check and names the tab; a failed creation leaves nothing', () => {
    let s = setup();
    s.probe.deleteFails = true;
    const report = s.run();
    for (const id of ['sheets.tab_case', 'lock.flush']) {
      expect(check(report, id)).toMatchObject({
        status: 'fail',
        note: expect.stringMatching(/Could not remove the scratch tab\(s\) _y2s_diag_.*: delete them by hand/),
      });
    }
    s = setup();
    s.probe.insertFails = true;
    const failed = s.run();
    expect(check(failed, 'sheets.tab_case')).toMatchObject({
      status: 'fail',
      observed: 'threw: Service Spreadsheets failed while accessing document',
    });
    expect(s.probe.tabs).toEqual(['Sheet1']);
  });

  test('lock and flush: each broken part fails; a busy lock warns; the lock is released even when the write throws', () => {
    const broken: [string, (p: FakeProbe) => void][] = [
      [
        'hasLock false while held',
        (p) => {
          p.hasLockLies = true;
        },
      ],
      [
        'flush throws',
        (p) => {
          p.flushThrows = true;
        },
      ],
      [
        'release keeps the lock',
        (p) => {
          p.releaseKeepsLock = true;
        },
      ],
      [
        'the write is not read back',
        (p) => {
          p.readAnswer = '';
        },
      ],
    ];
    for (const [why, breakIt] of broken) {
      const s = setup();
      breakIt(s.probe);
      expect([why, check(s.run(), 'lock.flush').status]).toEqual([why, 'fail']);
    }
    let s = setup();
    s.probe.lockBusy = true;
    expect(check(s.run(), 'lock.flush')).toMatchObject({ status: 'warn', observed: expect.stringMatching(/^tryLock\(10000\) → false/) });

    s = setup();
    s.probe.writeThrows = true;
    expect(check(s.run(), 'lock.flush')).toMatchObject({ status: 'fail', observed: 'threw: Range is protected' });
    expect(s.probe.lockHeld).toBe(false);
    expect(s.probe.tabs).toEqual(['Sheet1']);
  });

  test('triggers: another user’s heartbeat warns; a created trigger that is not listed fails and is deleted; the per-user limit fails', () => {
    let s = setup();
    // The record names a heartbeat this user cannot see (another editor created it).
    s.world.properties.data[KEYS.triggers] = JSON.stringify({ heartbeat: { id: 'someone-elses', minutes: 5 }, precise: null });
    expect(check(s.run(), 'triggers.visibility')).toMatchObject({
      status: 'warn',
      observed: expect.stringContaining('the recorded heartbeat is NOT among them'),
      note: expect.stringMatching(/another user/),
    });

    s = setup();
    withHeartbeat(s.world);
    const list = s.world.triggers.list.bind(s.world.triggers);
    s.world.triggers.list = () => list().filter((t) => t.kind !== 'clock-at');
    expect(check(s.run(), 'triggers.visibility')).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('listed after create: false'),
    });
    expect(s.world.triggers.items.map((t) => t.kind)).toEqual(['clock-every-minutes']);

    s = setup();
    s.world.triggers.delete = () => undefined;
    expect(check(s.run(), 'triggers.visibility')).toMatchObject({
      status: 'fail',
      note: expect.stringMatching(/Delete the trigger t\d+ .* by hand/),
    });

    s = setup();
    for (let i = 0; i < 20; i++) s.world.triggers.createAt('other', new Date('2027-01-01T00:00:00Z'));
    expect(check(s.run(), 'triggers.visibility')).toMatchObject({ status: 'fail', note: expect.stringMatching(/per-user limit/) });
    expect(s.world.triggers.items).toHaveLength(20);
  });

  test('triggers: jobs without a recorded heartbeat warn', () => {
    const s = setup();
    s.world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 1);
    createSchedulerApp(s.world.deps).createJob(
      { name: 'D', channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'T' },
      { kind: 'user', email: 'owner@example.com' },
    );
    delete s.world.properties.data[KEYS.triggers];
    expect(check(s.run(), 'triggers.visibility')).toMatchObject({ status: 'warn', note: expect.stringMatching(/Repair triggers/) });
  });

  test('properties, mail, scopes and time: thresholds and refusals', () => {
    let s = setup();
    s.world.properties.data.big = 'x'.repeat(420 * 1024);
    expect(check(s.run(), 'properties.usage').status).toBe('warn');
    s = setup();
    s.world.properties.data.big = 'x'.repeat(490 * 1024);
    expect(check(s.run(), 'properties.usage').status).toBe('fail');

    s = setup();
    s.world.mailer.quota = 0;
    expect(check(s.run(), 'mail.quota')).toMatchObject({ status: 'warn', observed: 'MailApp.getRemainingDailyQuota() → 0' });
    s = setup();
    s.world.mailer.quota = Number.NaN;
    expect(check(s.run(), 'mail.quota').status).toBe('fail');

    s = setup();
    s.probe.auth = { status: 'NOT_REQUIRED', granted: REQUIRED_SCOPES.filter((x) => !x.endsWith('youtube.readonly')) };
    expect(check(s.run(), 'auth.scopes')).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('missing: youtube.readonly'),
      note: expect.stringContaining('reading YouTube'),
    });
    s = setup();
    s.probe.auth = { status: 'REQUIRED', granted: [...REQUIRED_SCOPES] };
    expect(check(s.run(), 'auth.scopes').status).toBe('fail');
    s = setup();
    s.probe.auth = { status: 'NOT_REQUIRED', granted: null };
    expect(check(s.run(), 'auth.scopes').status).toBe('warn');

    s = setup();
    s.world.elapsed.ms = 61_000;
    expect(check(s.run(), 'execution.budget').status).toBe('warn');
    s = setup();
    s.world.elapsed.ms = 271_000;
    expect(statuses(s.run())['execution.budget']).toBe('fail');
  });
});
