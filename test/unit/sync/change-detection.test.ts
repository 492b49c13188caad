/**
 * Change detection: one channels.list call per 50 channels tells which channels' video count moved;
 * the others are not read, until their last complete read is FULL_CHECK_MS old. The property test
 * drives random uploads, deletions, privacy changes and stale counts (YouTube updates the count late)
 * through random run times and checks that no public video stays missing from the tab longer than
 * the documented interval, whatever happens together.
 */
import fc from 'fast-check';
import { FULL_CHECK_MS } from '../../../src-server/sync';
import { channelId, type FakeChannel, type FakeVideo } from './fakes';
import { env, ids, runToCompletion, type Env } from './helpers';

const HOUR = 3_600_000;
const START = Date.parse('2026-01-05T12:00:00Z');

function channel(name: string, count: number, newestAt = START - HOUR): FakeChannel {
  const videos: FakeVideo[] = Array.from({ length: count }, (_, i) => ({
    id: `${name}${String(count - 1 - i).padStart(11 - name.length, '0')}`,
    title: `${name} ${count - 1 - i}`,
    publishedAt: new Date(newestAt - i * HOUR).toISOString(),
    seconds: 300,
  }));
  return { id: channelId(name), title: name.toUpperCase(), handle: `@${name}xx`, videos };
}

let uploadSeq = 0;
function upload(ch: FakeChannel, at: number): FakeVideo {
  const v: FakeVideo = {
    id: `up${String(uploadSeq++).padStart(9, '0')}`,
    title: 'new',
    publishedAt: new Date(at).toISOString(),
    seconds: 300,
  };
  ch.videos.unshift(v);
  return v;
}

function deleteOne(ch: FakeChannel, index: number): void {
  const live = ch.videos.filter((v) => (v.privacy ?? 'public') === 'public');
  const victim = live[index % Math.max(1, live.length)];
  if (victim) victim.privacy = 'deleted';
}

function at(e: Env, ms: number): void {
  e.clock.set(new Date(ms).toISOString());
}

const pages = (e: Env): number => e.youtube.calls['playlistItems.list'];
const lists = (e: Env): number => e.youtube.calls['channels.list'];

