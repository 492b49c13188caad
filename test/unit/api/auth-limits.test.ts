/**
 * The limits on authentication: the per-key request limit counted under the script lock, the budget
 * of failed authentications (per slot of key ids, since a web app sees no client address), and `nbf`.
 */
import { JWT_SECRET_PROPERTY } from '../../../src-server/api/jwt';
import { AUTH_FAILURE_SLOTS, failureSlotOf } from '../../../src-server/api/rate-limit';
import { DEFAULT_LIMITS } from '../../../src-server/api/types';
import { createHarness } from './support';

type Harness = ReturnType<typeof createHarness>;

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function keyIdOf(h: Harness, name: string): string {
  return h.keys.list().find((k) => k.name === name)!.id;
}

/** A wrong key for the same key id (its secret changed): the guess an attacker who knows the id makes. */
function wrongSecretFor(key: string): string {
  return key.replace(/.{6}$/, 'zzzzzz');
}

/** A y2s key with a chosen id, imported into the store (local server style). */
function importWithId(h: Harness, id: string, scope: 'read' | 'write' = 'read'): string {
  const key = `y2s_${id}_${'s'.repeat(32)}`;
  h.keys.importKey(key, { name: id, scope, createdBy: 'test' });
  return key;
}

/** An id in another failure slot than `id`. */
function idInOtherSlot(id: string): string {
  for (let n = 0; ; n++) {
    const candidate = `k_${n.toString(16).padStart(8, '0')}`;
    if (failureSlotOf(candidate) !== failureSlotOf(id)) return candidate;
  }
}

