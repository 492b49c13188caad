import { createHarness, DAILY_SYNC, type Envelope } from './support';
import { JWT_SECRET_PROPERTY, rotateJwtSecret } from '../../../src-server/api/jwt';
import { requiredAuth, ROUTES } from '../../../src-server/api/routes';

function token(
  h: ReturnType<typeof createHarness>,
  key: string,
  body: unknown = {},
): { access_token: string; expires_in: number; scope: string; expires_at: string } {
  const { json } = h.call('POST', '/auth/token', { key, body });
  expect(json.ok).toBe(true);
  return json.data as never;
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('the auth matrix', () => {
  test.each([
    ['GET', '/jobs'],
    ['GET', '/jobs/stats'],
    ['GET', '/jobs/export'],
    ['GET', '/audit'],
    ['POST', '/jobs'],
    ['POST', '/auth/token'],
  ])('%s %s without a credential is 401', (method, path) => {
    const h = createHarness();
    const { json } = h.call(method, path, method === 'POST' ? { body: DAILY_SYNC } : {});
    expect(json.error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(h.app.calls).toHaveLength(0);
  });

  test('the OpenAPI document and the docs page are public (they hold no secret); a wrong key is still refused', () => {
    const h = createHarness();
    const doc = h.call('GET', '/openapi.json');
    expect(doc.response.status).toBe(200);
    expect(JSON.parse(doc.response.body)).toMatchObject({ openapi: '3.1.0' });
    const page = h.call('GET', '/docs').response;
    expect(page).toMatchObject({ status: 200, contentType: 'text/html' });
    expect(page.body).toContain('Authorize');
    expect(h.call('GET', '/docs', { key: 'nope' }).json.error).toMatchObject({ status: 401 });
    expect(h.app.calls).toHaveLength(0);
  });

  test('a wrong key, a malformed key and a revoked key are 401', () => {
    const h = createHarness();
    const wrongSecret = h.writeKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const key of [wrongSecret, 'y2s_k_00000000_abcdefghijklmnopqrstuvwx', 'nope', '']) {
      expect(h.call('GET', '/jobs', { key }).json.error).toMatchObject({ status: 401, message: 'Invalid or revoked API key.' });
    }
    const id = h.keys.list().find((k) => k.name === 'writer')!.id;
    h.keys.revoke(id, h.owner);
    expect(h.call('GET', '/jobs', { key: h.writeKey }).json.error).toMatchObject({ status: 401 });
  });

  test('a read key reads but gets 403 on every write route, and nothing changes', () => {
    const h = createHarness();
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.ok).toBe(true);
    h.app.calls.length = 0;
    const writes: [string, string, unknown][] = [
      ['POST', '/jobs', DAILY_SYNC],
      ['PUT', '/jobs/j_1', DAILY_SYNC],
      ['PATCH', '/jobs/j_1', { name: 'x' }],
      ['DELETE', '/jobs/j_1', undefined],
      ['POST', '/jobs/j_1/execute', undefined],
      ['POST', '/jobs/j_1/pause', undefined],
      ['POST', '/jobs/j_1/resume', undefined],
      ['POST', '/jobs/bulk', { action: 'delete', ids: ['j_1'] }],
      ['POST', '/jobs/import', { content: '[]' }],
    ];
    for (const [method, path, body] of writes) {
      const { json } = h.call(method, path, { key: h.readKey, body });
      expect({ method, path, error: json.error }).toMatchObject({ error: { status: 403, code: 'forbidden' } });
    }
    expect(h.app.calls).toHaveLength(0);
  });

  test('key and access_token together are refused', () => {
    const h = createHarness();
    expect(h.call('GET', '/jobs', { key: h.readKey, token: 'x.y.z' }).json.error).toMatchObject({ status: 400 });
  });
});

