/**
 * Requests per credential per minute, counted in CacheService in fixed one-minute windows (the
 * window starts on the minute of the clock). CacheService has no atomic increment: two requests of
 * the same credential at the very same moment may both count as one, so the limit is approximate by
 * design and errs on the side of letting a request through. An evicted counter starts again at 0.
 */
import { AppError } from '../app/contract';
import type { Cache, Clock } from '../ports';

const WINDOW_MS = 60_000;

export function checkRateLimit(cache: Cache, clock: Clock, credentialId: string, limitPerMinute: number): void {
  if (!(limitPerMinute > 0)) return;
  const now = clock.now().getTime();
  const windowStart = now - (now % WINDOW_MS);
  const cacheKey = `api.rl.${credentialId}.${windowStart}`;
  const used = Number(cache.get(cacheKey) ?? '0') || 0;
  if (used >= limitPerMinute) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    throw new AppError(429, 'rate_limited', `Rate limit of ${limitPerMinute} requests a minute reached; retry in ${retryAfter} s.`, {
      retry_after: retryAfter,
      limit: limitPerMinute,
    });
  }
  // Kept a little longer than the window so that a slow clock edge does not reset it early.
  cache.put(cacheKey, String(used + 1), 120);
}