describe('change detection', () => {
  test('50 channels with nothing new: one channels.list call (1 unit), no page, no Spreadsheet call', () => {
    const chans = Array.from({ length: 50 }, (_, i) => channel(`c${i}`, 3));
    const e = env(chans, { channels: chans.map((c) => c.handle!), output_mode: 'append' });
    runToCompletion(e);
    const before = { units: e.youtube.units, pages: pages(e), sheets: e.sheets.calls };
    at(e, START + HOUR);
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('succeeded');
    expect(e.youtube.units - before.units).toBe(1);
    expect(pages(e)).toBe(before.pages);
    expect(e.sheets.calls).toBe(before.sheets);
    expect(o!.unchangedChannels).toBe(50);
    expect(o!.channels.every((c) => c.ok)).toBe(true);
  });

  test('only the channels whose count moved are read', () => {
    const chans = [channel('aa', 5), channel('bb', 5), channel('cc', 5)];
    const e = env(chans, { channels: chans.map((c) => c.handle!) });
    runToCompletion(e);
    at(e, START + HOUR);
    upload(chans[1]!, START + HOUR - 60_000);
    const before = { pages: pages(e), lists: lists(e) };
    const [o] = runToCompletion(e);
    expect(lists(e) - before.lists).toBe(1);
    expect(pages(e) - before.pages).toBe(1); // bb only
    expect(o!.videosAdded).toBe(1);
    expect(o!.unchangedChannels).toBe(2);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(16);
  });

  test('a single channel is read directly: a count check would cost as much as its page', () => {
    const solo = channel('solo', 5);
    const e = env([solo], { channels: [solo.handle!] });
    runToCompletion(e);
    at(e, START + HOUR);
    const before = { pages: pages(e), lists: lists(e) };
    runToCompletion(e);
    expect(lists(e)).toBe(before.lists);
    expect(pages(e) - before.pages).toBe(1);
  });

  test('an upload hidden by a deletion (same count) is found by the full check, FULL_CHECK_MS after the last read', () => {
    const chans = [channel('aa', 5), channel('bb', 5)];
    const e = env(chans, { channels: chans.map((c) => c.handle!) });
    runToCompletion(e); // read at START
    const hidden = upload(chans[0]!, START + HOUR);
    deleteOne(chans[0]!, 2);
    for (let h = 2; h < 24; h += 3) {
      at(e, START + h * HOUR);
      const [o] = runToCompletion(e);
      expect(o!.unchangedChannels).toBe(2); // the count did not move
      expect(ids(e.sheets.tab('Videos').rows())).not.toContain(hidden.id);
    }
    at(e, START + FULL_CHECK_MS);
    runToCompletion(e);
    expect(ids(e.sheets.tab('Videos').rows())).toContain(hidden.id);
  });

  test('overwrite never skips a channel (it re-reads by design)', () => {
    const chans = [channel('aa', 5), channel('bb', 5)];
    const e = env(chans, { channels: chans.map((c) => c.handle!), output_mode: 'overwrite' });
    runToCompletion(e);
    at(e, START + HOUR);
    const before = { pages: pages(e), lists: lists(e) };
    runToCompletion(e);
    expect(lists(e)).toBe(before.lists);
    expect(pages(e) - before.pages).toBe(2);
  });

  type Event =
    | { kind: 'wait'; minutes: number }
    | { kind: 'upload'; ch: number }
    | { kind: 'delete'; ch: number; index: number }
    | { kind: 'private'; ch: number; index: number }
    | { kind: 'freeze'; ch: number }
    | { kind: 'thaw'; ch: number }
    | { kind: 'run' };

  const CHANNELS = 3;
  const event: fc.Arbitrary<Event> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 5, max: 36 * 60 }) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('upload' as const), ch: fc.integer({ min: 0, max: CHANNELS - 1 }) }), weight: 3 },
    {
      arbitrary: fc.record({ kind: fc.constant('delete' as const), ch: fc.integer({ min: 0, max: CHANNELS - 1 }), index: fc.nat(10) }),
      weight: 2,
    },
    {
      arbitrary: fc.record({ kind: fc.constant('private' as const), ch: fc.integer({ min: 0, max: CHANNELS - 1 }), index: fc.nat(10) }),
      weight: 1,
    },
    { arbitrary: fc.record({ kind: fc.constant('freeze' as const), ch: fc.integer({ min: 0, max: CHANNELS - 1 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('thaw' as const), ch: fc.integer({ min: 0, max: CHANNELS - 1 }) }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'run' as const }), weight: 4 },
  );

  test('property: no public video is missing from the tab for longer than FULL_CHECK_MS, whatever uploads, deletions and stale counts happen together', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 5, maxLength: 60 }),
        fc.constantFrom('upsert' as const, 'append' as const),
        (events, mode) => {
          const chans = Array.from({ length: CHANNELS }, (_, i) => channel(`p${i}`, 4));
          const e = env(chans, { channels: chans.map((c) => c.handle!), output_mode: mode, max_videos: 20000 });
          let now = START;
          at(e, now);
          runToCompletion(e);
          for (const ev of events) {
            switch (ev.kind) {
              case 'wait':
                now += ev.minutes * 60_000;
                break;
              case 'upload':
                now += 60_000; // an upload is published at its own instant, newest first
                upload(chans[ev.ch]!, now);
                break;
              case 'delete':
                deleteOne(chans[ev.ch]!, ev.index);
                break;
              case 'private': {
                const live = chans[ev.ch]!.videos.filter((v) => (v.privacy ?? 'public') === 'public');
                const v = live[ev.index % Math.max(1, live.length)];
                if (v) v.privacy = 'private';
                break;
              }
              case 'freeze': {
                const c = chans[ev.ch]!;
                c.staleCount ??= c.videos.filter((v) => (v.privacy ?? 'public') === 'public').length;
                break;
              }
              case 'thaw':
                delete chans[ev.ch]!.staleCount;
                break;
              case 'run': {
                at(e, now);
                const [o] = runToCompletion(e);
                if (o!.status !== 'succeeded') throw new Error(`run ${o!.status}: ${o!.error?.message}`);
                const inTab = new Set(ids(e.sheets.tab('Videos').rows()));
                for (const c of chans) {
                  for (const v of c.videos) {
                    const overdue = now - Date.parse(v.publishedAt) >= FULL_CHECK_MS;
                    if ((v.privacy ?? 'public') === 'public' && overdue && !inTab.has(v.id)) {
                      throw new Error(
                        `${v.id} of ${c.handle}, published ${v.publishedAt}, still missing at ${new Date(now).toISOString()}`,
                      );
                    }
                  }
                }
                break;
              }
            }
          }
        },
      ),
      { numRuns: 150, seed: 20260105 },
    );
  });

  test('property: with no hidden change (no deletion, no stale count) a new video is in the tab after the next run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: CHANNELS - 1 }), fc.integer({ min: 1, max: 48 * 60 })), {
          minLength: 1,
          maxLength: 25,
        }),
        (steps) => {
          const chans = Array.from({ length: CHANNELS }, (_, i) => channel(`q${i}`, 4));
          const e = env(chans, { channels: chans.map((c) => c.handle!), output_mode: 'append' });
          let now = START;
          at(e, now);
          runToCompletion(e);
          for (const [ch, minutes] of steps) {
            now += minutes * 60_000;
            const v = upload(chans[ch]!, now - 30_000);
            at(e, now);
            runToCompletion(e);
            if (!ids(e.sheets.tab('Videos').rows()).includes(v.id)) throw new Error(`${v.id} missed by the run right after it`);
          }
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
