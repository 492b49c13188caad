import { execFileSync } from 'node:child_process';
import { createRuntime } from '../../emulator';
import { evaluate, scriptRuntime } from './helpers';

describe('sandbox', () => {
  it('offers no Node or browser host globals', () => {
    const r =
      evaluate(`return ['require','process','Buffer','setTimeout','setInterval','setImmediate','clearTimeout','fetch','queueMicrotask','structuredClone','module','exports','global','__dirname','WebAssembly','XMLHttpRequest','TextEncoder']
      .filter(function (n) { return typeof globalThis[n] !== 'undefined'; });`);
    expect(r.ok).toBe(true);
    expect(r.value).toEqual([]);
  });

  it('offers the language built-ins, Intl included, and the service globals', () => {
    const r = evaluate(`return [typeof Intl.DateTimeFormat, typeof JSON.parse, typeof Promise, typeof Map,
      typeof SpreadsheetApp, typeof PropertiesService, typeof CacheService, typeof LockService, typeof ScriptApp,
      typeof HtmlService, typeof ContentService, typeof Session, typeof Utilities, typeof MailApp, typeof Logger,
      typeof UrlFetchApp, typeof YouTube.Channels.list, typeof console.log,
      new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric', hourCycle: 'h23' }).format(new Date(Date.UTC(2026, 0, 5, 0)))];`);
    expect(r.value).toEqual([
      'function',
      'function',
      'function',
      'function',
      'object',
      'object',
      'object',
      'object',
      'object',
      'object',
      'object',
      'object',
      'object',
      'object',
      'object',
      'object',
      'function',
      'function',
      '09',
    ]);
  });

  it('gives every execution a fresh global scope', () => {
    const rt = scriptRuntime(
      `var counter = 0; function bump() { counter++; globalThis.leak = (globalThis.leak || 0) + 1; return [counter, globalThis.leak]; }`,
    );
    expect(rt.run('bump').value).toEqual([1, 1]);
    expect(rt.run('bump').value).toEqual([1, 1]);
  });

  it('runs Date, Date.now() and Date() on the virtual clock', () => {
    const rt = scriptRuntime(
      `function now() { return [new Date().toISOString(), Date.now(), typeof Date(), new Date(0) instanceof Date, new Date(2020, 0, 1).getFullYear(), Date.UTC(2020, 0, 1)]; }`,
      { start: '2030-02-03T04:05:06Z', latency: { '*': 0 } },
    );
    const first = rt.run('now').value as unknown[];
    expect(first).toEqual(['2030-02-03T04:05:06.000Z', Date.parse('2030-02-03T04:05:06Z'), 'string', true, 2020, Date.UTC(2020, 0, 1)]);
    rt.advance(90_000);
    expect((rt.run('now').value as unknown[])[0]).toBe('2030-02-03T04:06:36.000Z');
  });

  // The expressions are evaluated in the sandbox (script zone) and in a Node process started with
  // TZ=<zone>, which is how V8 behaves when its local zone is the script's (as in Apps Script).
  const LOCAL_TIME_PROBE = `(function () {
    var out = [];
    [Date.UTC(2026, 0, 5, 12), Date.UTC(2026, 6, 4, 18, 5, 9, 7), Date.UTC(2026, 2, 8, 6, 59), Date.UTC(2026, 2, 8, 7, 1), Date.UTC(2026, 9, 4, 15, 30)].forEach(function (t) {
      var d = new Date(t);
      out.push([d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getTimezoneOffset(), d.toString(), d.toDateString(), d.toTimeString(), d.toLocaleString('en-US')]);
    });
    [[2026, 2, 8, 2, 30], [2026, 10, 1, 1, 30], [2026, 3, 5, 2, 15], [2026, 9, 4, 2, 0], [1999, 11, 31, 23, 59]].forEach(function (c) {
      out.push(new Date(c[0], c[1], c[2], c[3], c[4]).toISOString());
    });
    ['2026-07-04T09:30', '2026-07-04', 'Jul 4 2026 09:30', '2026-07-04T09:30:00Z', 'Sat, 04 Jul 2026 09:30:00 GMT'].forEach(function (s) { out.push(Date.parse(s)); });
    var e = new Date(Date.UTC(2026, 0, 5, 12)); e.setHours(23); out.push(e.getTime()); e.setDate(40); out.push(e.getTime()); e.setMonth(2, 8); e.setHours(2, 30); out.push(e.getTime());
    e.setMinutes(-15); out.push(e.getTime()); e.setFullYear(2027); out.push(e.getTime());
    out.push(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    return out;
  })()`;

  it.each(['America/New_York', 'Australia/Lord_Howe', 'Europe/Berlin'])(
    'reads and writes local time in the script time zone (%s), not the process zone',
    (zone) => {
      const rt = scriptRuntime(`function probe() { return ${LOCAL_TIME_PROBE}; }`, { scriptTimeZone: zone });
      const inSandbox = rt.run('probe');
      expect(inSandbox.ok).toBe(true);
      const inNode = JSON.parse(
        execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(${LOCAL_TIME_PROBE}))`], {
          env: { ...process.env, TZ: zone },
        }).toString(),
      ) as unknown[];
      expect(inNode[inNode.length - 1]).toBe(zone); // the reference process really runs in that zone
      expect(inSandbox.value).toEqual(inNode);
    },
  );

  it('makes Date() and Intl formatting without a date read the virtual clock, in the script zone', () => {
    const rt = scriptRuntime(
      `function f() { var f = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
      return [Date(), f.format(), f.formatToParts().map(function (p) { return p.value; }).join(''), new Date().getHours(), Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', hourCycle: 'h23' }).format(),
        new Intl.DateTimeFormat() instanceof Intl.DateTimeFormat, typeof Intl.DateTimeFormat.supportedLocalesOf]; }`,
      { start: '2030-02-03T04:05:06Z', scriptTimeZone: 'Asia/Tokyo' },
    );
    expect(rt.run('f').value).toEqual([
      'Sun Feb 03 2030 13:05:06 GMT+0900 (Japan Standard Time)',
      '13:05',
      '13:05',
      13,
      '04',
      true,
      'function',
    ]);
  });

  it('advances the virtual clock with Utilities.sleep and with service latency', () => {
    const rt = scriptRuntime(
      `function f() { var a = Date.now(); Utilities.sleep(5000); var b = Date.now(); PropertiesService.getScriptProperties().getProperty('x'); return [b - a, Date.now() - b]; }`,
    );
    const r = rt.run('f');
    expect(r.value).toEqual([5000, 5 + 30]);
    expect(r.elapsedMs).toBe(5000 + 35);
    expect(r.finishedAt.getTime() - r.startedAt.getTime()).toBe(5035);
  });

  it('makes no service call while loading the built Code.js', () => {
    const rt = createRuntime();
    expect(rt.functions()).toEqual(expect.arrayContaining(['onOpen', 'doGet', 'doPost', 'tick']));
    expect(rt.calls.toJSON()).toEqual({});
  });

  it('detects a script that calls a service at load time', () => {
    const rt = scriptRuntime(`var p = PropertiesService.getScriptProperties(); function f() {}`);
    expect(() => rt.functions()).toThrow(/loading the script made service calls: PropertiesService.getScriptProperties/);
  });

  it('stops a runaway loop with the real-time safety net', () => {
    const r = evaluate('while (true) {}', { timeoutMs: 100 });
    expect(r.ok).toBe(false);
    expect(r.killed).toBe(true);
    expect(r.error?.message).toBe('Exceeded maximum execution time');
  });

  it('reports an uncaught error and a missing function like Apps Script', () => {
    const rt = scriptRuntime(`function boom() { throw new TypeError('bad thing'); }`);
    expect(rt.run('boom').error).toEqual({ name: 'TypeError', message: 'bad thing' });
    expect(rt.run('nope').error).toEqual({ name: 'ReferenceError', message: 'Script function not found: nope' });
  });

  it('returns service errors as catchable exceptions named Exception', () => {
    const r = evaluate(
      `try { CacheService.getScriptCache().put(new Array(252).join('k'), 'v'); } catch (e) { return [e.name, e.message, e instanceof Error, String(e)]; }`,
    );
    expect(r.value).toEqual(['Exception', 'Argument too large: key', true, 'Exception: Argument too large: key']);
  });

  it('captures Logger.log and console output', () => {
    const r = evaluate(`Logger.log('n=%s', 3); console.log('a', { b: 1 }); console.warn('w'); console.error(new Error('e').message);`);
    expect(r.logs).toEqual(['n=3', 'a {"b":1}', 'w', 'e']);
    expect(r.calls).toEqual({ 'Logger.log': 1 });
  });

  it('counts every service call per Service.Class.method, per execution and in total', () => {
    const rt = scriptRuntime(
      `function f() { var s = SpreadsheetApp.getActive().getSheets()[0]; s.getRange('A1').setValue(1); s.getRange('A1').getValue(); s.getRange('A1').getValue(); }`,
    );
    const r = rt.run('f');
    expect(r.calls).toEqual({
      'SpreadsheetApp.getActive': 1,
      'SpreadsheetApp.Spreadsheet.getSheets': 1,
      'SpreadsheetApp.Sheet.getRange': 3,
      'SpreadsheetApp.Range.setValue': 1,
      'SpreadsheetApp.Range.getValue': 2,
    });
    rt.run('f');
    expect(rt.calls.get('SpreadsheetApp.Range.getValue')).toBe(4);
    expect(rt.calls.sum('SpreadsheetApp.')).toBe(16);
    rt.calls.reset();
    expect(rt.calls.toJSON()).toEqual({});
  });
});
