/**
 * HS256 access tokens. The secret lives in script properties (JWT_SECRET_PROPERTY) and is created on
 * first use; rotateJwtSecret() replaces it, which invalidates every token issued before.
 * Only alg "HS256" is accepted: "none" and every other algorithm are refused before any other check.
 */
import type { Clock, Crypto, PropertyStore } from '../ports';
import { bytesToHex, constantTimeEqual } from './encoding';
import { unauthorized } from './errors';

export const JWT_SECRET_PROPERTY = 'api.jwt_secret';
const ISSUER = 'youtube2sheets';
/** Tolerated difference between the clocks of the execution that issued a token and the one checking it. */
const CLOCK_SKEW_SECONDS = 60;

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
}

function newSecret(crypto: Crypto): string {
  return bytesToHex(crypto.randomBytes(32));
}

function readSecret(deps: TokenDeps): string | null {
  return deps.properties.get(JWT_SECRET_PROPERTY);
}

function ensureSecret(deps: TokenDeps): string {
  const existing = readSecret(deps);
  if (existing) return existing;
  const secret = newSecret(deps.crypto);
  deps.properties.setMany({ [JWT_SECRET_PROPERTY]: secret });
  return secret;
}

/** Replaces the signing secret: every token issued so far stops working at once. */
export function rotateJwtSecret(deps: Pick<TokenDeps, 'properties' | 'crypto'>): void {
  deps.properties.setMany({ [JWT_SECRET_PROPERTY]: newSecret(deps.crypto) });
}

function sign(deps: TokenDeps, secret: string, signingInput: string): string {
  return deps.crypto.base64UrlEncode(deps.crypto.hmacSha256(secret, signingInput));
}

export function issueToken(deps: TokenDeps, keyId: string, scope: 'read' | 'write', lifetimeSeconds: number): { token: string; claims: TokenClaims } {
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
  // A token signed with the right secret but an over-long life, or issued / valid only in the future
  // (beyond a minute of clock skew between executions), was not issued by us as it is: refuse it.
  const nbf = (claims as { nbf?: unknown }).nbf;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + CLOCK_SKEW_SECONDS)) throw unauthorized('Access token refused.');
  if (claims.exp - claims.iat > maxLifetimeSeconds || claims.iat > now + CLOCK_SKEW_SECONDS) throw unauthorized('Access token refused.');
  return claims as TokenClaims;
}
