/**
 * Channel inputs as people type them, normalised into what channels.list can resolve:
 *   @handle, youtube.com/@handle       -> { kind: 'handle' }   (forHandle)
 *   UC… id, youtube.com/channel/UC…    -> { kind: 'id' }       (id, batched)
 *   youtube.com/user/name              -> { kind: 'username' } (forUsername)
 * `key` identifies the channel for dedupe and in job state (handles and usernames are
 * case-insensitive on YouTube, channel ids are not).
 */

export type ChannelRef =
  | { kind: 'handle'; handle: string; key: string }
  | { kind: 'id'; id: string; key: string }
  | { kind: 'username'; username: string; key: string };

export const CHANNEL_INPUT_HINT = 'expected @handle, a youtube.com/@handle or /channel/UC… URL, a UC… channel id or a /user/ URL';

const CHANNEL_ID_RE = /^UC[A-Za-z0-9_-]{22}$/;
// YouTube handles: 3-30 characters, letters (any script), digits, underscore, hyphen, period.
const HANDLE_RE = /^[\p{L}\p{M}\p{N}._-]{3,30}$/u;
const USERNAME_RE = /^[A-Za-z0-9._-]{1,50}$/; // legacy usernames are at most 20
const YOUTUBE_HOST_RE = /^(?:www\.|m\.|music\.)?youtube\.com$/i;

function handleRef(handle: string): ChannelRef | null {
  return HANDLE_RE.test(handle) ? { kind: 'handle', handle, key: `handle:${handle.toLowerCase()}` } : null;
}

function idRef(id: string): ChannelRef | null {
  return CHANNEL_ID_RE.test(id) ? { kind: 'id', id, key: `id:${id}` } : null;
}

function usernameRef(username: string): ChannelRef | null {
  return USERNAME_RE.test(username) ? { kind: 'username', username, key: `user:${username.toLowerCase()}` } : null;
}

/** A youtube.com URL's path segments, or null when the text is not a YouTube URL. */
function youtubePath(text: string): string[] | null {
  const m = /^(?:https?:\/\/)?([^/?#]+)(\/[^?#]*)?(?:[?#].*)?$/i.exec(text);
  if (!m || !YOUTUBE_HOST_RE.test(m[1]!)) return null;
  return (m[2] ?? '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** The ChannelRef of an input, or null when it is none of the accepted forms. */
export function tryNormalizeChannelInput(input: string): ChannelRef | null {
  const text = input.trim();
  if (text.startsWith('@')) return handleRef(text.slice(1));
  if (CHANNEL_ID_RE.test(text)) return idRef(text);
  const path = youtubePath(text);
  if (!path || path.length === 0) return null;
  const [first, second] = path;
  if (first!.startsWith('@')) return handleRef(first!.slice(1));
  if (first === 'channel' && second) return idRef(second);
  if (first === 'user' && second) return usernameRef(second);
  return null;
}

/** The ChannelRef of an input; throws a RangeError naming the input when it is not a channel. */
export function normalizeChannelInput(input: string): ChannelRef {
  const ref = tryNormalizeChannelInput(input);
  if (!ref) throw new RangeError(`'${input}': ${CHANNEL_INPUT_HINT}`);
  return ref;
}

/** A short label for a channel input (@handle, the UC id, or user/name). */
export function channelLabel(ref: ChannelRef): string {
  return ref.kind === 'handle' ? `@${ref.handle}` : ref.kind === 'id' ? ref.id : `user/${ref.username}`;
}

/**
 * Why a channel check found no usable channel, as a code the clients decide by (the message is for
 * people and may be reworded). Final answers: not_found (YouTube knows no such channel), invalid (the
 * input is no channel reference). The lookup could not give one: lookup_refused (YouTube refused it,
 * e.g. forbidden), quota (the daily budget or YouTube's quota is used up), unavailable (YouTube could
 * not be reached), not_checked (the check stopped before this input).
 */
export const CHANNEL_CHECK_REASONS = ['not_found', 'invalid', 'lookup_refused', 'quota', 'unavailable', 'not_checked'] as const;
export type ChannelCheckReason = (typeof CHANNEL_CHECK_REASONS)[number];

/** Whether a reason is a final answer about the channel (a change naming it is refused), not a check that could not be made. */
export function isFinalChannelReason(reason: ChannelCheckReason | null | undefined): boolean {
  return reason === 'not_found' || reason === 'invalid';
}

/** One channel input checked against YouTube: what the wizard shows (JSON-safe, crosses the RPC boundary). */
export interface ChannelCheck {
  input: string;
  ok: boolean;
  channel_id: string | null;
  title: string | null;
  video_count: number | null;
  thumbnail_url: string | null;
  error: string | null;
  /** Null when ok; else why, as a code (CHANNEL_CHECK_REASONS): clients decide by it, never by `error`. */
  reason: ChannelCheckReason | null;
}
