/** Small in-memory fakes of the ports the sync engine uses, with call counters and fault hooks. */
import type { JobConfig } from '../../../src-server/domain/job';
import type { YouTubeMethod } from '../../../src-server/domain/catalogue';
import { DEFAULT_COLUMNS } from '../../../src-server/domain/catalogue';
import {
  TabExistsError,
  YouTubeApiError,
  type ChannelLookup,
  type SheetTab,
  type Spreadsheets,
  type YouTubeApi,
  type YouTubeChannel,
  type YouTubePlaylistPage,
  type YouTubeVideo,
} from '../../../src-server/ports';
import type { QuotaMeter } from '../../../src-server/sync';

export interface FakeVideo {
  id: string;
  title: string;
  publishedAt: string;
  seconds: number;
  short?: boolean;
  privacy?: 'public' | 'private' | 'deleted';
  views?: number;
  tags?: string[];
}

export interface FakeChannel {
  id: string;
  title: string;
  handle?: string;
  username?: string;
  /** Newest first, as the uploads playlist. */
  videos: FakeVideo[];
  noFilteredPlaylists?: boolean;
  /** The video count channels.list reports while set (YouTube updates the count late). */
  staleCount?: number;
}

export function channelId(seed: string): string {
  return `UC${seed
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(22, 'x')
    .slice(0, 22)}`;
}

/** Video ids are 11 characters; `n` counts up from the oldest so ids stay stable as videos are added. */
export function videoId(prefix: string, n: number): string {
  return `${prefix}${n.toString(36)}`.padStart(11, '0').slice(-11);
}

export function makeVideos(
  prefix: string,
  count: number,
  opts: { newestAt?: string; startN?: number; title?: (n: number) => string } = {},
): FakeVideo[] {
  const newest = Date.parse(opts.newestAt ?? '2026-01-01T00:00:00Z');
  const start = opts.startN ?? 0;
  const out: FakeVideo[] = [];
  for (let i = 0; i < count; i++) {
    const n = start + count - 1 - i; // newest has the highest n
    out.push({
      id: videoId(prefix, n),
      title: opts.title ? opts.title(n) : `Video ${n}`,
      publishedAt: new Date(newest - i * 3_600_000).toISOString(),
      seconds: 60 + (n % 7) * 100,
      short: n % 7 === 0,
      views: 1000 + n,
    });
  }
  return out;
}

export class FakeYouTube implements YouTubeApi {
  readonly calls: Record<YouTubeMethod, number> = { 'channels.list': 0, 'playlistItems.list': 0, 'videos.list': 0, 'search.list': 0 };
  readonly log: { method: YouTubeMethod; arg: unknown }[] = [];
  /** Called before every call; may throw to inject a fault. */
  beforeCall: ((method: YouTubeMethod, n: number) => void) | null = null;

  constructor(readonly channels: FakeChannel[]) {}

  private hit(method: YouTubeMethod, arg: unknown): void {
    this.beforeCall?.(method, this.log.length + 1);
    this.calls[method] += 1;
    this.log.push({ method, arg });
  }

  get units(): number {
    return this.calls['channels.list'] + this.calls['playlistItems.list'] + this.calls['videos.list'] + 100 * this.calls['search.list'];
  }

  private toChannel(c: FakeChannel): YouTubeChannel {
    // statistics.videoCount counts public videos (not private ones or deleted placeholders).
    const count = c.staleCount ?? c.videos.filter((v) => (v.privacy ?? 'public') === 'public').length;
    return {
      id: c.id,
      title: c.title,
      handle: c.handle ?? null,
      uploadsPlaylistId: `UU${c.id.slice(2)}`,
      videoCount: count,
      thumbnailUrl: null,
    };
  }

