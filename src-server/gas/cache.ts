/** Cache over CacheService.getScriptCache(), fetched on first use. */
import type { Cache } from '../ports';

/** CacheService keeps entries at most 6 hours. */
const MAX_TTL_SECONDS = 21_600;

export function createScriptCache(): Cache {
  let cache: GoogleAppsScript.Cache.Cache | null = null;
  const get = (): GoogleAppsScript.Cache.Cache => (cache ??= CacheService.getScriptCache());
  return {
    get: (key) => get().get(key),
    getMany: (keys) => (keys.length === 0 ? {} : get().getAll([...keys])),
    put: (key, value, ttl) => get().put(key, value, Math.max(1, Math.min(MAX_TTL_SECONDS, Math.round(ttl)))),
    remove: (key) => get().remove(key),
  };
}
