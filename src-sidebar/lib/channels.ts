/**
 * Checking channels before a change is saved: a channel YouTube says does not exist (or an input that
 * is not a channel at all) is refused with its own message ("@nosuch: no such channel"); a check that
 * could not be made (quota, network) does not block the change, the caller says so instead.
 */
import type { ChannelCheck } from '../../src-server/app/contract';
import { errorMessage, rpc } from '../rpc';

/** The check's answer is final: the channel does not exist, or the input is no channel reference. */
export function isRefusedChannel(check: ChannelCheck): boolean {
  if (check.ok) return false;
  const error = check.error ?? '';
  return error.endsWith(': no such channel') || error.includes(': not a channel');
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
    const checks = await rpc.checkChannels(added);
    return {
      refused: checks.filter(isRefusedChannel).map((c) => c.error ?? `${c.input}: no such channel`),
      unchecked: checks.filter((c) => !c.ok && !isRefusedChannel(c)).map((c) => c.error ?? `${c.input}: not checked`),
    };
  } catch (err) {
    return { refused: [], unchecked: [errorMessage(err)] };
  }
}
