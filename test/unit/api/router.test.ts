import { createHarness, DAILY_SYNC } from './support';
import { AppError, type JobDetailDto, type JobDto } from '../../../src-server/app/contract';

function setup() {
  const h = createHarness();
  const create = (body: unknown = DAILY_SYNC) => h.call('POST', '/jobs', { key: h.writeKey, body });
  return { ...h, create };
}

describe('job routes', () => {
  test('POST /jobs creates the Daily Sync job of the original spec as it is: 201, envelope, audited with the key id', () => {
    const h = setup();
    const { response, json } = h.create();
    expect(response.status).toBe(201);
    expect(response.contentType).toBe('application/json');
    expect(json.ok).toBe(true);
    const job = json.data as JobDetailDto;
    expect(job.config.name).toBe('Daily Sync');
    expect(job.config.channels).toEqual(['@mkbhd']);
    expect(json.meta).toEqual({ warnings: [] });
    const keyId = h.keys.list().find((k) => k.name === 'writer')!.id;
    expect(h.app.audits).toEqual([{ actor: { kind: 'api', key_id: keyId }, action: 'job.create', job_id: job.id }]);
  });

  test('GET /jobs lists with pagination meta and passes typed filters to the use case', () => {
    const h = setup();
    h.create();
    h.create({ ...DAILY_SYNC, name: 'Other' });
    const { json } = h.call('GET', '/jobs', {
      key: h.readKey,
      query: { page: '1', page_size: '1', status: 'active', enabled: 'true', tag: 'x', q: 'daily', sort: 'name', order: 'desc' },
    });
    expect(json.ok).toBe(true);
    expect(json.meta).toEqual({ total: 1, page: 1, page_size: 1, pages: 1 });
    expect(h.app.calls.find((c) => c.name === 'listJobs')!.args[0]).toEqual({
      page: 1,
      page_size: 1,
      status: 'active',
      enabled: true,
      tag: 'x',
      q: 'daily',
      sort: 'name',
      order: 'desc',
    });
  });

  test('GET /jobs refuses bad query values naming each parameter (422)', () => {
    const h = setup();
    const { response, json } = h.call('GET', '/jobs', {
      key: h.readKey,
      query: { page: '0', page_size: '500', status: 'nope', sort: 'password' },
    });
    expect(response.status).toBe(422);
    expect(json.error!.code).toBe('validation_failed');
    const paths = (json.error!.details as { path: string; message: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['page', 'page_size', 'sort', 'status']);
    expect(json.error!.message).toContain('page_size: must be at most 200');
  });

  test('GET /jobs/{id}, PUT, PATCH (with expected_version), DELETE', () => {
    const h = setup();
    const id = (h.create().json.data as JobDto).id;
    expect((h.call('GET', `/jobs/${id}`, { key: h.readKey }).json.data as JobDto).id).toBe(id);

    const put = h.call('PUT', `/jobs/${id}`, {
      key: h.writeKey,
      body: { ...DAILY_SYNC, name: 'Renamed' },
      query: { expected_version: '1' },
    });
    expect(put.response.status).toBe(200);
    expect((put.json.data as JobDto).config.name).toBe('Renamed');
    expect(h.app.calls.find((c) => c.name === 'updateJob')!.args[3]).toBe(1);

    const stale = h.call('PATCH', `/jobs/${id}`, { key: h.writeKey, body: { schedule_value: '10:30' }, query: { expected_version: '1' } });
    expect(stale.json.error).toMatchObject({ status: 409, code: 'version_conflict' });

    const patch = h.call('PATCH', `/jobs/${id}`, { key: h.writeKey, body: { schedule_value: '10:30' } });
    expect((patch.json.data as JobDto).config.schedule_value).toBe('10:30');

    const del = h.call('DELETE', `/jobs/${id}`, { key: h.writeKey });
    expect(del.json).toMatchObject({ ok: true, data: { id, deleted: true } });
    expect(h.call('GET', `/jobs/${id}`, { key: h.readKey }).json.error).toMatchObject({ status: 404, code: 'job_not_found' });
    expect(h.app.audits.map((a) => a.action)).toEqual(['job.create', 'job.update', 'job.update', 'job.delete']);
  });

  test('execute, pause, resume', () => {
    const h = setup();
    const id = (h.create().json.data as JobDto).id;
    expect(h.call('POST', `/jobs/${id}/execute`, { key: h.writeKey }).json.data).toMatchObject({ job_id: id, status: 'succeeded' });
    expect(h.call('POST', `/jobs/${id}/pause`, { key: h.writeKey }).json.data).toMatchObject({ paused: true });
    expect(h.call('POST', `/jobs/${id}/resume`, { key: h.writeKey }).json.data).toMatchObject({ paused: false });
    expect(h.call('POST', '/jobs/nope/pause', { key: h.writeKey }).json.error).toMatchObject({ status: 404, code: 'job_not_found' });
  });

  test('POST /jobs/bulk validates its body strictly and reports per id', () => {
    const h = setup();
    const id = (h.create().json.data as JobDto).id;
    const ok = h.call('POST', '/jobs/bulk', { key: h.writeKey, body: { action: 'pause', ids: [id, 'missing'] } });
    expect(ok.json.data).toMatchObject({
      action: 'pause',
      results: [
        { id, ok: true },
        { id: 'missing', ok: false },
      ],
    });
    const bad = h.call('POST', '/jobs/bulk', { key: h.writeKey, body: { action: 'explode', ids: [], extra: 1 } });
    expect(bad.response.status).toBe(422);
    const details = bad.json.error!.details as { path: string; message: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        { path: 'action', message: 'must be one of pause, resume, enable, disable, delete, run_now' },
        { path: 'ids', message: 'must have at least 1 items' },
        { path: '', message: 'unknown field: extra' },
      ]),
    );
  });

  test('stats and runs and audit', () => {
    const h = setup();
    const id = (h.create().json.data as JobDto).id;
    expect(h.call('GET', '/jobs/stats', { key: h.readKey }).json.data).toMatchObject({ jobs: { total: 1 } });
    const runs = h.call('GET', `/jobs/${id}/runs`, { key: h.readKey, query: { page: '2', page_size: '10' } });
    expect(runs.json).toMatchObject({ ok: true, data: [], meta: { page: 2, page_size: 10 } });
    const audit = h.call('GET', '/audit', { key: h.readKey, query: { job_id: id, since: '2026-01-01T00:00:00Z' } });
    expect(audit.json.data).toEqual([expect.objectContaining({ action: 'job.create', job_id: id })]);
    expect(h.call('GET', '/audit', { key: h.readKey, query: { since: 'yesterday' } }).json.error).toMatchObject({ status: 422 });
  });

  test('export returns the file with its content type, not the envelope; filters and format are passed on', () => {
    const h = setup();
    const csv = h.call('GET', '/jobs/export', { key: h.readKey, query: { format: 'csv', status: 'paused' } });
    expect(csv.response).toEqual({ status: 200, contentType: 'text/csv', body: 'name\nDaily Sync\n' });
    expect(h.app.calls.find((c) => c.name === 'exportJobs')!.args).toEqual(['csv', { status: 'paused' }]);
    expect(h.call('GET', '/jobs/export', { key: h.readKey, query: { format: 'yaml' } }).response.contentType).toBe('application/yaml');
    expect(h.call('GET', '/jobs/export', { key: h.readKey }).response.contentType).toBe('application/json');
    expect(h.call('GET', '/jobs/export', { key: h.readKey, query: { format: 'xml' } }).json.error).toMatchObject({ status: 422 });
  });

  test('import: a JSON body {format, content}, or the raw file with ?format=', () => {
    const h = setup();
    const wrapped = h.call('POST', '/jobs/import', { key: h.writeKey, body: { format: 'yaml', content: '- name: x\n' } });
    expect(wrapped.json).toMatchObject({ ok: true, data: { created: ['j_100'] } });
    expect(h.app.calls.at(-1)!.args.slice(0, 2)).toEqual(['- name: x\n', 'yaml']);

    const raw = h.call('POST', '/jobs/import', {
      key: h.writeKey,
      query: { format: 'yaml' },
      text: '- name: y\n',
      contentType: 'application/yaml',
    });
    expect(raw.json.ok).toBe(true);
    expect(h.app.calls.at(-1)!.args.slice(0, 2)).toEqual(['- name: y\n', 'yaml']);

    const missing = h.call('POST', '/jobs/import', { key: h.writeKey, body: { format: 'json' } });
    expect(missing.json.error).toMatchObject({ status: 422, details: [{ path: 'content', message: 'expected string' }] });
    expect(h.app.audits.filter((a) => a.action === 'import')).toHaveLength(2);
  });

  test('health needs no credential and then shows only status; with a key, the full report', () => {
    const h = setup();
    const open = h.call('GET', '/jobs/health');
    expect(open.json).toEqual({ ok: true, data: { status: 'ok', checked_at: '2026-01-05T12:00:10.000Z' }, meta: {} });
    expect(open.response.body).not.toContain('Secret job name');
    const full = h.call('GET', '/jobs/health', { key: h.readKey });
    expect(full.json.data).toMatchObject({ failing_jobs: [{ job_name: 'Secret job name' }] });
    expect(h.call('GET', '/jobs/health', { key: 'y2s_k_00000000_wrongwrongwrongwrong' }).json.error).toMatchObject({ status: 401 });
  });

  test('the open health answer is cached for 30 s: probes do not each run a health check', () => {
    const h = setup();
    let checks = 0;
    const health = h.app.health.bind(h.app);
    h.app.health = () => {
      checks++;
      return health();
    };
    for (let i = 0; i < 5; i++) expect(h.call('GET', '/jobs/health').json.ok).toBe(true);
    expect(checks).toBe(1);
    h.call('GET', '/jobs/health', { key: h.readKey });
    expect(checks).toBe(2); // an authenticated caller always gets a fresh, full report
  });
});

