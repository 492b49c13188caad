import { createRuntime } from '../../emulator';

/** The real build/Code.js (built by jest's globalSetup) in the runtime. */
describe('build/Code.js in the runtime', () => {
  it('runs onOpen and creates the YouTube2Sheets menu', () => {
    const rt = createRuntime();
    const r = rt.run('onOpen', { authMode: 'LIMITED' });
    expect(r.ok).toBe(true);
    expect(rt.ui.menu('YouTube2Sheets')).toBeDefined();
    expect(r.calls['SpreadsheetApp.Menu.addToUi']).toBe(1);
  });

  it('the menu\'s "Repair triggers" installs the missing heartbeat, removes a duplicate and says what it did', () => {
    const rt = createRuntime({ start: '2026-01-05T12:00:00Z' });
    expect(rt.run('onOpen', { authMode: 'LIMITED' }).ok).toBe(true);
    const entries = rt.ui.menu('YouTube2Sheets')!.items;
    const item = entries.find(
      (e): e is { caption: string; functionName: string } => 'functionName' in e && e.caption === 'Repair triggers',
    );
    expect(item).toBeDefined();
    expect(rt.functions()).toContain(item!.functionName);
    const tickTriggers = (r: typeof rt) => r.triggers.filter((t) => t.handler === 'tick');
    expect(tickTriggers(rt)).toEqual([]); // onOpen cannot install triggers (LIMITED mode)

    const alertAfter = (r: typeof rt) => {
      const result = r.run(item!.functionName);
      expect(result.ok).toBe(true);
      const alert = r.ui.last('alert');
      return alert && alert.kind === 'alert' ? alert.message : '';
    };
    expect(alertAfter(rt)).toBe('Triggers repaired: installed the heartbeat trigger (every 5 min).');
    expect(tickTriggers(rt).map((t) => t.schedule)).toEqual([expect.stringMatching(/minute/i)]);
    expect(alertAfter(rt)).toBe('The triggers are in order: nothing to repair.');

    // A second heartbeat (e.g. a copy of the script's triggers): the repair removes it.
    const snapshot = JSON.parse(JSON.stringify(rt.snapshot())) as ReturnType<typeof rt.snapshot>;
    const heartbeat = snapshot.triggers.find((t) => t.handler === 'tick')!;
    snapshot.triggers.push({ ...heartbeat, uid: `${heartbeat.uid}-copy` });
    const copy = createRuntime({ state: snapshot });
    expect(tickTriggers(copy)).toHaveLength(2);
    // Apps Script does not tell an everyMinutes trigger from an at() one: an unrecorded extra is "stale".
    expect(alertAfter(copy)).toBe('Triggers repaired: removed a stale tick trigger.');
    expect(tickTriggers(copy).map((t) => t.uid)).toEqual([heartbeat.uid]);
  });

  it('an idle monitor poll (google.script.run.monitorView) is one cache read', () => {
    const rt = createRuntime({ start: '2026-01-05T12:00:00Z' });
    const first = rt.scriptRun('monitorView');
    expect(first.ok).toBe(true); // no record yet: built from the store, then cached
    for (let i = 0; i < 3; i++) {
      rt.clock.set(new Date(rt.clock.now().getTime() + 30_000));
      const poll = rt.scriptRun('monitorView');
      expect(poll.ok).toBe(true);
      const services = Object.entries(poll.calls).filter(([name]) => name !== 'CacheService.getScriptCache');
      expect(services).toEqual([['CacheService.Cache.get', 1]]);
      expect(poll.value).toMatchObject({ ok: true, data: { running: [] } });
    }
  });

  it('opens the sidebar from build/sidebar.html', () => {
    const rt = createRuntime();
    expect(rt.run('openSidebar').ok).toBe(true);
    const sidebar = rt.ui.last('sidebar');
    expect(sidebar).toMatchObject({ kind: 'sidebar', title: 'YouTube2Sheets' });
    expect(sidebar && 'html' in sidebar ? sidebar.html : '').toMatch(/^<!DOCTYPE html>/);
  });

  it('answers the health route through doGet without credentials: ok, a status and when it was checked', () => {
    const rt = createRuntime({ start: '2026-01-05T12:00:00Z' });
    const { result, response } = rt.webRequest({ method: 'GET', pathInfo: 'api/v1/jobs/health' });
    expect(result.ok).toBe(true);
    expect(result.kind).toBe('web');
    expect(result.fn).toBe('doGet');
    expect(response?.mimeType).toBe('application/json');
    const body = response?.json as { ok: boolean; data: { status: string; checked_at: string } };
    expect(body.ok).toBe(true);
    // Anonymous callers see only the status and the check time (the full report needs a key).
    expect(Object.keys(body.data).sort()).toEqual(['checked_at', 'status']);
    expect(['ok', 'warning', 'error']).toContain(body.data.status);
    expect(Date.parse(body.data.checked_at)).toBeGreaterThanOrEqual(Date.parse('2026-01-05T12:00:00Z'));
    // Another route of the same door needs credentials: the envelope carries the 401.
    const jobs = rt.webRequest({ method: 'GET', pathInfo: 'api/v1/jobs' });
    expect(jobs.response?.json).toMatchObject({ ok: false, error: { status: 401, code: 'unauthorized' } });
  });

  it('declares the entry points as top-level functions and calls no service while loading', () => {
    const rt = createRuntime();
    expect(rt.functions()).toEqual(expect.arrayContaining(['onOpen', 'onInstall', 'tick', 'doGet', 'doPost']));
    expect(rt.calls.sum()).toBe(0);
  });
});

describe('snapshot and restore', () => {
  it('round-trips the whole state through JSON', () => {
    const code = `function setup() {
      PropertiesService.getScriptProperties().setProperty('a', '1');
      CacheService.getScriptCache().put('c', 'v', 600);
      var s = SpreadsheetApp.getActive().insertSheet('Data');
      s.getRange(1, 1, 1, 3).setValues([[new Date(Date.UTC(2026, 0, 1)), '=A1', 5]]);
      s.hideSheet();
      ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create();
      MailApp.sendEmail('x@example.com', 's', 'b');
    }
    function read() {
      var s = SpreadsheetApp.getActive().getSheetByName('Data');
      var v = s.getRange(1, 1, 1, 3).getValues()[0];
      return [PropertiesService.getScriptProperties().getProperty('a'), CacheService.getScriptCache().get('c'), v[0] instanceof Date && v[0].toISOString(), v[1], v[2], s.getRange('B1').getFormula(), s.isSheetHidden(), ScriptApp.getProjectTriggers().length, MailApp.getRemainingDailyQuota()];
    }
    function tick() {}`;
    const a = createRuntime({ code });
    a.run('setup');
    const snap = JSON.parse(JSON.stringify(a.snapshot())) as ReturnType<typeof a.snapshot>;
    const b = createRuntime({ code, state: snap });
    expect(b.clock.now()).toEqual(a.clock.now());
    expect(b.run('read').value).toEqual(['1', 'v', '2026-01-01T00:00:00.000Z', '#ERROR!', 5, '=A1', true, 1, 99]);
    expect(b.triggers).toEqual(a.triggers);
    expect(b.mail).toEqual(a.mail);
    expect(b.advance(5 * 60_000).map((r) => r.fn)).toEqual(['tick']);
  });
});
