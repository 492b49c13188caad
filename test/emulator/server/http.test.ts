import { startServer, type DevServer } from '../../../emulator/server/http';
import { StubRuntime, stubFactory, type StateJson } from './stub-runtime';

let server: DevServer;
let runtime: StubRuntime;

beforeEach(async () => {
  runtime = new StubRuntime();
  server = await startServer({ runtime, createRuntime: stubFactory, port: 0 });
});

afterEach(async () => {
  await server.close();
});

const current = () => server.session.runtime as StubRuntime;
const lastRequest = () => current().requests[current().requests.length - 1]!;

async function post(path: string, body: unknown) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('web app at /exec', () => {
  it('binds to 127.0.0.1 on the given port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('passes GET with pathInfo and repeated parameters', async () => {
    const res = await fetch(`${server.url}/exec/api/v1/jobs?tag=a&tag=b&q=x%20y`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(lastRequest()).toEqual({ method: 'GET', pathInfo: 'api/v1/jobs', query: { tag: ['a', 'b'], q: 'x y' } });
  });

  it('has no pathInfo at the bare /exec', async () => {
    await fetch(`${server.url}/exec`);
    expect(lastRequest().pathInfo).toBeUndefined();
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('maps %s to POST with _method', async (method) => {
    const res = await fetch(`${server.url}/exec/api/v1/jobs/j1`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(lastRequest()).toEqual({
      method: 'POST',
      pathInfo: 'api/v1/jobs/j1',
      query: { _method: method },
      body: '{"a":1}',
      contentType: 'application/json',
    });
  });

  it('keeps an explicit _method and passes POST bodies as they are', async () => {
    await fetch(`${server.url}/exec/x?_method=DELETE`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'raw' });
    expect(lastRequest()).toMatchObject({ method: 'POST', query: { _method: 'DELETE' }, body: 'raw', contentType: 'text/plain' });
  });

  it('maps X-API-Key to key and Authorization: Bearer to access_token', async () => {
    await fetch(`${server.url}/exec/api/v1/jobs`, { headers: { 'X-API-Key': 'k_secret' } });
    expect(lastRequest().query).toEqual({ key: 'k_secret' });
    await fetch(`${server.url}/exec/api/v1/jobs`, { headers: { Authorization: 'Bearer eyJ.abc.def' } });
    expect(lastRequest().query).toEqual({ access_token: 'eyJ.abc.def' });
    await fetch(`${server.url}/exec/api/v1/jobs?key=fromquery`, { headers: { 'X-API-Key': 'fromheader' } });
    expect(lastRequest().query).toEqual({ key: 'fromquery' });
  });

  it("turns the envelope's error.status into the HTTP status", async () => {
    const res = await fetch(`${server.url}/exec/status/404`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: { status: 404 } });
    expect((await fetch(`${server.url}/exec/status/429`)).status).toBe(429);
  });

  it('answers 500 with a page naming the error when the execution throws or returns nothing', async () => {
    const thrown = await fetch(`${server.url}/exec/throw`);
    expect(thrown.status).toBe(500);
    const text = await thrown.text();
    expect(text).toContain('TypeError: boom &#60;thrown&#62;');
    expect(text).not.toContain('<thrown>');
    const none = await fetch(`${server.url}/exec/none`);
    expect(none.status).toBe(500);
    expect(await none.text()).toContain('The script completed but did not return anything.');
  });

  it('uses the output mime type', async () => {
    const csv = await fetch(`${server.url}/exec/csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toBe('a,b\n1,2\n');
    expect((await fetch(`${server.url}/exec/html`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers HEAD without a body', async () => {
    const head = await fetch(`${server.url}/exec/api/v1/jobs`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(lastRequest().method).toBe('GET');
  });

  it('answers 404 for unknown paths', async () => {
    expect((await fetch(`${server.url}/nothing-here`)).status).toBe(404);
  });
});

describe('controls under /__emulator/', () => {
  it('advances the clock by ms or to an instant, firing triggers, and refuses going back', async () => {
    const a = await post('/__emulator/advance', { ms: 180_000 });
    expect(a.status).toBe(200);
    expect(a.json.now).toBe('2026-01-05T12:03:00.000Z');
    expect(a.json.executions).toHaveLength(3);
    const b = await post('/__emulator/advance', { to: '2026-01-05T12:05:00Z' });
    expect((b.json.executions as unknown[]).length).toBe(2);
    const back = await post('/__emulator/advance', { to: '2026-01-05T12:00:00Z' });
    expect(back.status).toBe(400);
    expect(back.json.error).toMatch(/before now/);
    expect((await post('/__emulator/advance', { ms: -1 })).status).toBe(400);
  });

  it('reports state: sheets, properties, triggers, mail, quota, call counts', async () => {
    await post('/__emulator/run', { fn: 'setProp', args: ['a', '1'] });
    const res = await fetch(`${server.url}/__emulator/state`);
    const state = (await res.json()) as StateJson;
    expect(state.now).toBe('2026-01-05T12:00:00.000Z');
    expect(state.sheets[0]!.tabs).toEqual([
      { name: 'Videos', hidden: false, values: [['title'], ['=IMPORTXML("http://x","//a")']] },
      { name: '_state', hidden: true, values: [['ss1']] },
    ]);
    expect(state.properties.script).toEqual({ a: '1' });
    expect(state.triggers).toHaveLength(1);
    expect(state.mail).toEqual([]);
    expect(state.quota).toMatchObject({ usedToday: 0, limit: 10_000, resetAt: '2026-01-06T08:00:00.000Z' });
    expect(state.calls).toEqual({ 'Stub.call': 1 });
    expect(state.recent).toEqual([{ kind: 'run', name: 'setProp', ok: true, at: '2026-01-05T12:00:00.000Z' }]);
  });

  it('reads one tab', async () => {
    const res = await fetch(`${server.url}/__emulator/sheets/ss1/Videos`);
    expect(await res.json()).toMatchObject({
      spreadsheetId: 'ss1',
      tab: 'Videos',
      hidden: false,
      values: [['title'], ['=IMPORTXML("http://x","//a")']],
    });
    expect((await fetch(`${server.url}/__emulator/sheets/ss1/Nope`)).status).toBe(404);
  });

  it('injects and clears YouTube faults', async () => {
    const res = await post('/__emulator/faults', { method: 'videos.list', kind: 'backendError', times: 2 });
    expect(res.json.faults).toEqual([{ method: 'videos.list', kind: 'backendError', times: 2 }]);
    const yt = current().youtube.service({ now: () => current().clock.now() });
    expect(() => yt.Videos.list('id', { id: 'x' })).toThrow(/Backend Error/);
    expect((await post('/__emulator/faults', { kind: 'explode' })).status).toBe(400);
    expect((await post('/__emulator/faults', { clear: true })).json.faults).toEqual([]);
    expect(() => yt.Videos.list('id', { id: 'x' })).not.toThrow();
  });

  it('loads a dataset and names the bad field of an invalid one', async () => {
    const dataset = {
      version: 1,
      channels: [{ id: 'UC' + 'a'.repeat(22), title: 'Loaded', handle: '@loaded', publishedAt: '2020-01-01T00:00:00Z', videos: [] }],
    };
    const ok = await post('/__emulator/dataset', dataset);
    expect(ok.status).toBe(200);
    expect(
      current()
        .youtube.service({ now: () => new Date() })
        .Channels.list('id', { forHandle: '@loaded' }).items,
    ).toHaveLength(1);
    const bad = await post('/__emulator/dataset', { version: 1, channels: [{ id: 'bad' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/dataset\.channels\[0\]\.id/);
    expect((await post('/__emulator/dataset', { demo: true })).json.dataset).toEqual(
      expect.arrayContaining([expect.objectContaining({ handle: '@mkbhd' })]),
    );
  });

  it('sets quota usage for demos of quotaExceeded', async () => {
    const res = await post('/__emulator/quota', { usedToday: 10_000 });
    expect(res.json).toMatchObject({ usedToday: 10_000, remaining: 0 });
    const yt = current().youtube.service({ now: () => current().clock.now() });
    expect(() => yt.Channels.list('id', { forHandle: '@stub' })).toThrow(/quota/);
  });

  it('runs a global and reports the execution', async () => {
    const res = await post('/__emulator/run', { fn: 'doSomething', args: [1, 'two'] });
    expect(res.json).toMatchObject({
      ok: true,
      value: { fn: 'doSomething', args: [1, 'two'], at: '2026-01-05T12:00:00.000Z' },
      error: null,
      killed: false,
    });
    const failed = await post('/__emulator/run', { fn: 'fail' });
    expect(failed.json).toMatchObject({ ok: false, error: { name: 'TypeError' }, logs: ['oops'] });
    expect((await post('/__emulator/run', { fn: 'not a name' })).status).toBe(400);
    expect((await post('/__emulator/run', { fn: 'x', args: 'nope' })).status).toBe(400);
  });

  it('bridges google.script.run', async () => {
    expect((await post('/__emulator/script-run', { fn: 'getView', args: [{ a: 1 }] })).json).toEqual({
      ok: true,
      value: { fn: 'getView', args: [{ a: 1 }], at: '2026-01-05T12:00:00.000Z' },
    });
    expect((await post('/__emulator/script-run', { fn: 'secret_' })).json).toEqual({
      ok: false,
      error: { name: 'Error', message: 'Script function not found: secret_' },
    });
  });

  it('resets to a fresh runtime', async () => {
    await post('/__emulator/advance', { ms: 60_000 });
    const before = server.session.runtime;
    const res = await post('/__emulator/reset', {});
    expect(res.json).toEqual({ now: '2026-01-05T12:00:00.000Z', reset: true });
    expect(server.session.runtime).not.toBe(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await fetch(`${server.url}/__emulator/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/not valid JSON/);
  });

  it('serves swagger-ui assets from the npm package, without path traversal', async () => {
    const css = await fetch(`${server.url}/__assets/swagger-ui/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${server.url}/__assets/swagger-ui/..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('extra routes', () => {
  it('are tried before the built-in ones (the workspace page replaces the home page)', async () => {
    const extra = await startServer({
      runtime: new StubRuntime(),
      port: 0,
      routes: [{ method: 'GET', path: /^\/$/, handle: (ctx) => ctx.send(200, { 'content-type': 'text/plain' }, 'workspace') }],
    });
    try {
      expect(await (await fetch(`${extra.url}/`)).text()).toBe('workspace');
      expect(
        (await fetch(`${extra.url}/__emulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
          .status,
      ).toBe(501);
    } finally {
      await extra.close();
    }
  });
});
