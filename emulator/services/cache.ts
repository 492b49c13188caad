/** CacheService: script/user/document caches with Apps Script's limits; expiry runs on the virtual clock. */
import { GasException, MESSAGES } from './errors';
import type { Scope } from './execution';
import { registerType } from './registry';

export const CACHE_KEY_MAX_CHARS = 250;
export const CACHE_VALUE_MAX_BYTES = 100 * 1024;
export const CACHE_MAX_EXPIRY_SECONDS = 21600;
export const CACHE_DEFAULT_EXPIRY_SECONDS = 600;
/** Apps Script keeps about 1,000 items per cache and may evict earlier ones. */
export const CACHE_MAX_ITEMS = 1000;

export interface CacheEntry {
  value: string;
  expiresAtMs: number;
}

export class CacheStore {
  readonly entries = new Map<string, CacheEntry>();

  get(key: string, nowMs: number): string | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return null;
    }
    return e.value;
  }

  put(key: string, value: string, expiresAtMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAtMs });
    while (this.entries.size > CACHE_MAX_ITEMS) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

// Key 250 characters, value 100 KB: same reference page ("Individual keys can be up to 250
// characters and store up to 100KB of data"); both refusals throw "Argument too large: key|value".
function checkKey(key: unknown): string {
  if (key === null || key === undefined) throw new GasException('Invalid argument: key');
  const k = String(key);
  if (k.length > CACHE_KEY_MAX_CHARS) throw new GasException(MESSAGES.argumentTooLarge('key'));
  return k;
}

function checkValue(value: unknown): string {
  if (value === null || value === undefined) throw new GasException('Invalid argument: value');
  const v = String(value);
  if (Buffer.byteLength(v, 'utf8') > CACHE_VALUE_MAX_BYTES) throw new GasException(MESSAGES.argumentTooLarge('value'));
  return v;
}

/**
 * Class Cache reference (https://developers.google.com/apps-script/reference/cache/cache), put():
 * "expirationInSeconds: the maximum time the value remains in the cache, in seconds. The minimum is
 * 1 second and the maximum is 21600 seconds (6 hours)". The reference names no error for values out
 * of that range, and an empirical study ("Exploring Apps Script CacheService Limits", J. Poehnelt)
 * found out-of-range expirations accepted, not refused. So the fake keeps the value for at most
 * 6 hours (and at least 1 second) instead of throwing; only a non-number is refused, as a signature
 * mismatch would be.
 */
function checkExpiry(seconds: unknown): number {
  if (seconds === undefined) return CACHE_DEFAULT_EXPIRY_SECONDS;
  const s = Number(seconds);
  if (!Number.isFinite(s)) throw new GasException('Invalid argument: expirationInSeconds');
  return Math.min(CACHE_MAX_EXPIRY_SECONDS, Math.max(1, Math.trunc(s)));
}

export class CacheFake implements GoogleAppsScript.Cache.Cache {
  constructor(
    private readonly store: CacheStore,
    private readonly scope: Scope,
  ) {}

  #now(): number {
    return this.scope.world.clock.nowMs();
  }

  get(key: string): string | null {
    return this.store.get(checkKey(key), this.#now());
  }
  getAll(keys: string[]): { [key: string]: string } {
    const out: Record<string, string> = {};
    for (const key of keys) {
      const v = this.store.get(checkKey(key), this.#now());
      if (v !== null) out[String(key)] = v;
    }
    return out;
  }
  put(key: string, value: string, expirationInSeconds?: number): void {
    const k = checkKey(key);
    const v = checkValue(value);
    this.store.put(k, v, this.#now() + checkExpiry(expirationInSeconds) * 1000);
  }
  putAll(values: { [key: string]: string }, expirationInSeconds?: number): void {
    const expiry = checkExpiry(expirationInSeconds);
    const entries = Object.entries(values).map(([k, v]) => [checkKey(k), checkValue(v)] as const);
    for (const [k, v] of entries) this.store.put(k, v, this.#now() + expiry * 1000);
  }
  remove(key: string): void {
    this.store.entries.delete(checkKey(key));
  }
  removeAll(keys: string[]): void {
    for (const key of keys) this.store.entries.delete(checkKey(key));
  }
}
registerType(CacheFake, 'CacheService.Cache');

export class CacheServiceFake implements Pick<GoogleAppsScript.Cache.CacheService, 'getScriptCache' | 'getUserCache' | 'getDocumentCache'> {
  constructor(private readonly scope: Scope) {}

  getScriptCache(): GoogleAppsScript.Cache.Cache {
    return new CacheFake(this.scope.world.caches.script, this.scope);
  }
  getUserCache(): GoogleAppsScript.Cache.Cache {
    return new CacheFake(this.scope.world.userStores(this.scope.exec.user).cache, this.scope);
  }
  getDocumentCache(): GoogleAppsScript.Cache.Cache | null {
    return new CacheFake(this.scope.world.caches.document, this.scope);
  }
}
registerType(CacheServiceFake, 'CacheService');
