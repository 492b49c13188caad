/**
 * runSync: one execution's share of a job run. Reads each channel's uploads playlist from the newest
 * video down to the watermark (or max_videos), fetches details in batches of 50 ids, and writes the tab
 * with one block. See index.ts for the contract and the documented rules.
 *
 * YouTube first: the tab is opened only when there is something to write (new videos, a table to
 * replace, a statistics refresh due), except for a run that will surely write (a first read of a
 * channel, a checkpoint to resume, overwrite), which opens it first so a wrong header fails before any
 * quota is spent. Change detection: one channels.list call (50 channels per unit) tells which channels'
 * video count moved; a channel whose count did not move since its last complete read is not read,
 * unless that read is FULL_CHECK_MS old (so an upload hidden by a deletion is found within that time).
 *
 * Crash safety: the state this function returns only ever describes work whose rows are in the sheet
 * (it advances at "commit points" once every video read before the point has its details, and the block
 * is written before the state is returned). If the execution dies before the app saves that state, the
 * next execution reads the same videos again and the write dedupes them by the key column (upsert
 * updates the row in place, append and overwrite skip it): no duplicate row, no lost video.
 */
import { YOUTUBE_QUOTA_COST, type Column, type YouTubeMethod } from '../domain/catalogue';
import { channelLabel, tryNormalizeChannelInput, type ChannelRef } from '../domain/channels';
import {
  SpreadsheetAccessError,
  TabExistsError,
  YouTubeApiError,
  type YouTubePlaylistItem,
  type YouTubePlaylistPage,
  type YouTubeVideo,
} from '../ports';
import {
  buildRow,
  columnsFromParts,
  isShort,
  mergeRow,
  partsForNewVideos,
  type ShortsKnowledge,
  type VideoPart,
  type VideoRecord,
} from './columns';
import { quotaResetAt } from './quota-day';
import { invalidInputMessage, MAX_IDS_PER_CALL, resolveRefs } from './resolve';
import { requestsOf } from './shared-reads';
import {
  assignSlots,
  channelKey,
  compactEntry,
  defaultUploadsId,
  E_COUNT,
  E_FLAGS,
  E_ID,
  E_READ_AT,
  E_UPLOADS,
  E_WATERMARK,
  E_WATERMARK_TIME,
  fingerprint,
  FLAG_FILTERED_PLAYLIST_MISSING,
  fromBase36Seconds,
  isChannelId,
  isPlaylistId,
  isVideoId,
  MAX_PAGE_TOKEN,
  msToBase36,
  normalizeSyncState,
  runTag,
  storedCount,
  toBase36Seconds,
  truncateJson,
  uploadsIdOf,
  type ChannelEntry,
  type SyncState,
} from './state';
import { openTable, TableError, writeTable, type OpenTable, type RowWrite } from './table';
import type { ChannelOutcome, PublishedVideo, SyncDeps, SyncErrorKind, SyncInput, SyncOutcome } from './types';
import { DEFAULT_STATS_REFRESH } from '../domain/catalogue';

/** Videos per playlistItems.list page and ids per videos.list call (the API's maximum). */
export const PAGE_SIZE = 50;
/** upsert: statistics of at most this many of the tab's top (newest) rows are refreshed per run. */
export const REFRESH_WINDOW = 50;
/**
 * Change detection: a channel whose video count did not move is still read when its last complete
 * read is this old. Bounds how long an upload hidden by a deletion (count unchanged) or a count
 * YouTube updates late can stay unseen: found by the first run at least this long after its upload.
 */
export const FULL_CHECK_MS = 24 * 3_600_000;
/** stats_refresh 'daily': a refresh is due when the last one is this old (so a daily job refreshes on every run). */
export const DAILY_REFRESH_MS = 23 * 3_600_000;
/** Longest channel title an outcome carries (JSON bytes): the app may keep it in the job's state. */
export const CHANNEL_TITLE_BYTES = 60;

type StopKind = SyncErrorKind | 'deadline';

class StopRun extends Error {
  constructor(
    readonly kind: StopKind,
    message: string,
  ) {
    super(message);
  }
}