describe('access tokens', () => {
  test('a write key obtains a write token (1 h by default) that works on write routes and is audited with the key id', () => {
    const h = createHarness();
    const t = token(h, h.writeKey);
    expect(t).toMatchObject({ expires_in: 3600, scope: 'write', expires_at: '2026-01-05T13:00:10.000Z' });
    const [header] = t.access_token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const created = h.call('POST', '/jobs', { token: t.access_token, body: DAILY_SYNC });
    expect(created.response.status).toBe(201);
    const keyId = h.keys.list().find((k) => k.name === 'writer')!.id;
    expect(h.app.audits[0]!.actor).toEqual({ kind: 'api', key_id: keyId });
  });

  test('token lifetimes: at most 1 h; shorter on request; a read key cannot get a write token; a write key can get a read one', () => {
    const h = createHarness();
    expect(token(h, h.writeKey, { expires_in: 600 }).expires_in).toBe(600);
    expect(h.call('POST', '/auth/token', { key: h.writeKey, body: { expires_in: 7200 } }).json.error).toMatchObject({
      status: 422,
      details: [{ path: 'expires_in', message: 'must be at most 3600' }],
    });
    expect(h.call('POST', '/auth/token', { key: h.readKey, body: { scope: 'write' } }).json.error).toMatchObject({ status: 422 });
    const readToken = token(h, h.writeKey, { scope: 'read' });
    expect(h.call('POST', '/jobs', { token: readToken.access_token, body: DAILY_SYNC }).json.error).toMatchObject({ status: 403 });
  });

  test('an expired token is refused', () => {
    const h = createHarness();
    const t = token(h, h.readKey, { expires_in: 60 });
    h.clock.advance(59_000);
    expect(h.call('GET', '/jobs', { token: t.access_token }).json.ok).toBe(true);
    h.clock.advance(1_000);
    expect(h.call('GET', '/jobs', { token: t.access_token }).json.error).toMatchObject({
      status: 401,
      message: expect.stringContaining('expired'),
    });
  });

  test('alg none, other algorithms, a bad signature and malformed tokens are refused', () => {
    const h = createHarness();
    const t = token(h, h.writeKey).access_token;
    const [header, payload, signature] = t.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = [
      `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`,
      `${b64({ alg: 'HS512', typ: 'JWT' })}.${payload}.${signature}`,
      `${header}.${b64({ ...claims, scope: 'write', exp: (claims.exp as number) + 60 })}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -2)}AA`,
      `${header}.${payload}`,
      'not-a-token',
      `${header}.!!!.${signature}`,
      `${b64('just a string')}.${payload}.${signature}`,
      `${b64({ alg: 'HS256', typ: 'JWT', kid: 'other' })}.${payload}.${signature}`,
      `${b64({ alg: 'hs256', typ: 'JWT' })}.${payload}.${signature}`,
      `${b64({ typ: 'JWT' })}.${payload}.${signature}`,
      `${header}.${payload}.`,
    ];
    for (const bad of forged) {
      // One forgery a minute: more would spend the failure budget of the key's slot (auth-limits.test.ts).
      h.clock.advance(60_000);
      const { json } = h.call('GET', '/jobs', { token: bad });
      expect({ bad, error: json.error }).toMatchObject({ error: { status: 401, code: 'unauthorized' } });
    }
  });

  test('a token signed with the right secret but a lifetime over 1 h is refused', () => {
    const h = createHarness();
    token(h, h.writeKey); // creates the secret
    const secret = h.properties.get(JWT_SECRET_PROPERTY)!;
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const keyId = h.keys.list().find((k) => k.name === 'writer')!.id;
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: keyId, scope: 'write', iat: now, exp: now + 86400, iss: 'youtube2sheets' })}`;
    const sig = h.crypto.base64UrlEncode(h.crypto.hmacSha256(secret, input));
    expect(h.call('GET', '/jobs', { token: `${input}.${sig}` }).json.error).toMatchObject({ status: 401 });
  });

  test('clock skew: a correctly signed token issued up to a minute in the future passes; later iat or nbf is refused', () => {
    const h = createHarness();
    token(h, h.writeKey); // creates the secret
    const secret = h.properties.get(JWT_SECRET_PROPERTY)!;
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const keyId = h.keys.list().find((k) => k.name === 'writer')!.id;
    const signed = (claims: Record<string, unknown>) => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: keyId, scope: 'read', iss: 'youtube2sheets', ...claims })}`;
      return `${input}.${h.crypto.base64UrlEncode(h.crypto.hmacSha256(secret, input))}`;
    };
    expect(h.call('GET', '/jobs', { token: signed({ iat: now + 30, exp: now + 600 }) }).json.ok).toBe(true);
    expect(h.call('GET', '/jobs', { token: signed({ iat: now + 120, exp: now + 600 }) }).json.error).toMatchObject({ status: 401 });
    expect(h.call('GET', '/jobs', { token: signed({ iat: now, nbf: now + 300, exp: now + 600 }) }).json.error).toMatchObject({
      status: 401,
    });
    expect(h.call('GET', '/jobs', { token: signed({ iat: now, nbf: 'soon', exp: now + 600 }) }).json.error).toMatchObject({ status: 401 });
    expect(h.call('GET', '/jobs', { token: signed({ iat: now, exp: String(now + 600) }) }).json.error).toMatchObject({ status: 401 });
    expect(h.call('GET', '/jobs', { token: signed({ iat: now - 600, exp: now }) }).json.error).toMatchObject({
      status: 401,
      message: expect.stringContaining('expired'),
    });
  });

  test('no error answer carries a secret, a stack trace or an internal message', () => {
    const h = createHarness();
    const t = token(h, h.writeKey).access_token;
    h.setApp(() => {
      throw new Error(`boom with ${h.writeKey} at Object.<anonymous> (/src/x.ts:1:1)`);
    });
    const bodies = [
      h.call('GET', '/jobs', { key: h.writeKey }).response.body,
      h.call('GET', '/jobs', { token: t }).response.body,
      h.call('GET', '/jobs', { key: `${h.writeKey}x` }).response.body,
      h.call('GET', '/jobs', { token: `${t}x` }).response.body,
    ];
    const secret = h.properties.get(JWT_SECRET_PROPERTY)!;
    for (const body of bodies) {
      expect(body).not.toContain(h.writeKey.slice(-16));
      expect(body).not.toContain(secret);
      expect(body).not.toMatch(/boom|\.ts:|at Object|stack/);
    }
    expect(JSON.parse(bodies[0]!)).toEqual({
      ok: false,
      error: { status: 500, code: 'internal', message: 'Internal error: the request could not be completed.', details: null },
    });
    expect(h.logged).toHaveLength(2); // the execution log keeps what is needed
  });

  test('rotating the secret ends every token; revoking a key ends its tokens', () => {
    const h = createHarness();
    const first = token(h, h.readKey).access_token;
    rotateJwtSecret(h);
    expect(h.call('GET', '/jobs', { token: first }).json.error).toMatchObject({
      status: 401,
      message: expect.stringContaining('bad signature'),
    });
    const second = token(h, h.readKey).access_token;
    expect(h.call('GET', '/jobs', { token: second }).json.ok).toBe(true);
    h.keys.revoke(h.keys.list().find((k) => k.name === 'reader')!.id, h.owner);
    expect(h.call('GET', '/jobs', { token: second }).json.error).toMatchObject({
      status: 401,
      message: expect.stringContaining('revoked'),
    });
  });

  test('a token cannot mint another token', () => {
    const h = createHarness();
    const t = token(h, h.writeKey).access_token;
    expect(h.call('POST', '/auth/token', { token: t }).json.error).toMatchObject({ status: 401 });
  });
});

