/**
 * Standing reliability suite: every route of the API, as the built bundle's own OpenAPI document lists
 * it, against every way of presenting (or failing to present) a credential. Each answer must be what
 * the Errors table of docs/api.md documents for that case (the expected status and code are read from
 * that table), a refused request must change nothing, and nothing may answer 5xx. Prints a table of
 * counts per variant.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime, type Runtime } from '../../emulator';
import { requiredAuth, ROUTES } from '../../src-server/api/routes';

const WRITE_KEY = 'y2s_k_0000aaa1_reliabilityWriteKeySecret0001';
const READ_KEY = 'y2s_k_0000bbb2_reliabilityReadKeySecret00002';
const REVOKED_KEY = 'y2s_k_0000ccc3_reliabilityRevokedKeySecret03';
const WRONG_KEY = WRITE_KEY.replace(/.{6}$/, 'WRONG0');
const WRITE_ID = 'k_0000aaa1';

type Auth = 'none' | 'read' | 'write' | 'key';

interface RouteUnderTest {
  method: string;
  path: string;
  auth: Auth;
  body: unknown;
}

interface Envelope {
  ok: boolean;
  error?: { status: number; code: string; message: string };
}

interface Answer {
  envelope: Envelope | null;
  changed: boolean;
}

// ---------------------------------------------------------------- what the docs promise

interface DocumentedError {
  status: number;
  codes: string[];
  when: string;
}

/** The Errors table of docs/api.md. */
function documentedErrors(): DocumentedError[] {
  const text = readFileSync(join(__dirname, '../../docs/api.md'), 'utf8');
  const section = text.slice(text.indexOf('\n## Errors'));
  const rows: DocumentedError[] = [];
  for (const line of section.split('\n').slice(2)) {
    if (line.startsWith('## ')) break;
    const cells = line.split('|').map((c) => c.trim());
    if (!/^\d{3}$/.test(cells[1] ?? '')) continue;
    rows.push({ status: Number(cells[1]), codes: cells[2]!.split('/').map((c) => c.trim()), when: cells[3]! });
  }
  return rows;
}

/** The status and code the docs give for the case described by `phrase` (exactly one row must say it). */
function documented(rows: DocumentedError[], phrase: string): { status: number; code: string } {
  const hits = rows.filter((r) => r.when.includes(phrase));
  if (hits.length !== 1) throw new Error(`docs/api.md's Errors table has ${hits.length} rows for "${phrase}"`);
  return { status: hits[0]!.status, code: hits[0]!.codes[0]! };
}

// ---------------------------------------------------------------- the runtime and its requests

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Everything a request could change, but the last use of a key: a read key refused on a write route
 * did authenticate, and its use is recorded (at most once a minute) by design.
 */
function stateOf(rt: Runtime): string {
  const snap = rt.snapshot();
  const script = Object.fromEntries(Object.entries(snap.properties.script).filter(([k]) => !k.startsWith('api.key_used.')));
  return JSON.stringify([script, snap.properties.user, snap.properties.document, snap.spreadsheets, snap.triggers, snap.mail]);
}

function setUp(): { rt: Runtime; jobId: string } {
  const rt = createRuntime({ start: '2026-01-05T12:00:00Z' });
  for (const [key, scope] of [
    [WRITE_KEY, 'write'],
    [READ_KEY, 'read'],
    [REVOKED_KEY, 'read'],
  ] as const) {
    const r = rt.run('importLocalApiKey_', key, { name: `reliability-${scope}`, scope });
    if (!r.ok) throw new Error(r.error?.message);
  }
  const revoked = rt.scriptRun<{ ok: boolean }>('revokeApiKey', 'k_0000ccc3');
  if (!revoked.value?.ok) throw new Error('revokeApiKey failed');
  const created = rt.webRequest({
    method: 'POST',
    pathInfo: 'api/v1/jobs',
    query: { key: WRITE_KEY },
    contentType: 'application/json',
    body: JSON.stringify({
      name: 'Reliability',
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '09:00',
      target_tab_name: 'Videos',
    }),
  });
  const job = JSON.parse(created.response!.body) as { ok: boolean; data: { id: string } };
  if (!job.ok) throw new Error(created.response!.body);
  return { rt, jobId: job.data.id };
}