  listChannels(lookup: ChannelLookup): YouTubeChannel[] {
    this.hit('channels.list', lookup);
    if ('id' in lookup) {
      if (lookup.id.length > 50) throw new YouTubeApiError('too many ids', 'channels.list', 400, 'invalidFilters', 'permanent');
      return this.channels.filter((c) => lookup.id.includes(c.id)).map((c) => this.toChannel(c));
    }
    const found =
      'forHandle' in lookup
        ? this.channels.find((c) => c.handle && c.handle.toLowerCase() === lookup.forHandle.replace(/^@/, '@').toLowerCase())
        : this.channels.find((c) => c.username && c.username.toLowerCase() === lookup.forUsername.toLowerCase());
    return found ? [this.toChannel(found)] : [];
  }

  listPlaylistItems(playlistId: string, pageToken: string | null, maxResults: number): YouTubePlaylistPage {
    this.hit('playlistItems.list', { playlistId, pageToken });
    const m = /^(UULF|UUSH|UU)(.{22})$/.exec(playlistId);
    const channel = m ? this.channels.find((c) => c.id.slice(2) === m[2]) : undefined;
    const notFound = (): YouTubeApiError =>
      new YouTubeApiError('playlist not found', 'playlistItems.list', 404, 'playlistNotFound', 'permanent');
    if (!m || !channel) throw notFound();
    let videos = channel.videos;
    if (m[1] !== 'UU') {
      if (channel.noFilteredPlaylists) throw notFound();
      videos = videos.filter((v) => Boolean(v.short) === (m[1] === 'UUSH'));
    }
    let offset = 0;
    if (pageToken !== null) {
      offset = Number(pageToken.replace(/^o/, ''));
      if (!Number.isInteger(offset) || offset > videos.length) {
        throw new YouTubeApiError('bad token', 'playlistItems.list', 400, 'invalidPageToken', 'permanent');
      }
    }
    const page = videos.slice(offset, offset + maxResults);
    const end = offset + page.length;
    return {
      items: page.map((v) => ({
        videoId: v.id,
        publishedAt: v.publishedAt,
        title: v.privacy === 'deleted' ? 'Deleted video' : v.privacy === 'private' ? 'Private video' : v.title,
        privacyStatus: v.privacy === 'deleted' ? 'privacyStatusUnspecified' : (v.privacy ?? 'public'),
        description: `About ${v.title}`,
        thumbnailUrl: `https://i.ytimg.com/vi/${v.id}/hqdefault.jpg`,
        channelTitle: channel.title,
      })),
      nextPageToken: end < videos.length ? `o${end}` : null,
      totalResults: videos.length,
    };
  }

  private index: { signature: string; map: Map<string, [FakeVideo, FakeChannel]> } | null = null;

  /** Video id -> video, rebuilt when a test adds or removes videos. */
  private videoIndex(): Map<string, [FakeVideo, FakeChannel]> {
    const signature = this.channels.map((c) => `${c.videos.length}:${c.videos[0]?.id ?? ''}:${c.videos.at(-1)?.id ?? ''}`).join('|');
    if (this.index?.signature !== signature) {
      const map = new Map<string, [FakeVideo, FakeChannel]>();
      for (const c of this.channels) for (const v of c.videos) map.set(v.id, [v, c]);
      this.index = { signature, map };
    }
    return this.index.map;
  }

  listVideos(ids: readonly string[], parts: readonly string[]): YouTubeVideo[] {
    this.hit('videos.list', { ids: [...ids], parts: [...parts] });
    if (ids.length > 50) throw new YouTubeApiError('too many ids', 'videos.list', 400, 'invalidFilters', 'permanent');
    const out: YouTubeVideo[] = [];
    const index = this.videoIndex();
    for (const id of ids) {
      {
        const hit = index.get(id);
        if (!hit) continue;
        const [v, c] = hit;
        if (v.privacy === 'private' || v.privacy === 'deleted') continue;
        const snippet = parts.includes('snippet');
        const stats = parts.includes('statistics');
        out.push({
          id: v.id,
          title: snippet ? v.title : '',
          description: snippet ? `About ${v.title}` : '',
          publishedAt: snippet ? v.publishedAt : '',
          channelId: snippet ? c.id : '',
          channelTitle: snippet ? c.title : '',
          tags: snippet ? (v.tags ?? []) : [],
          thumbnailUrl: null,
          durationIso: parts.includes('contentDetails') ? `PT${Math.floor(v.seconds / 60)}M${v.seconds % 60}S` : null,
          views: stats ? (v.views ?? 0) : null,
          likes: stats ? 7 : null,
          comments: stats ? 3 : null,
        });
      }
    }
    return out;
  }
}

