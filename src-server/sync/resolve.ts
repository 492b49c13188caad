/**
 * Channel inputs -> channels, with channels.list: channel ids batched up to 50 per call, handles
 * (forHandle) and legacy usernames (forUsername) one call each. An input matching nothing is a
 * permanent, named error ("@nosuch: no such channel"); other inputs are unaffected.
 */
import {
  channelLabel,
  tryNormalizeChannelInput,
  CHANNEL_INPUT_HINT,
  type ChannelCheck,
  type ChannelCheckReason,
  type ChannelRef,
} from '../domain/channels';
import { YouTubeApiError, type ChannelLookup, type YouTubeApi, type YouTubeChannel } from '../ports';

export const MAX_IDS_PER_CALL = 50;

export type Resolution =
  | { ok: true; channel: YouTubeChannel }
  | { ok: false; permanent: true; error: string; reason: Extract<ChannelCheckReason, 'not_found' | 'lookup_refused'> };

/** Performs one channels.list call; the sync engine passes its metered caller. */
export type ChannelsCaller = (lookup: ChannelLookup) => YouTubeChannel[];

export function notFoundMessage(ref: ChannelRef): string {
  return `${channelLabel(ref)}: no such channel`;
}

/** Whether a channel check found that the channel does not exist (not merely unchecked). */
export function isMissingChannel(check: ChannelCheck): boolean {
  return !check.ok && check.reason === 'not_found';
}

export function invalidInputMessage(input: string): string {
  return `${input}: not a channel (${CHANNEL_INPUT_HINT})`;
}

/**
 * Resolves refs (deduplicated by the caller or not: equal ids share one lookup). Quota and transient
 * errors propagate (the caller stops; what was resolved before is in `out`); a permanent error of one
 * lookup fails only its inputs.
 */
export function resolveRefs(
  refs: readonly ChannelRef[],
  call: ChannelsCaller,
  out = new Map<ChannelRef, Resolution>(),
): Map<ChannelRef, Resolution> {
  const permanent = (ref: ChannelRef, err: YouTubeApiError): Resolution => ({
    ok: false,
    permanent: true,
    error: `${channelLabel(ref)}: ${err.code === 404 ? 'no such channel' : `YouTube refused the lookup (${err.reason || err.code})`}`,
    reason: err.code === 404 ? 'not_found' : 'lookup_refused',
  });
  const notFound = (ref: ChannelRef): Resolution => ({ ok: false, permanent: true, error: notFoundMessage(ref), reason: 'not_found' });

  const idRefs = refs.filter((r): r is Extract<ChannelRef, { kind: 'id' }> => r.kind === 'id');
  const ids = [...new Set(idRefs.map((r) => r.id))];
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) {
    const batch = ids.slice(i, i + MAX_IDS_PER_CALL);
    let found: YouTubeChannel[];
    try {
      found = call({ id: batch });
    } catch (err) {
      if (err instanceof YouTubeApiError && err.kind === 'permanent') {
        for (const ref of idRefs) if (batch.includes(ref.id)) out.set(ref, permanent(ref, err));
        continue;
      }
      throw err;
    }
    const byId = new Map(found.map((c) => [c.id, c]));
    for (const ref of idRefs) {
      if (!batch.includes(ref.id)) continue;
      const channel = byId.get(ref.id);
      out.set(ref, channel ? { ok: true, channel } : notFound(ref));
    }
  }

  for (const ref of refs) {
    if (ref.kind === 'id') continue;
    const lookup: ChannelLookup = ref.kind === 'handle' ? { forHandle: `@${ref.handle}` } : { forUsername: ref.username };
    try {
      const channel = call(lookup)[0];
      out.set(ref, channel ? { ok: true, channel } : notFound(ref));
    } catch (err) {
      if (err instanceof YouTubeApiError && err.kind === 'permanent') out.set(ref, permanent(ref, err));
      else throw err;
    }
  }
  return out;
}

export interface ResolveOptions {
  /** Asked before each call (the app's daily budget and quota deferral); false stops the check. */
  canSpend?: (units: number) => boolean;
  /** What unchecked inputs say when canSpend stopped the check. */
  refusedMessage?: string;
  /** Told when YouTube answers quotaExceeded (the app defers all YouTube work until the reset). */
  onQuotaExceeded?: () => void;
}

class BudgetStop extends Error {}

/**
 * The wizard's channel check: title, video count and thumbnail of each input. Costs 1 unit per 50 ids
 * and 1 per handle or username; `spend`, when given, is told of every call (the app meters quota).
 */
export function resolveChannels(
  inputs: readonly string[],
  youtube: YouTubeApi,
  spend?: (units: number) => void,
  options: ResolveOptions = {},
): ChannelCheck[] {
  const refs = inputs.map((input) => tryNormalizeChannelInput(input));
  const valid = refs.filter((r): r is ChannelRef => r !== null);
  const resolved = new Map<ChannelRef, Resolution>();
  let failure: { error: string; reason: ChannelCheckReason } | null = null;
  try {
    resolveRefs(
      valid,
      (lookup) => {
        if (options.canSpend && !options.canSpend(1)) throw new BudgetStop();
        try {
          const found = youtube.listChannels(lookup);
          spend?.(1);
          return found;
        } catch (err) {
          // A refused request costs its unit too; a quotaExceeded answer is not charged.
          if (!(err instanceof YouTubeApiError && err.kind === 'quota')) spend?.(1);
          throw err;
        }
      },
      resolved,
    );
  } catch (err) {
    if (err instanceof BudgetStop)
      failure = {
        error: options.refusedMessage ?? 'the daily YouTube quota budget is used up until midnight Pacific time',
        reason: 'quota',
      };
    else if (err instanceof YouTubeApiError && err.kind === 'quota') {
      options.onQuotaExceeded?.();
      failure = { error: 'the YouTube quota is used up until midnight Pacific time', reason: 'quota' };
    } else
      failure = {
        error: `YouTube could not be reached (${err instanceof Error ? err.message : String(err)}); try again`,
        reason: 'unavailable',
      };
  }
  // Inputs resolved before a stop keep their answers; the others say why they were not checked.
  return inputs.map((input, i) => {
    const ref = refs[i] ?? null;
    const base: ChannelCheck = {
      input,
      ok: false,
      channel_id: null,
      title: null,
      video_count: null,
      thumbnail_url: null,
      error: null,
      reason: null,
    };
    if (!ref) return { ...base, error: invalidInputMessage(input), reason: 'invalid' };
    const r = resolved.get(ref);
    if (!r) return { ...base, ...(failure ?? { error: `${channelLabel(ref)}: not checked`, reason: 'not_checked' }) };
    if (!r.ok) return { ...base, error: r.error, reason: r.reason };
    const c = r.channel;
    return { ...base, ok: true, channel_id: c.id, title: c.title, video_count: c.videoCount, thumbnail_url: c.thumbnailUrl };
  });
}
