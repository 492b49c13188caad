/**
 * Keys, last uses and the token secret at a full Script Properties store (500 KB): a valid key keeps
 * working, the last use is skipped quietly, the token secret already exists, and anything that needs
 * room the store lacks is refused with a store_full envelope naming the limit.
 */
import { createApiKeyService, KEY_USED_PREFIX } from '../../../src-server/api/keys';
import { JWT_SECRET_PROPERTY, rotateJwtSecret } from '../../../src-server/api/jwt';
import { AppError } from '../../../src-server/app/contract';
import { createHarness, LimitedProperties, nodeCrypto, STORE_FULL_PLATFORM_MESSAGE, TestClock } from './support';

const owner = { kind: 'user', email: 'owner@example.com' } as const;

function fullHarness() {
  const properties = new LimitedProperties();
  const h = createHarness({ properties });
  return { h, properties };
}

function keyId(h: ReturnType<typeof createHarness>, name: string): string {
  return h.keys.list().find((k) => k.name === name)!.id;
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('a valid key at a full store', () => {
  test('is accepted; recording its first use is skipped quietly (no error, no 500, nothing logged)', () => {
    const { h, properties } = fullHarness();
    properties.fillLeaving(0);
    const before = new Map(properties.values);
    const { json, response } = h.call('GET', '/jobs', { key: h.readKey });
    expect(response.status).toBe(200);
    expect(json.ok).toBe(true);
    expect(properties.get(KEY_USED_PREFIX + keyId(h, 'reader'))).toBeNull();
    expect(properties.values).toEqual(before);
    expect(h.logged).toEqual([]);
  });

  test('a last use already recorded is still updated (the same size: it needs no room)', () => {
    const { h, properties } = fullHarness();
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.ok).toBe(true);
    const id = keyId(h, 'reader');
    expect(properties.get(KEY_USED_PREFIX + id)).toBe('2026-01-05T12:00:10.000Z');
    properties.fillLeaving(0);
    h.clock.advance(120_000);
    expect(h.call('GET', '/jobs', { key: h.readKey }).json.ok).toBe(true);
    expect(properties.get(KEY_USED_PREFIX + id)).toBe('2026-01-05T12:02:10.000Z');
  });

  test('a platform failure while recording the use (quota, outage) never fails the request', () => {
    const { h, properties } = fullHarness();
    const setMany = properties.setMany.bind(properties);
    properties.setMany = (values) => {
      if (Object.keys(values).some((k) => k.startsWith(KEY_USED_PREFIX)))
        throw Object.assign(new Error('Service invoked too many times for one day: properties.'), { name: 'Exception' });
      setMany(values);
    };
    expect(h.call('GET', '/jobs', { key: h.writeKey }).json.ok).toBe(true);
  });

  test('obtains an access token: the signing secret was created with the first key, not on first use', () => {
    const { h, properties } = fullHarness();
    expect(properties.get(JWT_SECRET_PROPERTY)).toMatch(/^[0-9a-f]{64}$/);
    properties.fillLeaving(0);
    const { json } = h.call('POST', '/auth/token', { key: h.writeKey });
    expect(json.ok).toBe(true);
    const token = (json.data as { access_token: string }).access_token;
    expect(h.call('GET', '/jobs', { token }).json.ok).toBe(true);
  });

  test('rotating the secret at a full store works (the new secret replaces one of the same size)', () => {
    const { h, properties } = fullHarness();
    const first = properties.get(JWT_SECRET_PROPERTY);
    properties.fillLeaving(0);
    rotateJwtSecret(h);
    expect(properties.get(JWT_SECRET_PROPERTY)).not.toBe(first);
  });
});

describe('the token secret', () => {
  test('is written in the same write as the first key, and kept when more keys are created', () => {
    const properties = new LimitedProperties();
    const service = createApiKeyService({ properties, crypto: nodeCrypto(), clock: new TestClock() });
    service.create('first', 'read', owner);
    expect(properties.writes).toBe(1);
    const secret = properties.get(JWT_SECRET_PROPERTY);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    service.create('second', 'write', owner);
    service.importKey('a-local-key-for-tests', { name: 'local', scope: 'write', createdBy: 'npm start' });
    expect(properties.get(JWT_SECRET_PROPERTY)).toBe(secret);
  });

  test('an imported first key (npm start --api-key) creates it too', () => {
    const properties = new LimitedProperties();
    const service = createApiKeyService({ properties, crypto: nodeCrypto(), clock: new TestClock() });
    service.importKey('a-local-key-for-tests', { name: 'local', scope: 'write', createdBy: 'npm start' });
    expect(properties.get(JWT_SECRET_PROPERTY)).toMatch(/^[0-9a-f]{64}$/);
    expect(properties.writes).toBe(1);
  });

  test('a store from an earlier version (keys, no secret) that is full: POST /auth/token is a clear 413 envelope', () => {
    const { h, properties } = fullHarness();
    properties.deleteMany([JWT_SECRET_PROPERTY]);
    properties.fillLeaving(10);
    const { json, response } = h.call('POST', '/auth/token', { key: h.writeKey });
    expect(response.status).toBe(413);
    expect(json.error).toMatchObject({ status: 413, code: 'store_full' });
    expect(json.error!.message).toMatch(/token signing secret/);
    expect(json.error!.message).toMatch(/500\.0 KB/);
    expect(properties.get(JWT_SECRET_PROPERTY)).toBeNull();
    expect(h.logged).toEqual([]);
  });

  test('a store from an earlier version with room gets its secret on the first token request, budget-checked', () => {
    const { h, properties } = fullHarness();
    properties.deleteMany([JWT_SECRET_PROPERTY]);
    expect(h.call('POST', '/auth/token', { key: h.writeKey }).json.ok).toBe(true);
    expect(properties.get(JWT_SECRET_PROPERTY)).toMatch(/^[0-9a-f]{64}$/);
    // Once for the credential, once to create the secret (two executions cannot create two secrets).
    expect(h.lock.acquired).toBe(2);
    expect(h.call('POST', '/auth/token', { key: h.writeKey }).json.ok).toBe(true);
    expect(h.lock.acquired).toBe(3);
  });
});

