/**
 * Channel checks against YouTube: the wizard's check (cached for hours, metered like runs) and the
 * refusal of channels that do not exist before a job is saved, with the check's quota units written in
 * the change's own batch. The cached answers also serve the job's first sync (knownChannelsFromCache):
 * a handle checked when the job was made is not looked up again.
 */
import { tryNormalizeChannelInput } from '../domain/channels';
import { isMissingChannel, resolveChannels, quotaResetAt, type KnownChannel } from '../sync';
import type { ChannelCheck } from './contract';
import { AppError } from './contract';
import type { AppContext, Loaded } from './context';
import { addQuota, readQuota } from './quota';
import type { Cache } from '../ports';

const CHANNEL_CACHE_TTL = 6 * 3600;
const CHANNEL_CACHE_PREFIX = 'y2s:ch:';
/** By channel (ChannelRef key), so '@Name', 'youtube.com/@name' and the job's stored form share one entry. */
const channelCacheKey = (input: string): string =>
  CHANNEL_CACHE_PREFIX + (tryNormalizeChannelInput(input)?.key ?? input.trim().toLowerCase());

/**
 * Channels a check resolved in the last hours, by ChannelRef key: one cache read, no YouTube call.
 * The cache (Cache port) may have dropped any of them; the sync looks those up itself.
 */
export function knownChannelsFromCache(cache: Cache, refKeys: readonly string[]): Map<string, KnownChannel> {
  const out = new Map<string, KnownChannel>();
  if (refKeys.length === 0) return out;
  let hits: Record<string, string>;
  try {
    hits = cache.getMany(refKeys.map((k) => CHANNEL_CACHE_PREFIX + k));
  } catch {
    return out; // the cache is an optimisation: a failure only costs the lookups
  }
  for (const key of refKeys) {
    const raw = hits[CHANNEL_CACHE_PREFIX + key];
    if (raw === undefined) continue;
    try {
      const check = JSON.parse(raw) as Partial<ChannelCheck>;
      if (check.ok && typeof check.channel_id === 'string') {
        out.set(key, {
          id: check.channel_id,
          title: typeof check.title === 'string' ? check.title : null,
          videoCount: typeof check.video_count === 'number' ? check.video_count : null,
        });
      }
    } catch {
      // an unreadable entry is looked up again
    }
  }
  return out;
}

export interface CheckOutcome {
  checks: ChannelCheck[];
  units: number;
  exceeded: boolean;
  at: Date;
}

