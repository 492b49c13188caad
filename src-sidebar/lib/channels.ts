/**
 * Checking channels before a change is saved: a channel YouTube says does not exist (or an input that
 * is not a channel at all) is refused with its own message ("@nosuch: no such channel"); a check that
 * could not be made (quota, network) does not block the change, the caller says so instead. Decided by
 * the check's `reason` code, never by its message text.
 */
import type { ChannelCheck } from '../../src-server/app/contract';
import { isFinalChannelReason } from '../../src-server/domain/channels';
import { errorMessage, rpc } from '../rpc';

/** The check's answer is final: the channel does not exist, or the input is no channel reference. */
export function isRefusedChannel(check: ChannelCheck): boolean {
  return !check.ok && isFinalChannelReason(check.reason);
}

export interface ChannelVerdict {
  /** One message per refused channel. */
  refused: string[];
  /** Why some channels could not be checked (empty when all were). */
  unchecked: string[];
}

/** Checks the channels of `next` that `previous` does not have (kept channels were checked before). */
export async function verifyNewChannels(previous: readonly string[], next: readonly string[]): Promise<ChannelVerdict> {
  const added = [...new Set(next.filter((c) => !previous.includes(c)))];
  if (added.length === 0) return { refused: [], unchecked: [] };
  try {
    return channelVerdict(await rpc.checkChannels(added));
  } catch (err) {
    return { refused: [], unchecked: [errorMessage(err)] };
  }
}

/** The verdict of a check's answers: refused channels block the change, unchecked ones are only said. */
export function channelVerdict(checks: readonly ChannelCheck[]): ChannelVerdict {
  return {
    refused: checks.filter(isRefusedChannel).map((c) => c.error ?? `${c.input}: no such channel`),
    unchecked: checks.filter((c) => !c.ok && !isRefusedChannel(c)).map((c) => c.error ?? `${c.input}: not checked`),
  };
}
