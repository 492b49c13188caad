/**
 * Retry policy: exponential backoff with deterministic jitter (seeded, so planning stays pure and
 * reproducible), and the classification of run errors into retryable or not.
 */

/** How a failed run is classified (the sync engine maps YouTube and Sheets errors onto these). */
export type RunErrorKind = 'transient' | 'permanent' | 'quota' | 'unknown';

/** The longest wait between two attempts, whatever the backoff says. */
export const MAX_RETRY_DELAY_MS = 24 * 60 * 60_000;

/** Transient errors (5xx, timeouts, rate limits) and unclassified ones are retried; permanent ones and quota are not. */
export function isTransient(kind: RunErrorKind): boolean {
  return kind === 'transient' || kind === 'unknown';
}

/** FNV-1a over the seed, scaled to [0, 1). */
export function jitterFraction(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

/**
 * Delay before the retry that follows failed attempt `attempt` (1 = the first run):
 * backoff × 2^(attempt-1), times a jitter factor in [0.75, 1.25) drawn from `jitterSeed`
 * (use `${jobId}:${attempt}`), capped at 24 hours, at least one minute.
 */
export function retryDelayMs(attempt: number, backoffMinutes: number, jitterSeed: string): number {
  const base = backoffMinutes * 60_000 * 2 ** Math.max(0, Math.min(attempt - 1, 20));
  const jittered = base * (0.75 + 0.5 * jitterFraction(jitterSeed));
  return Math.round(Math.max(60_000, Math.min(MAX_RETRY_DELAY_MS, jittered)));
}
