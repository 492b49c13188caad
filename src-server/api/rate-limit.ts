/**
 * Two counters in fixed one-minute windows  (starting on the minute of the clock), kept in the Cache port
 * and read and written only under the script lock (auth.ts), so simultaneous requests cannot both read
 * the same count: the limits hold exactly under concurrency.
 *
 * - Requests per API key (a token counts against its key): past `rate_limit_per_minute`, 429
 *   rate_limited.
 * - Failed authentications per slot of key ids. A web app sees no client address, so failures cannot be
 *   counted per client; they are counted per slot of the key id the credential names (the public
 *   `k_…` part of a key, the `sub` of a token), AUTH_FAILURE_SLOTS slots. Once a slot has had its
 *   budget of failures in a minute, every credential naming an id of that slot is answered 429
 *   auth_rate_limited without being checked, valid or not (the same answer either way: the lockout
 *   says nothing about a key), until the minute ends. So: guessing is capped at slots × budget checks a
 *   minute; an attacker who does not know a key's id cannot single it out; one who does shuts out at
 *   most the keys of that slot, and only for as long as they keep failing every minute; nothing is
 *   stored beyond the window and no key is ever disabled.
 *
 * Cache entries may be evicted early: an evicted counter starts again at 0 (more requests let through,
 * never fewer). The cache is used rather than the property store so that neither requests nor an
 * attacker's failures spend the daily property-write quota the scheduler needs.
 */
import { AppError } from '../app/contract';
import type { Cache, Clock } from '../ports';

const WINDOW_MS = 60_000;
/** Counters outlive their window a little, so that a slow clock edge does not reset one early. */
const COUNTER_TTL_SECONDS = 120;
export const AUTH_FAILURE_SLOTS = 16;

interface Window {
  start: number;
  retryAfter: number;
}

function currentWindow(clock: Clock): Window {
  const now = clock.now().getTime();
  const start = now - (now % WINDOW_MS);
  return { start, retryAfter: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) };
}

/** The failure slot of a key id (k_ + 8 hex digits): its last digit. Anything else goes to slot 0. */
export function failureSlotOf(keyId: string): number {
  const digit = /^k_[0-9a-f]{7}([0-9a-f])$/.exec(keyId)?.[1];
  return digit === undefined ? 0 : parseInt(digit, 16) % AUTH_FAILURE_SLOTS;
}

function requestsKey(keyId: string, window: Window): string {
  return `api.rl.${keyId}.${window.start}`;
}

function failuresKey(slot: number, window: Window): string {
  return `api.af.${slot}.${window.start}`;
}

function count(value: string | null | undefined): number {
  return Number(value ?? '0') || 0;
}

/** Counters of one request, read in one cache call. Call under the script lock. */
export interface RequestCounters {
  /** Throws 429 auth_rate_limited when the slot has spent its failure budget this minute. */
  checkFailureBudget(limit: number): void;
  recordFailure(): void;
  /** Counts a request of `keyId`; throws 429 rate_limited past the limit (nothing counted then). */
  countRequest(keyId: string, limitPerMinute: number): void;
}

export function readCounters(cache: Cache, clock: Clock, claimedKeyId: string): RequestCounters {
  const window = currentWindow(clock);
  const slotKey = failuresKey(failureSlotOf(claimedKeyId), window);
  // The request counter of the key the credential names, read with the failure counter: one round trip.
  const claimedKey = requestsKey(claimedKeyId, window);
  const read = cache.getMany([slotKey, claimedKey]);
  const failures = count(read[slotKey]);
  return {
    checkFailureBudget(limit) {
      if (failures < limit) return;
      throw new AppError(
        429,
        'auth_rate_limited',
        `Too many failed authentications in this minute for this group of API keys: credentials are not checked until it ends; retry in ${window.retryAfter} s.`,
        { retry_after: window.retryAfter, limit },
      );
    },
    recordFailure() {
      cache.put(slotKey, String(failures + 1), COUNTER_TTL_SECONDS);
    },
    countRequest(keyId, limitPerMinute) {
      if (!(limitPerMinute > 0)) return;
      const key = requestsKey(keyId, window);
      const used = key === claimedKey ? count(read[claimedKey]) : count(cache.get(key));
      if (used >= limitPerMinute) {
        throw new AppError(
          429,
          'rate_limited',
          `Rate limit of ${limitPerMinute} requests a minute reached; retry in ${window.retryAfter} s.`,
          {
            retry_after: window.retryAfter,
            limit: limitPerMinute,
          },
        );
      }
      cache.put(key, String(used + 1), COUNTER_TTL_SECONDS);
    },
  };
}
