/**
 * API keys. A key is shown once, when created: `y2s_<id>_<secret>` (id like k_3f9a12c4, secret 32
 * base64url characters). Script properties keep only a record with a random salt and
 * HMAC-SHA256(salt, secret), the short public id, name, scope and who created it; the last use is
 * kept apart (KEY_USED_PREFIX) so that recording a use can never overwrite a revocation. Recording a
 * use is best effort: at a full store (or on any platform failure) it is skipped, never the request.
 * The first key's write also creates the token signing secret (jwt.ts).
 */
import { AppError, type Actor, type ApiKeyDto } from '../app/contract';
import type { Clock, Crypto, PropertyStore } from '../ports';
import { bytesToHex, constantTimeEqual } from './encoding';
import { secretIfMissing } from './jwt';
import { fitsInStore, writeWithinBudget } from './store-budget';

export type KeyScope = 'read' | 'write';

export const KEY_PREFIX = 'api.key.';
export const KEY_USED_PREFIX = 'api.key_used.';
/** A use is recorded at most once a minute per key: a property write costs a round trip. */
const LAST_USED_RESOLUTION_MS = 60_000;
const KEY_PATTERN = /^y2s_(k_[0-9a-f]{8})_([A-Za-z0-9_-]{16,128})$/;

export interface StoredKey {
  id: string;
  name: string;
  scope: KeyScope;
  salt: string;
  hash: string;
  created_at: string;
  created_by: string;
  revoked: boolean;
  revoked_at?: string;
}

export interface ApiKeyServiceDeps {
  properties: PropertyStore;
  crypto: Crypto;
  clock: Clock;
  /** The spreadsheet owner's email; when given, only they may create and revoke keys. */
  ownerEmail?: () => string | null;
  /** Called after a key is created or revoked, to write an audit row. */
  audit?: (action: 'key.create' | 'key.revoke' | 'key.import', actor: Actor, keyId: string, changes: Record<string, unknown>) => void;
}

export interface VerifiedKey {
  id: string;
  scope: KeyScope;
}

function hashSecret(crypto: Crypto, salt: string, secret: string): string {
  return bytesToHex(crypto.hmacSha256(salt, secret));
}

/**
 * The id a presented key is stored under: parsed from the y2s_ form, or derived from the key's
 * SHA-256 for keys registered with another shape (the local server's `--api-key anything`).
 */
export function keyIdOf(crypto: Crypto, presented: string): { id: string; secret: string } {
  const match = KEY_PATTERN.exec(presented);
  if (match) return { id: match[1] as string, secret: match[2] as string };
  return { id: `k_${bytesToHex(crypto.sha256(presented)).slice(0, 8)}`, secret: presented };
}

/**
 * The script property (name and value) that stores `key`. Pure: the key service uses it, and the
 * local server can call it to register a key it was given on the command line.
 */
export function hashKeyRecord(
  crypto: Crypto,
  key: string,
  options: { name: string; scope: KeyScope; createdAt: Date; createdBy: string },
): { property: string; value: string; record: StoredKey } {
  const { id, secret } = keyIdOf(crypto, key);
  const salt = bytesToHex(crypto.randomBytes(16));
  const record: StoredKey = {
    id,
    name: options.name,
    scope: options.scope,
    salt,
    hash: hashSecret(crypto, salt, secret),
    created_at: options.createdAt.toISOString(),
    created_by: options.createdBy,
    revoked: false,
  };
  return { property: KEY_PREFIX + id, value: JSON.stringify(record), record };
}

function parseRecord(text: string | null | undefined): StoredKey | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as StoredKey;
    return value && typeof value.id === 'string' && typeof value.hash === 'string' ? value : null;
  } catch {
    return null;
  }
}

function toDto(record: StoredKey, lastUsed: string | null | undefined): ApiKeyDto {
  return {
    id: record.id,
    name: record.name,
    scope: record.scope,
    created_at: record.created_at,
    created_by: record.created_by,
    last_used_at: lastUsed ?? null,
    revoked: record.revoked,
  };
}

function actorName(actor: Actor): string {
  if (actor.kind === 'user') return actor.email;
  if (actor.kind === 'api') return `api:${actor.key_id}`;
  return 'system';
}

