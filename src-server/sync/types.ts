/** The sync engine's public types (see index.ts for the contract with the app). */
import type { JobConfig } from '../domain/job';
import type { YouTubeMethod } from '../domain/catalogue';
import type { Clock, Spreadsheets, YouTubeApi } from '../ports';
import type { SyncState } from './state';

/** The app's daily quota meter: it persists units per Pacific day and enforces the budget setting. */
export interface QuotaMeter {
  canSpend(units: number): boolean;
  spend(method: YouTubeMethod, units: number): void;
}

export interface SyncProgress {
  processed: number;
  expected: number | null;
  phase: string;
}

/** A channel the app already looked up (the wizard's or the save's channel check, cached for hours). */
export interface KnownChannel {
  id: string;
  title: string | null;
  videoCount: number | null;
}

export interface SyncDeps {
  /** A SharedReads (shared-reads.ts) lets the jobs of one execution share reads; any YouTubeApi works. */
  youtube: YouTubeApi;
  sheets: Spreadsheets;
  clock: Clock;
  /** No new playlist page, channel lookup or channel is started after this instant. */
  deadline: Date;
  quota: QuotaMeter;
  onProgress?: (p: SyncProgress) => void;
  /**
   * Channels already resolved by a channel check, by ChannelRef key ('handle:name', 'id:UC…',
   * 'user:name'): a first sync uses them instead of a channels.list call per handle.
   */
  knownChannels?: (refKeys: readonly string[]) => Map<string, KnownChannel>;
}

export interface SyncInput {
  jobId: string;
  config: JobConfig;
  state: SyncState;
  runId: string;
}

export type SyncStatus = 'succeeded' | 'partial' | 'failed' | 'deferred';
export type SyncErrorKind = 'transient' | 'permanent' | 'quota' | 'budget';

export interface ChannelOutcome {
  input: string;
  ok: boolean;
  /** At most CHANNEL_TITLE_BYTES of JSON (cut with '…'): the app may keep it. Null when not seen this run. */
  title: string | null;
  added: number;
  error: string | null;
}

/** A public video this execution read: the channel as the job names it, its publish time, whether the run added its row. */
export interface PublishedVideo {
  channel: string;
  publishedMs: number;
  added: boolean;
}

export interface SyncOutcome {
  status: SyncStatus;
  /** false: a checkpoint is kept in `state`; call runSync again (next execution) to resume. */
  complete: boolean;
  state: SyncState;
  videosAdded: number;
  videosUpdated: number;
  /** All units this execution spent, refresh included. */
  quotaUnits: number;
  /** Units spent only to refresh the statistics of existing rows (stats_refresh), part of quotaUnits. Always set by runSync. */
  refreshUnits?: number;
  /** Channels not read because change detection showed nothing new on them. Always set by runSync. */
  unchangedChannels?: number;
  channels: ChannelOutcome[];
  error: { kind: SyncErrorKind; message: string } | null;
  /** ISO instant of the quota reset (midnight Pacific) when quota or budget stopped the run. */
  deferUntil: string | null;
  /** The videos written or seen by this execution (upload patterns and freshness, docs/insights.md). */
  published?: PublishedVideo[];
}
