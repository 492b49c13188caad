/**
 * `--api-key KEY`: registers a key for local use through the project's own key store, by running the
 * bundle's private `importLocalApiKey_` global (hashed and stored like any key the owner creates; a
 * private function cannot be reached through google.script.run). Runs at start-up and after every
 * reset; importing the same key again is idempotent.
 */
import type { DevRuntime } from './types';

export interface ApiKeyStatus {
  key: string;
  status: 'registered' | 'failed';
  id?: string;
  message?: string;
}

export function registerApiKeys(runtime: DevRuntime, keys: readonly string[]): ApiKeyStatus[] {
  return keys.map((key) => {
    const result = runtime.run('importLocalApiKey_', key, { name: 'local (--api-key)', scope: 'write' });
    if (result.ok) return { key, status: 'registered', id: String(result.value) };
    return { key, status: 'failed', message: result.error?.message ?? 'the key could not be stored' };
  });
}

/** Script property telling the /docs page to load Swagger UI from the dev server, not a CDN. */
export const DOCS_ASSETS_PROPERTY = 'api.docs_assets_url';
export const DOCS_ASSETS_URL = '/__assets/swagger-ui';

export function serveDocsAssetsLocally(runtime: DevRuntime): void {
  runtime.properties.script[DOCS_ASSETS_PROPERTY] = DOCS_ASSETS_URL;
}

/** Shown in state and logs without revealing the key. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 4)}…${key.slice(-2)}`;
}
