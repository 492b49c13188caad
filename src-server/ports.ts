/**
 * The interfaces the core (domain/, app/, sync/, api/) needs from the outside world. src-server/gas/
 * implements each with Apps Script services; tests implement them with small in-memory fakes.
 * Every port is synchronous, as Apps Script services are.
 */
import type { YouTubeMethod } from './domain/catalogue';

/** The one source of "now" for the core. */
export interface Clock {
  now(): Date;
}

/**
 * Script Properties. Apps Script charges a slow round trip per call: read everything once per
 * execution with getAll(), write once with setMany(). get() exists for the idle tick, which reads one key.
 */
export interface PropertyStore {
  getAll(): Record<string, string>;
  get(key: string): string | null;
  /** Writes all values in one call (setProperties without deleting others). */
  setMany(values: Record<string, string>): void;
  deleteMany(keys: readonly string[]): void;
}

/** The script lock (LockService.getScriptLock()). */
export interface ScriptLock {
  /** Waits up to timeoutMs; false when the lock could not be had. */
  tryLock(timeoutMs: number): boolean;
  release(): void;
}

/** CacheService's script cache: entries may vanish early, never the only copy of state. */
export interface Cache {
  get(key: string): string | null;
  getMany(keys: readonly string[]): Record<string, string>;
  put(key: string, value: string, ttlSeconds: number): void;
  remove(key: string): void;
}

// ---------------------------------------------------------------- YouTube

export interface YouTubeChannel {
  id: string;
  title: string;
  handle: string | null;
  uploadsPlaylistId: string;
  videoCount: number | null;
  thumbnailUrl: string | null;
}

export interface YouTubePlaylistItem {
  videoId: string;
  publishedAt: string; // ISO, when the video was published (contentDetails.videoPublishedAt) or added
  title: string;
  /** 'public' | 'private' | 'unlisted' | 'privacyStatusUnspecified' — private and deleted items are skipped. */
  privacyStatus: string | null;
  /** From the item's snippet, when the adapter asked for it: lets a sync skip videos.list for these columns. */
  description?: string;
  thumbnailUrl?: string | null;
  /** The uploader's channel title (videoOwnerChannelTitle, else channelTitle). */
  channelTitle?: string;
}

export interface YouTubePlaylistPage {
  items: YouTubePlaylistItem[];
  nextPageToken: string | null;
  totalResults: number | null;
}

export interface YouTubeVideo {
  id: string;
  title: string;
  description: string;
  publishedAt: string;
  channelId: string;
  channelTitle: string;
  tags: string[];
  thumbnailUrl: string | null;
  durationIso: string | null; // ISO 8601 duration, e.g. PT4M13S
  views: number | null;
  likes: number | null;
  comments: number | null;
}

export type ChannelLookup = { id: readonly string[] } | { forHandle: string } | { forUsername: string };

/**
 * The YouTube Data API v3 through the advanced service. Each method is exactly one API call.
 * Errors are thrown as YouTubeApiError (the adapter classifies the service's exceptions).
 */
export interface YouTubeApi {
  listChannels(lookup: ChannelLookup): YouTubeChannel[];
  /** One page (maxResults ≤ 50). A playlist that does not exist throws YouTubeApiError with reason playlistNotFound. */
  listPlaylistItems(playlistId: string, pageToken: string | null, maxResults: number): YouTubePlaylistPage;
  /** Up to 50 ids; `parts` as the API names them (snippet, contentDetails, statistics). */
  listVideos(ids: readonly string[], parts: readonly string[]): YouTubeVideo[];
}

export type YouTubeErrorKind = 'transient' | 'permanent' | 'quota';

/** A failed YouTube call, classified by HTTP code and reason (read from the message text when the service gives no details). */
export class YouTubeApiError extends Error {
  constructor(
    message: string,
    readonly method: YouTubeMethod,
    readonly code: number,
    readonly reason: string,
    readonly kind: YouTubeErrorKind,
  ) {
    super(message);
    this.name = 'YouTubeApiError';
  }
}

// ---------------------------------------------------------------- Spreadsheets

/**
 * One tab of a spreadsheet. Rows and columns are 1-based, as in Apps Script. Each method is one
 * Spreadsheet service call (or a fixed small number): callers batch their reads and writes.
 */