interface ChannelJob {
  input: string;
  ref: ChannelRef | null;
  /** The channel's slot in the state (see state.ts slotOf). */
  slot: string | null;
  label: string;
  title: string | null;
  error: string | null;
  added: number;
  /** Change detection showed nothing new: not read this run. */
  unchanged: boolean;
  /** The channel's video count seen this run before its read began (resolution or detection). */
  seenCount: number | null;
}

interface Rec extends VideoRecord {
  channel: number;
  needs: VideoPart[];
  /** Set when the video must be kept only if its duration says it is (not) a Short. */
  wantShort: boolean | null;
  detailed: boolean;
}

interface Commit {
  upTo: number;
  apply: () => void;
}

const QUOTA_MESSAGE = 'the YouTube Data API quota of the project is used up; YouTube work resumes after midnight Pacific time';
const BUDGET_MESSAGE = 'the daily YouTube quota budget (settings) is used up; the run resumes after midnight Pacific time';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class SyncRun {
  private readonly config: SyncInput['config'];
  private readonly draft: SyncState;
  private readonly jobs: ChannelJob[];
  private units = 0;
  private videosCalls = 0;
  private readonly recs: Rec[] = [];
  private readonly queue: Rec[] = []; // records waiting for videos.list, in read order
  private flushed = 0;
  private readonly commits: Commit[] = [];
  private readonly refreshed = new Map<string, { video: YouTubeVideo; parts: VideoPart[] }>();
  private processed = 0;
  private expected: number | null = null;
  private earlierFailures = 0;
  private runRowsInserted = 0;
  private allChannelsRead = false;
  private refreshUnits = 0;
  /** The run refreshes statistics in this execution (policy due, every channel read, upsert). */
  private refreshing = false;
  private readonly runTag: string;
  private readonly published: PublishedVideo[] = [];

  constructor(
    private readonly input: SyncInput,
    private readonly deps: SyncDeps,
  ) {
    this.config = input.config;
    this.runTag = runTag(input.runId);
    this.draft = structuredCloneState(normalizeSyncState(input.state));
    const refs = this.config.channels.map((raw) => tryNormalizeChannelInput(raw));
    const slots = assignSlots(refs.filter((r): r is ChannelRef => r !== null).map(channelKey));
    this.jobs = this.config.channels.map((raw, i) => {
      const ref = refs[i] ?? null;
      return {
        input: raw,
        ref,
        slot: ref ? (slots.get(channelKey(ref)) ?? null) : null,
        label: ref ? channelLabel(ref) : raw,
        title: null,
        error: ref ? null : invalidInputMessage(raw),
        added: 0,
        unchanged: false,
        seenCount: null,
      };
    });
  }

  run(): SyncOutcome {
    this.reconcileState();
    const cp = this.draft.cp;
    const resumedOwnRun = cp !== undefined && cp.r === this.runTag;
    // Rows inserted at the top since the checkpoint's run began: any later run resumes that checkpoint
    // first, so the count stays a valid position for the rows still to come.
    this.runRowsInserted = cp ? cp.o : 0;
    this.earlierFailures = resumedOwnRun ? (cp.f ?? 0) : 0;
    // overwrite replaces the table at the start of a run; a resumed execution of the same run adds.
    const replace = this.config.output_mode === 'overwrite' && !resumedOwnRun;
    if (replace) delete this.draft.cp;
    else if (cp && !resumedOwnRun) this.draft.cp = { ...cp, r: this.runTag, f: 0 }; // adopt a stale checkpoint
    const startIndex = this.draft.cp
      ? Math.max(
          0,
          this.jobs.findIndex((j) => j.slot === this.draft.cp!.k),
        )
      : 0;

    let table: OpenTable | null = null;
    const open = (topRows?: number): OpenTable | null => {
      this.progress('opening the tab');
      return openTable(
        this.deps.sheets,
        this.config.target_sheet_id,
        this.config.target_tab_name,
        this.config.columns,
        topRows,
        this.config.header_row,
      );
    };
    if (this.willSurelyWrite(replace, startIndex)) {
      try {
        table = open();
      } catch (err) {
        return this.sheetFailure(err);
      }
    }

    let stop: StopRun | null = null;
    try {
      this.resolve(startIndex);
      this.detectChanges(startIndex);
      for (let i = startIndex; i < this.jobs.length; i++) this.syncChannel(i);
      this.allChannelsRead = true;
    } catch (err) {
      stop = asStop(err);
    }
    if (stop === null || stop.kind === 'deadline') {
      this.refreshing = this.allChannelsRead && this.refreshDue();
      try {
        // Open the tab only now, and only when there is something to write or refresh.
        if (!table && (replace || this.recs.length > 0)) table = open();
        else if (!table && this.refreshing) table = open(REFRESH_WINDOW);
      } catch (err) {
        return this.sheetFailure(err);
      }
      try {
        this.flush(true, table);
      } catch (err) {
        stop = asStop(err);
        this.allChannelsRead = false;
      }
    }

    const nothingSynced = this.jobs.every((j) => j.error !== null);
    if (replace && ((stop !== null && stop.kind !== 'deadline') || nothingSynced)) {
      // Never replace a table with the remains of a run that could not read its channels.
      return this.outcome(stop, 0, 0, this.keptState());
    }
    let written = { added: 0, updated: 0, inserted: 0 };
    if (table) {
      try {
        this.progress('writing');
        written = this.write(table, replace);
      } catch (err) {
        return this.sheetFailure(err);
      }
    }
    if (this.refreshing && this.allChannelsRead) this.draft.rf = msToBase36(this.deps.clock.now().getTime());
    if (table) this.draft.hc = this.columnsPrint(); // the header matched (or was written)
    if (this.draft.cp) {
      this.draft.cp.o = this.runRowsInserted + written.inserted;
      const failedNow = this.jobs.filter((j) => j.error !== null).length;
      if (this.earlierFailures + failedNow > 0) this.draft.cp.f = this.earlierFailures + failedNow;
      else delete this.draft.cp.f;
    }
    return this.outcome(stop, written.added, written.updated);
  }

  /**
   * A run that will write whatever YouTube says, or whose columns changed since the tab was last seen,
   * opens the tab first: a header that does not match then costs no quota.
   */
  private willSurelyWrite(replace: boolean, startIndex: number): boolean {
    if (replace || this.draft.cp || this.draft.hc !== this.columnsPrint()) return true;
    return this.jobs.slice(startIndex).some((j) => j.slot !== null && j.error === null && !hasWatermark(this.draft.ch[j.slot]));
  }

  private columnsPrint(): string {
    return fingerprint(this.config.columns.join(','));
  }

  /** stats_refresh: upsert jobs with statistics columns, 'every_run', or 'daily' once the last refresh is old enough. */
  private refreshDue(): boolean {
    if (this.config.output_mode !== 'upsert') return false;
    if (!this.config.columns.some((c) => c === 'views' || c === 'likes' || c === 'comments')) return false;
    const policy = this.config.stats_refresh ?? DEFAULT_STATS_REFRESH; // jobs stored before the field existed
    if (policy === 'off') return false;
    if (policy === 'every_run') return true;
    const last = fromBase36Seconds(this.draft.rf);
    return last === null || this.deps.clock.now().getTime() - last >= DAILY_REFRESH_MS - 60_000;
  }

  // ------------------------------------------------------------------ state

  /**
   * Watermarks belong to one spreadsheet + tab + filter: any change starts the channels afresh. Entries
   * of channels the job no longer has are dropped, so the state never outgrows 50 channels.
   */
  private reconcileState(): void {
    const tg = fingerprint(`${this.config.target_sheet_id}\n${this.config.target_tab_name}\n${this.config.video_filter}`);
    const current = new Set(this.jobs.map((j) => j.slot).filter((s): s is string => s !== null));
    for (const slot of Object.keys(this.draft.ch)) if (!current.has(slot)) delete this.draft.ch[slot];
    if (this.draft.tg !== tg) {
      for (const [slot, e] of Object.entries(this.draft.ch)) {
        const kept: ChannelEntry = [e[E_ID]];
        if (e[E_UPLOADS]) kept[E_UPLOADS] = e[E_UPLOADS];
        this.draft.ch[slot] = compactEntry(kept);
      }
      delete this.draft.cp;
      delete this.draft.rf;
      this.draft.tg = tg;
    }
    if (this.draft.cp && !current.has(this.draft.cp.k)) delete this.draft.cp;
  }

  // ------------------------------------------------------------------ YouTube calls

  private call<T>(method: YouTubeMethod, fn: () => T, checkDeadline: boolean): T {
    if (checkDeadline && this.deps.clock.now().getTime() >= this.deps.deadline.getTime()) {
      throw new StopRun('deadline', 'the execution time budget is used up');
    }
    const cost = YOUTUBE_QUOTA_COST[method];
    if (!this.deps.quota.canSpend(cost)) throw new StopRun('budget', BUDGET_MESSAGE);
    // A SharedReads port answers repeats without a request: only requests that reached YouTube cost.
    const before = requestsOf(this.deps.youtube);
    const reached = (): boolean => before === undefined || requestsOf(this.deps.youtube) !== before;
    try {
      const result = fn();
      if (reached()) this.spend(method, cost);
      return result;
    } catch (err) {
      if (err instanceof YouTubeApiError) {
        if (err.kind === 'quota') throw new StopRun('quota', QUOTA_MESSAGE);
        if (reached()) this.spend(method, cost); // a refused request still costs its units
        if (err.kind === 'transient') throw new StopRun('transient', `YouTube ${method} failed: ${err.message}`);
        throw err; // permanent: the caller decides what it affects
      }
      throw new StopRun('transient', `YouTube ${method} failed: ${errorText(err)}`);
    }
  }

  private spend(method: YouTubeMethod, cost: number): void {
    this.units += cost;
    this.deps.quota.spend(method, cost);
  }

  // ------------------------------------------------------------------ channels

  private resolve(startIndex: number): void {
    const pending = this.jobs.slice(startIndex).filter((j) => j.ref && j.slot && !j.error && !this.draft.ch[j.slot]);
    if (pending.length === 0) return;
    const learn = (j: ChannelJob, c: { id: string; title: string | null; uploadsPlaylistId?: string; videoCount: number | null }): void => {
      if (!isChannelId(c.id)) {
        j.error = `${j.label}: YouTube answered an unexpected channel id`;
        return;
      }
      j.title = c.title;
      j.seenCount = storedCount(c.videoCount) ?? null;
      const entry: ChannelEntry = [c.id];
      if (c.uploadsPlaylistId && c.uploadsPlaylistId !== defaultUploadsId(c.id) && isPlaylistId(c.uploadsPlaylistId))
        entry[E_UPLOADS] = c.uploadsPlaylistId;
      this.draft.ch[j.slot!] = compactEntry(entry); // a fact about the channel: kept whatever happens next
    };
    // Channels a channel check resolved (creating the job) are not looked up again.
    const known = this.deps.knownChannels?.(pending.map((j) => j.ref!.key)) ?? new Map();
    const lookup = pending.filter((j) => {
      const k = known.get(j.ref!.key);
      if (!k) return true;
      learn(j, k);
      return false;
    });
    if (lookup.length === 0) return;
    this.progress('resolving channels');
    const refs = lookup.map((j) => j.ref!);
    const results = resolveRefs(refs, (l) => this.call('channels.list', () => this.deps.youtube.listChannels(l), true));
    lookup.forEach((j, i) => {
      const r = results.get(refs[i]!);
      if (!r) return;
      if (!r.ok) j.error = r.error;
      else learn(j, r.channel);
    });
  }

  /**
   * Change detection: one channels.list call per 50 channels gives their video counts. A channel with a
   * watermark, a complete read less than FULL_CHECK_MS old and the same count as before that read is
   * not read this run. A resumed execution also asks for the counts of the channels it still has to
   * read (resolution gave them only to the first execution), so the next run can skip them.
   */
  private detectChanges(startIndex: number): void {
    if (this.config.output_mode === 'overwrite') return;
    const now = this.deps.clock.now().getTime();
    const readable = this.jobs.slice(startIndex).filter((j) => j.slot && !j.error && this.draft.ch[j.slot] && j.slot !== this.draft.cp?.k);
    const candidates = readable.filter((j) => {
      const e = this.draft.ch[j.slot!]!;
      const readAt = fromBase36Seconds(e[E_READ_AT]);
      return hasWatermark(e) && readAt !== null && now - readAt < FULL_CHECK_MS && now >= readAt;
    });
    // Every readable channel is asked (same calls): a count seen before a read is what the read stores,
    // and what lets the next run skip it. Worth it from two channels on (one: its page costs the same).
    const unseen = readable.filter((j) => j.seenCount === null);
    if (candidates.length < 2 && (readable.length < 2 || unseen.length === 0)) return;
    const ids = [...new Set(unseen.map((j) => this.draft.ch[j.slot!]![E_ID]))];
    const counts = new Map<string, number>();
    this.progress('checking channels for new videos');
    try {
      for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) {
        const batch = ids.slice(i, i + MAX_IDS_PER_CALL);
        for (const c of this.call('channels.list', () => this.deps.youtube.listChannels({ id: batch }), true)) {
          const n = storedCount(c.videoCount);
          if (n !== undefined) counts.set(c.id, n);
        }
      }
    } catch (err) {
      if (err instanceof YouTubeApiError && err.kind === 'permanent') return; // read every channel instead
      throw err;
    }
    for (const j of unseen) j.seenCount = counts.get(this.draft.ch[j.slot!]![E_ID]) ?? null;
    for (const j of candidates) {
      const stored = this.draft.ch[j.slot!]![E_COUNT];
      j.unchanged = typeof stored === 'number' && j.seenCount === stored;
    }
  }

  private playlistFor(entry: ChannelEntry): { id: string; short: ShortsKnowledge; filtered: boolean } {
    const uploads = uploadsIdOf(entry);
    const filter = this.config.video_filter;
    const missing = (Number(entry[E_FLAGS]) || 0) & FLAG_FILTERED_PLAYLIST_MISSING;
    if (filter === 'all' || missing || !uploads.startsWith('UU')) return { id: uploads, short: null, filtered: false };
    return filter === 'long'
      ? { id: `UULF${uploads.slice(2)}`, short: false, filtered: true }
      : { id: `UUSH${uploads.slice(2)}`, short: true, filtered: true };
  }

  private syncChannel(index: number): void {
    const job = this.jobs[index]!;
    if (!job.slot || job.error || job.unchanged) return;
    const slot = job.slot;
    const tuple = this.draft.ch[slot];
    if (!tuple) return;
    const cp = this.draft.cp?.k === slot ? { ...this.draft.cp } : null;
    // Record where the run stands before this channel's first page: a stop before it resumes here.
    if (!cp) this.addCommit(() => (this.draft.cp = { r: this.runTag, k: slot, p: null, n: 0, o: 0 }));

    const useWatermark = this.config.output_mode !== 'overwrite';
    const oldW = useWatermark ? tuple[E_WATERMARK] || null : null;
    const oldT = useWatermark ? fromBase36Seconds(tuple[E_WATERMARK_TIME]) : null;
    // A read from the top to its end in this execution may store the count seen before it (detection).
    const readFromTop = cp === null || (cp.p === null && cp.n === 0 && cp.w === undefined);
    const readAt = this.deps.clock.now().getTime();
    let token = cp?.p ?? null;
    let taken = cp?.n ?? 0;
    let newW = cp?.w;
    let newD = cp?.d;
    const max = this.config.max_videos;
    const wantShortFilter = this.config.video_filter === 'all' ? null : this.config.video_filter === 'shorts';

    const commitProgress = (finished: boolean): void => {
      const snap = { token, taken, newW, newD };
      this.addCommit(() => {
        if (!finished) {
          // A page token too long to keep restarts the channel from the top on resume (the key column dedupes).
          const keep = snap.token !== null && snap.token.length <= MAX_PAGE_TOKEN;
          const c: SyncState['cp'] = { r: this.runTag, k: slot, p: keep ? snap.token : null, n: keep ? snap.taken : 0, o: 0 };
          if (keep && snap.newW !== undefined) c.w = snap.newW;
          if (keep && snap.newD !== undefined) c.d = snap.newD;
          this.draft.cp = c;
          return;
        }
        const t = this.draft.ch[slot];
        if (t) {
          if (snap.newW !== undefined) {
            t[E_WATERMARK] = isVideoId(snap.newW) ? snap.newW : '';
            t[E_WATERMARK_TIME] = snap.newD;
          }
          const count = readFromTop && useWatermark && job.seenCount !== null ? job.seenCount : undefined;
          t[E_COUNT] = count;
          t[E_READ_AT] = count !== undefined ? msToBase36(readAt) : undefined;
          this.draft.ch[slot] = compactEntry(t);
        }
        delete this.draft.cp;
      });
    };

    let done = taken >= max;
    if (done) commitProgress(true);
    while (!done) {
      let playlist = this.playlistFor(tuple);
      this.progress(`reading ${job.label}`);
      let page: YouTubePlaylistPage;
      try {
        page = this.call('playlistItems.list', () => this.deps.youtube.listPlaylistItems(playlist.id, token, PAGE_SIZE), true);
      } catch (err) {
        if (!(err instanceof YouTubeApiError)) throw err;
        if (err.reason === 'playlistNotFound' && playlist.filtered && token === null) {
          // The channel has no UULF/UUSH playlist: read UU and filter by duration, from now on.
          tuple[E_FLAGS] = (Number(tuple[E_FLAGS]) || 0) | FLAG_FILTERED_PLAYLIST_MISSING;
          this.draft.ch[slot] = compactEntry(tuple);
          continue;
        }
        if (err.reason === 'invalidPageToken' && token !== null) {
          // A stale checkpoint: start the channel again from the top (the key column dedupes).
          token = null;
          taken = 0;
          newW = undefined;
          newD = undefined;
          continue;
        }
        job.error = `${job.label}: ${err.reason === 'playlistNotFound' ? 'the uploads playlist does not exist' : `YouTube refused the playlist (${err.reason || err.code})`}`;
        this.addCommit(() => delete this.draft.cp); // move on: the run does not wait for this channel
        return;
      }
      playlist = this.playlistFor(tuple);
      if (token === null && page.totalResults !== null) this.expected = (this.expected ?? 0) + Math.min(max, page.totalResults);

      for (const item of page.items) {
        if ((oldW !== null && item.videoId === oldW) || (oldT !== null && Date.parse(item.publishedAt) < oldT)) {
          done = true;
          break;
        }
        this.processed += 1;
        if (!isPublicItem(item)) continue;
        if (job.title === null && item.channelTitle) job.title = item.channelTitle;
        if (newW === undefined) {
          newW = item.videoId;
          newD = toBase36Seconds(item.publishedAt);
        }
        this.addRecord(index, item, job, playlist.short, playlist.filtered ? null : wantShortFilter);
        taken += 1;
        if (taken >= max) {
          done = true;
          break;
        }
      }
      token = page.nextPageToken;
      if (!token) done = true;

      commitProgress(done);
      this.flush(false, null);
    }
  }

  private addRecord(channel: number, item: YouTubePlaylistItem, job: ChannelJob, short: ShortsKnowledge, wantShort: boolean | null): void {
    const needs = partsForNewVideos(this.config.columns, short, wantShort !== null);
    const rec: Rec = {
      id: item.videoId,
      item,
      video: null,
      channelTitle: job.title ?? '',
      short,
      channel,
      needs,
      wantShort,
      detailed: needs.length === 0,
    };
    this.recs.push(rec);
    if (needs.length > 0) this.queue.push(rec);
  }

  private addCommit(apply: () => void): void {
    this.commits.push({ upTo: this.queue.length, apply });
    this.applyCommits();
  }

  private applyCommits(): void {
    while (this.commits.length > 0 && this.commits[0]!.upTo <= this.flushed) this.commits.shift()!.apply();
  }

  // ------------------------------------------------------------------ details

  /**
   * videos.list in batches of 50 ids. During reading only full batches go out; the final flush sends
   * the rest and, in upsert mode when every channel was read, fills the free slots of that last call
   * with the tab's newest existing rows (their statistics are refreshed for free). A run that made no
   * videos.list call at all spends one call on the newest 50 rows, when the job has statistics columns.
   */
  private flush(final: boolean, table: OpenTable | null): void {
    while (this.flushed < this.queue.length) {
      const batch = this.queue.slice(this.flushed, this.flushed + PAGE_SIZE);
      if (!final && batch.length < PAGE_SIZE) return;
      const refresh = final && table ? this.refreshCandidates(table, PAGE_SIZE - batch.length) : []; // free slots: no extra unit
      const parts = unionParts(
        batch.map((r) => r.needs),
        refresh.length > 0 ? ['statistics'] : [],
      );
      const ids = [...batch.map((r) => r.id), ...refresh];
      this.progress('fetching video details');
      const videos = this.call('videos.list', () => this.deps.youtube.listVideos(ids, parts), false);
      this.videosCalls += 1;
      const byId = new Map(videos.map((v) => [v.id, v]));
      for (const rec of batch) {
        rec.video = byId.get(rec.id) ?? null;
        rec.detailed = true;
      }
      for (const id of refresh) {
        const video = byId.get(id);
        if (video) this.refreshed.set(id, { video, parts });
      }
      this.flushed += batch.length;
      this.applyCommits();
    }
    if (final && table && this.videosCalls === 0) {
      const refresh = this.refreshCandidates(table, REFRESH_WINDOW);
      if (refresh.length === 0) return;
      this.progress('refreshing statistics');
      const parts: VideoPart[] = ['statistics'];
      const unitsBefore = this.units;
      const videos = this.call('videos.list', () => this.deps.youtube.listVideos(refresh, parts), false);
      this.refreshUnits += this.units - unitsBefore;
      this.videosCalls += 1;
      for (const video of videos) this.refreshed.set(video.id, { video, parts });
    }
  }

  /** When a refresh is due (refreshDue), once all channels are read: ids of the tab's top rows not already fetched this run. */
  private refreshCandidates(table: OpenTable, room: number): string[] {
    if (room <= 0 || !this.allChannelsRead || !this.refreshing) return [];
    const fetched = new Set(this.recs.map((r) => r.id));
    return table.keyOrder
      .slice(0, REFRESH_WINDOW)
      .filter((id) => !fetched.has(id) && !this.refreshed.has(id))
      .slice(0, room);
  }

  // ------------------------------------------------------------------ writing

  private write(table: OpenTable, replace: boolean): { added: number; updated: number; inserted: number } {
    const columns = this.config.columns;
    const mode = this.config.output_mode;
    const seen = new Set<string>();
    const fresh: Rec[] = [];
    for (const rec of this.recs) {
      if (!rec.detailed || seen.has(rec.id)) continue;
      if (rec.needs.length > 0 && rec.video === null) continue; // gone (deleted or made private) since it was listed
      if (rec.wantShort !== null && isShort(rec) !== rec.wantShort) continue; // UU read filtered by duration
      seen.add(rec.id);
      fresh.push(rec);
    }
    const byTime = (a: Rec, b: Rec): number => Date.parse(b.item?.publishedAt ?? '') - Date.parse(a.item?.publishedAt ?? '');
    const newRecs = fresh.filter((r) => replace || !table.keys.has(r.id));
    newRecs.sort(byTime); // stable: ties keep read order
    if (mode === 'append') newRecs.reverse();
    const newRows: RowWrite[] = newRecs.map((r) => ({ id: r.id, values: buildRow(columns, r) }));

    const updates = new Map<number, (existing: readonly unknown[]) => unknown[]>();
    if (mode === 'upsert') {
      const all = new Set<Column>(columns);
      for (const rec of fresh) {
        const row = table.keys.get(rec.id);
        if (row !== undefined) updates.set(row, () => buildRow(columns, rec));
      }
      for (const [id, { video, parts }] of this.refreshed) {
        const row = table.keys.get(id);
        if (row === undefined || updates.has(row)) continue;
        const cols = columnsFromParts(parts, columns);
        const rec: VideoRecord = { id, item: null, video, channelTitle: '', short: null };
        updates.set(row, (existing) => mergeRow(columns, existing, rec, cols.size ? cols : all));
      }
    }
    const result = writeTable(table, { mode, newRows, updates, replace, insertedEarlier: this.runRowsInserted });
    for (const rec of newRecs) this.jobs[rec.channel]!.added += 1;
    const added = new Set(newRecs);
    for (const rec of fresh) {
      const publishedMs = Date.parse(rec.item?.publishedAt ?? '');
      if (!Number.isNaN(publishedMs)) this.published.push({ channel: this.jobs[rec.channel]!.input, publishedMs, added: added.has(rec) });
    }
    return result;
  }

  // ------------------------------------------------------------------ outcome

  private progress(phase: string): void {
    this.deps.onProgress?.({ processed: this.processed, expected: this.expected, phase });
  }

  private channelOutcomes(): ChannelOutcome[] {
    return this.jobs.map((j) => ({
      input: j.input,
      ok: j.error === null,
      title: j.title === null ? null : truncateJson(j.title, CHANNEL_TITLE_BYTES),
      added: j.added,
      error: j.error,
    }));
  }

  private unchangedCount(): number {
    return this.jobs.filter((j) => j.unchanged).length;
  }

  /** The input state plus what resolution learnt: for executions that wrote nothing. */
  private keptState(): SyncState {
    const state = normalizeSyncState(this.input.state);
    // Bounded like any outcome state: only the job's current channels.
    for (const slot of Object.keys(state.ch)) if (!this.jobs.some((j) => j.slot === slot)) delete state.ch[slot];
    if (state.cp && !this.jobs.some((j) => j.slot === state.cp!.k)) delete state.cp;
    if (this.draft.tg === state.tg) for (const [k, t] of Object.entries(this.draft.ch)) if (!state.ch[k]) state.ch[k] = t;
    return state;
  }

  private sheetFailure(err: unknown): SyncOutcome {
    const permanent = err instanceof TableError || err instanceof SpreadsheetAccessError || err instanceof TabExistsError;
    const state = this.keptState();
    return {
      status: 'failed',
      complete: false,
      state,
      videosAdded: 0,
      videosUpdated: 0,
      quotaUnits: this.units,
      refreshUnits: this.refreshUnits,
      unchangedChannels: this.unchangedCount(),
      channels: this.channelOutcomes(),
      error: { kind: permanent ? 'permanent' : 'transient', message: errorText(err) },
      deferUntil: null,
    };
  }

  private outcome(stop: StopRun | null, added: number, updated: number, state: SyncState = this.draft): SyncOutcome {
    const channels = this.channelOutcomes();
    const failed = channels.filter((c) => !c.ok);
    const failedTotal = failed.length + this.earlierFailures;
    const complete = stop === null && state.cp === undefined;
    const base = {
      complete,
      state,
      videosAdded: added,
      videosUpdated: updated,
      quotaUnits: this.units,
      refreshUnits: this.refreshUnits,
      unchangedChannels: this.unchangedCount(),
      channels,
      published: this.published,
    };
    if (stop && (stop.kind === 'quota' || stop.kind === 'budget')) {
      return {
        ...base,
        status: 'deferred',
        error: { kind: stop.kind, message: stop.message },
        deferUntil: quotaResetAt(this.deps.clock.now()).toISOString(),
      };
    }
    if (stop && stop.kind !== 'deadline') {
      return { ...base, status: 'failed', error: { kind: stop.kind, message: stop.message }, deferUntil: null };
    }
    if (failedTotal === 0) return { ...base, status: 'succeeded', error: null, deferUntil: null };
    const messages = failed.map((c) => c.error!);
    if (this.earlierFailures > 0) messages.push(`${this.earlierFailures} channel(s) failed in an earlier execution of this run`);
    const message = messages.join('; ');
    const nothingSynced = failed.length === this.jobs.length;
    return { ...base, status: nothingSynced ? 'failed' : 'partial', error: { kind: 'permanent', message }, deferUntil: null };
  }
}

