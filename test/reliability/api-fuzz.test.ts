/**
 * API fuzz (issue 16): seeded, generated HTTP requests through the real local server — methods, paths
 * with odd and malformed percent-encodings, queries with reserved and prototype-like names, bodies of
 * every content type, `_method` overrides, credentials valid, invalid and misplaced. Counts answers
 * that are not the API envelope, 5xx from the app, crashes (a request with no answer, or a server that
 * stops answering) and state changes caused by requests that carry no valid credential. Prints the
 * counts as a table.
 *
 * Two runtimes behind the same real HTTP server:
 * - "api": the real API code (src-server/api: router, auth, keys, tokens, request parsing) on the real
 *   event building (emulator buildWebEvent) with the in-memory fakes of test/unit/api/support.ts — fast,
 *   so it takes FUZZ_RUNS requests (default 10,000);
 * - "bundle": the built bundle in the real runtime, as `npm start` serves it (≈20 ms a request) — a
 *   seeded subset of FUZZ_BUNDLE_RUNS requests (default 600).
 * FUZZ_SEED changes the seed; a failure prints the requests that failed so they can be replayed.
 */
import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildWebEvent } from '../../emulator';
import { parseArgs } from '../../emulator/server/args';
import { main, type RunningDevServer } from '../../emulator/server/cli';
import { startServer, WEB_APP_PATH, type DevServer } from '../../emulator/server/http';
import type { DevRuntime, ExecutionResultLike, WebRequestLike, WebResponseLike } from '../../emulator/server/types';
import { YouTubeFake } from '../../emulator/youtube/fake';
import { requestFromEvent } from '../../src-server/api/event';
import { handleRequest } from '../../src-server/api/router';
import { issueToken } from '../../src-server/api/jwt';
import { createHarness, DAILY_SYNC } from '../unit/api/support';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const API_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const BUNDLE_RUNS = Number(process.env.FUZZ_BUNDLE_RUNS ?? 600);

// ------------------------------------------------------------------ generated requests

type CredentialKind = 'none' | 'invalid' | 'read' | 'write' | 'token' | 'bad-token';
type CredentialPlace = 'query' | 'header' | 'bearer' | 'body';

interface FuzzRequest {
  method: string;
  path: string;
  query: [string, string][];
  contentType: string | null;
  body: string | null;
  credential: CredentialKind;
  place: CredentialPlace;
}

const PREFIXES = ['/exec/api/v1', '/api/v1', '/dev/api/v1', '/exec', '', '/exec/api/v2', '/exec/api'];
const ROUTE_PATHS = [
  '/jobs',
  '/jobs/stats',
  '/jobs/health',
  '/jobs/export',
  '/jobs/import',
  '/jobs/bulk',
  '/audit',
  '/auth/token',
  '/openapi.json',
  '/docs',
  '/',
  '',
  '/jobs/{id}',
  '/jobs/{id}/execute',
  '/jobs/{id}/pause',
  '/jobs/{id}/resume',
  '/jobs/{id}/runs',
];
/** Path segments a client (or an attacker) may send; all valid request-target characters. */
const ODD_SEGMENTS = [
  'j_1',
  'j_000000000000',
  '%ZZ',
  '%C0%AE',
  '%ED%A0%80',
  '%',
  '%2',
  '%2F',
  '%252F',
  '%00',
  '..',
  '.',
  '%2e%2e',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'stats',
  '%E2%9C%93',
  '%F0%9F%98%80',
  'a%20b',
  'x'.repeat(300),
  '%FF%FE',
  ';',
  '@',
  '~',
  "'",
  '=',
  '+',
];
const QUERY_NAMES = [
  'key',
  'access_token',
  '_method',
  'page',
  'page_size',
  'status',
  'enabled',
  'tag',
  'q',
  'sort',
  'order',
  'format',
  'expected_version',
  'limit',
  'action',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'x',
  '',
];
const QUERY_VALUES = [
  '1',
  '0',
  '-1',
  '1e9',
  'NaN',
  'true',
  'false',
  'json',
  'csv',
  'yaml',
  'xml',
  'PUT',
  'PATCH',
  'DELETE',
  'GET',
  'put',
  'name',
  'desc',
  'failed',
  '%ZZ',
  '%',
  '%C0%AE',
  '%ED%A0%80',
  '',
  'a%26b%3Dc',
  '%E2%9C%93',
  'j_1',
  '[]',
  '{}',
  '=1+1',
  'x'.repeat(2000),
];
const CONTENT_TYPES = [
  null,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/yaml',
  'text/yaml',
  'application/octet-stream',
  'text/csv',
  'application/xml',
  'nonsense',
  '',
];

