/**
 * Sync engine: YouTube units and Spreadsheet calls per scenario, in the local runtime (the built
 * bundle of test/integration/sync/entry.ts), next to the theoretical minimum and next to a naive
 * reference run on the same demo data: search.list per channel (newest first, 50 per page, stopping at
 * a video already in the tab) + videos.list for details + one appendRow per video. The naive
 * reference exists only here, as Apps Script source run by the same runtime.
 *
 * Theoretical minimum: units = channels.list once + one playlistItems page per 50 videos read + one
 * videos.list per 50 new videos (+1 in upsert mode to refresh the newest rows' statistics when nothing
 * is new). Spreadsheet calls = 4 per execution (open the spreadsheet, open the tab, read the key
 * column, write one block); ours also counts getLastRow/getLastColumn, the header read, grid size
 * checks, insertRowsAfter and setNumberFormats: a constant, whatever the number of videos.
 */
import type { BenchRow } from './run';
import { createRuntime, type Runtime } from '../emulator';
import { DEMO_CHANNELS } from '../emulator/youtube/demo-dataset';
import { buildSyncBundle, removeBundle, SyncDriver } from '../test/integration/sync/harness';

const NAIVE_SOURCE = `
function naiveSync(handle, tabName, maxVideos) {
  var channel = YouTube.Channels.list('id', { forHandle: handle }).items[0];
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var sheet = ss.getSheetByName(tabName) || ss.insertSheet(tabName);
  if (sheet.getLastRow() === 0) sheet.appendRow(['video_id', 'title', 'published_at', 'url', 'views', 'likes', 'comments', 'duration', 'channel']);
  var last = sheet.getLastRow();
  var known = {};
  if (last > 1) sheet.getRange(2, 1, last - 1, 1).getValues().forEach(function (r) { known[r[0]] = true; });
  var token, added = 0, stop = false;
  do {
    var args = { channelId: channel.id, type: 'video', order: 'date', maxResults: 50 };
    if (token) args.pageToken = token;
    var page = YouTube.Search.list('snippet', args);
    var ids = [];
    (page.items || []).forEach(function (it) {
      if (stop || added + ids.length >= maxVideos) { stop = true; return; }
      if (known[it.id.videoId]) { stop = true; return; }
      ids.push(it.id.videoId);
    });
    if (ids.length) {
      var videos = YouTube.Videos.list('snippet,contentDetails,statistics', { id: ids.join(',') }).items || [];
      videos.forEach(function (v) {
        sheet.appendRow([v.id, v.snippet.title, new Date(v.snippet.publishedAt), 'https://www.youtube.com/watch?v=' + v.id,
          Number(v.statistics.viewCount), Number(v.statistics.likeCount), Number(v.statistics.commentCount),
          v.contentDetails.duration, v.snippet.channelTitle]);
        added++;
      });
    }
    token = page.nextPageToken;
  } while (token && !stop);
  return added;
}
`;

interface Measure {
  units: number;
  sheetCalls: number;
  executions: number;
  rows: number;
  note: string;
}

function sheetCallsOf(calls: Record<string, number>): number {
  return Object.entries(calls)
    .filter(([k]) => k.startsWith('SpreadsheetApp'))
    .reduce((n, [, v]) => n + v, 0);
}

function ours(d: SyncDriver, budgetMs = 270_000): Measure {
  const before = d.units();
  const { outcomes, sheetCalls } = d.run(budgetMs);
  const last = outcomes.at(-1)!;
  return {
    units: d.units() - before,
    sheetCalls: sheetCalls.reduce((a, b) => a + b, 0),
    executions: sheetCalls.length,
    rows: d.rows().length,
    note: `${last.status}${last.complete ? '' : ' (incomplete)'}`,
  };
}

function naive(rt: Runtime, handle: string, maxVideos: number): Measure {
  const before = rt.youtube.quota.usedToday(rt.clock.now());
  const r = rt.run<number>('naiveSync', handle, 'Videos', maxVideos);
  const values = rt.spreadsheets.sheet(rt.spreadsheetId, 'Videos') ? rt.spreadsheets.values(rt.spreadsheetId, 'Videos') : [];
  return {
    units: rt.youtube.quota.usedToday(rt.clock.now()) - before,
    sheetCalls: sheetCallsOf(r.calls),
    executions: 1,
    rows: values.slice(1).filter((row) => row.some((v) => v !== '')).length,
    note: r.killed ? 'killed at 6 min' : r.ok ? 'ok' : `error: ${r.error?.message ?? ''}`,
  };
}

function rows(scenario: string, minUnits: number, mine: Measure, ref: Measure): BenchRow[] {
  return [
    { name: `${scenario}: YouTube units`, value: mine.units, unit: 'units', goal: `min ${minUnits}; naive ${ref.units}` },
    {
      name: `${scenario}: Spreadsheet calls`,
      value: mine.sheetCalls,
      unit: `calls/${mine.executions} exec`,
      goal: `min ${4 * mine.executions}; naive ${ref.sheetCalls}`,
    },
    { name: `${scenario}: rows written`, value: mine.rows, unit: `rows (${mine.note})`, goal: `naive ${ref.rows} (${ref.note})` },
  ];
}

export default async function bench(): Promise<BenchRow[]> {
  const dir = await buildSyncBundle();
  try {
    const out: BenchRow[] = [];
    const mid = new SyncDriver(dir, { channels: ['@midchannel'], max_videos: 5000 });
    const midNaive = createRuntime({ code: NAIVE_SOURCE });

    out.push(...rows('first sync 1,200 videos', 1 + 24 + 24, ours(mid), naive(midNaive, '@midchannel', 5000)));
    out.push(...rows('second sync, nothing new (upsert)', 2, ours(mid), naive(midNaive, '@midchannel', 5000)));

    const now = mid.rt.clock.now().getTime();
    const fresh = [1, 2, 3].map((i) => ({
      id: `benchnew000${i}`,
      title: `New ${i}`,
      publishedAt: new Date(now - i * 1000).toISOString(),
      durationSeconds: 500,
    }));
    mid.rt.youtube.addVideos(DEMO_CHANNELS.mid.id, fresh);
    midNaive.youtube.addVideos(DEMO_CHANNELS.mid.id, fresh);
    out.push(...rows('3 new videos (upsert)', 2, ours(mid), naive(midNaive, '@midchannel', 5000)));

    const append = new SyncDriver(dir, { channels: ['@midchannel'], max_videos: 5000, output_mode: 'append' });
    ours(append);
    const appendRef = createRuntime({ code: NAIVE_SOURCE });
    naive(appendRef, '@midchannel', 5000);
    out.push(...rows('second sync, nothing new (append)', 1, ours(append), naive(appendRef, '@midchannel', 5000)));

    const big = new SyncDriver(dir, { channels: ['@bigchannel'], max_videos: 20000 });
    const bigVisible = big.rt.youtube.getDataset().channels.find((c) => c.id === DEMO_CHANNELS.big.id)!.videos.length;
    const pages = Math.ceil(bigVisible / 50);
    out.push(
      ...rows('5,000-video channel', 1 + pages + pages, ours(big), naive(createRuntime({ code: NAIVE_SOURCE }), '@bigchannel', 20000)),
    );
    return out;
  } finally {
    removeBundle(dir);
  }
}