/** The routes and their credentials as the bundle's OpenAPI document describes them. */
function routesFromOpenApi(rt: Runtime): RouteUnderTest[] {
  const { response } = rt.webRequest({ method: 'GET', pathInfo: 'api/v1/openapi.json', query: { key: READ_KEY } });
  const doc = JSON.parse(response!.body) as {
    paths: Record<
      string,
      Record<
        string,
        { security?: Record<string, unknown>[]; description?: string; requestBody?: { content: Record<string, { example?: unknown }> } }
      >
    >;
  };
  const routes: RouteUnderTest[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const security = op.security?.map((s) => Object.keys(s).join(',')) ?? null;
      let auth: Auth = 'read';
      if (security?.includes('')) auth = 'none';
      else if (security && !security.includes('AccessTokenQuery')) auth = 'key';
      else if (/Needs a write-scope key or token/.test(op.description ?? '')) auth = 'write';
      routes.push({ method: method.toUpperCase(), path, auth, body: op.requestBody?.content['application/json']?.example });
    }
  }
  return routes;
}

interface Credential {
  in: 'query' | 'body';
  name: 'key' | 'access_token';
  value: string;
}

function send(rt: Runtime, route: RouteUnderTest, jobId: string, credential: Credential | null): Answer {
  const wire = route.method === 'GET' ? 'GET' : 'POST';
  const query: Record<string, string> = {};
  if (wire !== route.method) query._method = route.method;
  let body: Record<string, unknown> | unknown = route.body;
  if (credential?.in === 'query') query[credential.name] = credential.value;
  if (credential?.in === 'body')
    body = { ...((route.body as Record<string, unknown> | undefined) ?? {}), [credential.name]: credential.value };
  const before = stateOf(rt);
  const { result, response } = rt.webRequest({
    method: wire,
    pathInfo: `api/v1${route.path.replace('{id}', jobId)}`,
    query,
    ...(wire === 'POST' && body !== undefined ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
  });
  if (!result.ok) throw new Error(`${route.method} ${route.path}: the execution failed: ${result.error?.message}`);
  let envelope: Envelope | null = null;
  try {
    const parsed = JSON.parse(response!.body) as Envelope;
    if (typeof parsed === 'object' && parsed !== null && typeof parsed.ok === 'boolean') envelope = parsed;
  } catch {
    envelope = null; // a file (export, docs page): not an envelope, so not a refusal
  }
  return { envelope, changed: stateOf(rt) !== before };
}

// ---------------------------------------------------------------- variants

interface Tokens {
  expired: string;
  futureNbf: string;
  badSignature: string;
  algNone: string;
  valid: string;
}

function tokens(rt: Runtime): Tokens {
  const secret = rt.properties.script['api.jwt_secret'];
  if (!secret) throw new Error('no token secret: it is created with the first key');
  const now = Math.floor(rt.clock.nowMs() / 1000);
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) => {
    const input = `${b64url(header)}.${b64url({ sub: WRITE_ID, scope: 'write', iss: 'youtube2sheets', ...claims })}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const valid = sign({ iat: now, exp: now + 600 });
  const [header, payload] = valid.split('.') as [string, string];
  return {
    valid,
    expired: sign({ iat: now - 700, exp: now - 100 }),
    futureNbf: sign({ iat: now, nbf: now + 30, exp: now + 600 }),
    badSignature: `${header}.${payload}.${createHmac('sha256', 'not-the-secret').update(`${header}.${payload}`).digest('base64url')}`,
    algNone: `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
  };
}

type Expectation = { refused: { status: number; code: string } } | 'accepted' | 'not applicable';

interface Variant {
  name: string;
  credential(t: Tokens): Credential | null;
  expect(route: RouteUnderTest, docs: DocumentedError[]): Expectation;
}

const refusedAs =
  (phrase: string) =>
  (_route: RouteUnderTest, docs: DocumentedError[]): Expectation => ({ refused: documented(docs, phrase) });

const VARIANTS: Variant[] = [
  {
    name: 'no credential',
    credential: () => null,
    expect: (route, docs) => (route.auth === 'none' ? 'accepted' : { refused: documented(docs, 'no credential') }),
  },
  { name: 'wrong key', credential: () => ({ in: 'query', name: 'key', value: WRONG_KEY }), expect: refusedAs('wrong or revoked key') },
  { name: 'revoked key', credential: () => ({ in: 'query', name: 'key', value: REVOKED_KEY }), expect: refusedAs('wrong or revoked key') },
  {
    name: 'read key',
    credential: () => ({ in: 'query', name: 'key', value: READ_KEY }),
    expect: (route, docs) =>
      route.auth === 'write' ? { refused: documented(docs, 'read-scope credential on a write route') } : 'accepted',
  },
  { name: 'expired token', credential: (t) => ({ in: 'query', name: 'access_token', value: t.expired }), expect: refusedAs('expired') },
  {
    name: 'future-nbf token',
    credential: (t) => ({ in: 'query', name: 'access_token', value: t.futureNbf }),
    expect: refusedAs('future `nbf`'),
  },
  {
    name: 'bad signature',
    credential: (t) => ({ in: 'query', name: 'access_token', value: t.badSignature }),
    expect: refusedAs('badly signed'),
  },
  { name: 'alg none', credential: (t) => ({ in: 'query', name: 'access_token', value: t.algNone }), expect: refusedAs('`alg:none`') },
  {
    name: 'valid token',
    credential: (t) => ({ in: 'query', name: 'access_token', value: t.valid }),
    expect: (route, docs) => (route.auth === 'key' ? { refused: documented(docs, 'access token on `POST /auth/token`') } : 'accepted'),
  },
  { name: 'valid key in query', credential: () => ({ in: 'query', name: 'key', value: WRITE_KEY }), expect: () => 'accepted' },
  {
    name: 'valid key in body',
    credential: () => ({ in: 'body', name: 'key', value: WRITE_KEY }),
    // Apps Script gives a GET no body: there the key can only be a parameter.
    expect: (route) => (route.method === 'GET' ? 'not applicable' : 'accepted'),
  },
  {
    name: 'wrong key in body',
    credential: () => ({ in: 'body', name: 'key', value: WRONG_KEY }),
    expect: (route, docs) => (route.method === 'GET' ? 'not applicable' : { refused: documented(docs, 'wrong or revoked key') }),
  },
];