export interface SheetTab {
  readonly name: string;
  readonly spreadsheetId: string;
  lastRow(): number;
  lastColumn(): number;
  /** Rows of the sheet's grid (getMaxRows), content or not. */
  gridRows(): number;
  /** getRange(row, col, numRows, numCols).getValues(); numRows 0 returns []. Dates come back as Date. */
  readValues(row: number, col: number, numRows: number, numCols: number): unknown[][];
  /**
   * Writes a rectangular block with one setValues. Strings are stored as literal text: the adapter
   * neutralises formula-looking text (leading =, +, -, @) so that it is never evaluated.
   * `numberFormats`, when given, has the block's shape and is applied in the same batch.
   * Options, for rows that are only rewritten: `withinGrid` — the block lies inside the sheet's grid, no
   * size check; `formatsInPlace` — the cells already have `numberFormats` (values are still written by
   * them), so they are not set again.
   */
  writeValues(
    row: number,
    col: number,
    values: unknown[][],
    numberFormats?: string[][],
    options?: { withinGrid?: boolean; formatsInPlace?: boolean },
  ): void;
  /** Sets number formats on a block without writing values (one setNumberFormats). */
  setNumberFormats(row: number, col: number, numberFormats: string[][]): void;
  /** Clears contents from `fromRow` to the end of the sheet. */
  clearFrom(fromRow: number): void;
  /** Deletes rows [fromRow, fromRow + count). */
  deleteRows(fromRow: number, count: number): void;
  insertRowsAfter(afterRow: number, count: number): void;
  setFrozenRows(count: number): void;
}

export interface Spreadsheets {
  /** The bound spreadsheet's id. */
  activeSpreadsheetId(): string;
  activeSpreadsheetUrl(): string;
  /**
   * The bound spreadsheet's time zone (File > Settings), a setting separate from the script's
   * (Identity.scriptTimeZone, the manifest's): the default zone of new jobs, and the zone date cells show in.
   */
  spreadsheetTimeZone(): string;
  /**
   * Opens a tab; `spreadsheetId` null or '' means the bound spreadsheet. The name matches ignoring
   * case, as Sheets keeps tab names unique ignoring case (the tab's `name` is its real spelling).
   * Returns null when the tab does not exist. Throws SpreadsheetAccessError when the spreadsheet
   * cannot be opened.
   */
  getTab(spreadsheetId: string | null, tabName: string): SheetTab | null;
  /** Creates the tab (optionally hidden) and returns it; throws TabExistsError if a tab of that name exists in any case. */
  createTab(spreadsheetId: string | null, tabName: string, options?: { hidden?: boolean }): SheetTab;
  listTabs(spreadsheetId: string | null): { name: string; hidden: boolean }[];
  /**
   * Commits this execution's pending spreadsheet writes (SpreadsheetApp.flush()). Apps Script buffers
   * writes: other executions may not see them before a flush or the end of this execution, so call it
   * before releasing a lock that guarded sheet writes. No service call when nothing was written since
   * the last flush. Also forgets the grid sizes the tabs cached: once the lock is released, other
   * executions may grow or trim the tabs.
   */
  flush(): void;
}

/** insertSheet refused the name: the spreadsheet has a tab of that name, in some case. Permanent. */
export class TabExistsError extends Error {
  constructor(
    message: string,
    readonly tabName: string,
  ) {
    super(message);
    this.name = 'TabExistsError';
  }
}

export class SpreadsheetAccessError extends Error {
  constructor(
    message: string,
    readonly spreadsheetId: string,
  ) {
    super(message);
    this.name = 'SpreadsheetAccessError';
  }
}

// ---------------------------------------------------------------- Triggers, mail, identity, crypto

export interface TriggerInfo {
  id: string;
  handler: string;
  kind: 'clock-every-minutes' | 'clock-at' | 'other';
  everyMinutes?: number;
  at?: string; // ISO, for one-off triggers (as recorded by the project when it armed them)
}

export interface Triggers {
  list(): TriggerInfo[];
  createHeartbeat(handler: string, everyMinutes: number): TriggerInfo;
  createAt(handler: string, at: Date): TriggerInfo;
  delete(id: string): void;
}

