/**
 * The emulator per user (executions run as a user; triggers, user stores and Session follow it),
 * simple triggers in LIMITED mode, and trigger timing (late, seeded; overlapping executions).
 */
import { createRuntime } from '../../emulator';
import { LATE_TIMING_DEFAULTS } from '../../emulator/services/script-app';
import { scriptRuntime } from './helpers';

const OWNER = 'owner@example.com';
const EDITOR = 'editor@example.com';

const SCRIPT = `
function who() { return { active: Session.getActiveUser().getEmail(), effective: Session.getEffectiveUser().getEmail() }; }
function install() { return ScriptApp.newTrigger('beat').timeBased().everyMinutes(5).create().getUniqueId(); }
function mine() { return ScriptApp.getProjectTriggers().map(function (t) { return t.getUniqueId(); }); }
function removeAll() { ScriptApp.getProjectTriggers().forEach(function (t) { ScriptApp.deleteTrigger(t); }); }
function beat(e) { PropertiesService.getScriptProperties().setProperty('beat:' + e.triggerUid, Session.getEffectiveUser().getEmail()); }
function setMine(v) { PropertiesService.getUserProperties().setProperty('k', v); CacheService.getUserCache().put('k', v); }
function getMine() { return [PropertiesService.getUserProperties().getProperty('k'), CacheService.getUserCache().get('k')]; }
function many(n) { for (var i = 0; i < n; i++) ScriptApp.newTrigger('beat').timeBased().after(60000 * (i + 1)).create(); }
function doGet() { return ContentService.createTextOutput(JSON.stringify(who())); }
function onOpen(e) {
  SpreadsheetApp.getUi().createMenu('M').addItem('x', 'who').addToUi();
  PropertiesService.getDocumentProperties().setProperty('opened', e ? String(e.authMode) : 'editor');
  var refused = [];
  [function () { ScriptApp.getProjectTriggers(); }, function () { MailApp.sendEmail('a@example.com', 's', 'b'); },
   function () { SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutput('<p>x</p>')); },
   function () { UrlFetchApp.fetch('https://example.com'); }].forEach(function (f) { try { f(); } catch (err) { refused.push(err.message); } });
  return { refused: refused, user: Session.getActiveUser().getEmail(), effective: Session.getEffectiveUser().getEmail() };
}
function spin() { var t = Date.now(); while (Date.now() - t < 40000) { PropertiesService.getScriptProperties().getProperty('x'); Utilities.sleep(1000); } }
`;

describe('executions run as a user', () => {
  test('Session, triggers (list, delete, the 20 limit), user properties and cache are per user; the web app runs as the deployer', () => {
    const rt = scriptRuntime(SCRIPT, { editors: [EDITOR] });
    expect(rt.users).toEqual([OWNER, EDITOR]);
    expect(rt.run('who').value).toEqual({ active: OWNER, effective: OWNER });
    expect(rt.asUser(EDITOR, () => rt.run('who').value)).toEqual({ active: EDITOR, effective: EDITOR });
    expect(() => rt.asUser('stranger@example.com', () => rt.run('who'))).toThrow(
      'user: "stranger@example.com" is not a user of this spreadsheet',
    );

    const ownerTrigger = rt.run<string>('install').value!;
    const editorTrigger = rt.asUser(EDITOR, () => rt.run<string>('install').value!);
    expect(rt.run('mine').value).toEqual([ownerTrigger]);
    expect(rt.asUser(EDITOR, () => rt.run('mine').value)).toEqual([editorTrigger]);
    rt.asUser(EDITOR, () => rt.run('removeAll'));
    expect(rt.triggers.map((t) => [t.uid, t.owner])).toEqual([[ownerTrigger, OWNER]]);

    // "Triggers 20 / user / script": the editor still has room when the owner is at 20.
    expect(rt.run('many', 19).ok).toBe(true);
    expect(rt.run('many', 1).error?.message).toMatch(/too many triggers/);
    expect(rt.asUser(EDITOR, () => rt.run('many', 20)).ok).toBe(true);

    rt.run('setMine', 'owner-value');
    expect(rt.asUser(EDITOR, () => rt.run('getMine').value)).toEqual([null, null]);
    rt.asUser(EDITOR, () => rt.run('setMine', 'editor-value'));
    expect(rt.run('getMine').value).toEqual(['owner-value', 'owner-value']);
    expect(rt.properties.user.k).toBe('owner-value');

    // Deployed "execute as me": the effective user is the deployer; the anonymous visitor has no email.
    const web = rt.asUser(EDITOR, () => rt.webRequest({ method: 'GET' }));
    expect(web.result.user).toBe(OWNER);
    expect(web.response!.body).toBe(JSON.stringify({ active: '', effective: OWNER }));
  });

  test('a trigger runs as the user who created it', () => {
    const rt = scriptRuntime(SCRIPT, { editors: [EDITOR] });
    const uid = rt.asUser(EDITOR, () => rt.run<string>('install').value!);
    const fired = rt.advance(5 * 60_000);
    expect(fired.map((r) => r.user)).toEqual([EDITOR]);
    expect(rt.properties.script[`beat:${uid}`]).toBe(EDITOR);
  });

  test('the user lock is per user', () => {
    const rt = scriptRuntime(`function hold() { LockService.getUserLock().waitLock(1000); return LockService.getUserLock().hasLock(); }`, {
      editors: [EDITOR],
    });
    expect(rt.run('hold').value).toBe(true);
    expect(rt.asUser(EDITOR, () => rt.run('hold').value)).toBe(true);
  });
});