describe('rate limiting', () => {
  test('the 61st request of a credential within a minute is 429 with retry_after; the next minute is open again', () => {
    const h = createHarness();
    h.clock.current = new Date('2026-01-05T12:00:15Z');
    for (let i = 0; i < 60; i++) expect(h.call('GET', '/jobs/stats', { key: h.readKey }).json.ok).toBe(true);
    const limited = h.call('GET', '/jobs/stats', { key: h.readKey });
    expect(limited.response.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 'rate_limited', details: { retry_after: 45, limit: 60 } });
    // Another credential has its own budget.
    expect(h.call('GET', '/jobs/stats', { key: h.writeKey }).json.ok).toBe(true);
    h.clock.current = new Date('2026-01-05T12:01:00Z');
    expect(h.call('GET', '/jobs/stats', { key: h.readKey }).json.ok).toBe(true);
  });

  test('the limit is the rate_limit_per_minute setting, and a token counts against its key', () => {
    const h = createHarness();
    h.app.settings = { ...h.app.settings, rate_limit_per_minute: 3 };
    const t = (h.call('POST', '/auth/token', { key: h.readKey }).json.data as { access_token: string }).access_token;
    expect(h.call('GET', '/jobs', { token: t }).json.ok).toBe(true);
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.ok).toBe(true);
    const res: Envelope = h.call('GET', '/jobs', { token: t }).json;
    expect(res.error).toMatchObject({ status: 429 });
  });

  test('anonymous health checks are not limited', () => {
    const h = createHarness();
    h.app.settings = { ...h.app.settings, rate_limit_per_minute: 1 };
    for (let i = 0; i < 5; i++) expect(h.call('GET', '/jobs/health').json.ok).toBe(true);
  });
});

