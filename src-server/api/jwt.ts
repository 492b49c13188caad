/**
 * HS256 access tokens. The secret lives in script properties (JWT_SECRET_PROPERTY). It is created in
 * the same write as the first API key (keys.ts), so that a full store can never stop a valid key from
 * getting a token; only a store from an earlier version, with keys and no secret, gets it on the first
 * token request, through the store's budget check. rotateJwtSecret() replaces it, which invalidates
 * every token issued before.
 * Only alg "HS256" is accepted: "none" and every other algorithm are refused before any other check.
 */
import type { Clock, Crypto, PropertyStore, ScriptLock } from '../ports';
import { withLock } from '../app/lock';
import { bytesToHex, constantTimeEqual } from './encoding';
import { unauthorized } from './errors';
import { writeWithinBudget } from './store-budget';

export const JWT_SECRET_PROPERTY = 'api.jwt_secret';
const ISSUER = 'youtube2sheets';
/**
 * Tolerated lead of a token's `iat` over the checking execution's clock: tokens are issued by one
 * execution and checked by another, on machines whose clocks may differ a little.
 */
const IAT_SKEW_SECONDS = 60;
/**
 * Tolerated lead of `nbf`: none. This API never issues tokens with `nbf`, so a token carrying one was
 * made elsewhere with the secret; a future `nbf` is refused as the documentation says, even by a second.
 */
const NBF_SKEW_SECONDS = 0;

export interface TokenClaims {
  sub: string; // API key id
  scope: 'read' | 'write';
  iat: number;
  exp: number;
  iss: string;
}

interface TokenDeps {
  properties: PropertyStore;
  crypto: Crypto;
  clock: Clock;
  /** Guards the one-time creation of a missing secret, so that two executions cannot create two. */
  lock?: ScriptLock;
}

function newSecret(crypto: Crypto): string {
  return bytesToHex(crypto.randomBytes(32));
}

function readSecret(deps: TokenDeps): string | null {
  return deps.properties.get(JWT_SECRET_PROPERTY);
}

/**
 * The property write that creates the secret when it does not exist yet (empty when it does): the key
 * store adds it to the write of a new key, so that both are created together or not at all.
 */
export function secretIfMissing(properties: PropertyStore, crypto: Crypto): Record<string, string> {
  return properties.get(JWT_SECRET_PROPERTY) ? {} : { [JWT_SECRET_PROPERTY]: newSecret(crypto) };
}

function ensureSecret(deps: TokenDeps): string {
  const existing = readSecret(deps);
  if (existing) return existing;
  // A store from before the secret was created with the first key: created once, under the lock.
  const create = (): string => {
    const raced = readSecret(deps);
    if (raced) return raced;
    const secret = newSecret(deps.crypto);
    writeWithinBudget(deps.properties, { [JWT_SECRET_PROPERTY]: secret }, 'the token signing secret');
    return secret;
  };
  return deps.lock ? withLock({ lock: deps.lock }, create) : create();
}

/** Replaces the signing secret: every token issued so far stops working at once. */
export function rotateJwtSecret(deps: Pick<TokenDeps, 'properties' | 'crypto'>): void {
  writeWithinBudget(deps.properties, { [JWT_SECRET_PROPERTY]: newSecret(deps.crypto) }, 'the token signing secret');
}

function sign(deps: TokenDeps, secret: string, signingInput: string): string {
  return deps.crypto.base64UrlEncode(deps.crypto.hmacSha256(secret, signingInput));
}

export function issueToken(
  deps: TokenDeps,
  keyId: string,
  scope: 'read' | 'write',
  lifetimeSeconds: number,
): { token: string; claims: TokenClaims } {
  const secret = ensureSecret(deps);
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const claims: TokenClaims = { sub: keyId, scope, iat, exp: iat + lifetimeSeconds, iss: ISSUER };
  const header = deps.crypto.base64UrlEncode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = deps.crypto.base64UrlEncode(JSON.stringify(claims));
  const signingInput = `${header}.${payload}`;
  return { token: `${signingInput}.${sign(deps, secret, signingInput)}`, claims };
}

function decodeJson(deps: TokenDeps, part: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw unauthorized('Malformed access token.');
  try {
    return JSON.parse(deps.crypto.base64UrlDecodeToString(part));
  } catch {
    throw unauthorized('Malformed access token.');
  }
}

/** Verifies a token and returns its claims; throws 401 for anything not exactly right. */
export function verifyToken(deps: TokenDeps, token: string, maxLifetimeSeconds: number): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) throw unauthorized('Malformed access token.');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(deps, headerPart);
  if (!header || typeof header !== 'object' || (header as { alg?: unknown }).alg !== 'HS256') {
    throw unauthorized('Access token refused: only HS256 tokens are accepted.');
  }
  const secret = readSecret(deps);
  if (!secret || !signaturePart || !constantTimeEqual(signaturePart, sign(deps, secret, `${headerPart}.${payloadPart}`))) {
    throw unauthorized('Access token refused: bad signature.');
  }
  const claims = decodeJson(deps, payloadPart) as Partial<TokenClaims> | null;
  if (
    !claims ||
    typeof claims.sub !== 'string' ||
    (claims.scope !== 'read' && claims.scope !== 'write') ||
    typeof claims.exp !== 'number' ||
    typeof claims.iat !== 'number' ||
    claims.iss !== ISSUER
  ) {
    throw unauthorized('Malformed access token.');
  }
  const now = deps.clock.now().getTime() / 1000;
  if (claims.exp <= now) throw unauthorized('Access token expired: request a new one at POST /auth/token.');
  const nbf = (claims as { nbf?: unknown }).nbf;
  if (nbf !== undefined && typeof nbf !== 'number') throw unauthorized('Malformed access token.');
  if (typeof nbf === 'number' && nbf > now + NBF_SKEW_SECONDS)
    throw unauthorized('Access token refused: it is not valid yet (nbf is in the future).');
  // A token signed with the right secret but an over-long life, or issued in the future (beyond the
  // skew between executions), was not issued by us as it is: refuse it.
  if (claims.exp - claims.iat > maxLifetimeSeconds || claims.iat > now + IAT_SKEW_SECONDS) throw unauthorized('Access token refused.');
  return claims as TokenClaims;
}
