/**
 * The built-in demo dataset, generated deterministically (no network, no randomness between runs),
 * and helpers to build small custom datasets for tests. All titles are synthetic.
 *
 * Channels (see DEMO_CHANNELS): @mkbhd (~300 uploads, Shorts, private/deleted items, a few scheduled
 * uploads after the default start), @bigchannel (exactly 5,000), @midchannel (exactly 1,200, all
 * public, no Shorts: a first sync costs 1 + 24 + 24 units), @tinycooking (no Shorts: UUSH does not
 * exist), @shortsonly (no long videos: UULF does not exist), @retrotech (legacy username
 * RetroTechLegacy), @formulalab (titles that look like formulas), @privatemix (private, deleted and
 * unlisted items), @emptychannel (no uploads), @weeklyshow (Tuesdays and Thursdays between 16:00 and
 * 17:45 New York time, DST included, continuing for ten weeks after the default start: the schedule
 * suggestion's demo channel).
 */
import { createHash } from 'node:crypto';
import type { DatasetChannel, DatasetPrivacy, DatasetVideo, YouTubeDataset } from './dataset';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A deterministic id of `length` characters from a seed string. */
export function seededId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[digest[i % digest.length]! % 64];
  return out;
}

export function channelIdFor(seed: string): string {
  return `UC${seededId(`channel:${seed}`, 22)}`;
}

