import { scriptRuntime } from './helpers';

describe('execution limits', () => {
  it('kills an execution past 6 virtual minutes with Apps Script message, and no later service call succeeds', () => {
    const rt = scriptRuntime(`function long() {
      var calls = 0;
      try { for (;;) { Utilities.sleep(60000); calls++; } } catch (e) { globalThis.caught = e.message; }
      try { PropertiesService.getScriptProperties().setProperty('after', 'kill'); } catch (e) { return 'second call refused: ' + e.message; }
      return 'survived';
    }`);
    const r = rt.run('long');
    expect(r.ok).toBe(false);
    expect(r.killed).toBe(true);
    expect(r.error).toEqual({ name: 'Exception', message: 'Exceeded maximum execution time' });
    expect(r.elapsedMs).toBeGreaterThan(6 * 60_000);
    expect(rt.properties.script.after).toBeUndefined();
  });

  it('killAt: kills the next execution as it is about to make its n-th call; earlier writes stay, the lock is released', async () => {
    const rt = scriptRuntime(
      `function work() {
      var lock = LockService.getScriptLock();
      lock.waitLock(1000);
      var props = PropertiesService.getScriptProperties();
      props.setProperty('first', '1');
      SpreadsheetApp.getActive().getSheets()[0].getRange(1, 1).setValue('written');
      props.setProperty('second', '2');
      lock.releaseLock();
      return 'done';
    }
    function locked() { var lock = LockService.getScriptLock(); return lock.tryLock(1); }`,
      { latency: { '*': 0 } },
    );
    // Calls: getScriptLock, waitLock, getScriptProperties, setProperty, getActive, getSheets, getRange, setValue, setProperty (9th).
    rt.killAt(9, { fn: 'work' });
    expect(rt.run('locked').value).toBe(true); // another function: not armed, lock free again after it
    const r = rt.run('work');
    expect(r).toMatchObject({ ok: false, killed: true, error: { name: 'Exception', message: 'Exceeded maximum execution time' } });
    expect(rt.properties.script.first).toBe('1');
    expect(rt.properties.script.second).toBeUndefined();
    expect(rt.spreadsheets.values(rt.spreadsheetId, 'Sheet1')[0]![0]).toBe('written');
    // Killed while holding the lock: released as the execution ended. One-shot: the next run completes.
    expect(rt.run('locked').value).toBe(true);
    expect(rt.run('work')).toMatchObject({ ok: true, value: 'done' });
    // On a worker thread too.
    const killed = await rt.runAsync('work', [], { killAtCall: 2 });
    expect(killed).toMatchObject({ killed: true, calls: { 'LockService.getScriptLock': 1 } });
    expect((await rt.runAsync('locked')).value).toBe(true);
    await rt.close();
    expect(() => rt.killAt(0)).toThrow(/call number/);
  });

  it('counts modelled latency toward the 6 minutes', () => {
    const rt = scriptRuntime(
      `function chatty() { var s = SpreadsheetApp.getActive().getSheets()[0]; for (var i = 0; i < 5000; i++) s.getRange(1, 1).setValue(i); }`,
    );
    const r = rt.run('chatty');
    expect(r.killed).toBe(true);
    // 100 ms per setValue plus the lookups: killed around the 3,400th write.
    expect(r.calls['SpreadsheetApp.Range.setValue']).toBeLessThan(3600);
    expect(r.calls['SpreadsheetApp.Range.setValue']).toBeGreaterThan(3000);
  });

  it('enforces the MailApp daily recipient quota (100 consumer) over a rolling day', () => {
    const rt = scriptRuntime(
      `function send(n) { for (var i = 0; i < n; i++) MailApp.sendEmail('a' + i + '@example.com', 'S', 'B'); return MailApp.getRemainingDailyQuota(); }
      function group() { MailApp.sendEmail({ to: 'x@example.com,y@example.com', cc: 'z@example.com', subject: 'S', body: 'B', htmlBody: '<b>B</b>' }); }`,
      { latency: { '*': 0 } },
    );
    expect(rt.run('send', 97).value).toBe(3);
    expect(rt.run('group').ok).toBe(true);
    expect(rt.mail).toHaveLength(98);
    expect(rt.mail[97]).toMatchObject({ to: 'x@example.com,y@example.com', cc: 'z@example.com', htmlBody: '<b>B</b>' });
    const over = rt.run('send', 1);
    expect(over.error).toEqual({ name: 'Exception', message: 'Service invoked too many times for one day: email.' });
    rt.advance(24 * 3600_000);
    expect(rt.run('send', 1).value).toBe(99);
  });

  it('refuses UrlFetchApp unless the test registered a handler', () => {
    const rt = scriptRuntime(
      `function get() { var r = UrlFetchApp.fetch('https://api.example.com/x', { muteHttpExceptions: true }); return [r.getResponseCode(), r.getContentText()]; }`,
    );
    expect(rt.run('get').error?.message).toMatch(
      /^UrlFetchApp.fetch is not available in the emulator: no handler registered for https:\/\/api.example.com\/x/,
    );
    rt.urlFetch.register('https://api.example.com/', (req) => ({ status: 404, body: `no ${req.url}` }));
    expect(rt.run('get').value).toEqual([404, 'no https://api.example.com/x']);
  });
});

