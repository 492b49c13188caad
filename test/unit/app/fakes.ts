/**
 * Small in-memory fakes of the ports, each counting its calls (`calls['properties.getAll']`), so unit
 * tests can assert both behaviour and how many service round trips a use case costs.
 */
import { parse as parseYaml } from 'yaml';
import type {
  Cache,
  Clock,
  Crypto,
  Identity,
  Logger,
  MailMessage,
  Mailer,
  PropertyStore,
  ScriptLock,
  SheetTab,
  Spreadsheets,
  TimeZoneOracle,
  TriggerInfo,
  Triggers,
  YouTubeApi,
  YouTubeChannel,
  YouTubePlaylistPage,
  YouTubeVideo,
  ChannelLookup,
} from '../../../src-server/ports';
import { YouTubeApiError } from '../../../src-server/ports';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../../src-server/app/deps';

export type CallLog = Record<string, number>;

function counter(calls: CallLog) {
  return (name: string): void => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
}

export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(d: Date | string): void {
    this.current = new Date(d);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class FakeProperties implements PropertyStore {
  data: Record<string, string> = {};
  constructor(private readonly count: (name: string) => void) {}
  getAll(): Record<string, string> {
    this.count('properties.getAll');
    return { ...this.data };
  }
  get(key: string): string | null {
    this.count('properties.get');
    return this.data[key] ?? null;
  }
  setMany(values: Record<string, string>): void {
    this.count('properties.setMany');
    Object.assign(this.data, values);
  }
  deleteMany(keys: readonly string[]): void {
    this.count('properties.deleteMany');
    for (const k of keys) delete this.data[k];
  }
}

export class FakeLock implements ScriptLock {
  held = false;
  /** When true, tryLock fails (another execution holds the lock). */
  contended = false;
  constructor(private readonly count: (name: string) => void) {}
  tryLock(): boolean {
    this.count('lock.tryLock');
    if (this.contended || this.held) return false;
    this.held = true;
    return true;
  }
  release(): void {
    this.count('lock.release');
    this.held = false;
  }
}

export class FakeCache implements Cache {
  data = new Map<string, string>();
  constructor(private readonly count: (name: string) => void) {}
  get(key: string): string | null {
    this.count('cache.get');
    return this.data.get(key) ?? null;
  }
  getMany(keys: readonly string[]): Record<string, string> {
    this.count('cache.getMany');
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = this.data.get(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  put(key: string, value: string): void {
    this.count('cache.put');
    this.data.set(key, value);
  }
  remove(key: string): void {
    this.count('cache.remove');
    this.data.delete(key);
  }
}

export class FakeTab implements SheetTab {
  rows: unknown[][] = [];
  frozen = 0;
  /** writeValues calls on this tab (one per batched append of a log). */
  writes = 0;
  constructor(
    readonly name: string,
    readonly spreadsheetId: string,
    public hidden: boolean,
    private readonly count: (name: string) => void,
  ) {}
  lastRow(): number {
    this.count('sheet.lastRow');
    return this.rows.length;
  }
  lastColumn(): number {
    this.count('sheet.lastColumn');
    return this.rows.reduce((m, r) => Math.max(m, r.length), 0);
  }
  /** The fake's grid grows with what is written: a new sheet's 1,000 rows, or more. */
  gridRows(): number {
    this.count('sheet.gridRows');
    return Math.max(1000, this.rows.length);
  }
  readValues(row: number, col: number, numRows: number, numCols: number): unknown[][] {
    this.count('sheet.readValues');
    const out: unknown[][] = [];
    for (let r = 0; r < numRows; r++) {
      const src = this.rows[row - 1 + r] ?? [];
      const line: unknown[] = [];
      for (let c = 0; c < numCols; c++) line.push(src[col - 1 + c] ?? '');
      out.push(line);
    }
    return out;
  }
  setNumberFormats(): void {
    this.count('sheet.setNumberFormats');
  }
  writeValues(row: number, col: number, values: unknown[][]): void {
    this.count('sheet.writeValues');
    this.writes++;
    values.forEach((line, r) => {
      const target = (this.rows[row - 1 + r] ??= []);
      line.forEach((v, c) => {
        target[col - 1 + c] = v;
      });
    });
    for (let i = 0; i < this.rows.length; i++) this.rows[i] ??= [];
  }
  clearFrom(fromRow: number): void {
    this.count('sheet.clearFrom');
    this.rows.length = Math.min(this.rows.length, fromRow - 1);
  }
  deleteRows(fromRow: number, count: number): void {
    this.count('sheet.deleteRows');
    this.rows.splice(fromRow - 1, count);
  }
  insertRowsAfter(afterRow: number, count: number): void {
    this.count('sheet.insertRowsAfter');
    this.rows.splice(afterRow, 0, ...Array.from({ length: count }, () => []));
  }
  setFrozenRows(count: number): void {
    this.count('sheet.setFrozenRows');
    this.frozen = count;
  }
}

export class FakeSpreadsheets implements Spreadsheets {
  tabs = new Map<string, FakeTab>();
  constructor(private readonly count: (name: string) => void) {}
  activeSpreadsheetId(): string {
    return 'sheet-1';
  }
  activeSpreadsheetUrl(): string {
    return 'https://docs.google.com/spreadsheets/d/sheet-1/edit';
  }
  getTab(spreadsheetId: string | null, tabName: string): SheetTab | null {
    this.count('spreadsheets.getTab');
    return this.tabs.get(`${spreadsheetId || 'sheet-1'}/${tabName}`) ?? null;
  }
  createTab(spreadsheetId: string | null, tabName: string, options?: { hidden?: boolean }): SheetTab {
    this.count('spreadsheets.createTab');
    const key = `${spreadsheetId || 'sheet-1'}/${tabName}`;
    if (this.tabs.has(key)) throw new Error(`A sheet named ${tabName} exists already`);
    const tab = new FakeTab(tabName, spreadsheetId || 'sheet-1', options?.hidden ?? false, this.count);
    this.tabs.set(key, tab);
    return tab;
  }
  listTabs(spreadsheetId: string | null): { name: string; hidden: boolean }[] {
    this.count('spreadsheets.listTabs');
    const prefix = `${spreadsheetId || 'sheet-1'}/`;
    return [...this.tabs.entries()].filter(([k]) => k.startsWith(prefix)).map(([, t]) => ({ name: t.name, hidden: t.hidden }));
  }
  tab(name: string): FakeTab | undefined {
    return this.tabs.get(`sheet-1/${name}`);
  }
  /** The bound spreadsheet's own zone (createFakeWorld sets it to the script's unless told otherwise). */
  timeZone = 'America/New_York';
  spreadsheetTimeZone(): string {
    return this.timeZone;
  }
  /** Flushes asked for (not counted as calls: the adapter makes none when nothing was written). */
  flushes = 0;
  flush(): void {
    this.flushes += 1;
  }
}

export class FakeTriggers implements Triggers {
  items: TriggerInfo[] = [];
  private seq = 0;
  constructor(private readonly count: (name: string) => void) {}
  list(): TriggerInfo[] {
    this.count('triggers.list');
    return this.items.map((t) => ({ ...t }));
  }
  createHeartbeat(handler: string, everyMinutes: number): TriggerInfo {
    this.count('triggers.createHeartbeat');
    const t: TriggerInfo = { id: `t${++this.seq}`, handler, kind: 'clock-every-minutes', everyMinutes };
    this.items.push(t);
    return { ...t };
  }
  createAt(handler: string, at: Date): TriggerInfo {
    this.count('triggers.createAt');
    const t: TriggerInfo = { id: `t${++this.seq}`, handler, kind: 'clock-at', at: at.toISOString() };
    this.items.push(t);
    return { ...t };
  }
  delete(id: string): void {
    this.count('triggers.delete');
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export class FakeMailer implements Mailer {
  sent: MailMessage[] = [];
  quota = 100;
  constructor(private readonly count: (name: string) => void) {}
  remainingDailyQuota(): number {
    this.count('mail.remainingDailyQuota');
    return this.quota;
  }
  send(message: MailMessage): void {
    this.count('mail.send');
    this.quota -= message.to.length;
    this.sent.push(message);
  }
}

/** A scripted YouTube: channels by handle or id, uploads as pages of 50. */
export class FakeYouTube implements YouTubeApi {
  channels: YouTubeChannel[] = [];
  uploads = new Map<string, YouTubeVideo[]>();
  /** Thrown by the next calls (consumed one per call). */
  failures: Error[] = [];
  constructor(private readonly count: (name: string) => void) {}
  addChannel(handle: string, id: string, videoCount: number): void {
    this.channels.push({ id, title: `Title ${handle}`, handle, uploadsPlaylistId: `UU${id.slice(2)}`, videoCount, thumbnailUrl: null });
    const videos: YouTubeVideo[] = [];
    for (let i = 0; i < videoCount; i++) {
      videos.push({
        id: `${id}-v${i}`,
        title: `Video ${i}`,
        description: '',
        publishedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
        channelId: id,
        channelTitle: `Title ${handle}`,
        tags: [],
        thumbnailUrl: null,
        durationIso: 'PT10M',
        views: i,
        likes: 0,
        comments: 0,
      });
    }
    this.uploads.set(`UU${id.slice(2)}`, videos.reverse());
  }
  private maybeFail(): void {
    const f = this.failures.shift();
    if (f) throw f;
  }
  listChannels(lookup: ChannelLookup): YouTubeChannel[] {
    this.count('youtube.listChannels');
    this.maybeFail();
    if ('forHandle' in lookup) {
      const h = lookup.forHandle.replace(/^@/, '').toLowerCase();
      return this.channels.filter((c) => (c.handle ?? '').replace(/^@/, '').toLowerCase() === h);
    }
    if ('forUsername' in lookup) return [];
    return this.channels.filter((c) => lookup.id.includes(c.id));
  }
  listPlaylistItems(playlistId: string, pageToken: string | null, maxResults: number): YouTubePlaylistPage {
    this.count('youtube.listPlaylistItems');
    this.maybeFail();
    // As YouTube: the uploads playlist of a channel that no longer exists is not found.
    if (!this.channels.some((c) => c.uploadsPlaylistId === playlistId)) {
      throw new YouTubeApiError('playlist not found', 'playlistItems.list', 404, 'playlistNotFound', 'permanent');
    }
    const all = this.uploads.get(playlistId) ?? [];
    const start = pageToken ? Number(pageToken) : 0;
    const slice = all.slice(start, start + maxResults);
    const next = start + maxResults < all.length ? String(start + maxResults) : null;
    return {
      items: slice.map((v) => ({ videoId: v.id, publishedAt: v.publishedAt, title: v.title, privacyStatus: 'public' })),
      nextPageToken: next,
      totalResults: all.length,
    };
  }
  listVideos(ids: readonly string[]): YouTubeVideo[] {
    this.count('youtube.listVideos');
    this.maybeFail();
    const out: YouTubeVideo[] = [];
    for (const list of this.uploads.values()) for (const v of list) if (ids.includes(v.id)) out.push(v);
    return out;
  }
}

export const nodeCrypto: Crypto = {
  hmacSha256: () => [],
  sha256: (m) => [...createHash('sha256').update(m).digest()],
  uuid: () => randomUUID(),
  base64UrlEncode: (b) => Buffer.from(typeof b === 'string' ? b : Uint8Array.from(b.map((x) => x & 0xff))).toString('base64url'),
  base64UrlDecodeToString: (e) => Buffer.from(e, 'base64url').toString('utf8'),
  randomBytes: (n) => [...randomBytes(n)],
};

/** Utilities.formatDate's offset pattern ('Z' -> -0500) computed with Intl, as the real service would. */
export const intlOracle: TimeZoneOracle = {
  formatDate(date: Date, timeZone: string, pattern: string): string {
    if (pattern !== 'Z') throw new Error(`fake oracle only formats 'Z', not ${pattern}`);
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(date);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
  },
};

export interface FakeWorld {
  deps: AppDeps;
  calls: CallLog;
  clock: FakeClock;
  properties: FakeProperties;
  lock: FakeLock;
  cache: FakeCache;
  spreadsheets: FakeSpreadsheets;
  triggers: FakeTriggers;
  mailer: FakeMailer;
  youtube: FakeYouTube;
  logs: string[];
  /** Milliseconds this "execution" has used (tests move it to simulate a long run). */
  elapsed: { ms: number };
}

export function createFakeWorld(start = '2026-01-05T12:00:00Z', timeZone = 'America/New_York', spreadsheetTimeZone = timeZone): FakeWorld {
  const calls: CallLog = {};
  const count = counter(calls);
  const clock = new FakeClock(new Date(start));
  const logs: string[] = [];
  const identity: Identity = { userEmail: () => 'owner@example.com', scriptTimeZone: () => timeZone };
  const logger: Logger = {
    info: (m) => logs.push(`INFO ${m}`),
    warn: (m) => logs.push(`WARN ${m}`),
    error: (m) => logs.push(`ERROR ${m}`),
  };
  const elapsed = { ms: 0 };
  const spreadsheets = new FakeSpreadsheets(count);
  spreadsheets.timeZone = spreadsheetTimeZone;
  const world = {
    calls,
    clock,
    properties: new FakeProperties(count),
    lock: new FakeLock(count),
    cache: new FakeCache(count),
    spreadsheets,
    triggers: new FakeTriggers(count),
    mailer: new FakeMailer(count),
    youtube: new FakeYouTube(count),
    logs,
    elapsed,
  };
  const deps: AppDeps = {
    properties: world.properties,
    lock: world.lock,
    cache: world.cache,
    youtube: world.youtube,
    spreadsheets: world.spreadsheets,
    triggers: world.triggers,
    mailer: world.mailer,
    identity,
    clock,
    timeZones: intlOracle,
    crypto: nodeCrypto,
    logger,
    yaml: { parse: (text) => parseYaml(text) },
    budget: { elapsedMs: () => elapsed.ms },
  };
  return { ...world, deps };
}

export function resetCalls(calls: CallLog): void {
  for (const k of Object.keys(calls)) delete calls[k];
}

/** The jobs tab (_y2s_jobs) of a fake world: per job id, its definition, state and journal, parsed. */
export function storedRows(world: FakeWorld): Map<string, { definition: unknown; state: unknown; journal: unknown; sync: unknown }> {
  const tab = world.spreadsheets.tab('_y2s_jobs');
  const out = new Map<string, { definition: unknown; state: unknown; journal: unknown; sync: unknown }>();
  const parse = (v: unknown) => (typeof v === 'string' && v !== '' ? JSON.parse(v) : null);
  for (const row of (tab?.rows ?? []).slice(1)) {
    const id = String(row[0] ?? '');
    if (!id) continue;
    out.set(id, { definition: parse(row[1]), state: parse(row[2]), journal: parse(row[3]), sync: parse(row[4]) });
  }
  return out;
}

/** Ids of the jobs stored in a fake world's jobs tab (tombstones excluded). */
export function storedJobIds(world: FakeWorld): string[] {
  return [...storedRows(world)].filter(([, r]) => r.definition !== null).map(([id]) => id);
}