/** Small deterministic PRNG (mulberry32), seeded from a string. */
export function seededRandom(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface VideoSpec {
  /** Seed for ids, titles and statistics (defaults to the channel's seed). */
  seed: string;
  count: number;
  /** Publication time of the newest video; older ones go back by `spacingHours` each. */
  newestAt: string;
  spacingHours?: number; // default 24
  /** Every n-th video (1-based positions n, 2n, …) is a Short. 0 or omitted: none. */
  shortsEvery?: number;
  privateEvery?: number;
  deletedEvery?: number;
  unlistedEvery?: number;
  /** Titles by position; cycled. Default: generated. */
  titles?: string[];
  /** Offset added to the position when seeding ids (lets addVideos-batches differ from the original). */
  startIndex?: number;
}

const TOPICS = [
  'Phone',
  'Laptop',
  'Headphones',
  'Camera',
  'Tablet',
  'Smartwatch',
  'Monitor',
  'Keyboard',
  'Drone',
  'E-bike',
  'Speaker',
  'Router',
];
const ADJECTIVES = ['Honest', 'Long-term', 'Quick', 'Deep-dive', 'Unboxing', 'Blind', 'Budget', 'Flagship', 'Weird', 'Retro'];
const ENDINGS = ['review', 'test', 'after 6 months', 'vs the competition', 'teardown', 'first impressions', 'explained', 'worth it?'];

function generatedTitle(rand: () => number, n: number, short: boolean): string {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const title = `${pick(ADJECTIVES)} ${pick(TOPICS)} ${pick(ENDINGS)} #${n}`;
  return short ? `${title} #shorts` : title;
}

function everyNth(position: number, n: number | undefined): boolean {
  return n !== undefined && n > 0 && position % n === 0;
}

/** Uploads, newest first, with plausible statistics and durations. */
export function makeVideos(spec: VideoSpec): DatasetVideo[] {
  const rand = seededRandom(`videos:${spec.seed}:${spec.startIndex ?? 0}`);
  const spacingMs = (spec.spacingHours ?? 24) * 3_600_000;
  const newest = Date.parse(spec.newestAt);
  const videos: DatasetVideo[] = [];
  for (let i = 0; i < spec.count; i++) {
    const position = i + 1;
    const index = (spec.startIndex ?? 0) + i;
    const short = everyNth(position, spec.shortsEvery);
    const publishedAt = new Date(newest - i * spacingMs - Math.floor(rand() * 3_600_000) * (spacingMs > 3_600_000 ? 1 : 0));
    const views = Math.floor(1_000 + rand() ** 3 * 5_000_000);
    const privacy: DatasetPrivacy = everyNth(position, spec.privateEvery)
      ? 'private'
      : everyNth(position, spec.unlistedEvery)
        ? 'unlisted'
        : 'public';
    const title = spec.titles?.length ? spec.titles[i % spec.titles.length]! : generatedTitle(rand, spec.count - i, short);
    const video: DatasetVideo = {
      id: seededId(`video:${spec.seed}:${index}`, 11),
      title,
      description: `Synthetic demo video ${spec.count - i} of ${spec.seed}.`,
      publishedAt: publishedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      durationSeconds: short ? 15 + Math.floor(rand() * 45) : 240 + Math.floor(rand() * 1_500),
      views,
      likes: Math.floor(views * (0.01 + rand() * 0.04)),
      comments: Math.floor(views * (0.0005 + rand() * 0.002)),
      tags: rand() < 0.8 ? ['tech', 'demo', TOPICS[Math.floor(rand() * TOPICS.length)]!.toLowerCase()] : [],
      categoryId: '28',
    };
    if (short) video.short = true;
    if (privacy !== 'public') video.privacy = privacy;
    if (everyNth(position, spec.deletedEvery)) video.deleted = true;
    videos.push(video);
  }
  return videos;
}

export interface ChannelSpec extends Partial<VideoSpec> {
  handle?: string;
  title?: string;
  username?: string;
  /** Number of uploads. */
  videos: number;
  subscriberCount?: number;
  description?: string;
  publishedAt?: string;
  playlists?: DatasetChannel['playlists'];
}

/** Default newest upload of generated channels: before every test's usual start time. */
export const DEFAULT_NEWEST_AT = '2024-12-31T15:00:00Z';

/** A channel with `spec.videos` uploads; ids derive from the handle (or `seed`), so they are stable. */
export function makeChannel(spec: ChannelSpec): DatasetChannel {
  const seed = spec.seed ?? spec.handle ?? spec.title ?? 'channel';
  const channel: DatasetChannel = {
    id: channelIdFor(seed),
    title: spec.title ?? (spec.handle ? spec.handle.replace(/^@/, '') : seed),
    description: spec.description ?? `Synthetic channel ${seed}.`,
    publishedAt: spec.publishedAt ?? '2012-03-01T10:00:00Z',
    subscriberCount: spec.subscriberCount ?? 1000,
    country: 'US',
    videos: makeVideos({ ...spec, seed, count: spec.videos, newestAt: spec.newestAt ?? DEFAULT_NEWEST_AT }),
  };
  if (spec.handle) channel.handle = spec.handle.startsWith('@') ? spec.handle : `@${spec.handle}`;
  if (spec.username) channel.username = spec.username;
  if (spec.playlists) channel.playlists = spec.playlists;
  return channel;
}

export function makeDataset(...specs: ChannelSpec[]): YouTubeDataset {
  return { version: 1, channels: specs.map(makeChannel) };
}

/** Titles a spreadsheet would take for formulas, numbers or mentions if written naively. */
export const FORMULA_LIKE_TITLES = [
  '=IMPORTXML("http://x","//a")',
  '+1 (555) 010-0199',
  '-5 degrees',
  '@home tour',
  '=1+1',
  "'quoted start",
  '=HYPERLINK("http://example.com","click")',
  '<b>not bold</b> & <script>alert(1)</script>',
];

/** Handles and ids of the demo channels, for tests and docs. */
export const DEMO_CHANNELS = {
  mkbhd: { handle: '@mkbhd', id: channelIdFor('@mkbhd') },
  big: { handle: '@bigchannel', id: channelIdFor('@bigchannel'), videos: 5000 },
  mid: { handle: '@midchannel', id: channelIdFor('@midchannel'), videos: 1200 },
  tiny: { handle: '@tinycooking', id: channelIdFor('@tinycooking'), videos: 12 },
  shortsOnly: { handle: '@shortsonly', id: channelIdFor('@shortsonly'), videos: 20 },
  legacy: { handle: '@retrotech', username: 'RetroTechLegacy', id: channelIdFor('@retrotech'), videos: 30 },
  formulas: { handle: '@formulalab', id: channelIdFor('@formulalab'), videos: FORMULA_LIKE_TITLES.length },
  privateMix: { handle: '@privatemix', id: channelIdFor('@privatemix'), videos: 10 },
  empty: { handle: '@emptychannel', id: channelIdFor('@emptychannel'), videos: 0 },
  weekly: { handle: '@weeklyshow', id: channelIdFor('@weeklyshow') },
} as const;

/** @weeklyshow: Tue and Thu uploads from WEEKLY_SHOW.from to WEEKLY_SHOW.to (dates in New York). */
export const WEEKLY_SHOW = { from: '2025-06-03', to: '2026-03-19', zone: 'America/New_York' } as const;

/** New York's UTC offset in minutes on a date (US rules since 2007: second Sunday of March to first Sunday of November). */
function newYorkOffsetMinutes(year: number, month: number, day: number): number {
  const nthSunday = (m: number, n: number): number => {
    const first = new Date(Date.UTC(year, m - 1, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + (n - 1) * 7;
  };
  const start = nthSunday(3, 2);
  const end = nthSunday(11, 1);
  const dst = (month > 3 && month < 11) || (month === 3 && day > start) || (month === 11 && day < end);
  return dst ? -240 : -300;
}

function weeklyShow(): DatasetChannel {
  const rand = seededRandom('@weeklyshow');
  const videos: DatasetVideo[] = [];
  const [fy, fm, fd] = WEEKLY_SHOW.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = WEEKLY_SHOW.to.split('-').map(Number) as [number, number, number];
  let index = 0;
  for (let t = Date.UTC(fy, fm - 1, fd); t <= Date.UTC(ty, tm - 1, td); t += 86_400_000) {
    const date = new Date(t);
    if (date.getUTCDay() !== 2 && date.getUTCDay() !== 4) continue;
    const localMinute = 16 * 60 + 30 + Math.floor(rand() * 75);
    const offset = newYorkOffsetMinutes(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
    const published = new Date(t + (localMinute - offset) * 60_000);
    const views = Math.floor(2_000 + rand() ** 2 * 400_000);
    videos.push({
      id: seededId(`video:@weeklyshow:${index++}`, 11),
      title: `Weekly Show episode ${index}`,
      description: 'Synthetic demo video of a channel with a weekly rhythm.',
      publishedAt: published.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      durationSeconds: 600 + Math.floor(rand() * 1200),
      views,
      likes: Math.floor(views * 0.03),
      comments: Math.floor(views * 0.001),
      tags: ['show'],
      categoryId: '24',
    });
  }
  return {
    id: DEMO_CHANNELS.weekly.id,
    title: 'Weekly Show',
    handle: '@weeklyshow',
    description: 'A synthetic channel that uploads on Tuesdays and Thursdays in the late afternoon, New York time.',
    publishedAt: '2019-05-01T15:00:00Z',
    country: 'US',
    subscriberCount: 91_000,
    videos: videos.reverse(),
  };
}

/** @mkbhd: scheduled uploads after the emulator's default start (2026-01-05T12:00Z), one a week. */
export const MKBHD_SCHEDULED = { count: 8, firstAt: '2026-01-08T17:00:00Z' } as const;
export const MKBHD_PUBLISHED = 300;

function mkbhd(): DatasetChannel {
  const seed = '@mkbhd';
  const published = makeVideos({
    seed,
    count: MKBHD_PUBLISHED,
    newestAt: '2026-01-04T17:00:00Z',
    spacingHours: 100,
    shortsEvery: 7,
    privateEvery: 97,
    deletedEvery: 131,
  });
  const scheduled = makeVideos({
    seed,
    startIndex: MKBHD_PUBLISHED,
    count: MKBHD_SCHEDULED.count,
    newestAt: new Date(Date.parse(MKBHD_SCHEDULED.firstAt) + (MKBHD_SCHEDULED.count - 1) * 7 * 86_400_000).toISOString(),
    spacingHours: 7 * 24,
    shortsEvery: 4,
  });
  return {
    id: DEMO_CHANNELS.mkbhd.id,
    title: 'MKBHD (synthetic demo)',
    handle: '@mkbhd',
    description: 'A synthetic stand-in for a large tech channel. Every title and number here is generated.',
    publishedAt: '2008-03-21T15:25:54Z',
    country: 'US',
    subscriberCount: 19_800_000,
    videos: [...scheduled, ...published],
  };
}

export function buildDemoDataset(): YouTubeDataset {
  const channels: DatasetChannel[] = [
    mkbhd(),
    makeChannel({
      handle: '@bigchannel',
      title: 'Big Channel (5,000 uploads)',
      videos: 5000,
      newestAt: '2024-12-30T12:00:00Z',
      spacingHours: 8,
      shortsEvery: 10,
      subscriberCount: 2_400_000,
    }),
    makeChannel({
      handle: '@midchannel',
      title: 'Mid Channel (1,200 uploads)',
      videos: 1200,
      newestAt: '2024-12-29T12:00:00Z',
      subscriberCount: 350_000,
    }),
    makeChannel({ handle: '@tinycooking', title: 'Tiny Cooking', videos: 12, spacingHours: 24 * 14, subscriberCount: 840 }),
    makeChannel({ handle: '@shortsonly', title: 'Shorts Only', videos: 20, shortsEvery: 1, spacingHours: 48, subscriberCount: 12_000 }),
    makeChannel({
      handle: '@retrotech',
      username: 'RetroTechLegacy',
      title: 'Retro Tech',
      videos: 30,
      shortsEvery: 6,
      spacingHours: 24 * 10,
      publishedAt: '2007-06-01T12:00:00Z',
    }),
    makeChannel({
      handle: '@formulalab',
      title: 'Formula Lab',
      videos: FORMULA_LIKE_TITLES.length,
      titles: FORMULA_LIKE_TITLES,
      spacingHours: 72,
    }),
    makeChannel({
      handle: '@privatemix',
      title: 'Private Mix',
      videos: 10,
      privateEvery: 3,
      deletedEvery: 5,
      unlistedEvery: 7,
      shortsEvery: 4,
    }),
    makeChannel({ handle: '@emptychannel', title: 'Empty Channel', videos: 0, subscriberCount: 3 }),
    weeklyShow(),
  ];
  return { version: 1, channels };
}