const jsonText = fc.oneof(
  fc.constant(JSON.stringify(DAILY_SYNC)),
  fc
    .record({ name: fc.string(), channels: fc.array(fc.constantFrom('@mkbhd', '@tinycooking', '@nosuch', '', 'UC123'), { maxLength: 3 }) })
    .map((o) => JSON.stringify(o)),
  fc.constant('{"action":"pause","ids":["j_1"]}'),
  fc.constant('{"action":"delete","ids":["j_1","j_2"]}'),
  fc.constant('{"content":"[]","format":"json"}'),
  fc.constant('{"expires_in":60,"scope":"read"}'),
  fc.constant('{"_method":"DELETE"}'),
  fc.constant('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"name":"p"}'),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);
const formText = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_NAMES, 'name', 'channels'), fc.constantFrom(...QUERY_VALUES)), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
const bodyText = fc.oneof(
  { weight: 4, arbitrary: jsonText },
  { weight: 2, arbitrary: formText },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant('- name: Daily Sync\n  channels: ["@mkbhd"]\n') },
  { weight: 1, arbitrary: fc.constant('{"unterminated": ') },
  { weight: 1, arbitrary: fc.constant('') },
);

/** `{job}` in a generated path stands for the id of a job that exists when the request is sent. */
const JOB = '{job}';

const pathArb = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.constant('/exec/api/v1') },
      { weight: 3, arbitrary: fc.constant('/api/v1') },
      { weight: 2, arbitrary: fc.constantFrom(...PREFIXES) },
    ),
    fc.constantFrom(...ROUTE_PATHS),
    fc.oneof({ weight: 3, arbitrary: fc.constant(JOB) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_SEGMENTS) }),
    fc.array(fc.constantFrom(...ODD_SEGMENTS), { maxLength: 2 }),
    fc.nat(9),
  )
  .map(([prefix, route, id, extra, mode]) => {
    const base = `${prefix}${route.replace('{id}', id)}`;
    if (mode === 0) return `${prefix}/${[id, ...extra].join('/')}`; // an arbitrary path under the prefix
    if (mode === 1) return `${base}/${extra.join('/')}`;
    return base || '/';
  });

const requestArb: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'),
  path: pathArb,
  query: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), fc.constantFrom(...QUERY_VALUES)), { maxLength: 4 }),
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  ),
  body: fc.option(bodyText, { nil: null, freq: 3 }),
  credential: fc.constantFrom<CredentialKind>('none', 'none', 'invalid', 'invalid', 'read', 'write', 'write', 'token', 'bad-token'),
  place: fc.constantFrom<CredentialPlace>('query', 'header', 'bearer', 'body'),
});

function generate(runs: number, seed: number): FuzzRequest[] {
  return fc.sample(requestArb, { seed, numRuns: runs });
}

// ------------------------------------------------------------------ sending

interface Credentials {
  write: string;
  read: string;
  token: string;
}

const INVALID_KEY = 'y2s_k_deadbeef_notARealSecretAtAll00000000';
const BAD_TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJrXzEiLCJzY29wZSI6IndyaXRlIn0.';

interface Sent {
  status: number;
  contentType: string;
  body: string;
}

