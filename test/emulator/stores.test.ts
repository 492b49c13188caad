import { evaluate, scriptRuntime } from './helpers';

describe('PropertiesService', () => {
  it('stores strings per store, sets in batches and deletes', () => {
    const rt = scriptRuntime(`function f() {
      var s = PropertiesService.getScriptProperties();
      s.setProperty('a', 1).setProperties({ b: 'x', c: 'y' });
      PropertiesService.getUserProperties().setProperty('u', 'me');
      s.deleteProperty('c');
      return [s.getProperty('a'), s.getProperty('missing'), s.getKeys().sort(), s.getProperties()];
    }
    function replace() { PropertiesService.getScriptProperties().setProperties({ z: '1' }, true); }`);
    expect(rt.run('f').value).toEqual(['1', null, ['a', 'b'], { a: '1', b: 'x' }]);
    expect({ ...rt.properties.user }).toEqual({ u: 'me' });
    rt.run('replace');
    expect({ ...rt.properties.script }).toEqual({ z: '1' });
    rt.properties.script.fromTest = 'ok';
    expect(rt.properties.script.fromTest).toBe('ok');
  });

  it('refuses a property over 9 KB (key + value bytes) and keeps the store unchanged', () => {
    const rt = scriptRuntime(`function put(n) { PropertiesService.getScriptProperties().setProperty('key', new Array(n + 1).join('x')); }`);
    expect(rt.run('put', 9 * 1024 - 3).ok).toBe(true);
    const tooBig = rt.run('put', 9 * 1024 - 2);
    expect(tooBig.error).toEqual({ name: 'Exception', message: 'Argument too large: value' });
    expect(rt.properties.script.key).toHaveLength(9 * 1024 - 3);
  });

  it('refuses to grow a store past 500 KB', () => {
    const r = evaluate(`var p = PropertiesService.getScriptProperties(); var v = new Array(9001).join('y'); var n = 0;
      try { for (;;) { p.setProperty('k' + n, v); n++; } } catch (e) { return [n, e.message, p.getKeys().length]; }`);
    const [n, message, keys] = r.value as [number, string, number];
    expect(message).toBe('You have exceeded the property storage quota. Please remove some properties and try again.');
    expect(n).toBe(Math.floor((500 * 1024) / 9002));
    expect(keys).toBe(n);
  });

  it('has no transactions: the last write wins per key', () => {
    const rt = scriptRuntime(`function put(k, v) { PropertiesService.getScriptProperties().setProperty(k, v); }`);
    rt.run('put', 'a', '1');
    rt.run('put', 'b', '2');
    rt.run('put', 'a', '3');
    expect({ ...rt.properties.script }).toEqual({ a: '3', b: '2' });
  });
});

describe('CacheService', () => {
  it('puts, gets, removes, and honours expiry on the virtual clock', () => {
    const rt = scriptRuntime(
      `function put() { var c = CacheService.getScriptCache(); c.put('a', 'A', 60); c.putAll({ b: 'B', d: 'D' }); c.remove('d'); }
      function read() { var c = CacheService.getScriptCache(); return [c.get('a'), c.getAll(['a', 'b', 'd'])]; }`,
      { latency: { '*': 0 } },
    );
    rt.run('put');
    expect(rt.run('read').value).toEqual(['A', { a: 'A', b: 'B' }]);
    rt.advance(61_000);
    expect(rt.run('read').value).toEqual([null, { b: 'B' }]);
    rt.advance(600_000);
    expect(rt.run('read').value).toEqual([null, {}]);
  });

  it('enforces key length 250, value 100 KB and expiry at most 6 hours', () => {
    const r = evaluate(`var c = CacheService.getUserCache(); var out = [];
      function t(f) { try { f(); out.push('ok'); } catch (e) { out.push(e.message); } }
      t(function () { c.put(new Array(251).join('k'), 'v'); });
      t(function () { c.put(new Array(252).join('k'), 'v'); });
      t(function () { c.put('v', new Array(100 * 1024 + 1).join('v')); });
      t(function () { c.put('v', new Array(100 * 1024 + 2).join('v')); });
      t(function () { c.put('e', 'v', 21600); });
      t(function () { c.put('v', new Array(100 * 1024 - 1).join('v') + 'é'); });
      t(function () { c.put('v', new Array(100 * 1024).join('v') + 'é'); });
      return out;`);
    expect(r.value).toEqual(['ok', 'Argument too large: key', 'ok', 'Argument too large: value', 'ok', 'ok', 'Argument too large: value']);
  });

  it('keeps an entry at most 6 hours, even when asked for longer (the reference gives 21600 s as the maximum time)', () => {
    const rt = scriptRuntime(
      `function put(s) { CacheService.getScriptCache().put('k', 'v', s); }
      function get() { return CacheService.getScriptCache().get('k'); }`,
      { latency: { '*': 0 } },
    );
    expect(rt.run('put', 7 * 24 * 3600).ok).toBe(true);
    rt.advance(6 * 3600_000 - 1000);
    expect(rt.run('get').value).toBe('v');
    rt.advance(1000);
    expect(rt.run('get').value).toBeNull();
    expect(rt.run('put', 'soon').error).toEqual({ name: 'Exception', message: 'Invalid argument: expirationInSeconds' });
  });
});