describe('validation, bodies and content types', () => {
  test('unknown fields of a job are refused with the field named (422); nothing is stored', () => {
    const h = setup();
    const { response, json } = h.create({ ...DAILY_SYNC, colour: 'red' });
    expect(response.status).toBe(422);
    expect(json.error!.code).toBe('validation_failed');
    expect(JSON.stringify(json.error!.details)).toContain('colour');
    expect(h.app.jobs.size).toBe(0);
  });

  test('each invalid field is listed with its path', () => {
    const h = setup();
    const { json } = h.create({ ...DAILY_SYNC, schedule_type: 'hourly', priority: 99 });
    const paths = (json.error!.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['schedule_type', 'priority']));
  });

  test('malformed JSON is a 400 that says so', () => {
    const h = setup();
    const { response, json } = h.call('POST', '/jobs', { key: h.writeKey, text: '{"name": "Daily', contentType: 'application/json' });
    expect(response.status).toBe(400);
    expect(json.error).toMatchObject({ code: 'bad_request' });
    expect(json.error!.message).toMatch(/^Malformed JSON body/);
  });

  test('text/plain bodies are JSON too (browsers send them to avoid a preflight); charset parameters are fine', () => {
    const h = setup();
    expect(
      h.call('POST', '/jobs', { key: h.writeKey, text: JSON.stringify(DAILY_SYNC), contentType: 'text/plain;charset=utf-8' }).response
        .status,
    ).toBe(201);
    expect(
      h.call('POST', '/jobs', { key: h.writeKey, text: JSON.stringify(DAILY_SYNC), contentType: 'application/json; charset=UTF-8' })
        .response.status,
    ).toBe(201);
  });

  test('other content types are 415; JSON posted as a form is 415', () => {
    const h = setup();
    const xml = h.call('POST', '/jobs', { key: h.writeKey, text: '<job/>', contentType: 'application/xml' });
    expect(xml.json.error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const form = h.call('POST', '/jobs', {
      key: h.writeKey,
      text: JSON.stringify(DAILY_SYNC),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.json.error).toMatchObject({ status: 415 });
  });

  test('a body over the limit is 413 before anything else is read', () => {
    const h = setup();
    const big = JSON.stringify({ ...DAILY_SYNC, description: 'é'.repeat(140 * 1024) }); // 280 KB in UTF-8
    const { json } = h.call('POST', '/jobs', { key: h.writeKey, text: big });
    expect(json.error).toMatchObject({ status: 413, code: 'payload_too_large', details: { limit_bytes: 262144 } });
    expect(h.app.calls).toHaveLength(0);
  });

  test('a route that needs a body says so when there is none', () => {
    const h = setup();
    expect(h.call('POST', '/jobs', { key: h.writeKey }).json.error).toMatchObject({
      status: 400,
      message: 'This route needs a JSON body.',
    });
  });

  test('credentials and _method in the JSON body are taken out before validation', () => {
    const h = setup();
    const { response } = h.call('POST', '/jobs', { body: { ...DAILY_SYNC, key: h.writeKey }, contentType: 'text/plain' });
    expect(response.status).toBe(201);
    const created = h.app.calls.find((c) => c.name === 'createJob')!.args[0] as Record<string, unknown>;
    expect(created).not.toHaveProperty('key');
    const id = [...h.app.jobs.keys()][0]!;
    const del = h.handle({
      method: 'POST',
      pathInfo: `api/v1/jobs/${id}`,
      parameters: {},
      body: JSON.stringify({ _method: 'DELETE', key: h.writeKey }),
      contentType: 'text/plain',
    });
    expect(del.status).toBe(200);
    expect(h.app.jobs.size).toBe(0);
  });
});

describe('routing and method override', () => {
  test('PUT/PATCH/DELETE arrive as POST with _method (query), case-insensitive', () => {
    const h = setup();
    const id = (h.create().json.data as JobDto).id;
    const res = h.handle({
      method: 'POST',
      pathInfo: `api/v1/jobs/${id}`,
      parameters: { _method: ['delete'], key: [h.writeKey] },
      body: null,
      contentType: null,
    });
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, data: { deleted: true } });
  });

  test('_method on GET is refused (a link must never delete); only PUT, PATCH, DELETE are accepted', () => {
    const h = setup();
    const id = (h.create().json.data as JobDto).id;
    const viaGet = h.handle({
      method: 'GET',
      pathInfo: `api/v1/jobs/${id}`,
      parameters: { _method: ['DELETE'], key: [h.writeKey] },
      body: null,
      contentType: null,
    });
    expect(JSON.parse(viaGet.body).error).toMatchObject({ status: 400, code: 'bad_request' });
    expect(h.app.jobs.has(id)).toBe(true);
    const odd = h.handle({
      method: 'POST',
      pathInfo: `api/v1/jobs/${id}`,
      parameters: { _method: ['TRACE'], key: [h.writeKey] },
      body: null,
      contentType: null,
    });
    expect(JSON.parse(odd.body).error.message).toBe('_method must be PUT, PATCH or DELETE.');
  });

  test('literal segments win over ids; a known path with the wrong method is 405 with the allowed methods', () => {
    const h = setup();
    expect(h.call('GET', '/jobs/stats', { key: h.readKey }).json.ok).toBe(true);
    const wrong = h.call('GET', '/jobs/import', { key: h.readKey });
    expect(wrong.json.error).toMatchObject({ status: 405, code: 'method_not_allowed', details: { allowed: ['POST'] } });
    expect(h.call('DELETE', '/jobs', { key: h.writeKey }).json.error).toMatchObject({ status: 405, details: { allowed: ['GET', 'POST'] } });
  });

  test('unknown routes and paths outside api/v1 are 404 not_found', () => {
    const h = setup();
    expect(h.call('GET', '/nothing', { key: h.readKey }).json.error).toMatchObject({ status: 404, code: 'not_found' });
    const outside = h.handle({ method: 'GET', pathInfo: '', parameters: {}, body: null, contentType: null });
    expect(JSON.parse(outside.body).error).toMatchObject({ status: 404, code: 'not_found' });
    const slashes = h.handle({
      method: 'GET',
      pathInfo: '/api/v1/jobs/stats/',
      parameters: { key: [h.readKey] },
      body: null,
      contentType: null,
    });
    expect(JSON.parse(slashes.body).ok).toBe(true);
  });

  test('ids are URL-decoded', () => {
    const h = setup();
    h.call('GET', '/jobs/a%20b', { key: h.readKey });
    expect(h.call('GET', '/jobs/a%20b', { key: h.readKey }).json.error!.message).toBe('No job with id a b.');
  });
});

describe('errors', () => {
  test('an unexpected error is a 500 internal with no message, stack or secret; the log keeps it', () => {
    const h = setup();
    h.setApp(() => {
      throw new Error('database password is hunter2');
    });
    const { response, json } = h.call('GET', '/jobs/stats', { key: h.readKey });
    expect(response.status).toBe(500);
    expect(json.error).toEqual({
      status: 500,
      code: 'internal',
      message: 'Internal error: the request could not be completed.',
      details: null,
    });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
    expect(JSON.stringify(h.logged)).toContain('hunter2');
  });

  test('AppErrors of the use cases keep their status, code and details', () => {
    const h = setup();
    const busy = new AppError(503, 'busy', 'Try again', { retry_after: 2 });
    h.setApp(
      () =>
        ({
          ...h.app,
          getSettings: () => h.app.settings,
          stats: () => {
            throw busy;
          },
        }) as never,
    );
    expect(h.call('GET', '/jobs/stats', { key: h.readKey }).json.error).toEqual({
      status: 503,
      code: 'busy',
      message: 'Try again',
      details: { retry_after: 2 },
    });
  });
});