function secretFor(kind: CredentialKind, creds: Credentials): string | null {
  switch (kind) {
    case 'none':
      return null;
    case 'invalid':
      return INVALID_KEY;
    case 'read':
      return creds.read;
    case 'write':
      return creds.write;
    case 'token':
      return creds.token;
    case 'bad-token':
      return BAD_TOKEN;
  }
}

const encodeQueryPart = (s: string) => s.replace(/[^A-Za-z0-9%._~=+&:@,;/-]/g, (c) => encodeURIComponent(c));

function send(agent: Agent, port: number, r: FuzzRequest, creds: Credentials, jobId = 'j_none'): Promise<Sent> {
  const secret = secretFor(r.credential, creds);
  const isToken = r.credential === 'token' || r.credential === 'bad-token';
  const query = [...r.query];
  const headers: Record<string, string> = { host: `127.0.0.1:${port}` };
  let body = r.body;
  if (secret !== null) {
    const place = r.place === 'bearer' && !isToken ? 'header' : r.place;
    if (place === 'query') query.push([isToken ? 'access_token' : 'key', secret]);
    else if (place === 'header') headers[isToken ? 'authorization' : 'x-api-key'] = isToken ? `Bearer ${secret}` : secret;
    else if (place === 'bearer') headers.authorization = `Bearer ${secret}`;
    else {
      // In a JSON body field, as browsers are told to send it.
      let parsed: unknown = null;
      try {
        parsed = body ? JSON.parse(body) : {};
      } catch {
        parsed = null;
      }
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        body = JSON.stringify({ ...(parsed as object), [isToken ? 'access_token' : 'key']: secret });
      else query.push([isToken ? 'access_token' : 'key', secret]);
    }
  }
  if (r.contentType !== null) headers['content-type'] = r.contentType;
  const qs = query.map(([k, v]) => `${encodeQueryPart(k)}=${encodeQueryPart(v)}`).join('&');
  const target = r.path.split(JOB).join(jobId);
  const path = qs ? `${target}?${qs}` : target;
  const payload =
    body === null || r.method === 'GET' || r.method === 'HEAD' || r.method === 'OPTIONS' || r.method === 'TRACE'
      ? null
      : Buffer.from(body, 'utf8');
  if (payload) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

// ------------------------------------------------------------------ judging

/** Answers that are a file, not an envelope, by design: the document, the page, an export. */
function rawByDesign(r: FuzzRequest, sent: Sent): boolean {
  if (r.method === 'OPTIONS' && sent.status === 204) return sent.body === '';
  return (
    sent.status === 200 &&
    /\/(openapi\.json|docs|jobs\/export)$/.test(new URL(r.path.split(JOB).join('j_1'), 'http://localhost').pathname.replace(/\/+$/, ''))
  );
}

/** Whether the server routes the request to the web app (after the URL parser's normalisation, as the server does). */
function reachesApi(r: FuzzRequest): boolean {
  return WEB_APP_PATH.test(new URL(r.path.split(JOB).join('j_1'), 'http://localhost').pathname);
}

/** Outside the API the dev server answers its own JSON errors (404/405/403) or its pages. */
function isServerAnswer(sent: Sent): boolean {
  if (/^text\/html/.test(sent.contentType)) return sent.status === 200;
  try {
    return typeof (JSON.parse(sent.body) as { error?: unknown }).error === 'string';
  } catch {
    return false;
  }
}

function isEnvelope(sent: Sent): boolean {
  if (!/^application\/json/.test(sent.contentType)) return false;
  let json: unknown;
  try {
    json = JSON.parse(sent.body);
  } catch {
    return false;
  }
  if (typeof json !== 'object' || json === null) return false;
  const e = json as { ok?: unknown; data?: unknown; error?: { status?: unknown; code?: unknown; message?: unknown } };
  if (e.ok === true) return sent.status === 200 && 'data' in e;
  return e.ok === false && e.error?.status === sent.status && typeof e.error.code === 'string' && typeof e.error.message === 'string';
}

const show = (r: FuzzRequest) => JSON.stringify(r).replace(/x{20,}/g, (m) => `x×${m.length}`);

interface Tally {
  requests: number;
  outsideApi: number;
  envelopes: number;
  rawByDesign: number;
  nonEnvelope: number;
  serverErrors: number;
  crashes: number;
  unexpectedChanges: number;
  unauthenticated: number;
  byStatus: Map<number, number>;
  failures: string[];
}

function newTally(): Tally {
  return {
    requests: 0,
    outsideApi: 0,
    envelopes: 0,
    rawByDesign: 0,
    nonEnvelope: 0,
    serverErrors: 0,
    crashes: 0,
    unexpectedChanges: 0,
    unauthenticated: 0,
    byStatus: new Map(),
    failures: [],
  };
}

interface Target {
  port: number;
  creds: Credentials;
  /** Everything a request may change (jobs, keys, audit, sheets), without the bookkeeping of valid keys. */
  fingerprint(): string;
  /** Called before each request (e.g. moves the clock so the rate limit does not hide the routes). */
  before?(): void;
  /** Ids of the jobs that exist now (a generated `{job}` takes one of them). */
  jobIds(): string[];
}

async function runFuzz(target: Target, requests: FuzzRequest[]): Promise<Tally> {
  const tally = newTally();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (const [i, r] of requests.entries()) {
      target.before?.();
      const ids = target.jobIds();
      const unauthenticated =
        r.credential === 'none' || r.credential === 'invalid' || r.credential === 'bad-token' || r.credential === 'read';
      const before = unauthenticated ? target.fingerprint() : '';
      tally.requests += 1;
      let sent: Sent;
      try {
        sent = await send(agent, target.port, r, target.creds, ids.length > 0 ? ids[i % ids.length] : undefined);
      } catch (err) {
        tally.crashes += 1;
        tally.failures.push(`crash ${show(r)}: ${(err as Error).message}`);
        continue;
      }
      tally.byStatus.set(sent.status, (tally.byStatus.get(sent.status) ?? 0) + 1);
      if (sent.status >= 500) {
        tally.serverErrors += 1;
        tally.failures.push(`${sent.status} ${show(r)}: ${sent.body.slice(0, 300)}`);
      }
      if (r.method === 'HEAD') {
        // No body, whatever the route (HTTP); the status is judged with the others.
        if (sent.body === '') tally.rawByDesign += 1;
        else {
          tally.nonEnvelope += 1;
          tally.failures.push(`HEAD answered with a body ${show(r)}`);
        }
      } else if (!reachesApi(r)) {
        tally.outsideApi += 1;
        if (!isServerAnswer(sent)) {
          tally.nonEnvelope += 1;
          tally.failures.push(
            `unexpected answer outside the API ${sent.status} ${sent.contentType} ${show(r)}: ${sent.body.slice(0, 200)}`,
          );
        }
      } else if (isEnvelope(sent)) tally.envelopes += 1;
      else if (rawByDesign(r, sent)) tally.rawByDesign += 1;
      else {
        tally.nonEnvelope += 1;
        tally.failures.push(`non-envelope ${sent.status} ${sent.contentType} ${show(r)}: ${sent.body.slice(0, 200)}`);
      }
      const created = /"id":\s*"(j_[A-Za-z0-9_]+)"/.exec(sent.body)?.[1];
      if (created && !ids.includes(created)) ids.push(created);
      if (unauthenticated) {
        tally.unauthenticated += 1;
        if (target.fingerprint() !== before) {
          tally.unexpectedChanges += 1;
          tally.failures.push(`changed state without a write credential: ${show(r)} → ${sent.status} ${sent.body.slice(0, 200)}`);
        }
      }
    }
    // Still serving after everything.
    const health = await send(
      agent,
      target.port,
      { method: 'GET', path: '/exec/api/v1/jobs/health', query: [], contentType: null, body: null, credential: 'none', place: 'query' },
      target.creds,
    ).catch(() => null);
    if (health?.status !== 200) {
      tally.crashes += 1;
      tally.failures.push('the server no longer answers GET /exec/api/v1/jobs/health');
    }
  } finally {
    agent.destroy();
  }
  return tally;
}

