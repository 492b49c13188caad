/**
 * The sync engine's public surface (used by app/). Names are stable.
 *
 *   emptySyncState(): SyncState
 *   runSync({ jobId, config, state, runId }, { youtube, sheets, clock, deadline, quota, onProgress? }): SyncOutcome
 *   resolveChannels(inputs, youtube, spend?, { canSpend?, refusedMessage?, onQuotaExceeded? }?): ChannelCheck[]
 *                 the wizard's channel step (inputs resolved before a stop keep their answers)
 *   quotaResetAt(now): Date       next midnight America/Los_Angeles (when the YouTube quota resets)
 *   pacificDay(now): string       'YYYY-MM-DD' of the Pacific day: key of daily quota usage
 *
 * How the app uses runSync:
 * - Store `outcome.state` (JSON, ≤ ~120 bytes per channel plus one checkpoint) under the job's own
 *   property key AFTER the call returns, every time, whatever the status: it only ever describes work
 *   already written to the sheet, so losing it (a crash before saving) costs quota, never rows.
 * - `complete: false` means a checkpoint is kept: call runSync again with the same runId in a later
 *   execution (deadline reached, quota deferred until `deferUntil`, or a transient error to retry).
 * - status: succeeded; partial (some channels failed permanently, e.g. "@nosuch: no such channel", the
 *   others synced); failed (nothing could be synced: error.kind permanent — header mismatch, no access,
 *   every channel unknown — or transient: retry with backoff); deferred (error.kind 'quota': YouTube
 *   said quotaExceeded; 'budget': quota.canSpend refused; both resume after deferUntil = midnight Pacific).
 * - `deadline`: no playlist page, channel lookup or channel starts after it; the details of what was
 *   already read are still fetched (at most one videos.list call) and written, so keep ~1 min of margin.
 * - quota.canSpend(units) is asked before each YouTube call and quota.spend(method, units) told after
 *   it (refused requests cost their units too; quotaExceeded answers are not charged).
 *
 * Quota rules (1 unit per call): a channel is resolved once (channels.list; ids 50 per call); each run
 * reads its uploads playlist 50 videos per page from the newest down to the first video already synced
 * (the watermark) or max_videos; video details are fetched 50 ids per call, only when the columns need
 * videos.list (see columns.ts), in batches shared across channels. In upsert mode the free slots of the
 * last videos.list call refresh the statistics of the tab's newest rows (the top 50, see REFRESH_WINDOW);
 * a run with no new video spends one call on them. So: first sync of 1,200 videos = 1 + 24 + 24;
 * nothing new = 1 unit (append) or 2 (upsert); 3 new videos = 2. search.list is never used.
 * Spreadsheet calls per execution are a constant (see table.ts for the calls and the row order).
 */
export { emptySyncState, normalizeSyncState, MAX_SYNC_STATE_BYTES, type SyncState, type Checkpoint, type ChannelEntry } from './state';
export { shareReads, type SharedReads } from './shared-reads';
export { runSync, PAGE_SIZE, REFRESH_WINDOW, FULL_CHECK_MS, DAILY_REFRESH_MS, CHANNEL_TITLE_BYTES } from './run';
export { isMissingChannel, resolveChannels } from './resolve';
export { quotaResetAt, pacificDay } from './quota-day';
export { SHORTS_MAX_SECONDS } from './columns';
export type { ResolveOptions } from './resolve';
export type {
  KnownChannel,
  QuotaMeter,
  SyncDeps,
  SyncInput,
  SyncOutcome,
  SyncProgress,
  SyncStatus,
  SyncErrorKind,
  ChannelOutcome,
  PublishedVideo,
} from './types';