describe('scopes derived from the route table (a new route cannot forget them)', () => {
  const MUTATING = new Set([
    'createJob',
    'updateJob',
    'patchJob',
    'deleteJob',
    'pauseJob',
    'resumeJob',
    'enableJob',
    'disableJob',
    'runNow',
    'bulk',
    'importJobs',
    'updateSettings',
    'tick',
    'ensureTriggers',
  ]);
  /** Routes whose query is required. */
  const QUERIES: Record<string, Record<string, string>> = {
    'GET /schedule/suggest': { channels: '@mkbhd', target_delay_minutes: '120' },
  };
  const BODIES: Record<string, unknown> = {
    'POST /jobs': DAILY_SYNC,
    'PUT /jobs/{id}': DAILY_SYNC,
    'PATCH /jobs/{id}': { name: 'Renamed' },
    'POST /jobs/bulk': { action: 'pause', ids: ['j_1'] },
    'POST /jobs/import': { content: '[]' },
  };

  /** A harness whose app records every method called on it, with its arguments. */
  function recorded() {
    const h = createHarness();
    const calls: { name: string; args: unknown[] }[] = [];
    const proxy = new Proxy(h.app, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          calls.push({ name: prop, args });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    h.setApp(() => proxy as never);
    h.app.createJob(DAILY_SYNC, h.owner); // j_1
    return { h, calls };
  }
  const concrete = (path: string) => path.replace('{id}', 'j_1');
  const label = (r: (typeof ROUTES)[number]) => `${r.method} ${r.path}`;

  test('every method but GET needs write scope (or an API key for /auth/token); GET routes are open only when declared so', () => {
    for (const route of ROUTES) {
      const auth = requiredAuth(route);
      if (route.method === 'GET') expect([label(route), auth]).toEqual([label(route), route.auth]);
      else expect([label(route), auth]).toEqual([label(route), route.path === '/auth/token' ? 'key' : 'write']);
    }
    expect(ROUTES.filter((r) => requiredAuth(r) === 'none').map(label)).toEqual(['GET /jobs/health', 'GET /openapi.json', 'GET /docs']);
    // A route added by mistake as 'read' on a changing method is still treated as a write route.
    expect(requiredAuth({ method: 'POST', auth: 'read' })).toBe('write');
    expect(requiredAuth({ method: 'DELETE', auth: 'none' })).toBe('write');
  });

  test.each(ROUTES.map((r) => [label(r), r] as const))(
    '%s: no credential is 401 (open routes excepted), and nothing changes',
    (_name, route) => {
      const { h, calls } = recorded();
      const { json, response } = h.call(route.method, concrete(route.path), { body: BODIES[label(route)], query: QUERIES[label(route)] });
      // Health answers an envelope; the documentation answers the document or the page itself.
      if (requiredAuth(route) === 'none') expect(json.ok ?? response.status === 200).toBe(true);
      else expect(json.error).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(calls.filter((c) => MUTATING.has(c.name))).toEqual([]);
    },
  );

  test.each(ROUTES.map((r) => [label(r), r] as const))('%s with a read key: 403 on write routes, and never a change', (_name, route) => {
    const { h, calls } = recorded();
    const { json, response } = h.call(route.method, concrete(route.path), {
      key: h.readKey,
      body: BODIES[label(route)],
      query: QUERIES[label(route)],
    });
    if (requiredAuth(route) === 'write') expect(json.error).toMatchObject({ status: 403, code: 'forbidden' });
    else expect(response.status).toBe(200); // export and openapi.json answer with the file itself
    expect(calls.filter((c) => MUTATING.has(c.name))).toEqual([]);
  });

  // POST /diagnostics changes no job data (it runs the platform self-test): tested on its own below.
  const SELF_TEST = 'POST /diagnostics';

  test('POST /diagnostics runs the self-test with a write key only', () => {
    const { h } = recorded();
    expect(h.call('POST', '/diagnostics').json.error).toMatchObject({ status: 401 });
    expect(h.call('POST', '/diagnostics', { key: h.readKey }).json.error).toMatchObject({ status: 403 });
    expect(h.diagnostics.runs).toBe(0);
    expect(h.call('POST', '/diagnostics', { key: h.writeKey }).json).toMatchObject({ ok: true, data: { status: 'pass', text: 'report' } });
    expect(h.diagnostics.runs).toBe(1);
  });

  test.each(ROUTES.filter((r) => requiredAuth(r) === 'write' && label(r) !== SELF_TEST).map((r) => [label(r), r] as const))(
    '%s with a write key changes data as that key: every change carries the api actor with the key id',
    (_name, route) => {
      const { h, calls } = recorded();
      const keyId = h.keys.list().find((k) => k.name === 'writer')!.id;
      const auditsBefore = h.app.audits.length;
      const { json } = h.call(route.method, concrete(route.path), {
        key: h.writeKey,
        body: BODIES[label(route)],
        query: QUERIES[label(route)],
      });
      expect(json.ok).toBe(true);
      const changes = calls.filter((c) => MUTATING.has(c.name));
      expect(changes.length).toBeGreaterThan(0);
      for (const change of changes) expect(change.args).toContainEqual({ kind: 'api', key_id: keyId });
      const rows = h.app.audits.slice(auditsBefore);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.actor).toEqual({ kind: 'api', key_id: keyId });
    },
  );
});