function table(title: string, tally: Tally, ms: number): string {
  const rows: [string, string | number][] = [
    ['requests', tally.requests],
    ['outside the API (dev server pages and errors)', tally.outsideApi],
    ['envelope answers', tally.envelopes],
    ['no envelope by design (openapi, docs, export, HEAD, preflight)', tally.rawByDesign],
    ['non-envelope answers', tally.nonEnvelope],
    ['5xx from the app', tally.serverErrors],
    ['crashes (no answer / server gone)', tally.crashes],
    ['requests without a write credential', tally.unauthenticated],
    ['  of which changed state', tally.unexpectedChanges],
    [
      'statuses',
      [...tally.byStatus]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' '),
    ],
    ['seed / time', `${SEED} / ${(ms / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`API fuzz — ${title}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

function expectClean(tally: Tally): void {
  const shown = tally.failures.slice(0, 15);
  expect({
    crashes: tally.crashes,
    serverErrors: tally.serverErrors,
    unexpectedChanges: tally.unexpectedChanges,
    nonEnvelope: tally.nonEnvelope,
    failures: shown,
  }).toEqual({
    crashes: 0,
    serverErrors: 0,
    unexpectedChanges: 0,
    nonEnvelope: 0,
    failures: [],
  });
  expect(tally.requests).toBeGreaterThan(0);
}

// ------------------------------------------------------------------ the fast runtime: real API code, fake app

function ok(): ExecutionResultLike {
  const now = new Date();
  return { ok: true, killed: false, startedAt: now, finishedAt: now, calls: {}, logs: [] };
}

class ApiRuntime implements DevRuntime {
  readonly h = createHarness();
  readonly clock = { now: () => this.h.clock.now() };
  readonly youtube = new YouTubeFake();
  readonly spreadsheets = { list: () => [], values: () => [] };
  readonly triggers = [];
  readonly mail = [];
  readonly calls = {};
  constructor() {
    // The fuzz is about the router, parsing and auth; the rate limit would turn most answers into 429.
    this.h.app.settings.rate_limit_per_minute = 1_000_000_000;
  }
  get properties() {
    return { script: this.h.properties.getAll() };
  }
  webRequest(req: WebRequestLike): { result: ExecutionResultLike; response: WebResponseLike | null } {
    // As doGet/doPost do (src-server/main.ts): the event → ApiRequest → the router.
    const api = handleRequest(requestFromEvent(buildWebEvent(req) as never, req.method), this.h.deps);
    const type = api.contentType.split(';')[0]!.trim().toLowerCase();
    return {
      result: ok(),
      response: type === 'text/html' ? { mimeType: 'text/html', body: api.body, html: true } : { mimeType: type, body: api.body },
    };
  }
  run(): ExecutionResultLike {
    return ok();
  }
  scriptRun(): ExecutionResultLike {
    return ok();
  }
  advance(): ExecutionResultLike[] {
    return [];
  }
  advanceTo(): ExecutionResultLike[] {
    return [];
  }
  snapshot(): unknown {
    return {};
  }
}

const withoutKeyUse = (props: Record<string, string>) =>
  JSON.stringify(
    Object.entries(props)
      .filter(([k]) => !k.startsWith('api.key_used.'))
      .sort(),
  );

describe('API fuzz through the local server', () => {
  it(`${API_RUNS} generated requests against the real API code: no crash, no 5xx, envelopes only, nothing changed without a write credential`, async () => {
    const runtime = new ApiRuntime();
    const server: DevServer = await startServer({ runtime, port: 0 });
    try {
      const { h } = runtime;
      const keyId = h.keys.list().find((k) => k.name === 'writer')!.id;
      const creds: Credentials = { write: h.writeKey, read: h.readKey, token: issueToken(h.deps, keyId, 'write', 3600).token };
      const MUTATING =
        /^(createJob|updateJob|patchJob|deleteJob|pauseJob|resumeJob|enableJob|disableJob|runNow|bulk|importJobs|updateSettings|tick|ensureTriggers)$/;
      const target: Target = {
        port: server.port,
        creds,
        fingerprint: () =>
          `${withoutKeyUse(h.properties.getAll())}|${h.app.calls.filter((c) => MUTATING.test(c.name)).length}|${h.app.audits.length}|${JSON.stringify([...h.app.jobs.keys()])}`,
        jobIds: () => [...h.app.jobs.keys()],
      };
      // Jobs to act on (the writes of the fuzz add and delete more).
      for (let n = 0; n < 3; n++) h.call('POST', '/jobs', { key: h.writeKey, body: { ...DAILY_SYNC, name: `Seed ${n}` } });
      const started = Date.now();
      const tally = await runFuzz(target, generate(API_RUNS, SEED));
      console.log(table('real API code (src-server/api) with fakes, through the local server', tally, Date.now() - started));
      expectClean(tally);
      expect(tally.requests).toBe(API_RUNS);
    } finally {
      await server.close();
    }
  }, 180_000);

  it(`${BUNDLE_RUNS} generated requests against the built bundle as npm start serves it`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'y2s-fuzz-'));
    const writeKey = 'fuzz-write-key-0001';
    let running: RunningDevServer | null = null;
    try {
      running = await main(
        parseArgs(['--port', '0', '--speed', '0', '--no-build', '--fresh', '--state', join(dir, 'state.json'), '--api-key', writeKey]),
        () => undefined,
      );
      const url = running.server.url;
      const session = running.server.session;
      const runtime = () => session.runtime as DevRuntime & { clock: { now(): Date; set(d: Date): void } };
      // A read key and a token, made the way a user makes them.
      const readKey = await (async () => {
        const made = runtime().run('importLocalApiKey_', 'fuzz-read-key-0001', { name: 'fuzz reader', scope: 'read' });
        expect(made.ok).toBe(true);
        return 'fuzz-read-key-0001';
      })();
      const tokenAnswer = (await (await fetch(`${url}/exec/api/v1/auth/token?key=${writeKey}`, { method: 'POST' })).json()) as {
        data: { access_token: string };
      };
      // A few jobs for the routes with an id to act on; the fuzz adds the ids of the jobs it creates.
      const knownIds: string[] = [];
      for (const name of ['Fuzz A', 'Fuzz B', 'Fuzz C']) {
        const made = await fetch(`${url}/exec/api/v1/jobs?key=${writeKey}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name,
            channels: ['@tinycooking'],
            schedule_type: 'daily',
            schedule_value: '09:00',
            target_tab_name: name,
          }),
        });
        expect(made.status).toBe(200);
        knownIds.push(((await made.json()) as { data: { id: string } }).data.id);
      }
      const target: Target = {
        port: running.server.port,
        creds: { write: writeKey, read: readKey, token: tokenAnswer.data.access_token },
        fingerprint: () => {
          const rt = runtime();
          const sheets = rt.spreadsheets.list().map((ss) => [ss.id, ss.sheets.map((s) => [s.name, rt.spreadsheets.values(ss.id, s.name)])]);
          return `${withoutKeyUse(rt.properties.script)}|${JSON.stringify(sheets)}`;
        },
        // 1.1 s of virtual time per request keeps every key under the 60-a-minute limit; setting the
        // clock fires no trigger, so nothing but the requests changes state.
        before: () => runtime().clock.set(new Date(runtime().clock.now().getTime() + 1_100)),
        jobIds: () => knownIds,
      };
      const started = Date.now();
      const tally = await runFuzz(target, generate(BUNDLE_RUNS, SEED + 1));
      console.log(table('built bundle (build/Code.js) in the local runtime, as npm start serves it', tally, Date.now() - started));
      expectClean(tally);
    } finally {
      await running?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
