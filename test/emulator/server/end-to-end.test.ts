/** The real dev server (cli main) over the real runtime and the built bundle (built by jest's globalSetup). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../../emulator/server/args';
import { main, type RunningDevServer } from '../../../emulator/server/cli';
import type { StateJson } from './stub-runtime';

let dir: string;
const lines: string[] = [];
const start = (extra: string[] = []): Promise<RunningDevServer> =>
  main(parseArgs(['--port', '0', '--speed', '0', '--no-build', '--state', join(dir, 'state.json'), ...extra]), (l) => lines.push(l));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'y2s-e2e-'));
  lines.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('npm start (in-process)', () => {
  it('serves the bundle, prints the URLs, and restores its state after a restart', async () => {
    const first = await start();
    const url = first.server.url;
    let now = '';
    try {
      expect(lines.join('\n')).toContain(`${url}/exec`);
      expect(lines.join('\n')).toContain('(fresh)');
      const health = await fetch(`${url}/exec/api/v1/jobs/health`);
      expect(health.headers.get('content-type')).toMatch(/^application\/json/);
      // The open health answer: an envelope with the status only (no job names or errors).
      expect(await health.json()).toMatchObject({
        ok: true,
        data: { status: expect.stringMatching(/^(ok|warning|error)$/), checked_at: expect.any(String) },
      });
      const opened = await post(`${url}/__emulator/run`, { fn: 'onOpen' });
      expect(opened.json).toMatchObject({ ok: true, killed: false });
      const moved = await post(`${url}/__emulator/advance`, { ms: 3_600_000 });
      expect(moved.status).toBe(200);
      await post(`${url}/__emulator/faults`, { method: 'search.list', kind: 'backendError', times: 3 });
      const state = (await (await fetch(`${url}/__emulator/state`)).json()) as StateJson;
      expect(state.sheets.length).toBeGreaterThan(0);
      expect(state.quota.limit).toBe(10_000);
      expect(state.youtube.channels.map((c: { handle: string | null }) => c.handle)).toContain('@mkbhd');
      now = state.now;
      expect(Date.parse(now)).toBeGreaterThanOrEqual(Date.parse('2026-01-05T13:00:00Z'));
    } finally {
      await first.stop(); // saves
    }
    lines.length = 0;
    const second = await start();
    try {
      expect(lines.join('\n')).toContain('restored');
      const state = (await (await fetch(`${second.server.url}/__emulator/state`)).json()) as StateJson;
      expect(state.now).toBe(now);
      expect(state.youtube.faults).toEqual([{ method: 'search.list', kind: 'backendError', times: 3 }]);
    } finally {
      await second.stop();
    }
    // --fresh ignores the saved state.
    lines.length = 0;
    const third = await start(['--fresh']);
    try {
      const state = (await (await fetch(`${third.server.url}/__emulator/state`)).json()) as StateJson;
      expect(state.now).not.toBe(now);
      expect(state.youtube.faults).toEqual([]);
    } finally {
      await third.stop();
    }
  });

  it("runs the original specification's curl examples as written with --open-api", async () => {
    const server = await start(['--fresh', '--api-key', 'local-dev-key-123', '--open-api']);
    const base = `${server.server.url}/api/v1`;
    try {
      expect(lines.join('\n')).toContain(`curl ${server.server.url}/api/v1/jobs`);
      // curl http://localhost:8000/api/v1/jobs
      const list = await fetch(`${base}/jobs`);
      expect(list.status).toBe(200);
      expect(await list.json()).toMatchObject({ ok: true, data: [] });
      // curl -X POST …/api/v1/jobs -H "Content-Type: application/json" -d '{…}'
      const created = await fetch(`${base}/jobs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"name": "Daily Sync", "channels": ["@mkbhd"], "schedule_type": "daily", "schedule_value": "09:00", "target_sheet_id": "your_sheet_id", "target_tab_name": "Videos"}',
      });
      expect(created.status).toBe(200); // a success envelope carries no status: the web app cannot send 201
      expect(await created.json()).toMatchObject({ ok: true, data: { config: { name: 'Daily Sync' } } });
      // curl …/api/v1/jobs/stats and …/api/v1/jobs/health
      expect((await fetch(`${base}/jobs/stats`)).status).toBe(200);
      expect(await (await fetch(`${base}/jobs/health`)).json()).toMatchObject({ ok: true });
      // A credential that is given is still checked.
      expect((await fetch(`${base}/jobs`, { headers: { 'X-API-Key': 'wrong-key-0000' } })).status).toBe(401);
      const audit = (await (await fetch(`${base}/audit?action=job.create`)).json()) as { data: { actor: string }[] };
      expect(audit.data[0]!.actor).toMatch(/^api:k_/);
    } finally {
      await server.stop();
    }
    // Without --open-api the same request needs a key.
    const closed = await start(['--fresh', '--api-key', 'local-dev-key-123']);
    try {
      expect((await fetch(`${closed.server.url}/api/v1/jobs`)).status).toBe(401);
    } finally {
      await closed.stop();
    }
  });

  it('answers hostile requests to the built bundle with envelopes, and keeps serving (issue 16)', async () => {
    const server = await start(['--fresh', '--api-key', 'local-dev-key-123']);
    const base = `${server.server.url}/exec/api/v1`;
    const key = 'local-dev-key-123';
    try {
      // Parameter names like Object.prototype members are plain data: no 500.
      const odd = await fetch(`${base}/jobs?key=${key}&constructor=a&toString=b&hasOwnProperty=c&__proto__=d`);
      expect(odd.status).toBeLessThan(500);
      expect(await odd.json()).toMatchObject({ ok: expect.any(Boolean) });
      const form = await fetch(`${base}/jobs?key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'constructor=1&toString=2&__proto__=3&hasOwnProperty=4',
      });
      expect(form.status).toBeLessThan(500);
      // A malformed % in a form body or in the path: 400 envelopes.
      const badForm = await fetch(`${base}/jobs?key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=%ZZ',
      });
      expect(badForm.status).toBe(400);
      expect(await badForm.json()).toMatchObject({ ok: false, error: { status: 400, code: 'bad_request' } });
      for (const bad of ['%ZZ', '%C0%AE', '%ED%A0%80']) {
        const res = await fetch(`${base}/jobs/${bad}?key=${key}`);
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ ok: false, error: { status: 400 } });
      }
      expect((await fetch(`${base}/jobs/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