describe('simple triggers run in LIMITED mode', () => {
  test('services that need authorization throw as Apps Script does; the bound file, menus and properties work; no email', () => {
    const rt = scriptRuntime(SCRIPT, { editors: [EDITOR] });
    const opened = rt.openSpreadsheet(EDITOR);
    expect(opened.ok).toBe(true);
    expect(opened.kind).toBe('simpleTrigger');
    expect(opened.value).toEqual({
      refused: [
        'You do not have permission to call ScriptApp.getProjectTriggers. Required permissions: https://www.googleapis.com/auth/script.scriptapp',
        'You do not have permission to call MailApp.sendEmail. Required permissions: https://www.googleapis.com/auth/script.send_mail',
        'You do not have permission to call Ui.showSidebar. Required permissions: https://www.googleapis.com/auth/script.container.ui',
        'You do not have permission to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
      ],
      user: '',
      effective: '',
    });
    expect(rt.properties.document.opened).toBe('LIMITED');
    expect(rt.ui.menu('M')).toBeDefined();
    // The editor's Run button runs the same function with full rights.
    const full = rt.run<{ refused: string[]; user: string }>('onOpen').value!;
    expect(full.user).toBe(OWNER);
    expect(full.refused.filter((m) => m.startsWith('You do not have permission'))).toEqual([]);
  });

  test('a simple trigger is killed after 30 seconds', () => {
    const rt = scriptRuntime(`function onOpen() { var t = Date.now(); while (Date.now() - t < 40000) Utilities.sleep(1000); }`);
    const opened = rt.openSpreadsheet();
    expect(opened.killed).toBe(true);
    expect(opened.error?.message).toBe('Exceeded maximum execution time');
    expect(opened.elapsedMs).toBeLessThanOrEqual(31_000);
    expect(rt.run('onOpen').ok).toBe(true); // 6 minutes from the editor
  });
});