export function createChannelChecks(ctx: AppContext) {
  const deps = ctx.deps;

  /** Looks channels up on YouTube (not the cache), metered like runs: the daily budget and a quotaExceeded deferral hold. */
  const checkUncached = (loaded: Loaded, inputs: string[]): CheckOutcome => {
    const now = ctx.now();
    const quota = readQuota(loaded.snapshot, now);
    let units = 0;
    let exceeded = false;
    const checks = resolveChannels(
      inputs,
      deps.youtube,
      (u) => {
        units += u;
      },
      {
        canSpend: (u) => !quota.deferred_until && quota.used + units + u <= loaded.settings.daily_quota_budget,
        refusedMessage: quota.deferred_until
          ? `the YouTube quota is used up; checks resume after ${quota.deferred_until}`
          : 'the daily YouTube quota budget (settings) is used up until midnight Pacific time',
        onQuotaExceeded: () => {
          exceeded = true;
        },
      },
    );
    for (const check of checks) if (check.ok) deps.cache.put(channelCacheKey(check.input), JSON.stringify(check), CHANNEL_CACHE_TTL);
    return { checks, units, exceeded, at: now };
  };

  /** Adds a check's units (and a quotaExceeded deferral) to the day's meter, in the caller's batch. */
  const addCheckQuota = (loaded: Loaded, outcome: CheckOutcome): void => {
    if (outcome.units > 0 || outcome.exceeded) {
      addQuota(loaded.snapshot, ctx.now(), outcome.units, outcome.exceeded ? quotaResetAt(outcome.at).toISOString() : null);
    }
  };

  /** The same, as its own locked write (the check is not followed by a change). */
  const recordCheckQuota = (outcome: CheckOutcome): void => {
    if (outcome.units === 0 && !outcome.exceeded) return;
    try {
      ctx.mutate((locked) => addCheckQuota(locked, outcome));
    } catch (err) {
      deps.logger.warn(`Quota of a channel check not recorded: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  /**
   * Refuses channels YouTube says do not exist before a job is saved (a typo would otherwise show only
   * at the first run, as a partial run). Runs outside the lock: schema errors first (`validate`), then
   * one metered, cached check of the channels the job does not have yet. A check that cannot be done
   * (quota, budget, network) lets the change through; the run reports the channel if it is wrong.
   */
  const refuseMissingChannels = (input: unknown, jobId: string | null, validate: (loaded: Loaded) => void): CheckOutcome | null => {
    const channels = input && typeof input === 'object' && !Array.isArray(input) ? (input as { channels?: unknown }).channels : undefined;
    if (!Array.isArray(channels)) return null;
    const candidates = [...new Set(channels.filter((c): c is string => typeof c === 'string'))].slice(0, 50);
    if (candidates.length === 0) return null;
    const cached = deps.cache.getMany(candidates.map(channelCacheKey)); // channels checked in the last hours
    const uncached = candidates.filter((c) => cached[channelCacheKey(c)] === undefined);
    if (uncached.length === 0) return null;
    const loaded = ctx.load();
    // Compared by channel key: the job stores canonical forms, a client may send the same channel as a URL.
    const keyOf = (c: string): string | null => tryNormalizeChannelInput(c)?.key ?? null;
    const known = new Set(jobId ? loaded.requireJob(jobId).config.channels.map(keyOf) : []);
    const fresh = uncached.filter((c) => {
      const key = keyOf(c);
      return key === null || !known.has(key);
    });
    if (fresh.length === 0) return null;
    validate(loaded);
    const outcome = checkUncached(loaded, fresh);
    const missing = outcome.checks.filter(isMissingChannel);
    if (missing.length === 0) return outcome; // its units are recorded with the change
    recordCheckQuota(outcome);
    const issues = missing.map((c) => ({
      path: `channels.${channels.indexOf(c.input)}`,
      message: c.error ?? `${c.input}: no such channel`,
      reason: 'not_found' as const,
    }));
    throw new AppError(422, 'validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  };

  /** A change after a channel check: the check's units go in the change's batch, or on their own if it fails. */
  const saveChecked = <T>(checked: CheckOutcome | null, work: (loaded: Loaded) => T): T => {
    try {
      return ctx.mutate((loaded) => {
        if (checked) addCheckQuota(loaded, checked);
        return work(loaded);
      });
    } catch (err) {
      if (checked) recordCheckQuota(checked);
      throw err;
    }
  };

  /** The wizard's check: cached answers first, the rest looked up (at most 50 inputs). */
  const check = (inputs: string[]): ChannelCheck[] => {
    const list = (Array.isArray(inputs) ? inputs : []).filter((i): i is string => typeof i === 'string').slice(0, 50);
    if (list.length === 0) return [];
    const cached = deps.cache.getMany(list.map(channelCacheKey));
    const missing = list.filter((i) => cached[channelCacheKey(i)] === undefined);
    let fresh: ChannelCheck[] = [];
    if (missing.length > 0) {
      const checked = checkUncached(ctx.load(), missing);
      fresh = checked.checks;
      recordCheckQuota(checked);
    }
    return list.map((input) => {
      const hit = cached[channelCacheKey(input)];
      // Only found channels are cached; an entry written before reasons existed has none.
      if (hit !== undefined) {
        const cachedCheck = JSON.parse(hit) as ChannelCheck;
        return { ...cachedCheck, input, reason: cachedCheck.reason ?? null };
      }
      return (
        fresh.find((c) => c.input === input) ?? {
          input,
          ok: false,
          channel_id: null,
          title: null,
          video_count: null,
          thumbnail_url: null,
          error: 'not checked',
          reason: 'not_checked',
        }
      );
    });
  };

  return { check, refuseMissingChannels, saveChecked };
}
