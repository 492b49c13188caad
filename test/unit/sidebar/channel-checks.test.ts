/** The sidebar's reading of channel checks decides by the `reason` code, never by the message text. */
import type { ChannelCheck, ChannelCheckReason } from '../../../src-server/app/contract';

// lib/channels.ts imports the RPC proxy; only its pure functions are under test here.
jest.mock('../../../src-sidebar/rpc', () => ({ rpc: {}, errorMessage: (e: unknown) => String(e) }));
const { channelVerdict, isRefusedChannel } =
  require('../../../src-sidebar/lib/channels') as typeof import('../../../src-sidebar/lib/channels');
const { channelBadge, channelProblems } =
  require('../../../src-sidebar/components/wizard/channel-checks') as typeof import('../../../src-sidebar/components/wizard/channel-checks');

const failed = (input: string, reason: ChannelCheckReason, error: string | null = 'whatever the server said'): ChannelCheck => ({
  input,
  ok: false,
  channel_id: null,
  title: null,
  video_count: null,
  thumbnail_url: null,
  error,
  reason,
});
const found = (input: string, id: string): ChannelCheck => ({
  input,
  ok: true,
  channel_id: id,
  title: input,
  video_count: 1,
  thumbnail_url: null,
  error: null,
  reason: null,
});

describe('channel checks in the sidebar', () => {
  test('not_found and invalid are refused; a check that could not be made is not', () => {
    expect(isRefusedChannel(failed('@a', 'not_found'))).toBe(true);
    expect(isRefusedChannel(failed('@a', 'invalid'))).toBe(true);
    for (const reason of ['quota', 'unavailable', 'lookup_refused', 'not_checked'] as const)
      expect(isRefusedChannel(failed('@a', reason))).toBe(false);
    expect(isRefusedChannel(found('@a', 'UC1'))).toBe(false);
  });

  test('the message text does not decide: a not-found wording with another code is not refused, and the reverse', () => {
    expect(isRefusedChannel(failed('@a', 'unavailable', '@a: no such channel'))).toBe(false);
    expect(isRefusedChannel(failed('@a', 'not_found', 'reworded: YouTube has nothing by that name'))).toBe(true);
    expect(channelBadge(failed('@a', 'quota', '@a: no such channel'), null)).toEqual({ kind: 'partial', label: 'not checked' });
    expect(channelBadge(failed('@a', 'not_found', 'reworded'), null)).toEqual({ kind: 'failed', label: 'not found' });
  });

  test('badges: not found, invalid, not checked, duplicate, none', () => {
    expect(channelBadge(failed('@a', 'not_found'), null)).toEqual({ kind: 'failed', label: 'not found' });
    expect(channelBadge(failed('x y', 'invalid'), null)).toEqual({ kind: 'failed', label: 'invalid' });
    expect(channelBadge(failed('@a', 'lookup_refused'), null)).toEqual({ kind: 'partial', label: 'not checked' });
    expect(channelBadge(found('@a', 'UC1'), '@b')).toEqual({ kind: 'partial', label: 'duplicate' });
    expect(channelBadge(found('@a', 'UC1'), null)).toBeNull();
  });

  test('the verdict splits refused from unchecked, with the server messages or a fallback', () => {
    const verdict = channelVerdict([
      found('@ok', 'UC1'),
      failed('@gone', 'not_found', null),
      failed('x y', 'invalid', 'x y: not a channel'),
      failed('@later', 'quota', 'budget used up'),
    ]);
    expect(verdict).toEqual({ refused: ['@gone: no such channel', 'x y: not a channel'], unchecked: ['budget used up'] });
  });

  test('problems name failed lines and the same channel entered twice', () => {
    expect(channelProblems([found('@a', 'UC1'), failed('@b', 'not_found', '@b: no such channel'), found('@a', 'UC1')])).toEqual([
      '@b: no such channel',
      '@a is listed twice',
    ]);
  });
});