const AUTH_REFUSALS = new Set([401, 403, 429]);

interface Tally {
  routes: number;
  refused: number;
  accepted: number;
  notApplicable: number;
  mismatches: number;
  changedWhenRefused: number;
  serverErrors: number;
}

function table(rows: [string, Tally][]): string {
  const head = [
    'variant',
    'routes',
    'refused as documented',
    'accepted as documented',
    'n/a',
    'mismatches',
    'state changed on refusal',
    '5xx',
  ];
  const body = rows.map(([name, t]) =>
    [name, t.routes, t.refused, t.accepted, t.notApplicable, t.mismatches, t.changedWhenRefused, t.serverErrors].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

test('every route refuses every bad credential exactly as docs/api.md documents, and accepts the good ones', () => {
  const docs = documentedErrors();
  const { rt, jobId } = setUp();
  const routes = routesFromOpenApi(rt);
  // The OpenAPI document and the router agree on the routes and on the credential each needs.
  expect(routes.map((r) => `${r.method} ${r.path} ${r.auth}`).sort()).toEqual(
    ROUTES.map((r) => `${r.method} ${r.path} ${requiredAuth(r)}`).sort(),
  );

  const tallies = new Map<string, Tally>(
    VARIANTS.map((v) => [
      v.name,
      { routes: 0, refused: 0, accepted: 0, notApplicable: 0, mismatches: 0, changedWhenRefused: 0, serverErrors: 0 },
    ]),
  );
  const mismatches: string[] = [];
  for (const route of routes) {
    // Each route gets a fresh minute, so that its failed attempts never spend another route's budget.
    rt.advanceTo(new Date(Math.floor(rt.clock.nowMs() / 60_000) * 60_000 + 61_000));
    const t = tokens(rt);
    for (const variant of VARIANTS) {
      const tally = tallies.get(variant.name)!;
      tally.routes++;
      const expected = variant.expect(route, docs);
      if (expected === 'not applicable') {
        tally.notApplicable++;
        continue;
      }
      const { envelope, changed } = send(rt, route, jobId, variant.credential(t));
      const error = envelope && !envelope.ok ? envelope.error! : null;
      if (error && error.status >= 500) tally.serverErrors++;
      const label = `${route.method} ${route.path} / ${variant.name}`;
      if (expected === 'accepted') {
        if (error && (AUTH_REFUSALS.has(error.status) || error.status >= 500)) {
          tally.mismatches++;
          mismatches.push(`${label}: expected to pass authentication, got ${error.status} ${error.code}: ${error.message}`);
        } else tally.accepted++;
        continue;
      }
      const ok =
        error !== null && error.status === expected.refused.status && error.code === expected.refused.code && error.message.length > 0;
      if (ok) tally.refused++;
      else {
        tally.mismatches++;
        mismatches.push(
          `${label}: expected ${expected.refused.status} ${expected.refused.code}, got ${error ? `${error.status} ${error.code}` : 'success'}`,
        );
      }
      if (changed) {
        tally.changedWhenRefused++;
        mismatches.push(`${label}: a refused request changed the state`);
      }
    }
  }
  console.log(`auth variants × ${routes.length} routes (from the bundle's OpenAPI document)\n${table([...tallies])}`);
  expect(mismatches).toEqual([]);
  for (const [, t] of tallies) expect(t.serverErrors).toBe(0);
  // Every variant met every route, and each refusal variant was refused somewhere.
  for (const [name, t] of tallies) expect([name, t.routes]).toEqual([name, routes.length]);
  expect(tallies.get('wrong key')!.refused).toBe(routes.length);
});
