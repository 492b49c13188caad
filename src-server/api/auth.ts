/**
 * Who is calling: an API key (`key`) or an access token (`access_token`). Tokens are re-checked
 * against their key, so revoking a key ends its tokens at once.
 *
 * A credential is checked under the script lock, together with the counters of rate-limit.ts: the
 * failure budget of its key-id slot first (spent: refused unchecked), then the credential (a failure is
 * counted), then the request limit of its key. Holding the lock across the three makes each
 * read-count-write exact however many requests arrive at once.
 */
import { AppError } from '../app/contract';
import { withLock } from '../app/lock';
import type { Crypto } from '../ports';
import { createApiKeyService, keyIdOf } from './keys';
import { verifyToken } from './jwt';
import { forbidden, unauthorized } from './errors';
import { readCounters } from './rate-limit';
import type { Credential } from './request';
import type { Principal, RouteAuth } from './routes';
import type { ApiDeps, ApiLimits } from './types';

const KEY_ID = /^k_[0-9a-f]{8}$/;

/**
 * The key id a credential names, read without checking it: the id part of a key, the `sub` of a
 * token. Anything unreadable is named by a hash of itself, as keys of other shapes are.
 */
export function claimedKeyId(crypto: Crypto, credential: Credential): string {
  if (credential.kind === 'key') return keyIdOf(crypto, credential.value).id;
  const payload = credential.value.split('.')[1] ?? '';
  if (/^[A-Za-z0-9_-]{1,2048}$/.test(payload)) {
    try {
      const sub = (JSON.parse(crypto.base64UrlDecodeToString(payload)) as { sub?: unknown } | null)?.sub;
      if (typeof sub === 'string' && KEY_ID.test(sub)) return sub;
    } catch {
      /* named by its hash below */
    }
  }
  return keyIdOf(crypto, credential.value).id;
}

function verify(credential: Credential, deps: ApiDeps, limits: ApiLimits): Principal {
  const keys = createApiKeyService(deps);
  if (credential.kind === 'key') {
    const key = keys.verify(credential.value);
    if (!key) throw unauthorized('Invalid or revoked API key.');
    return { keyId: key.id, scope: key.scope };
  }
  const claims = verifyToken(deps, credential.value, limits.maxTokenSeconds);
  const key = keys.status(claims.sub);
  if (!key) throw unauthorized('Access token refused: its API key was revoked.');
  // A token never grants more than its key has now.
  return { keyId: key.id, scope: claims.scope === 'write' && key.scope === 'write' ? 'write' : 'read' };
}

/**
 * The caller, or null for an anonymous request to an open route. `requestsPerMinute` is read only
 * once the credential has passed.
 */
export function authenticate(
  credential: Credential | null,
  auth: RouteAuth,
  deps: ApiDeps,
  limits: ApiLimits,
  requestsPerMinute: () => number,
): Principal | null {
  if (!credential) {
    if (auth === 'none') return null;
    throw unauthorized('Credentials required: pass your API key as key=… (or an access token as access_token=…).');
  }
  // A wrong kind of credential is refused before anything is checked or counted.
  if (credential.kind === 'token' && auth === 'key') throw unauthorized('POST /auth/token needs an API key, not an access token.');
  return withLock({ lock: deps.lock }, () => {
    const counters = readCounters(deps.cache, deps.clock, claimedKeyId(deps.crypto, credential));
    counters.checkFailureBudget(limits.authFailuresPerSlotPerMinute);
    let principal: Principal;
    try {
      principal = verify(credential, deps, limits);
    } catch (err) {
      if (err instanceof AppError && err.status === 401) counters.recordFailure();
      throw err;
    }
    counters.countRequest(principal.keyId, requestsPerMinute());
    return principal;
  });
}

export function authorize(principal: Principal | null, auth: RouteAuth): void {
  if (auth === 'write' && principal?.scope !== 'write') {
    throw forbidden('This route changes data: it needs a key or token with write scope.');
  }
}
