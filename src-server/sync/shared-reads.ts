/**
 * One execution's YouTube reads, shared by every job it runs: a memo over the YouTubeApi port.
 * Ten jobs on one channel in one tick read its playlist page once and refresh the statistics of the
 * same videos once. It lives as long as the port object it wraps: the composition root (gas/context.ts)
 * builds one per execution, as Apps Script starts every execution from a fresh global scope, so
 * nothing is ever served from an earlier execution (at most ~6 minutes old).
 *
 * What is shared, and why it stays correct:
 * - channels.list answers are kept per channel (id, handle, username): a batch of ids asks YouTube only
 *   for the ids not known yet, in one call.
 * - playlistItems.list pages are kept per playlist, page token and size. A fresh channels.list answer
 *   for a channel drops that channel's kept pages: a page served later is then never older than the
 *   video count a job stores with it (change detection relies on count-then-read order).
 * - videos.list answers are kept per video id and part; a call whose every id is known with the parts
 *   asked is answered without a request, otherwise one request asks for the ids not known.
 * - errors are never kept.
 *
 * `requests` counts the requests that reached YouTube: the sync engine charges a call's units only
 * when it grew (see run.ts), so shared answers cost nothing and are not metered twice.
 */
import type { ChannelLookup, YouTubeApi, YouTubeChannel, YouTubePlaylistPage, YouTubeVideo } from '../ports';

export interface SharedReads extends YouTubeApi {
  /** Requests that reached YouTube through this object so far. */
  readonly requests: number;
}

/** The port's optional counter: present on a SharedReads, absent on a plain adapter. */
export function requestsOf(api: YouTubeApi): number | undefined {
  const n = (api as Partial<SharedReads>).requests;
  return typeof n === 'number' ? n : undefined;
}

const suffixOf = (playlistOrChannelId: string): string => playlistOrChannelId.replace(/^(UULF|UUSH|UU|UC)/, '');

export function shareReads(inner: YouTubeApi): SharedReads {
  let requests = 0;
  const channelsById = new Map<string, YouTubeChannel | null>();
  const channelsByName = new Map<string, YouTubeChannel | null>();
  const pages = new Map<string, YouTubePlaylistPage>();
  const videos = new Map<string, { video: YouTubeVideo | null; parts: Set<string> }>();

  const learnChannels = (found: readonly YouTubeChannel[]): void => {
    for (const c of found) {
      channelsById.set(c.id, c);
      // Pages read before this count was seen could be older than it: drop them (see the module comment).
      const suffix = suffixOf(c.id);
      for (const key of [...pages.keys()]) if (suffixOf(key.split('\n')[0]!) === suffix) pages.delete(key);
    }
  };

  const api: SharedReads = {
    get requests() {
      return requests;
    },

    listChannels(lookup: ChannelLookup): YouTubeChannel[] {
      if ('id' in lookup) {
        const missing = [...new Set(lookup.id)].filter((id) => !channelsById.has(id));
        if (missing.length > 0) {
          requests++;
          const found = inner.listChannels({ id: missing });
          learnChannels(found);
          for (const id of missing) if (!channelsById.has(id)) channelsById.set(id, null);
        }
        return lookup.id.map((id) => channelsById.get(id)).filter((c): c is YouTubeChannel => !!c);
      }
      const name =
        'forHandle' in lookup ? `h:${lookup.forHandle.replace(/^@/, '').toLowerCase()}` : `u:${lookup.forUsername.toLowerCase()}`;
      if (!channelsByName.has(name)) {
        requests++;
        const found = inner.listChannels(lookup);
        learnChannels(found);
        channelsByName.set(name, found[0] ?? null);
      }
      const c = channelsByName.get(name);
      return c ? [c] : [];
    },

    listPlaylistItems(playlistId: string, pageToken: string | null, maxResults: number): YouTubePlaylistPage {
      const key = `${playlistId}\n${pageToken ?? ''}\n${maxResults}`;
      const kept = pages.get(key);
      if (kept) return kept;
      requests++;
      const page = inner.listPlaylistItems(playlistId, pageToken, maxResults);
      pages.set(key, page);
      return page;
    },

    listVideos(ids: readonly string[], parts: readonly string[]): YouTubeVideo[] {
      const has = (id: string): boolean => {
        const v = videos.get(id);
        return v !== undefined && parts.every((p) => v.parts.has(p));
      };
      const missing = [...new Set(ids)].filter((id) => !has(id));
      if (missing.length > 0) {
        requests++;
        const found = inner.listVideos(missing, parts);
        const byId = new Map(found.map((v) => [v.id, v]));
        for (const id of missing) {
          const video = byId.get(id) ?? null;
          const before = videos.get(id);
          // A video known with other parts keeps them only if this answer has them too: parts asked now win.
          videos.set(id, { video, parts: new Set(parts) });
          if (before && video && before.video)
            videos.set(id, { video: mergeVideo(before.video, video, parts), parts: new Set([...before.parts, ...parts]) });
        }
      }
      return [...new Set(ids)].map((id) => videos.get(id)?.video).filter((v): v is YouTubeVideo => !!v);
    },
  };
  return api;
}

/** A video known from an earlier call, updated with the parts of a newer answer. */
function mergeVideo(old: YouTubeVideo, fresh: YouTubeVideo, parts: readonly string[]): YouTubeVideo {
  const out = { ...old };
  if (parts.includes('snippet')) {
    out.title = fresh.title;
    out.description = fresh.description;
    out.publishedAt = fresh.publishedAt;
    out.channelId = fresh.channelId;
    out.channelTitle = fresh.channelTitle;
    out.tags = fresh.tags;
    out.thumbnailUrl = fresh.thumbnailUrl;
  }
  if (parts.includes('contentDetails')) out.durationIso = fresh.durationIso;
  if (parts.includes('statistics')) {
    out.views = fresh.views;
    out.likes = fresh.likes;
    out.comments = fresh.comments;
  }
  return out;
}
