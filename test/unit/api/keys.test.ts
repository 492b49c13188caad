import { createApiKeyService, hashKeyRecord, KEY_PREFIX, KEY_USED_PREFIX } from '../../../src-server/api/keys';
import { constantTimeEqual } from '../../../src-server/api/encoding';
import { MemoryProperties, nodeCrypto, TestClock } from './support';

function setup(ownerEmail?: string) {
  const properties = new MemoryProperties();
  const clock = new TestClock();
  const crypto = nodeCrypto();
  const audits: unknown[] = [];
  const service = createApiKeyService({
    properties,
    crypto,
    clock,
    ...(ownerEmail ? { ownerEmail: () => ownerEmail } : {}),
    audit: (action, actor, keyId) => audits.push({ action, actor, keyId }),
  });
  return { properties, clock, crypto, service, audits };
}

const owner = { kind: 'user', email: 'owner@example.com' } as const;

describe('API keys', () => {
  test('a created key is shown once, in the y2s_<id>_<secret> form; only a salted hash is stored', () => {
    const { service, properties, audits } = setup();
    const { key, secret } = service.create('CI', 'write', owner);
    expect(secret).toMatch(/^y2s_k_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/);
    expect(secret.startsWith(`y2s_${key.id}_`)).toBe(true);
    expect(key).toEqual({
      id: key.id,
      name: 'CI',
      scope: 'write',
      created_at: '2026-01-05T12:00:10.000Z',
      created_by: 'owner@example.com',
      last_used_at: null,
      revoked: false,
    });
    const stored = JSON.stringify(properties.getAll());
    expect(stored).not.toContain(secret.slice(16));
    const record = JSON.parse(properties.get(KEY_PREFIX + key.id)!);
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(service.list()).toEqual([key]);
    expect(JSON.stringify(service.list())).not.toContain(record.hash);
    expect(audits).toEqual([{ action: 'key.create', actor: owner, keyId: key.id }]);
  });

  test('two keys with the same secret text get different salts and hashes', () => {
    const { crypto } = setup();
    const a = hashKeyRecord(crypto, 'y2s_k_0000aaaa_samesecretsamesecret', {
      name: 'a',
      scope: 'read',
      createdAt: new Date(),
      createdBy: 'x',
    });
    const b = hashKeyRecord(crypto, 'y2s_k_0000aaaa_samesecretsamesecret', {
      name: 'a',
      scope: 'read',
      createdAt: new Date(),
      createdBy: 'x',
    });
    expect(a.record.hash).not.toBe(b.record.hash);
  });

  test('verify accepts the key, refuses a changed one, records the use at most once a minute', () => {
    const { service, properties, clock } = setup();
    const { key, secret } = service.create('CI', 'read', owner);
    expect(service.verify(secret)).toEqual({ id: key.id, scope: 'read' });
    expect(properties.get(KEY_USED_PREFIX + key.id)).toBe('2026-01-05T12:00:10.000Z');
    clock.advance(30_000);
    service.verify(secret);
    expect(properties.get(KEY_USED_PREFIX + key.id)).toBe('2026-01-05T12:00:10.000Z');
    clock.advance(31_000);
    service.verify(secret);
    expect(service.list()[0]!.last_used_at).toBe('2026-01-05T12:01:11.000Z');
    expect(service.verify(`${secret}x`)).toBeNull();
    expect(service.verify(secret.replace(key.id, 'k_ffffffff'))).toBeNull();
  });

  test('revocation sticks even when a use is recorded afterwards; unknown ids are 404', () => {
    const { service } = setup();
    const { key, secret } = service.create('CI', 'write', owner);
    expect(service.revoke(key.id, owner)).toMatchObject({ revoked: true });
    expect(service.verify(secret)).toBeNull();
    expect(service.list()[0]!.revoked).toBe(true);
    expect(() => service.revoke('k_nothere', owner)).toThrow(expect.objectContaining({ status: 404 }));
  });

  test('only the owner manages keys; an API caller never can', () => {
    const { service } = setup('owner@example.com');
    expect(() => service.create('x', 'write', { kind: 'user', email: 'editor@example.com' })).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    expect(() => service.create('x', 'write', { kind: 'api', key_id: 'k_1' })).toThrow(expect.objectContaining({ status: 403 }));
    expect(service.create('x', 'read', { kind: 'user', email: 'OWNER@example.com' }).key.scope).toBe('read');
  });

  test('name and scope are validated', () => {
    const { service } = setup();
    expect(() => service.create(' ', 'read', owner)).toThrow(expect.objectContaining({ status: 422 }));
    expect(() => service.create('x', 'admin' as never, owner)).toThrow(expect.objectContaining({ status: 422 }));
  });

  test("hashKeyRecord registers any key (the local server's --api-key) so that verify accepts it", () => {
    const { service, properties, crypto } = setup();
    const local = hashKeyRecord(crypto, 'local-dev-key', { name: 'local', scope: 'write', createdAt: new Date(), createdBy: 'npm start' });
    properties.setMany({ [local.property]: local.value });
    expect(service.verify('local-dev-key')).toEqual({ id: local.record.id, scope: 'write' });
    expect(service.verify('local-dev-kez')).toBeNull();
  });

  test('constantTimeEqual compares whole strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abd', 'abc')).toBe(false);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('importKey (npm start --api-key)', () => {
  test('stores the key once; importing again leaves it (and a revocation) alone', () => {
    const { service, properties } = setup();
    const id = service.importKey('my-local-key', { name: 'local', scope: 'write', createdBy: 'npm start' });
    const stored = properties.get(KEY_PREFIX + id);
    expect(service.verify('my-local-key')).toEqual({ id, scope: 'write' });
    expect(service.importKey('my-local-key', { name: 'local', scope: 'write', createdBy: 'npm start' })).toBe(id);
    expect(properties.get(KEY_PREFIX + id)).toBe(stored);
    service.revoke(id, owner);
    service.importKey('my-local-key', { name: 'local', scope: 'write', createdBy: 'npm start' });
    expect(service.verify('my-local-key')).toBeNull();
    expect(() => service.importKey('short', { name: 'x', scope: 'read', createdBy: 'x' })).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });

  test('never replaces another key that has the same id', () => {
    const { service, properties } = setup();
    const { key, secret } = service.create('real', 'read', owner);
    const before = properties.get(KEY_PREFIX + key.id);
    const impostor = `y2s_${key.id}_${'x'.repeat(32)}`;
    expect(() => service.importKey(impostor, { name: 'local', scope: 'write', createdBy: 'npm start' })).toThrow(
      expect.objectContaining({ status: 409 }),
    );
    expect(properties.get(KEY_PREFIX + key.id)).toBe(before);
    expect(service.verify(secret)).toEqual({ id: key.id, scope: 'read' });
    expect(service.verify(impostor)).toBeNull();
  });
});
