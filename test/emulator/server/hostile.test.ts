/**
 * The dev server under hostile requests (issue 16, points 2, 3 and 7): it always answers and never
 * exits; the controls and the workspace refuse other sites and foreign Host names; the API is open to
 * other origins through CORS.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type DevServer } from '../../../emulator/server/http';
import { workspaceRoutes } from '../../../emulator/workspace/routes';
import { StubRuntime, stubFactory } from './stub-runtime';

let server: DevServer;
let projectDir: string;

beforeEach(async () => {
  projectDir = mkdtempSync(join(tmpdir(), 'y2s-project-'));
  server = await startServer({
    runtime: new StubRuntime(),
    createRuntime: stubFactory,
    port: 0,
    projectDir,
    openApiKey: 'local-open-key',
    routes: workspaceRoutes({ buildDir: join(projectDir, 'build') }),
  });
});

afterEach(async () => {
  await server.close();
  rmSync(projectDir, { recursive: true, force: true });
});

const current = () => server.session.runtime as StubRuntime;
const lastRequest = () => current().requests[current().requests.length - 1]!;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly these headers (fetch would not let a test set Host) and the path as written. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('one guard per request: the server answers and stays up', () => {
  it.each(['%ZZ', '%C0%AE', '%ED%A0%80', '%', '%E0%A4%A'])('GET /exec/api/v1/jobs/%s is a 400 envelope', async (bad) => {
    const res = await raw('GET', `/exec/api/v1/jobs/${bad}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      ok: false,
      error: { status: 400, code: 'bad_request', message: expect.stringMatching(/percent-encoding/) },
    });
    // Still serving.
    expect((await raw('GET', '/exec/api/v1/jobs/health')).status).toBe(200);
  });

  it('a malformed encoding in a control or workspace path is a 400 too', async () => {
    expect((await raw('GET', '/__emulator/sheets/%ZZ/x')).status).toBe(400);
    expect((await raw('GET', '/__emulator/state')).status).toBe(200);
  });

  it('query parameters named like Object.prototype members are plain data', async () => {
    const res = await raw('GET', '/exec/api/v1/jobs?constructor=a&toString=b&hasOwnProperty=c&__proto__=d&valueOf=e&valueOf=f');
    expect(res.status).toBe(200);
    const query = lastRequest().query!;
    expect(Object.keys(query).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'key', 'toString', 'valueOf']);
    expect(Object.getOwnPropertyDescriptor(query, '__proto__')!.value).toBe('d');
    expect(query.constructor).toBe('a');
    expect(query.valueOf).toEqual(['e', 'f']);
  });

  it('a body over 10 MB is answered with the documented 413, not a reset connection', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    const api = await raw('POST', '/exec/api/v1/jobs', { 'content-type': 'text/plain' }, big);
    expect(api.status).toBe(413);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { status: 413, code: 'payload_too_large' } });
    const control = await raw('POST', '/__emulator/run', JSON_HEADERS, big);
    expect(control.status).toBe(413);
    // fetch (undici) reads the 413 as well.
    const viaFetch = await fetch(`${server.url}/exec/api/v1/jobs`, { method: 'POST', body: big });
    expect(viaFetch.status).toBe(413);
  });

  it('an unexpected error inside a route is a 500 answer, and the process goes on', async () => {
    const broken = await startServer({
      runtime: new StubRuntime(),
      port: 0,
      routes: [
        {
          method: 'GET',
          path: /^\/boom$/,
          access: 'public',
          handle: () => {
            throw new TypeError('x is not a function');
          },
        },
      ],
    });
    try {
      const res = await fetch(`${broken.url}/boom`);
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain('x is not a function');
      expect((await fetch(`${broken.url}/exec/api/v1/jobs`)).status).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

describe('the API is open to other origins (CORS); the deployed web app is not, see docs/api.md', () => {
  it('answers a preflight', async () => {
    const res = await raw('OPTIONS', '/exec/api/v1/jobs', {
      origin: 'https://example.org',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-api-key',
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-methods'])).toContain('PATCH');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('x-api-key');
    expect((await raw('OPTIONS', '/api/v1/jobs/j_1')).status).toBe(204);
  });

  it('sets Access-Control-Allow-Origin on answers and errors of the API, never on the controls', async () => {
    const ok = await raw('GET', '/api/v1/jobs', { origin: 'https://example.org' });
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    const bad = await raw('GET', '/exec/api/v1/jobs/%ZZ', { origin: 'https://example.org' });
    expect(bad.headers['access-control-allow-origin']).toBe('*');
    const state = await raw('GET', '/__emulator/state');
    expect(state.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await raw('OPTIONS', '/__emulator/reset', { origin: 'https://example.org' })).headers['access-control-allow-origin'],
    ).toBeUndefined();
  });

  it('--open-api stands in for a credential only for local clients, not for pages of other sites', async () => {
    await raw('GET', '/api/v1/jobs');
    expect(lastRequest().query).toEqual({ key: 'local-open-key' });
    await raw('GET', '/api/v1/jobs', { origin: `http://127.0.0.1:${server.port}` });
    expect(lastRequest().query).toEqual({ key: 'local-open-key' });
    await raw('GET', '/api/v1/jobs', { origin: 'https://example.org' });
    expect(lastRequest().query).toEqual({});
    await raw('GET', '/api/v1/jobs', { host: 'attacker.example:80' });
    expect(lastRequest().query).toEqual({});
  });

  it('serves the public documentation at the root paths the README names', async () => {
    await raw('GET', '/openapi.json');
    expect(lastRequest().pathInfo).toBe('api/v1/openapi.json');
    await raw('GET', '/docs');
    expect(lastRequest().pathInfo).toBe('api/v1/docs');
  });
});

describe('the controls and the workspace answer only this server and its own pages', () => {
  const privatePaths = ['/__emulator/state', '/__emulator', '/__workspace/state', '/'];

  it.each(privatePaths)('GET %s with a foreign Host (DNS rebinding) is refused', async (path) => {
    const res = await raw('GET', path, { host: `rebound.example:${server.port}` });
    expect(res.status).toBe(403);
    expect(res.body).not.toMatch(/jwt|secret|hash/i);
    expect((await raw('GET', path, { host: `localhost:${server.port}` })).status).not.toBe(403);
  });

  it('refuses a foreign Host even on the right port, and the right name on another port', async () => {
    current().props['api.jwt_secret'] = 'top-secret-value';
    const rebound = await raw('GET', '/__emulator/state', { host: 'evil.example' });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('top-secret-value');
    expect((await raw('GET', '/__emulator/state', { host: '127.0.0.1:1' })).status).toBe(403);
    expect((await raw('GET', '/__emulator/state', { host: `[::1]:${server.port}` })).status).toBe(200);
  });

  it('refuses a request from a page of another origin, even with a JSON body', async () => {
    for (const origin of ['https://example.org', 'null', `http://127.0.0.1:${server.port + 1}`]) {
      const res = await raw('POST', '/__emulator/reset', { ...JSON_HEADERS, origin }, '{}');
      expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
    }
    const before = server.session.runtime;
    expect(server.session.runtime).toBe(before);
    const own = await raw('POST', '/__emulator/reset', { ...JSON_HEADERS, origin: `http://localhost:${server.port}` }, '{}');
    expect(own.status).toBe(200);
  });

  it('accepts only application/json bodies (no form, no text/plain: those need no preflight)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      const res = await raw('POST', '/__emulator/run', headers, '{"fn":"setProp","args":["planted","1"]}');
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
    }
    expect(current().props.planted).toBeUndefined();
    expect((await raw('POST', '/__workspace/activate', { 'content-type': 'text/plain' }, '{"tab":"Videos"}')).status).toBe(415);
    expect(
      (
        await raw(
          'POST',
          '/__emulator/run',
          { 'content-type': 'application/json; charset=utf-8' },
          '{"fn":"setProp","args":["planted","1"]}',
        )
      ).status,
    ).toBe(200);
    expect(current().props.planted).toBe('1');
    expect((await raw('DELETE', '/__emulator/faults')).status).toBe(200);
    expect((await fetch(`${server.url}/__emulator/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await raw('DELETE', '/__emulator/faults', { 'content-length': '0' }, '')).status).toBe(200);
  });

  it('reads dataset files only inside the project folder', async () => {
    const dataset = {
      version: 1,
      channels: [{ id: 'UC' + 'b'.repeat(22), title: 'From file', handle: '@fromfile', publishedAt: '2020-01-01T00:00:00Z', videos: [] }],
    };
    writeFileSync(join(projectDir, 'mine.json'), JSON.stringify(dataset));
    const inside = await raw('POST', '/__emulator/dataset', JSON_HEADERS, JSON.stringify({ path: 'mine.json' }));
    expect(inside.status).toBe(200);
    expect(inside.body).toContain('@fromfile');
    const outsideDir = mkdtempSync(join(tmpdir(), 'y2s-outside-'));
    try {
      writeFileSync(join(outsideDir, 'secret.json'), '{"not":"a dataset", "token":"s3cr3t-content"}');
      symlinkSync(join(outsideDir, 'secret.json'), join(projectDir, 'link.json'));
      for (const path of ['/etc/passwd', '../../../../etc/passwd', join(outsideDir, 'secret.json'), 'link.json']) {
        const res = await raw('POST', '/__emulator/dataset', JSON_HEADERS, JSON.stringify({ path }));
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body).not.toMatch(/root:|s3cr3t/);
      }
    } finally {
      rmSync(outsideDir, { recursive: true, force: true });
    }
  });
});