function signedToken(h: Harness, claims: Record<string, unknown>): string {
  const secret = h.properties.get(JWT_SECRET_PROPERTY)!;
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'youtube2sheets', scope: 'read', ...claims })}`;
  return `${input}.${h.crypto.base64UrlEncode(h.crypto.hmacSha256(secret, input))}`;
}

const BUDGET = DEFAULT_LIMITS.authFailuresPerSlotPerMinute;

describe('nbf', () => {
  test('a token valid only from a later second is refused, even one second ahead; nbf now or earlier passes', () => {
    const h = createHarness();
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const sub = keyIdOf(h, 'reader');
    for (const ahead of [1, 30, 59, 3600]) {
      const { json } = h.call('GET', '/jobs', { token: signedToken(h, { sub, iat: now, nbf: now + ahead, exp: now + 600 }) });
      expect({ ahead, error: json.error }).toMatchObject({
        ahead,
        error: { status: 401, code: 'unauthorized', message: expect.stringMatching(/not valid yet/) },
      });
    }
    expect(h.call('GET', '/jobs', { token: signedToken(h, { sub, iat: now, nbf: now, exp: now + 600 }) }).json.ok).toBe(true);
    expect(h.call('GET', '/jobs', { token: signedToken(h, { sub, iat: now - 10, nbf: now - 10, exp: now + 600 }) }).json.ok).toBe(true);
  });
});

describe('the request limit is counted under the script lock', () => {
  test('every credentialed request takes and releases the lock; anonymous health does not', () => {
    const h = createHarness();
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.ok).toBe(true);
    expect(h.lock.acquired).toBe(1);
    expect(h.lock.held).toBe(false);
    expect(h.call('GET', '/jobs/health').json.ok).toBe(true);
    expect(h.lock.acquired).toBe(1);
  });

  test('when the lock cannot be had the answer is 503 busy, the route does not run and nothing is counted', () => {
    const h = createHarness();
    h.app.settings = { ...h.app.settings, rate_limit_per_minute: 1 };
    h.lock.contended = true;
    const { json, response } = h.call('GET', '/jobs', { key: h.readKey });
    expect(response.status).toBe(503);
    expect(json.error).toMatchObject({ code: 'busy' });
    expect(h.app.calls).toEqual([]);
    expect([...h.cache.values.keys()].filter((k) => k.startsWith('api.'))).toEqual([]);
    h.lock.contended = false;
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.ok).toBe(true);
  });
});

describe('failed authentications', () => {
  test(`after ${BUDGET} failures in a minute, every credential of that slot gets 429 auth_rate_limited without being checked, the valid key included`, () => {
    const h = createHarness();
    h.clock.current = new Date('2026-01-05T12:00:20Z');
    const wrong = wrongSecretFor(h.writeKey);
    for (let i = 0; i < BUDGET; i++) {
      expect(h.call('GET', '/jobs', { key: wrong }).json.error).toMatchObject({ status: 401, code: 'unauthorized' });
    }
    const blockedWrong = h.call('GET', '/jobs', { key: wrong });
    const blockedValid = h.call('GET', '/jobs', { key: h.writeKey });
    expect(blockedWrong.response.status).toBe(429);
    expect(blockedWrong.json.error).toMatchObject({
      status: 429,
      code: 'auth_rate_limited',
      details: { retry_after: 40, limit: BUDGET },
      message: expect.stringMatching(/failed authentications/),
    });
    // The same answer for a valid and an invalid key: the lockout says nothing about the key.
    expect(blockedValid.response.body).toBe(blockedWrong.response.body);
    expect(h.app.calls).toEqual([]);
    // The window ends: the valid key works again, and nothing was disabled.
    h.clock.current = new Date('2026-01-05T12:01:00Z');
    expect(h.call('GET', '/jobs', { key: h.writeKey }).json.ok).toBe(true);
    expect(h.call('GET', '/jobs', { key: wrong }).json.error).toMatchObject({ status: 401 });
  });

  test('keys of other slots keep working while one slot is locked', () => {
    const h = createHarness();
    const victim = keyIdOf(h, 'writer');
    const other = importWithId(h, idInOtherSlot(victim));
    const wrong = wrongSecretFor(h.writeKey);
    for (let i = 0; i <= BUDGET; i++) h.call('GET', '/jobs', { key: wrong });
    expect(h.call('GET', '/jobs', { key: h.writeKey }).json.error).toMatchObject({ status: 429 });
    expect(h.call('GET', '/jobs', { key: other }).json.ok).toBe(true);
  });

  test('forged tokens count against the slot of the key id they name; a token of a locked slot is not checked either', () => {
    const h = createHarness();
    const sub = keyIdOf(h, 'reader');
    const good = (h.call('POST', '/auth/token', { key: h.readKey }).json.data as { access_token: string }).access_token;
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, scope: 'write', iat: now, exp: now + 60, iss: 'youtube2sheets' })}.`;
    for (let i = 0; i < BUDGET; i++) expect(h.call('GET', '/jobs', { token: forged }).json.error).toMatchObject({ status: 401 });
    expect(h.call('GET', '/jobs', { token: good }).json.error).toMatchObject({ status: 429, code: 'auth_rate_limited' });
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.error).toMatchObject({ status: 429, code: 'auth_rate_limited' });
  });

  test('a blind attacker spraying random keys gets at most slots × budget answers a minute', () => {
    const h = createHarness();
    h.clock.current = new Date('2026-01-05T12:00:00Z');
    const counts: Record<number, number> = {};
    for (let i = 0; i < 1000; i++) {
      const guess = `y2s_k_${h.crypto
        .randomBytes(4)
        .map((b) => (b & 0xff).toString(16).padStart(2, '0'))
        .join('')}_${'g'.repeat(32)}`;
      const status = h.call('GET', '/jobs', { key: guess }).response.status;
      counts[status] = (counts[status] ?? 0) + 1;
    }
    expect(counts[401]).toBeLessThanOrEqual(AUTH_FAILURE_SLOTS * BUDGET);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(1000);
    expect(counts[429]).toBeGreaterThan(0);
  });

  test('requests without a credential, and a token sent to POST /auth/token, are not failures', () => {
    const h = createHarness();
    const token = (h.call('POST', '/auth/token', { key: h.readKey }).json.data as { access_token: string }).access_token;
    for (let i = 0; i < BUDGET * 2; i++) {
      expect(h.call('GET', '/jobs').json.error).toMatchObject({ status: 401 });
      expect(h.call('POST', '/auth/token', { token }).json.error).toMatchObject({ status: 401 });
    }
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.ok).toBe(true);
    expect(h.call('GET', '/jobs', { token }).json.ok).toBe(true);
  });

  test('a successful authentication does not reset the failure count (a valid key cannot buy guesses)', () => {
    const h = createHarness();
    const wrong = wrongSecretFor(h.writeKey);
    for (let i = 0; i < BUDGET - 1; i++) h.call('GET', '/jobs', { key: wrong });
    expect(h.call('GET', '/jobs', { key: h.writeKey }).json.ok).toBe(true);
    expect(h.call('GET', '/jobs', { key: wrong }).json.error).toMatchObject({ status: 401 });
    expect(h.call('GET', '/jobs', { key: wrong }).json.error).toMatchObject({ status: 429 });
  });
});