/** A tab as a plain grid of values (no formula evaluation: the port promises literal strings). */
export class FakeTab implements SheetTab {
  grid: unknown[][] = [];
  formats: string[][] = [];
  frozen = 0;
  constructor(
    readonly name: string,
    readonly spreadsheetId: string,
    private readonly book: FakeSheets,
  ) {}

  lastRow(): number {
    this.book.hit('lastRow');
    return this.contentRows();
  }
  contentRows(): number {
    for (let r = this.grid.length; r > 0; r--)
      if ((this.grid[r - 1] ?? []).some((v) => v !== '' && v !== undefined && v !== null)) return r;
    return 0;
  }
  gridRows(): number {
    this.book.hit('gridRows');
    return Math.max(1000, this.grid.length);
  }
  lastColumn(): number {
    this.book.hit('lastColumn');
    return Math.max(0, ...this.grid.map((row) => row.reduce<number>((m, v, i) => (v !== '' && v !== undefined ? i + 1 : m), 0)));
  }
  readValues(row: number, col: number, numRows: number, numCols: number): unknown[][] {
    this.book.hit('readValues');
    const out: unknown[][] = [];
    for (let r = 0; r < numRows; r++) {
      const src = this.grid[row - 1 + r] ?? [];
      out.push(Array.from({ length: numCols }, (_, c) => src[col - 1 + c] ?? ''));
    }
    return out;
  }
  writeValues(row: number, col: number, values: unknown[][], numberFormats?: string[][]): void {
    this.book.hit('writeValues');
    values.forEach((vals, r) => {
      const target = (this.grid[row - 1 + r] ??= []);
      const fmt = (this.formats[row - 1 + r] ??= []);
      vals.forEach((v, c) => {
        target[col - 1 + c] = v instanceof Date ? new Date(v.getTime()) : v;
        if (numberFormats) fmt[col - 1 + c] = numberFormats[r]![c]!;
      });
    });
    for (let i = 0; i < this.grid.length; i++) this.grid[i] ??= [];
  }
  setNumberFormats(row: number, col: number, numberFormats: string[][]): void {
    this.book.hit('setNumberFormats');
    numberFormats.forEach((line, r) => {
      const fmt = (this.formats[row - 1 + r] ??= []);
      line.forEach((f, c) => (fmt[col - 1 + c] = f));
    });
  }
  clearFrom(fromRow: number): void {
    this.book.hit('clearFrom');
    this.grid.length = Math.min(this.grid.length, fromRow - 1);
  }
  deleteRows(fromRow: number, count: number): void {
    this.book.hit('deleteRows');
    this.grid.splice(fromRow - 1, count);
    this.formats.splice(fromRow - 1, count);
  }
  insertRowsAfter(afterRow: number, count: number): void {
    this.book.hit('insertRowsAfter');
    this.grid.splice(afterRow, 0, ...Array.from({ length: count }, () => [] as unknown[]));
    this.formats.splice(afterRow, 0, ...Array.from({ length: count }, () => [] as string[]));
  }
  setFrozenRows(count: number): void {
    this.book.hit('setFrozenRows');
    this.frozen = count;
  }
  /** Data rows (under the header) as arrays. */
  rows(): unknown[][] {
    return this.grid.slice(1, this.contentRows());
  }
}

export class FakeSheets implements Spreadsheets {
  calls = 0;
  readonly byMethod: Record<string, number> = {};
  readonly tabs = new Map<string, FakeTab>();
  beforeCall: ((method: string, n: number) => void) | null = null;

