/**
 * The Diagnostics self-test through the built bundle (build/Code.js) in the local runtime: the menu
 * item opens its dialog, the RPC runs every check against the emulator's services and all pass there,
 * nothing is left behind, and the one YouTube call is charged and metered. Also the export fallback's
 * server half (exportJobsToTab) and the emulator's ScriptApp.getAuthorizationInfo.
 */
import { join } from 'node:path';
import { createRuntime, type Runtime } from '../../../emulator';
import type { DiagnosticsReport } from '../../../src-server/app/diagnostics';
import { ROOT } from '../../../scripts/build';

type Envelope<T> = { ok: true; data: T } | { ok: false; error: { status: number; code: string; message: string } };

function rpc<T>(rt: Runtime, fn: string, ...args: unknown[]): T {
  const r = rt.run<Envelope<T>>(fn, ...args);
  if (!r.ok) throw new Error(`${fn}: ${r.error?.name}: ${r.error?.message}`);
  if (!r.value!.ok) throw new Error(`${fn}: ${r.value!.error.code}: ${r.value!.error.message}`);
  return r.value!.data;
}

const runtime = (): Runtime => createRuntime({ buildDir: join(ROOT, 'build') });
const tabNames = (rt: Runtime): string[] => rt.spreadsheets.get(rt.spreadsheetId)!.sheets.map((s) => s.name);

test('menu "Diagnostics…" opens the dialog; every check passes in the emulator and leaves nothing behind', () => {
  const rt = runtime();
  expect(rt.run('onOpen').ok).toBe(true);
  expect(JSON.stringify(rt.world.ui.menu('YouTube2Sheets'))).toContain('"Diagnostics…"');
  expect(rt.run('openDiagnostics').ok).toBe(true);
  expect(rt.world.ui.last('modal')).toMatchObject({ title: 'Diagnostics' });

  rpc(rt, 'createJob', {
    name: 'Daily Sync',
    channels: ['@mkbhd'],
    schedule_type: 'daily',
    schedule_value: '09:00',
    target_tab_name: 'Videos',
    timezone: 'Asia/Kathmandu',
  });
  const tabsBefore = tabNames(rt);
  const triggersBefore = rt.triggers.map((t) => t.uid);
  const playlistCallsBefore = rt.youtube.summary(rt.clock.now()).calls['playlistItems.list'];

  const report = rpc<DiagnosticsReport>(rt, 'runDiagnostics');
  expect(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.observed} ${c.note}`)).toEqual([]);
  expect(report.checks).toHaveLength(11);
  expect(report.text).toMatch(/^YouTube2Sheets Diagnostics — PASS \(11 pass, 0 warn, 0 fail\)\nversion: 0\.1\.0 \(V8; YouTube v3\)\n/);
  // Zones in use (the job's) are checked with the sample zones.
  expect(report.checks.find((c) => c.id === 'timezones.intl')!.observed).toContain('Asia/Kathmandu');
  expect(report.checks.find((c) => c.id === 'triggers.visibility')!.observed).toContain('the recorded heartbeat is among them');

  expect(tabNames(rt)).toEqual(tabsBefore);
  expect(rt.triggers.map((t) => t.uid)).toEqual(triggersBefore);
  // The failing probe call reached the API (1 unit charged) and went on the project's meter.
  expect(rt.youtube.summary(rt.clock.now()).calls['playlistItems.list']).toBe(playlistCallsBefore + 1);
  const meteredBefore = JSON.parse(rt.properties.script['meta:quota']!) as { used: number };
  rpc<DiagnosticsReport>(rt, 'runDiagnostics');
  expect((JSON.parse(rt.properties.script['meta:quota']!) as { used: number }).used).toBe(meteredBefore.used + 1);
});

test('a run killed mid-check leaves its scratch tab; the next run 15 min later removes it and says so', () => {
  const rt = runtime();
  // The lock check's write takes 400 virtual seconds: the platform kills the execution at 6 minutes,
  // after the scratch tab was created and before its cleanup could run.
  (rt.world.latency as Record<string, number>)['SpreadsheetApp.Range.setValue'] = 400_000;
  const killed = rt.run('runDiagnostics');
  expect(killed.killed).toBe(true);
  const left = tabNames(rt).filter((n) => n.startsWith('_y2s_diag_'));
  expect(left).toHaveLength(1);
  expect(left[0]).toMatch(/^_y2s_diag_lock_[0-9a-f]{8}_[0-9a-z]+$/);

  delete (rt.world.latency as Record<string, number>)['SpreadsheetApp.Range.setValue'];
  // A run within 15 minutes keeps it (it could belong to a run still going)…
  rt.clock.set(new Date(rt.clock.now().getTime() + 5 * 60_000));
  rpc<DiagnosticsReport>(rt, 'runDiagnostics');
  expect(tabNames(rt).filter((n) => n.startsWith('_y2s_diag_'))).toEqual(left);
  // …a later one removes it.
  rt.clock.set(new Date(rt.clock.now().getTime() + 15 * 60_000));
  const report = rpc<DiagnosticsReport>(rt, 'runDiagnostics');
  expect(report.checks.find((c) => c.id === 'sheets.tab_case')!.observed).toContain(
    `removed 1 scratch tab(s) an interrupted run left: ${left[0]}`,
  );
  expect(tabNames(rt).filter((n) => n.startsWith('_y2s_diag_'))).toEqual([]);
  expect(report.status).toBe('pass');
});

test('exportJobsToTab writes the export into a new tab, one line per row as plain text, never as a formula', () => {
  const rt = runtime();
  rpc(rt, 'createJob', {
    name: '=HYPERLINK("x")',
    channels: ['@mkbhd'],
    schedule_type: 'daily',
    schedule_value: '09:00',
    target_tab_name: 'Videos',
  });
  const file = rpc<{ body: string }>(rt, 'exportJobs', 'csv', {});
  const first = rpc<{ tab: string; rows: number }>(rt, 'exportJobsToTab', 'csv', {});
  const second = rpc<{ tab: string; rows: number }>(rt, 'exportJobsToTab', 'csv', {});
  expect(first.tab).toMatch(/^Export csv \d{4}-\d{2}-\d{2} \d{2}\.\d{2}\.\d{2}$/);
  // A second export in the same second gets its own tab.
  expect(second.tab).not.toBe(first.tab);
  const lines = file.body.replace(/\r\n$/, '').split('\r\n');
  expect(first.rows).toBe(lines.length);
  expect(rt.spreadsheets.values(rt.spreadsheetId, first.tab).map((r) => r[0])).toEqual(lines);
  expect(rt.spreadsheets.formulas(rt.spreadsheetId, first.tab).flat().filter(Boolean)).toEqual([]);
});

test('emulator: getAuthorizationInfo grants the manifest scopes, only those asked for when a list is given', () => {
  const rt = createRuntime({
    buildDir: join(ROOT, 'build'),
    code: `function main() {
      var all = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
      var some = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL, ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive']);
      return [String(all.getAuthorizationStatus()), all.getAuthorizationUrl(), all.getAuthorizedScopes().length, some.getAuthorizedScopes()];
    }`,
  });
  expect(rt.run('main').value).toEqual(['NOT_REQUIRED', null, 6, ['https://www.googleapis.com/auth/spreadsheets']]);
  expect(createRuntime({ code: 'function main() { return ScriptApp.getAuthorizationInfo(); }' }).run('main').error?.message).toBe(
    'Invalid argument: authMode',
  );
});