export function createApiKeyService(deps: ApiKeyServiceDeps) {
  function requireOwner(actor: Actor): void {
    // Keys are never managed through the API itself: a leaked key must not mint or revoke keys.
    if (actor.kind !== 'user') throw new AppError(403, 'forbidden', 'Only the spreadsheet owner can manage API keys.');
    const owner = deps.ownerEmail?.();
    if (owner && owner.toLowerCase() !== actor.email.toLowerCase()) {
      throw new AppError(403, 'forbidden', 'Only the spreadsheet owner can manage API keys.');
    }
  }

  function readRecord(id: string): StoredKey | null {
    return parseRecord(deps.properties.get(KEY_PREFIX + id));
  }

  /** Stores a new key record, with the token secret when it is the first key: both or nothing. */
  function storeNewKey(property: string, value: string): void {
    writeWithinBudget(deps.properties, { ...secretIfMissing(deps.properties, deps.crypto), [property]: value }, 'a new API key');
  }

  function touch(id: string): void {
    try {
      const now = deps.clock.now();
      const last = deps.properties.get(KEY_USED_PREFIX + id);
      if (last && now.getTime() - Date.parse(last) < LAST_USED_RESOLUTION_MS) return;
      const write = { [KEY_USED_PREFIX + id]: now.toISOString() };
      // A first use adds an entry: only when the store has room. Later uses replace a value of the
      // same size (an ISO time), which needs none.
      if (!last && !fitsInStore(deps.properties, write)) return;
      deps.properties.setMany(write);
    } catch {
      // The last use is informative only: a store that filled meanwhile, a quota or an outage skips it.
    }
  }

  return {
    /** Creates a key; the returned secret (the whole key) is shown once and never stored. */
    create(name: string, scope: KeyScope, actor: Actor): { key: ApiKeyDto; secret: string } {
      requireOwner(actor);
      const trimmed = typeof name === 'string' ? name.trim() : '';
      if (!trimmed || trimmed.length > 80) {
        throw new AppError(422, 'validation_failed', 'name: give the key a name of 1 to 80 characters', [
          { path: 'name', message: 'must have 1 to 80 characters' },
        ]);
      }
      if (scope !== 'read' && scope !== 'write') {
        throw new AppError(422, 'validation_failed', 'scope: must be read or write', [
          { path: 'scope', message: 'must be one of read, write' },
        ]);
      }
      let id = '';
      do id = `k_${bytesToHex(deps.crypto.randomBytes(4))}`;
      while (readRecord(id));
      const secret = `y2s_${id}_${deps.crypto.base64UrlEncode(deps.crypto.randomBytes(24))}`;
      const { property, value, record } = hashKeyRecord(deps.crypto, secret, {
        name: trimmed,
        scope,
        createdAt: deps.clock.now(),
        createdBy: actorName(actor),
      });
      storeNewKey(property, value);
      deps.audit?.('key.create', actor, id, { name: trimmed, scope });
      return { key: toDto(record, null), secret };
    },

    list(): ApiKeyDto[] {
      const all = deps.properties.getAll();
      const keys: ApiKeyDto[] = [];
      for (const [name, value] of Object.entries(all)) {
        if (!name.startsWith(KEY_PREFIX)) continue;
        const record = parseRecord(value);
        if (record) keys.push(toDto(record, all[KEY_USED_PREFIX + record.id]));
      }
      return keys.sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
    },

    revoke(id: string, actor: Actor): ApiKeyDto {
      requireOwner(actor);
      const record = readRecord(id);
      if (!record) throw new AppError(404, 'not_found', `No API key with id ${id}.`);
      if (!record.revoked) {
        record.revoked = true;
        record.revoked_at = deps.clock.now().toISOString();
        const property = KEY_PREFIX + id;
        let value = JSON.stringify(record);
        // A revocation must go through even at a full store: a revoked key is never checked again, so
        // without room its record drops the salt and hash and takes less space than before.
        if (!fitsInStore(deps.properties, { [property]: value })) value = JSON.stringify({ ...record, salt: '', hash: '' });
        writeWithinBudget(deps.properties, { [property]: value }, 'the revocation');
        deps.audit?.('key.revoke', actor, id, { revoked: true });
      }
      return toDto(record, deps.properties.get(KEY_USED_PREFIX + id));
    },

    /** The key's id and scope when `presented` is a live key, else null. Records the use. */
    verify(presented: string): VerifiedKey | null {
      if (typeof presented !== 'string' || presented.length < 8 || presented.length > 256) return null;
      const { id, secret } = keyIdOf(deps.crypto, presented);
      const record = readRecord(id);
      // Hash even when the id is unknown, so that the answer takes the same time either way.
      const salt = record?.salt ?? '0'.repeat(32);
      const expected = record?.hash ?? '0'.repeat(64);
      const matches = constantTimeEqual(hashSecret(deps.crypto, salt, secret), expected);
      if (!record || !matches || record.revoked) return null;
      touch(id);
      return { id: record.id, scope: record.scope };
    },

    /**
     * Stores a key given from outside (the local server's --api-key). Idempotent: a key already
     * stored (revoked or not) is left as it is. Returns the key id.
     */
    importKey(presented: string, options: { name: string; scope: KeyScope; createdBy: string }): string {
      if (typeof presented !== 'string' || presented.length < 8 || presented.length > 256) {
        throw new AppError(422, 'validation_failed', 'key: must have 8 to 256 characters', [
          { path: 'key', message: 'must have 8 to 256 characters' },
        ]);
      }
      const { id, secret } = keyIdOf(deps.crypto, presented);
      const existing = readRecord(id);
      if (existing) {
        if (constantTimeEqual(hashSecret(deps.crypto, existing.salt, secret), existing.hash)) return id;
        // Another key already has this id (a y2s_ key with a taken id): never replace it.
        throw new AppError(409, 'key_conflict', `API key id ${id} is already in use by another key.`);
      }
      const { property, value } = hashKeyRecord(deps.crypto, presented, { ...options, createdAt: deps.clock.now() });
      storeNewKey(property, value);
      deps.audit?.('key.import', { kind: 'system' }, id, { name: options.name, scope: options.scope, created_by: options.createdBy });
      return id;
    },

    /** The live scope of a key id (tokens are re-checked against it: revoking a key ends its tokens). */
    status(id: string): VerifiedKey | null {
      const record = readRecord(id);
      return record && !record.revoked ? { id: record.id, scope: record.scope } : null;
    },

    /** Records a use of the key (at most once a minute). */
    touch,
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