export interface MailMessage {
  to: string[];
  subject: string;
  body: string;
  htmlBody?: string;
}

export interface Mailer {
  remainingDailyQuota(): number;
  send(message: MailMessage): void;
}

export interface Identity {
  /** The effective user's email, '' when Apps Script does not reveal it. */
  userEmail(): string;
  scriptTimeZone(): string;
}

/**
 * Crypto and encoding primitives (Utilities). Byte arrays are plain number arrays (-128..127 or 0..255);
 * the adapter hands Utilities signed bytes, the only ones Apps Script converts to Java's byte[].
 */
export interface Crypto {
  hmacSha256(key: string, message: string): number[];
  sha256(message: string): number[];
  uuid(): string;
  base64UrlEncode(bytes: number[] | string): string;
  base64UrlDecodeToString(encoded: string): string;
  /** Random bytes for salts, ids and secrets. */
  randomBytes(count: number): number[];
}

/** Formats an instant in an IANA zone the way Apps Script's Utilities.formatDate does. */
export interface TimeZoneOracle {
  formatDate(date: Date, timeZone: string, pattern: string): string;
}

/**
 * Reads YAML documents (job import). The parser is large and rarely needed, so Apps Script loads it
 * only when asked, from its own project file, instead of parsing it on every execution.
 */
export interface YamlReader {
  /** The document's value; throws an Error whose first line says what is wrong. */
  parse(text: string): unknown;
}

/** Remaining time of this execution (the platform kills it at 6 minutes). */
export interface ExecutionBudget {
  /** Milliseconds since this execution started. */
  elapsedMs(): number;
}

export interface Logger {
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

// ---------------------------------------------------------------- Diagnostics

/** What one failing YouTube call threw: as the service shaped it, and as the project classifies it. */
export interface ProbedYouTubeError {
  /** The thrown value's name (GoogleJsonResponseException on Google), '' when it was not an Error. */
  name: string;
  message: string;
  /** Whether the error carried a `details` object at all (undocumented). */
  hasDetails: boolean;
  /** details.code and details.errors[0].reason when present. */
  detailsCode: number | null;
  detailsReason: string | null;
  /** What the project's own YouTube adapter made of it. */
  classified: { code: number; reason: string; kind: YouTubeErrorKind };
}

/** The script lock as a fresh LockService object (hasLock included), for the lock check only. */
export interface ProbeLock {
  tryLock(timeoutMs: number): boolean;
  hasLock(): boolean;
  release(): void;
}

/**
 * Raw observations of the platform for the Diagnostics self-test (app/diagnostics.ts). Each method is
 * one service call (or a fixed few) and reports what the platform did, throwing what it threw; the
 * checks and their verdicts are pure logic in app/. Implemented in gas/probe.ts.
 */
export interface PlatformProbe {
  /** Utilities.base64Encode(bytes), as the platform answers or throws. */
  base64Encode(bytes: number[]): string;
  /** One YouTube call that must fail (playlistItems.list of a playlist that cannot exist, 1 unit); null when it did not fail. */
  youtubeFailure(playlistId: string): ProbedYouTubeError | null;
  /** Spreadsheet.insertSheet(name) on the bound spreadsheet; throws what Sheets throws (e.g. a duplicate name). */
  insertTab(name: string): void;
  /** The names of every tab of the bound spreadsheet, hidden ones included. */
  tabNames(): string[];
  /** Spreadsheet.getSheetByName(name): the found tab's real name, or null. */
  findTab(name: string): string | null;
  /** Deletes the tab whose name is exactly `name`; false when there is none. */
  deleteTab(name: string): boolean;
  /** Writes one value to A1 of the tab (no flush). */
  writeCell(tabName: string, value: string): void;
  readCell(tabName: string): unknown;
  /** SpreadsheetApp.flush(). */
  flush(): void;
  scriptLock(): ProbeLock;
  spreadsheetTimeZone(): string;
  /** ScriptApp.getAuthorizationInfo(FULL, scopes): the status and the scopes granted among `scopes` (null when the platform does not say). */
  authorization(scopes: readonly string[]): { status: string; granted: string[] | null };
}
