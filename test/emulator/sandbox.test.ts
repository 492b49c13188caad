import { createRuntime } from '../../emulator';
import { evaluate, scriptRuntime } from './helpers';

describe('sandbox', () => {
  it('offers no Node or browser host globals', () => {
    const r = evaluate(`return ['require','process','Buffer','setTimeout','setInterval','setImmediate','clearTimeout','fetch','queueMicrotask','structuredClone','module','exports','global','__dirname','WebAssembly','XMLHttpRequest','TextEncoder']
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
    expect(r.value).toEqual(['function', 'function', 'function', 'function', 'object', 'object', 'object', 'object', 'object', 'object', 'object', 'object', 'object', 'object', 'object', 'object', 'function', 'function', '09']);
  });

  it('gives every execution a fresh global scope', () => {
    const rt = scriptRuntime(`var counter = 0; function bump() { counter++; globalThis.leak = (globalThis.leak || 0) + 1; return [counter, globalThis.leak]; }`);
    expect(rt.run('bump').value).toEqual([1, 1]);
    expect(rt.run('bump').value).toEqual([1, 1]);
  });

  it('runs Date, Date.now() and Date() on the virtual clock', () => {
    const rt = scriptRuntime(`function now() { return [new Date().toISOString(), Date.now(), typeof Date(), new Date(0) instanceof Date, new Date(2020, 0, 1).getFullYear(), Date.UTC(2020, 0, 1)]; }`, { start: '2030-02-03T04:05:06Z', latency: { '*': 0 } });
    const first = rt.run('now').value as unknown[];
    expect(first).toEqual(['2030-02-03T04:05:06.000Z', Date.parse('2030-02-03T04:05:06Z'), 'string', true, 2020, Date.UTC(2020, 0, 1)]);
    rt.advance(90_000);
    expect((rt.run('now').value as unknown[])[0]).toBe('2030-02-03T04:06:36.000Z');
  });

  it('advances the virtual clock with Utilities.sleep and with service latency', () => {
    const rt = scriptRuntime(`function f() { var a = Date.now(); Utilities.sleep(5000); var b = Date.now(); PropertiesService.getScriptProperties().getProperty('x'); return [b - a, Date.now() - b]; }`);
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
    const r = evaluate(`try { CacheService.getScriptCache().put(new Array(252).join('k'), 'v'); } catch (e) { return [e.name, e.message, e instanceof Error, String(e)]; }`);
    expect(r.value).toEqual(['Exception', 'Argument too large: key', true, 'Exception: Argument too large: key']);
  });

  it('captures Logger.log and console output', () => {
    const r = evaluate(`Logger.log('n=%s', 3); console.log('a', { b: 1 }); console.warn('w'); console.error(new Error('e').message);`);
    expect(r.logs).toEqual(['n=3', 'a {"b":1}', 'w', 'e']);
    expect(r.calls).toEqual({ 'Logger.log': 1 });
  });

  it('counts every service call per Service.Class.method, per execution and in total', () => {
    const rt = scriptRuntime(`function f() { var s = SpreadsheetApp.getActive().getSheets()[0]; s.getRange('A1').setValue(1); s.getRange('A1').getValue(); s.getRange('A1').getValue(); }`);
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