describe('trigger timing', () => {
  const code = `
    function arm(ms) { ScriptApp.newTrigger('beat').timeBased().at(new Date(Date.now() + ms)).create(); }
    function every() { ScriptApp.newTrigger('beat').timeBased().everyMinutes(5).create(); }
    function beat() {}
    function slow() { for (var i = 0; i < 20; i++) Utilities.sleep(10000); }`;

  test('exact by default; late, never early, within the documented bounds, and the same for the same seed', () => {
    const exact = scriptRuntime(code);
    exact.run('arm', 60_000);
    const armed = Date.parse(exact.triggers[0]!.nextAt!);
    expect(exact.advance(5 * 60_000).map((r) => r.startedAt.getTime() - armed)).toEqual([0]);

    const fires = (seed: number) => {
      const rt = scriptRuntime(code, { triggerTiming: { seed } });
      for (let i = 1; i <= 19; i++) rt.run('arm', i * 600_000); // 19 + the heartbeat: the 20 per user
      rt.run('every');
      const base = rt.clock.nowMs();
      const results = rt.advance(8 * 3_600_000);
      return { rt, base, results };
    };
    const { rt, base, results } = fires(42);
    const oneOffs = rt.triggers.filter((t) => t.schedule === 'at');
    expect(oneOffs.every((t) => t.nextAt === null)).toBe(true); // all fired
    const lateness = results.map((r) => r.startedAt.getTime());
    expect(lateness.length).toBeGreaterThanOrEqual(19 + 95);
    // Periodic: each occurrence 0 .. min(periodicMaxLate, period/4) after its point on the 5-minute grid.
    const every = rt.triggers.find((t) => t.schedule === 'everyMinutes')!;
    const grid = Date.parse(every.createdAt);
    const beats = results
      .filter((r) => r.fn === 'beat')
      .map((r) => r.startedAt.getTime())
      .filter((t) => (t - grid) % 300_000 < 75_000);
    expect(beats.length).toBeGreaterThanOrEqual(95); // every heartbeat lands within its window
    expect(new Set(beats.map((t) => (t - grid) % 300_000)).size).toBeGreaterThan(10); // drifting, not on the grid
    for (const r of results) expect(r.startedAt.getTime()).toBeGreaterThanOrEqual(base);
    const atLate = rt.triggers.filter((t) => t.schedule === 'at').map((t) => Date.parse(t.lastFiredAt!) - Date.parse(t.createdAt));
    for (let i = 0; i < atLate.length; i++) {
      const delay = atLate[i]! - (i + 1) * 600_000;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(LATE_TIMING_DEFAULTS.oneOffMaxLateMs);
    }
    expect(new Set(atLate.map((d, i) => d - (i + 1) * 600_000)).size).toBeGreaterThan(10); // really random
    expect(Date.parse(every.fireAt!) - Date.parse(every.nextAt!)).toBeLessThan(75_000);
    expect(fires(42).results.map((r) => r.startedAt.getTime())).toEqual(lateness);
    expect(fires(43).results.map((r) => r.startedAt.getTime())).not.toEqual(lateness);
  });

  test('advanceToAsync lets trigger executions overlap; advanceTo runs them one after another', async () => {
    const both = `${code}\nfunction armBoth() { ScriptApp.newTrigger('slow').timeBased().at(new Date(Date.now() + 60000)).create(); ScriptApp.newTrigger('beat').timeBased().at(new Date(Date.now() + 120000)).create(); }`;
    const inOrder = scriptRuntime(both);
    inOrder.run('armBoth');
    const sequential = inOrder.advance(10 * 60_000);
    expect(sequential[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(sequential[0]!.finishedAt.getTime());

    const rt = createRuntime({ code: both });
    try {
      rt.run('armBoth');
      const results = await rt.advanceToAsync(new Date(rt.clock.nowMs() + 10 * 60_000));
      const slow = results.find((r) => r.fn === 'slow')!;
      const beat = results.find((r) => r.fn === 'beat')!;
      expect(beat.startedAt.getTime()).toBeLessThan(slow.finishedAt.getTime()); // started while `slow` ran
      expect(results.every((r) => r.ok && r.kind === 'trigger' && r.user === OWNER)).toBe(true);
    } finally {
      await rt.close();
    }
  });
});

describe('dev server controls: the acting user', () => {
  test('`user` on /run and /script-run, /open runs onOpen as a simple trigger, /users lists them; unknown users are refused by name', async () => {
    const { startServer } = await import('../../emulator/server/http');
    for (const overlap of [false, true]) {
      const runtime = scriptRuntime(SCRIPT, { editors: [EDITOR] });
      const server = await startServer({ runtime, port: 0, overlap });
      const post = async (path: string, body: unknown) => {
        const res = await fetch(server.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      try {
        expect(await (await fetch(`${server.url}/__emulator/users`)).json()).toEqual({ users: [OWNER, EDITOR] });
        expect((await post('/__emulator/run', { fn: 'who', user: EDITOR })).body.value).toEqual({ active: EDITOR, effective: EDITOR });
        expect((await post('/__emulator/script-run', { fn: 'who', args: [], user: EDITOR })).body).toEqual({
          ok: true,
          value: { active: EDITOR, effective: EDITOR },
        });
        expect((await post('/__emulator/script-run', { fn: 'who', args: [] })).body.value).toEqual({ active: OWNER, effective: OWNER });
        const refused = await post('/__emulator/run', { fn: 'who', user: 'stranger@example.com' });
        expect(refused.status).toBe(400);
        expect(JSON.stringify(refused.body)).toContain('user: stranger@example.com is not a user of this spreadsheet');
        const opened = await post('/__emulator/open', { user: EDITOR });
        expect((opened.body.value as { refused: string[] }).refused[0]).toMatch(
          /^You do not have permission to call ScriptApp.getProjectTriggers/,
        );
      } finally {
        await server.close();
        await runtime.close();
      }
    }
  });
});
