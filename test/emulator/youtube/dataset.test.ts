import { DatasetError, isoDuration, parseDataset, validateDataset } from '../../../emulator/youtube/dataset';
import {
  buildDemoDataset,
  DEMO_CHANNELS,
  FORMULA_LIKE_TITLES,
  makeChannel,
  makeDataset,
  MKBHD_PUBLISHED,
  MKBHD_SCHEDULED,
} from '../../../emulator/youtube/demo-dataset';

describe('demo dataset', () => {
  const demo = buildDemoDataset();
  const byHandle = (handle: string) => demo.channels.find((c) => c.handle === handle)!;

  it('is deterministic', () => {
    expect(JSON.stringify(buildDemoDataset())).toBe(JSON.stringify(demo));
  });

  it('is valid (unique ids, handles; well-formed dates)', () => {
    expect(() => validateDataset(demo)).not.toThrow();
  });

  it('has the benchmark channels with exact counts, all public', () => {
    expect(byHandle('@bigchannel').videos).toHaveLength(5000);
    const mid = byHandle('@midchannel');
    expect(mid.videos).toHaveLength(1200);
    expect(mid.videos.every((v) => !v.deleted && !v.privacy && !v.short)).toBe(true);
    expect(byHandle('@bigchannel').id).toBe(DEMO_CHANNELS.big.id);
  });

  it('gives @mkbhd ~300 published uploads with Shorts, private and deleted items, and scheduled ones', () => {
    const videos = byHandle('@mkbhd').videos;
    expect(videos).toHaveLength(MKBHD_PUBLISHED + MKBHD_SCHEDULED.count);
    expect(videos.filter((v) => v.short).length).toBeGreaterThan(30);
    expect(videos.some((v) => v.privacy === 'private')).toBe(true);
    expect(videos.some((v) => v.deleted)).toBe(true);
    const published = videos.filter((v) => v.publishedAt <= '2026-01-05T12:00:00Z');
    expect(published).toHaveLength(MKBHD_PUBLISHED);
    expect(videos.every((v) => typeof v.views === 'number' && typeof v.likes === 'number')).toBe(true);
    // Newest first.
    const dates = videos.map((v) => v.publishedAt);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('has formula-looking titles, a legacy username, a channel without Shorts and one without long videos', () => {
    expect(byHandle('@formulalab').videos.map((v) => v.title)).toEqual(FORMULA_LIKE_TITLES);
    expect(FORMULA_LIKE_TITLES).toEqual(
      expect.arrayContaining(['=IMPORTXML("http://x","//a")', '+1 (555) 010-0199', '-5 degrees', '@home tour']),
    );
    expect(byHandle('@retrotech').username).toBe('RetroTechLegacy');
    expect(byHandle('@tinycooking').videos.some((v) => v.short)).toBe(false);
    expect(byHandle('@shortsonly').videos.every((v) => v.short)).toBe(true);
  });

  it('makes small custom datasets with stable ids', () => {
    const a = makeDataset({ handle: '@alpha', videos: 3 }, { handle: '@beta', videos: 0 });
    expect(a.channels.map((c) => c.videos.length)).toEqual([3, 0]);
    expect(makeChannel({ handle: '@alpha', videos: 3 })).toEqual(a.channels[0]);
    expect(makeChannel({ handle: '@alpha', videos: 3 }).id).toMatch(/^UC[\w-]{22}$/);
  });
});

describe('dataset validation', () => {
  it('names the field and the problem', () => {
    expect(() => parseDataset('{')).toThrow(DatasetError);
    expect(() =>
      validateDataset({ version: 1, channels: [{ id: 'nope', title: 'x', publishedAt: '2020-01-01T00:00:00Z', videos: [] }] }),
    ).toThrow('dataset.channels[0].id');
    const good = makeChannel({ handle: '@good', videos: 1 });
    const bad = { ...good, videos: [{ ...good.videos[0]!, durationSeconds: 'long' }] };
    expect(() => validateDataset({ version: 1, channels: [bad] })).toThrow('dataset.channels[0].videos[0].durationSeconds');
    const dupe = makeChannel({ handle: '@GOOD', seed: 'other', videos: 0 });
    expect(() => validateDataset({ version: 1, channels: [good, dupe] })).toThrow('duplicate handle');
  });

  it('writes durations in ISO 8601 as the API does', () => {
    expect(isoDuration(253)).toBe('PT4M13S');
    expect(isoDuration(3600)).toBe('PT1H');
    expect(isoDuration(3720)).toBe('PT1H2M');
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(45)).toBe('PT45S');
    expect(isoDuration(90061)).toBe('P1DT1H1M1S');
  });
});