describe('creating a key at a full store', () => {
  test('is refused with store_full naming the limit, and nothing is written', () => {
    const properties = new LimitedProperties();
    const audits: unknown[] = [];
    const service = createApiKeyService({ properties, crypto: nodeCrypto(), clock: new TestClock(), audit: (...a) => audits.push(a) });
    service.create('first', 'read', owner);
    properties.fillLeaving(100);
    const before = new Map(properties.values);
    const err = thrown(() => service.create('second', 'write', owner));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 413, code: 'store_full' });
    const message = (err as AppError).message;
    expect(message).toMatch(/^No room for a new API key/);
    expect(message).toMatch(/500\.0 KB/);
    expect(message).not.toContain(STORE_FULL_PLATFORM_MESSAGE);
    expect(properties.values).toEqual(before);
    expect(audits).toHaveLength(1); // only the first key's
  });

  test('importing a key at a full store: the same clear refusal', () => {
    const properties = new LimitedProperties();
    const service = createApiKeyService({ properties, crypto: nodeCrypto(), clock: new TestClock() });
    properties.fillLeaving(50);
    const err = thrown(() => service.importKey('a-local-key-for-tests', { name: 'local', scope: 'write', createdBy: 'npm start' }));
    expect(err).toMatchObject({ status: 413, code: 'store_full', message: expect.stringMatching(/500\.0 KB/) });
  });

  test('a store that fills between the check and the write (another execution) still gives the clear refusal', () => {
    const properties = new LimitedProperties();
    const service = createApiKeyService({ properties, crypto: nodeCrypto(), clock: new TestClock() });
    service.create('first', 'read', owner);
    const getAll = properties.getAll.bind(properties);
    // The budget check sees room; the platform then refuses the write.
    properties.getAll = () => {
      const all = getAll();
      properties.fillLeaving(0);
      return all;
    };
    const err = thrown(() => service.create('second', 'write', owner));
    expect(err).toMatchObject({ status: 413, code: 'store_full', message: expect.stringMatching(/^No room for a new API key.*500\.0 KB/) });
  });
});

describe('revoking a key at a full store', () => {
  test('goes through (the revoked record drops what only a live key needs) and the key is refused at once', () => {
    const { h, properties } = fullHarness();
    const token = (h.call('POST', '/auth/token', { key: h.writeKey }).json.data as { access_token: string }).access_token;
    const id = keyId(h, 'writer');
    properties.deleteMany([KEY_USED_PREFIX + id]); // never recorded: the store was full at its uses
    properties.fillLeaving(0);
    const revoked = h.keys.revoke(id, owner);
    expect(revoked).toMatchObject({ id, revoked: true });
    expect(properties.room()).toBeGreaterThanOrEqual(0);
    expect(h.call('GET', '/jobs', { key: h.writeKey }).json.error).toMatchObject({ status: 401 });
    expect(h.call('GET', '/jobs', { token }).json.error).toMatchObject({ status: 401, message: expect.stringContaining('revoked') });
    expect(h.keys.list().find((k) => k.id === id)).toMatchObject({ name: 'writer', revoked: true });
  });

  test('with room, the revoked record keeps its hash (importing the same key again stays a no-op)', () => {
    const { h } = fullHarness();
    const local = 'a-local-key-for-tests';
    const id = h.keys.importKey(local, { name: 'local', scope: 'write', createdBy: 'npm start' });
    h.keys.revoke(id, owner);
    expect(h.keys.importKey(local, { name: 'local', scope: 'write', createdBy: 'npm start' })).toBe(id);
    expect(h.call('GET', '/jobs', { key: local }).json.error).toMatchObject({ status: 401 });
  });
});

describe('platform errors that escape a route', () => {
  test.each([
    [STORE_FULL_PLATFORM_MESSAGE, 413, 'store_full', /properties store is full.*500\.0 KB/],
    ['Argument too large: value', 413, 'store_full', /9\.0 KB/],
    ['Lock timeout: another process was holding the lock for too long.', 503, 'busy', /busy/],
  ])('%s -> %d %s with a clear message', (platformMessage, status, code, message) => {
    const { h } = fullHarness();
    h.setApp(() => {
      throw Object.assign(new Error(platformMessage), { name: 'Exception' });
    });
    const { json, response } = h.call('GET', '/jobs/stats', { key: h.readKey });
    expect(response.status).toBe(status);
    expect(json.error).toMatchObject({ status, code, message: expect.stringMatching(message) });
  });
});