describe('time-driven triggers', () => {
  const code = `
    function install(n) { for (var i = 0; i < n; i++) ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create(); return ScriptApp.getProjectTriggers().length; }
    function every(m) { return ScriptApp.newTrigger('tick').timeBased().everyMinutes(m).create().getUniqueId(); }
    function once(iso) { return ScriptApp.newTrigger('later').timeBased().at(new Date(iso)).create().getUniqueId(); }
    function after(ms) { return ScriptApp.newTrigger('later').timeBased().after(ms).create().getUniqueId(); }
    function tick(e) { var p = PropertiesService.getScriptProperties(); p.setProperty('ticks', String(Number(p.getProperty('ticks') || 0) + 1)); p.setProperty('lastEvent', JSON.stringify(e)); }
    function later(e) { PropertiesService.getScriptProperties().setProperty('later', new Date().toISOString()); }
    function removeAll() { ScriptApp.getProjectTriggers().forEach(function (t) { ScriptApp.deleteTrigger(t); }); }
    function list() { return ScriptApp.getProjectTriggers().map(function (t) { return [t.getHandlerFunction(), String(t.getEventType()), String(t.getTriggerSource())]; }); }
    function burn() { Utilities.sleep(300000); }`;

  it('allows at most 20 triggers per user per script', () => {
    const rt = scriptRuntime(code);
    expect(rt.run('install', 20).value).toBe(20);
    expect(rt.run('install', 1).error).toEqual({
      name: 'Exception',
      message: 'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
    });
    rt.run('removeAll');
    expect(rt.triggers).toEqual([]);
  });

  it('accepts everyMinutes only for 1, 5, 10, 15 and 30', () => {
    const rt = scriptRuntime(code);
    for (const ok of [1, 5, 10, 15, 30]) expect(rt.run('every', ok).ok).toBe(true);
    for (const bad of [2, 3, 20, 60, 0]) {
      const r = rt.run('every', bad);
      expect(r.ok).toBe(false);
      expect(r.error?.message).toMatch(/everyMinutes\(\) must be 1, 5, 10, 15 or 30/);
    }
    expect(rt.run('list').value).toEqual(Array(5).fill(['tick', 'CLOCK', 'CLOCK']));
  });

  it('fires triggers at their times, in order, each as a fresh execution with a time-driven event', () => {
    const rt = scriptRuntime(code, { start: '2026-01-05T12:00:00Z', latency: { '*': 0 } });
    const uid = rt.run('every', 15).value as string;
    rt.run('once', '2026-01-05T12:20:00Z');
    const fired = rt.advance(45 * 60_000);
    expect(fired.map((r) => [r.fn, r.startedAt.toISOString()])).toEqual([
      ['tick', '2026-01-05T12:15:00.000Z'],
      ['later', '2026-01-05T12:20:00.000Z'],
      ['tick', '2026-01-05T12:30:00.000Z'],
      ['tick', '2026-01-05T12:45:00.000Z'],
    ]);
    expect(fired.every((r) => r.ok && r.kind === 'trigger')).toBe(true);
    expect(rt.properties.script.ticks).toBe('3');
    expect(JSON.parse(rt.properties.script.lastEvent!)).toEqual({
      authMode: 'FULL',
      triggerUid: uid,
      year: 2026,
      month: 1,
      'day-of-month': 5,
      'day-of-week': 1,
      'week-of-year': 2,
      hour: 12,
      minute: 45,
      second: 0,
      timezone: 'UTC',
    });
    // The one-off trigger stays listed (it still counts toward the 20) but never fires again.
    expect(rt.triggers.find((t) => t.handler === 'later')?.nextAt).toBeNull();
    expect(rt.clock.now().toISOString()).toBe('2026-01-05T12:45:00.000Z');
    expect(rt.fireDueTriggers()).toEqual([]);
  });

  it('fires after(ms) triggers via fireDueTriggers once the clock passed them', () => {
    const rt = scriptRuntime(code, { latency: { '*': 0 } });
    rt.run('after', 1000);
    expect(rt.fireDueTriggers()).toEqual([]);
    rt.clock.set(new Date(rt.clock.nowMs() + 5000));
    const fired = rt.fireDueTriggers();
    expect(fired.map((r) => r.fn)).toEqual(['later']);
  });

  it('accounts trigger runtime per rolling day (90 min consumer) and then refuses to run triggers', () => {
    const rt = scriptRuntime(
      code.replace("ScriptApp.newTrigger('tick').timeBased().everyMinutes(m)", "ScriptApp.newTrigger('burn').timeBased().everyMinutes(m)"),
      { latency: { '*': 0 } },
    );
    rt.run('every', 10);
    const fired = rt.advance(4 * 3600_000);
    const ok = fired.filter((r) => r.ok);
    const refused = fired.filter((r) => !r.ok);
    expect(ok).toHaveLength(18); // 18 × 5 min = 90 min
    expect(refused[0]?.error).toEqual({ name: 'Exception', message: 'Service using too much computer time for one day' });
    expect(rt.triggerRuntime.usedMs).toBe(90 * 60_000);
    // Manual runs do not count and are not refused.
    expect(rt.run('burn').ok).toBe(true);
    const windowStart = Date.parse(rt.triggerRuntime.windowStart!);
    const nextDay = rt.advance(24 * 3600_000);
    const firstOk = nextDay.find((r) => r.ok);
    expect(firstOk?.startedAt.getTime()).toBeGreaterThanOrEqual(windowStart + 24 * 3600_000);
  });
});
