/**
 * The wizard's reading of a channel check: what blocks the step (channels that failed, the same
 * channel entered twice, in the same or different forms) and the badge each line gets.
 */
import type { ChannelCheck } from '../../../src-server/app/contract';
import { isRefusedChannel } from '../../lib/channels';

/** For each line, the earlier line that resolves to the same channel id (null if none). */
export function earlierSameChannel(checks: readonly ChannelCheck[]): (string | null)[] {
  const first = new Map<string, string>();
  return checks.map((c) => {
    if (!c.ok || !c.channel_id) return null;
    const earlier = first.get(c.channel_id);
    if (earlier === undefined) {
      first.set(c.channel_id, c.input);
      return null;
    }
    return earlier;
  });
}

/** One sentence per problem, in the order of the lines. */
export function channelProblems(checks: readonly ChannelCheck[]): string[] {
  const earlier = earlierSameChannel(checks);
  return checks.flatMap((c, i) => {
    if (!c.ok) return [c.error ?? `${c.input}: not found`];
    const same = earlier[i];
    if (same == null) return [];
    return [same === c.input ? `${c.input} is listed twice` : `${c.input} is the same channel as ${same}${c.title ? ` (${c.title})` : ''}`];
  });
}

/** The badge of a line that is not a usable channel of its own, or null. */
export function channelBadge(check: ChannelCheck, earlier: string | null): { kind: string; label: string } | null {
  if (check.ok) return earlier == null ? null : { kind: 'partial', label: 'duplicate' };
  if (check.reason === 'not_found') return { kind: 'failed', label: 'not found' };
  if (isRefusedChannel(check)) return { kind: 'failed', label: 'invalid' };
  return { kind: 'partial', label: 'not checked' };
}