  hit(method: string): void {
    this.beforeCall?.(method, this.calls + 1);
    this.calls += 1;
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }
  activeSpreadsheetId(): string {
    return 'active';
  }
  activeSpreadsheetUrl(): string {
    return 'https://docs.google.com/spreadsheets/d/active/edit';
  }
  /** Tabs whose lookups miss (a tab created by another execution after this one looked). */
  readonly hiddenFromLookup = new Set<string>();
  getTab(spreadsheetId: string | null, tabName: string): SheetTab | null {
    this.hit('getTab');
    // As the port promises: names match ignoring case (Sheets keeps them unique ignoring case).
    if (this.hiddenFromLookup.has(tabName.toLowerCase())) return null;
    return this.find(spreadsheetId, tabName) ?? null;
  }
  createTab(spreadsheetId: string | null, tabName: string): SheetTab {
    this.hit('createTab');
    const existing = this.find(spreadsheetId, tabName);
    if (existing) throw new TabExistsError(`A sheet with the name "${existing.name}" already exists. Please enter another name.`, tabName);
    const tab = new FakeTab(tabName, spreadsheetId || 'active', this);
    this.tabs.set(`${spreadsheetId || 'active'}/${tabName}`, tab);
    return tab;
  }
  flush(): void {
    this.flushes += 1;
  }
  spreadsheetTimeZone(): string {
    return 'America/New_York';
  }
  flushes = 0;
  private find(spreadsheetId: string | null, tabName: string): FakeTab | undefined {
    const prefix = `${spreadsheetId || 'active'}/`.toLowerCase();
    const wanted = `${prefix}${tabName.toLowerCase()}`;
    for (const [k, t] of this.tabs) if (k.toLowerCase() === wanted) return t;
    return undefined;
  }
  listTabs(spreadsheetId: string | null): { name: string; hidden: boolean }[] {
    this.hit('listTabs');
    return [...this.tabs.keys()]
      .filter((k) => k.startsWith(`${spreadsheetId || 'active'}/`))
      .map((k) => ({ name: k.split('/')[1]!, hidden: false }));
  }
  tab(name: string, spreadsheetId = 'active'): FakeTab {
    const t = this.tabs.get(`${spreadsheetId}/${name}`);
    if (!t) throw new Error(`no tab ${name}`);
    return t;
  }
}

export class FakeQuota implements QuotaMeter {
  used = 0;
  constructor(public budget = Infinity) {}
  canSpend(units: number): boolean {
    return this.used + units <= this.budget;
  }
  spend(_method: YouTubeMethod, units: number): void {
    this.used += units;
  }
}

/** A clock that moves forward by `stepMs` each time it is read (so deadlines are reached). */
export class SteppingClock {
  private t: number;
  constructor(
    start: string | number = '2026-01-05T12:00:00Z',
    public stepMs = 0,
  ) {
    this.t = typeof start === 'number' ? start : Date.parse(start);
  }
  now(): Date {
    const d = new Date(this.t);
    this.t += this.stepMs;
    return d;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

export function jobConfig(overrides: Partial<JobConfig> = {}): JobConfig {
  return {
    name: 'Test job',
    description: '',
    channels: ['@alpha'],
    schedule_type: 'daily',
    schedule_value: '09:00',
    timezone: 'UTC',
    start_at: null,
    end_at: null,
    target_sheet_id: '',
    target_tab_name: 'Videos',
    output_mode: 'upsert',
    stats_refresh: 'daily',
    columns: [...DEFAULT_COLUMNS],
    video_filter: 'all',
    max_videos: 20000,
    priority: 5,
    max_retries: 3,
    retry_backoff_minutes: 5,
    misfire_grace_minutes: 60,
    catch_up: 'latest',
    notify_emails: [],
    notify_on: ['failure', 'recovery'],
    enabled: true,
    tags: [],
    depends_on: null,
    ...overrides,
  } as JobConfig;
}
