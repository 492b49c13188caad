/**
 * Who is calling: an API key (`key`) or an access token (`access_token`). Tokens are re-checked
 * against their key, so revoking a key ends its tokens at once.
 */
import { createApiKeyService } from './keys';
import { verifyToken } from './jwt';
import { forbidden, unauthorized } from './errors';
import type { Credential } from './request';
import type { Principal, RouteAuth } from './routes';
import type { ApiDeps, ApiLimits } from './types';

export function authenticate(credential: Credential | null, auth: RouteAuth, deps: ApiDeps, limits: ApiLimits): Principal | null {
  if (!credential) {
    if (auth === 'none') return null;
    throw unauthorized('Credentials required: pass your API key as key=… (or an access token as access_token=…).');
  }
  const keys = createApiKeyService(deps);
  if (credential.kind === 'key') {
    const key = keys.verify(credential.value);
    if (!key) throw unauthorized('Invalid or revoked API key.');
    return { keyId: key.id, scope: key.scope };
  }
  if (auth === 'key') throw unauthorized('POST /auth/token needs an API key, not an access token.');
  const claims = verifyToken(deps, credential.value, limits.maxTokenSeconds);
  const key = keys.status(claims.sub);
  if (!key) throw unauthorized('Access token refused: its API key was revoked.');
  // A token never grants more than its key has now.
  return { keyId: key.id, scope: claims.scope === 'write' && key.scope === 'write' ? 'write' : 'read' };
}

export function authorize(principal: Principal | null, auth: RouteAuth): void {
  if (auth === 'write' && principal?.scope !== 'write') {
    throw forbidden('This route changes data: it needs a key or token with write scope.');
  }
}
