/**
 * A full Script Properties store (500 KB) through the built bundle: the sidebar's key creation, a valid
 * key's requests and token requests, as the owner and an HTTP client meet them.
 */
import { createRuntime, type Runtime } from '../../../emulator';

const LIMIT = 500 * 1024;
const KEY = 'y2s_k_0000ccc1_fullStoreKeySecret0000000001';

function used(rt: Runtime): number {
  let total = 0;
  for (const [k, v] of Object.entries(rt.properties.script)) total += Buffer.byteLength(k) + Buffer.byteLength(v);
  return total;
}

/** Fills the script store with filler properties until `room` bytes are left. */
function fillLeaving(rt: Runtime, room: number): void {
  for (let n = 0; ; n++) {
    const excess = LIMIT - used(rt) - room;
    if (excess <= 0) return;
    const key = `filler:${String(n).padStart(4, '0')}`;
    if (excess <= key.length + 1) {
      const last = `filler:${String(n - 1).padStart(4, '0')}`;
      rt.properties.script[last] = `${rt.properties.script[last]}${'x'.repeat(excess)}`;
      return;
    }
    rt.properties.script[key] = 'x'.repeat(Math.min(9000, excess - key.length));
  }
}

function get(rt: Runtime, path: string, query: Record<string, string>) {
  const { result, response } = rt.webRequest({ method: 'GET', pathInfo: `api/v1${path}`, query });
  expect(result.ok).toBe(true);
  return JSON.parse(response!.body) as { ok: boolean; data?: unknown; error?: { status: number; code: string; message: string } };
}

describe('a full property store', () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = createRuntime({ start: '2026-01-05T12:00:05Z' });
    expect(rt.run('importLocalApiKey_', KEY, { name: 'full', scope: 'write' }).ok).toBe(true);
  });

  test('creating a key from the sidebar says the store is full and names the limit, not the platform text', () => {
    // With room, the sidebar creates keys as before; the token secret came with the first key.
    expect(rt.properties.script['api.jwt_secret']).toMatch(/^[0-9a-f]{64}$/);
    const made = rt.scriptRun<{ ok: boolean; data?: { secret: string } }>('createApiKey', 'Zapier', 'read');
    expect(made.value).toMatchObject({ ok: true, data: { secret: expect.stringMatching(/^y2s_k_/) } });
    fillLeaving(rt, 200);
    const before = JSON.stringify(rt.properties.script);
    const r = rt.scriptRun<{ ok: boolean; error?: { status: number; code: string; message: string } }>('createApiKey', 'CI', 'write');
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ ok: false, error: { status: 413, code: 'store_full' } });
    expect(r.value!.error!.message).toMatch(/^No room for a new API key: .*500\.0 KB/);
    expect(r.value!.error!.message).not.toMatch(/exceeded the property storage quota/);
    expect(JSON.stringify(rt.properties.script)).toBe(before);
  });

  test('a valid key keeps working: its first use is simply not recorded; a token can still be had', () => {
    fillLeaving(rt, 0);
    expect(get(rt, '/jobs', { key: KEY })).toMatchObject({ ok: true });
    const token = rt.webRequest({ method: 'POST', pathInfo: 'api/v1/auth/token', query: { key: KEY } });
    const answer = JSON.parse(token.response!.body) as { ok: boolean; data: { access_token: string } };
    expect(answer.ok).toBe(true);
    expect(get(rt, '/jobs', { access_token: answer.data.access_token })).toMatchObject({ ok: true });
    expect(used(rt)).toBe(LIMIT);
  });
});