/** A failure that escaped the per-channel handling: it stops the execution. */
function asStop(err: unknown): StopRun {
  if (err instanceof StopRun) return err;
  if (err instanceof YouTubeApiError && err.kind === 'permanent')
    return new StopRun('permanent', `YouTube ${err.method} refused the request: ${err.message}`);
  return new StopRun('transient', errorText(err));
}

function hasWatermark(entry: ChannelEntry | undefined): boolean {
  return !!entry && (!!entry[E_WATERMARK] || !!entry[E_WATERMARK_TIME]);
}

function isPublicItem(item: YouTubePlaylistItem): boolean {
  return item.privacyStatus !== 'private' && item.privacyStatus !== 'privacyStatusUnspecified';
}

function unionParts(lists: readonly (readonly VideoPart[])[], extra: readonly VideoPart[]): VideoPart[] {
  const set = new Set<VideoPart>(extra);
  for (const l of lists) for (const p of l) set.add(p);
  return (['snippet', 'contentDetails', 'statistics'] as const).filter((p) => set.has(p));
}

function structuredCloneState(s: SyncState): SyncState {
  return JSON.parse(JSON.stringify(s)) as SyncState;
}

export function runSync(input: SyncInput, deps: SyncDeps): SyncOutcome {
  return new SyncRun(input, deps).run();
}
