/**
 * The web API through the built bundle (build/Code.js) in the local runtime: doGet/doPost get the
 * event objects Apps Script builds (no headers, only GET and POST), so `_method` and the `key` /
 * `access_token` parameters are exercised exactly as on the deployed web app.
 */
import { createRuntime, type Runtime } from '../../../emulator';
import { matchRoute, ROUTES } from '../../../src-server/api/routes';
import type { HttpMethod } from '../../../src-server/api/types';
import { buildOpenApiDocument, type ServerEntry } from '../../../src-server/api/openapi';

/** Routes answered without an error envelope at least once (checked against the route table at the end). */
const covered = new Set<string>();

const WRITE_KEY = 'y2s_k_0000aaaa_integrationWriteKeySecret0001';
const READ_KEY = 'y2s_k_0000bbbb_integrationReadKeySecret00002';
const DAILY_SYNC = {
  name: 'Daily Sync',
  channels: ['@mkbhd'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  target_sheet_id: 'your_sheet_id',
  target_tab_name: 'Videos',
};

interface Envelope {
  ok: boolean;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  meta?: Record<string, unknown>;
  error?: { status: number; code: string; message: string; details: unknown };
}

interface Call {
  query?: Record<string, string>;
  body?: unknown;
  text?: string;
  contentType?: string;
  key?: string;
  token?: string;
}

function api(runtime: Runtime, method: string, path: string, call: Call = {}) {
  const query: Record<string, string> = { ...(call.query ?? {}) };
  if (call.key) query.key = call.key;
  if (call.token) query.access_token = call.token;
  const wire = method === 'GET' ? 'GET' : 'POST';
  if (wire !== method) query._method = method;
  const body = call.text ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const { result, response } = runtime.webRequest({
    method: wire,
    pathInfo: `api/v1${path}`,
    query,
    ...(body === undefined ? {} : { body, contentType: call.contentType ?? 'application/json' }),
  });
  if (!result.ok) throw new Error(`doGet/doPost failed: ${result.error?.name}: ${result.error?.message}`);
  const text = response!.body;
  let json: Envelope | null = null;
  try {
    json = JSON.parse(text) as Envelope;
  } catch {
    json = null;
  }
  const match = matchRoute(method as HttpMethod, path.split('?')[0]!);
  if (match && 'route' in match && json?.ok !== false) covered.add(`${match.route.method} ${match.route.path}`);
  return { response: response!, json: json as Envelope, text, result };
}

function freshRuntime(): Runtime {
  const runtime = createRuntime();
  for (const [key, scope] of [
    [WRITE_KEY, 'write'],
    [READ_KEY, 'read'],
  ] as const) {
    const r = runtime.run<string>('importLocalApiKey_', key, { name: `it-${scope}`, scope });
    if (!r.ok) throw new Error(`importLocalApiKey_ failed: ${r.error?.message}`);
  }
  return runtime;
}

describe('web API in the local runtime', () => {
  let runtime: Runtime;
  beforeEach(() => {
    runtime = freshRuntime();
  });

  test('the key store holds only hashes of the registered keys; importing again is idempotent', () => {
    const props = JSON.stringify(runtime.properties.script);
    expect(props).toContain('api.key.k_0000aaaa');
    expect(props).not.toContain('integrationWriteKeySecret');
    const before = runtime.properties.script['api.key.k_0000aaaa'];
    expect(runtime.run('importLocalApiKey_', WRITE_KEY, { scope: 'write' }).value).toBe('k_0000aaaa');
    expect(runtime.properties.script['api.key.k_0000aaaa']).toBe(before);
    // Each registration is audited once; the idempotent repeat adds no row.
    const audit = api(runtime, 'GET', '/audit', { key: READ_KEY, query: { action: 'key.import' } });
    const rows = audit.json.data as { actor: string; action: string; changes: string }[];
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.actor === 'system')).toBe(true);
    expect(rows.map((r) => JSON.parse(r.changes) as { key_id: string; scope: string })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key_id: 'k_0000aaaa', scope: 'write' }),
        expect.objectContaining({ scope: 'read' }),
      ]),
    );
    expect(JSON.stringify(rows)).not.toContain('integrationWriteKeySecret');
  });

  test('the private key import cannot be reached through google.script.run', () => {
    expect(runtime.scriptRun('importLocalApiKey_', 'anything-long-enough').ok).toBe(false);
  });

  test('every job route, with the audit rows naming the key id', () => {
    const created = api(runtime, 'POST', '/jobs', { key: WRITE_KEY, body: { ...DAILY_SYNC, target_sheet_id: '' } });
    expect(created.json).toMatchObject({ ok: true, data: { config: { name: 'Daily Sync', channels: ['@mkbhd'] } } });
    expect(created.response.mimeType).toMatch(/json/i);
    const id = created.json.data.id as string;

    const list = api(runtime, 'GET', '/jobs', { key: READ_KEY, query: { q: 'daily', sort: 'name', page_size: '10' } });
    expect(list.json.ok).toBe(true);
    expect(list.json.data.map((j: { id: string }) => j.id)).toEqual([id]);
    expect(list.json.data[0].schedule_text).toMatch(/09:00/); // list items describe their schedule too
    expect(list.json.meta).toMatchObject({ total: 1, page: 1, page_size: 10 });

    expect(api(runtime, 'GET', `/jobs/${id}`, { key: READ_KEY }).json.data).toMatchObject({ id, next_runs: expect.any(Array) });

    const put = api(runtime, 'PUT', `/jobs/${id}`, { key: WRITE_KEY, body: { ...DAILY_SYNC, target_sheet_id: '', name: 'Daily Sync 2' } });
    expect(put.json).toMatchObject({ ok: true, data: { config: { name: 'Daily Sync 2' } } });
    const version = put.json.data.version as number;
    const stale = api(runtime, 'PATCH', `/jobs/${id}`, {
      key: WRITE_KEY,
      body: { schedule_value: '10:30' },
      query: { expected_version: String(version - 1) },
    });
    expect(stale.json.error).toMatchObject({ status: 409, code: 'version_conflict' });
    const patch = api(runtime, 'PATCH', `/jobs/${id}`, {
      key: WRITE_KEY,
      body: { schedule_value: '10:30' },
      query: { expected_version: String(version) },
    });
    expect(patch.json).toMatchObject({ ok: true, data: { config: { schedule_value: '10:30' } } });

    expect(api(runtime, 'POST', `/jobs/${id}/pause`, { key: WRITE_KEY }).json).toMatchObject({ ok: true, data: { paused: true } });
    expect(api(runtime, 'POST', `/jobs/${id}/resume`, { key: WRITE_KEY }).json).toMatchObject({ ok: true, data: { paused: false } });

    const run = api(runtime, 'POST', `/jobs/${id}/execute`, { key: WRITE_KEY });
    expect(run.json).toMatchObject({ ok: true, data: { job_id: id } });
    expect(run.json.data.videos_added).toBeGreaterThan(0);

    const runs = api(runtime, 'GET', `/jobs/${id}/runs`, { key: READ_KEY });
    expect(runs.json.data.length).toBeGreaterThanOrEqual(1);

    expect(api(runtime, 'GET', '/jobs/stats', { key: READ_KEY }).json).toMatchObject({ ok: true, data: { jobs: { total: 1 } } });

    const bulk = api(runtime, 'POST', '/jobs/bulk', { key: WRITE_KEY, body: { action: 'pause', ids: [id, 'j_missing'] } });
    expect(bulk.json.data.results).toEqual([
      expect.objectContaining({ id, ok: true }),
      expect.objectContaining({ id: 'j_missing', ok: false }),
    ]);

    const csv = api(runtime, 'GET', '/jobs/export', { key: READ_KEY, query: { format: 'csv' } });
    expect(csv.response.mimeType).toMatch(/csv/i);
    expect(csv.text).toContain('Daily Sync 2');
    const yaml = api(runtime, 'GET', '/jobs/export', { key: READ_KEY, query: { format: 'yaml' } });
    expect(yaml.text).toContain('Daily Sync 2');
    const json = api(runtime, 'GET', '/jobs/export', { key: READ_KEY, query: { format: 'json' } });
    expect(json.text).toContain('Daily Sync 2');

    const del = api(runtime, 'DELETE', `/jobs/${id}`, { key: WRITE_KEY });
    expect(del.json).toMatchObject({ ok: true, data: { id, deleted: true } });
    expect(api(runtime, 'GET', `/jobs/${id}`, { key: READ_KEY }).json.error).toMatchObject({ status: 404, code: 'job_not_found' });

    const imported = api(runtime, 'POST', '/jobs/import', { key: WRITE_KEY, body: { format: 'json', content: json.text } });
    expect(imported.json).toMatchObject({ ok: true });
    expect(imported.json.data.created.length + imported.json.data.updated.length).toBe(1);

    // YAML import loads its parser from the project file build/yaml-reader.html (not part of Code.js).
    const fromYaml = api(runtime, 'POST', '/jobs/import', {
      key: WRITE_KEY,
      query: { format: 'yaml' },
      text: yaml.text,
      contentType: 'application/yaml',
    });
    expect(fromYaml.json).toMatchObject({ ok: true, data: { created: [], updated: [], unchanged: [expect.any(String)] } });
    const badYaml = api(runtime, 'POST', '/jobs/import', { key: WRITE_KEY, body: { format: 'yaml', content: 'jobs: [unclosed' } });
    expect(badYaml.json.error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: expect.stringMatching(/^import: the YAML text cannot be read \(/),
    });

    const audit = api(runtime, 'GET', '/audit', { key: READ_KEY, query: { page_size: '100' } });
    expect(audit.json.ok).toBe(true);
    const rows = audit.json.data as { actor: string; action: string; job_id: string | null }[];
    const mine = rows.filter((r) => r.actor === 'api:k_0000aaaa');
    expect(mine.length).toBeGreaterThanOrEqual(8);
    expect(rows.some((r) => r.actor === 'api:k_0000bbbb')).toBe(false); // the read key changed nothing
    expect(mine.map((r) => r.action)).toEqual(expect.arrayContaining([expect.stringMatching(/create/), expect.stringMatching(/delete/)]));
  });

  test('health: open without credentials (status only), full with a key', () => {
    const open = api(runtime, 'GET', '/jobs/health');
    expect(open.json.ok).toBe(true);
    expect(Object.keys(open.json.data).sort()).toEqual(['checked_at', 'status']);
    const full = api(runtime, 'GET', '/jobs/health', { key: READ_KEY });
    expect(full.json.data).toHaveProperty('youtube_quota');
  });

  test('the auth matrix: none, wrong key, read key on a write route, tokens (good, bad signature, expired, alg none)', () => {
    expect(api(runtime, 'GET', '/jobs').json.error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(api(runtime, 'GET', '/jobs', { key: 'y2s_k_0000aaaa_wrongwrongwrongwrongwrong' }).json.error).toMatchObject({ status: 401 });
    expect(api(runtime, 'POST', '/jobs', { key: READ_KEY, body: DAILY_SYNC }).json.error).toMatchObject({ status: 403, code: 'forbidden' });

    const issued = api(runtime, 'POST', '/auth/token', { key: WRITE_KEY, body: { expires_in: 120 } });
    expect(issued.json).toMatchObject({ ok: true, data: { token_type: 'Bearer', expires_in: 120, scope: 'write' } });
    const token = issued.json.data.access_token as string;
    expect(api(runtime, 'GET', '/jobs', { token }).json.ok).toBe(true);

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    expect(api(runtime, 'GET', '/jobs', { token: none }).json.error).toMatchObject({ status: 401 });
    const tampered = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(api(runtime, 'GET', '/jobs', { token: tampered }).json.error).toMatchObject({ status: 401 });

    runtime.clock.set(new Date(runtime.clock.now().getTime() + 121_000));
    expect(api(runtime, 'GET', '/jobs', { token }).json.error).toMatchObject({ status: 401, message: expect.stringContaining('expired') });

    // rotateJwtSecret (a global for the script editor) ends every token.
    const fresh = api(runtime, 'POST', '/auth/token', { key: READ_KEY }).json.data.access_token as string;
    expect(runtime.run('rotateJwtSecret').ok).toBe(true);
    expect(api(runtime, 'GET', '/jobs', { token: fresh }).json.error).toMatchObject({ status: 401 });
  });

  test('each error class comes back in the envelope', () => {
    expect(api(runtime, 'GET', '/nope', { key: READ_KEY }).json.error).toMatchObject({ status: 404, code: 'not_found' });
    expect(api(runtime, 'GET', '/jobs/import', { key: READ_KEY }).json.error).toMatchObject({ status: 405 });
    expect(api(runtime, 'POST', '/jobs', { key: WRITE_KEY, text: '{"name":' }).json.error).toMatchObject({
      status: 400,
      code: 'bad_request',
    });
    expect(api(runtime, 'POST', '/jobs', { key: WRITE_KEY, text: '<xml/>', contentType: 'application/xml' }).json.error).toMatchObject({
      status: 415,
    });
    const big = 'x'.repeat(300 * 1024);
    expect(api(runtime, 'POST', '/jobs', { key: WRITE_KEY, body: { ...DAILY_SYNC, description: big } }).json.error).toMatchObject({
      status: 413,
    });
    const unknown = api(runtime, 'POST', '/jobs', { key: WRITE_KEY, body: { ...DAILY_SYNC, colour: 'red' } });
    expect(unknown.json.error).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(JSON.stringify(unknown.json.error!.details)).toContain('colour');
    const typo = api(runtime, 'POST', '/jobs', { key: WRITE_KEY, body: { ...DAILY_SYNC, channels: ['@mkbhd', '@mkbhdd'] } });
    expect(typo.json.error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'channels.1: @mkbhdd: no such channel',
      details: [{ path: 'channels.1' }],
    });
    expect(api(runtime, 'GET', '/jobs', { key: READ_KEY }).json.meta).toMatchObject({ total: 0 });
  });

  test('method override: _method in the query or in a text/plain JSON body; never on GET', () => {
    const id = api(runtime, 'POST', '/jobs', { key: WRITE_KEY, body: DAILY_SYNC }).json.data.id as string;
    const viaGet = runtime.webRequest({ method: 'GET', pathInfo: `api/v1/jobs/${id}`, query: { key: WRITE_KEY, _method: 'DELETE' } });
    expect(JSON.parse(viaGet.response!.body).error).toMatchObject({ status: 400 });
    const viaBody = runtime.webRequest({
      method: 'POST',
      pathInfo: `api/v1/jobs/${id}`,
      body: JSON.stringify({ _method: 'DELETE', key: WRITE_KEY }),
      contentType: 'text/plain',
    });
    expect(JSON.parse(viaBody.response!.body)).toMatchObject({ ok: true, data: { deleted: true } });
  });

  test('rate limiting: a 429 with retry_after once the per-minute budget is spent', () => {
    const minute = Math.ceil(runtime.clock.now().getTime() / 60_000) * 60_000;
    runtime.clock.set(new Date(minute + 1_000));
    let limited: Envelope | null = null;
    for (let i = 0; i < 70 && !limited; i++) {
      const res = api(runtime, 'GET', '/jobs/stats', { key: READ_KEY }).json;
      if (!res.ok) limited = res;
    }
    expect(limited?.error).toMatchObject({ status: 429, code: 'rate_limited', details: { retry_after: expect.any(Number) } });
    expect(api(runtime, 'GET', '/jobs/stats', { key: WRITE_KEY }).json.ok).toBe(true);
  });

  test("schedule intelligence: a suggestion for the demo channels, a job's insights, freshness in the stats", () => {
    const suggest = api(runtime, 'GET', '/schedule/suggest', {
      key: READ_KEY,
      query: { channels: '@weeklyshow', timezone: 'America/New_York', target_delay_minutes: '120' },
    });
    expect(suggest.json.ok).toBe(true);
    expect(suggest.json.data).toMatchObject({
      schedule_type: 'weekly',
      schedule_value: expect.stringMatching(/^TUE,THU@1[78]:\d\d$/),
      runs_per_week: 2,
      quota_units_spent: 1,
    });
    expect(suggest.json.data.explanation).toMatch(
      /^@weeklyshow uploads mostly Tue and Thu 16:00–18:00 New York time; syncing Tue and Thu at/,
    );
    expect(suggest.json.data.heatmap[2][16] + suggest.json.data.heatmap[2][17]).toBeGreaterThan(10);
    const created = api(runtime, 'POST', '/jobs', {
      key: WRITE_KEY,
      body: { ...DAILY_SYNC, name: 'Show', channels: ['@weeklyshow'], target_sheet_id: '', target_tab_name: 'Show' },
    });
    const id = created.json.data.id as string;
    const insights = api(runtime, 'GET', `/jobs/${id}/insights`, { key: READ_KEY });
    expect(insights.json.data).toMatchObject({ job_id: id, freshness: { samples: 0 }, anomalies: [] });
    expect(
      api(runtime, 'GET', '/jobs/stats', { key: READ_KEY }).json.data.per_job.find((j: { job_id: string }) => j.job_id === id).freshness,
    ).toMatchObject({ window_days: 30 });
  });

  test('openapi.json and the docs page', () => {
    const doc = api(runtime, 'GET', '/openapi.json', { key: READ_KEY });
    expect(JSON.parse(doc.text)).toMatchObject({ openapi: '3.1.0', paths: { '/jobs': {} } });
    // The bundle serves the document generated at build time (project file openapi-document): the same
    // document the schemas give now, with the servers of this deployment.
    const served = JSON.parse(doc.text) as { servers: ServerEntry[] };
    expect(served).toEqual(buildOpenApiDocument(served.servers));
    expect(Object.keys(served).slice(0, 3)).toEqual(['openapi', 'info', 'servers']);
    const docs = api(runtime, 'GET', '/docs', { key: READ_KEY });
    expect(docs.response.html).toBe(true);
    expect(docs.text).toContain('swagger-ui-bundle.js');
    runtime.properties.script['api.docs_assets_url'] = '/__assets/swagger-ui';
    expect(api(runtime, 'GET', '/docs', { key: READ_KEY }).text).toContain('src="/__assets/swagger-ui/swagger-ui-bundle.js"');
  });

  test('POST /diagnostics: write scope runs the self-test on the platform; read scope and GET are refused', () => {
    const report = api(runtime, 'POST', '/diagnostics', { key: WRITE_KEY });
    expect(report.json).toMatchObject({ ok: true, data: { status: 'pass', counts: { pass: 11, warn: 0, fail: 0 } } });
    expect(report.json.data.text).toMatch(/^YouTube2Sheets Diagnostics — PASS/);
    expect(api(runtime, 'POST', '/diagnostics', { key: READ_KEY }).json.error).toMatchObject({ status: 403, code: 'forbidden' });
    expect(api(runtime, 'GET', '/diagnostics', { key: WRITE_KEY }).json.error).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });

  afterAll(() => {
    expect([...covered].sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
