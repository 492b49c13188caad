/**
 * The cheapest schedule, in the job grammar (daily / weekly times, or an interval), that brings at
 * least 90 % of each channel's uploads into the sheet within a target delay — and the replay that
 * checks it against the channels' real publish times with the real schedule engine (DST included).
 *
 * Search (docs/insights.md): uploads become local (weekday, minute) pairs in the job's zone; a run at
 * local time t on day d brings an upload in when it comes at least LISTING_LAG after it and no later
 * than the target minus RUN_LATENESS. Times (quarter hours) are chosen greedily with every day on,
 * then days greedily for those times, then times that are not needed are dropped. The result costs
 * |days| × |times| runs a week; an interval just under the target (which meets it for any upload) is
 * the fallback when it is cheaper or when a channel has no pattern to go by.
 */
import { compileSchedule, type ScheduleFields } from './schedule';
import { describeSchedule } from './schedule';
import {
  DAY_SHORT,
  listDays,
  localSlot,
  MIN_PATTERN_UPLOADS,
  recentUploads,
  uploadPattern,
  zoneLabel,
  type UploadPattern,
} from './upload-pattern';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;

/** A new video shows in the uploads playlist a few minutes after it is published. */
export const LISTING_LAG_MINUTES = 5;
/** Triggers fire a little late and a run takes a little while before it writes. */
export const RUN_LATENESS_MINUTES = 5;
/** Share of a channel's uploads a suggestion must bring in within the target. */
export const TARGET_SHARE = 0.9;
export const MIN_TARGET_MINUTES = 15;
export const MAX_TARGET_MINUTES = 7 * DAY_MINUTES;
/** Uploads per channel the search looks at (the newest). */
const SEARCH_UPLOADS = 60;
const STEP_MINUTES = 15;
const SLOTS_PER_DAY = DAY_MINUTES / STEP_MINUTES;
/** Interval values offered (minutes), short to long: the largest under the target is taken. */
const NICE_INTERVALS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 5760, 7200, 8640];

export interface ChannelUploads {
  /** A stable key (the channel as the job names it). */
  key: string;
  /** What people read: @handle or title. */
  label: string;
  /** Publish times (ms), any order. */
  uploads: readonly number[];
}

export interface ReplayResult {
  uploads: number;
  met: number;
  /** met / uploads; null without uploads. */
  share: number | null;
  medianDelayMinutes: number | null;
  p90DelayMinutes: number | null;
}

export interface ChannelVerdict extends ReplayResult {
  key: string;
  label: string;
  pattern: UploadPattern;
  /** Too few uploads to go by: the schedule does not try to fit this channel. */
  ignored: boolean;
}

export interface Suggestion {
  schedule_type: 'daily' | 'weekly' | 'interval';
  schedule_value: string;
  /** pattern: fitted to the uploads; interval: a plain interval under the target. */
  basis: 'pattern' | 'interval';
  runsPerWeek: number;
  unitsPerRun: number;
  dailyUnits: number;
  /** The lowest replayed share among the channels with a pattern; null when none has one. */
  share: number | null;
  channels: ChannelVerdict[];
  hourly: { runsPerWeek: number; dailyUnits: number };
  explanation: string;
}

export interface SuggestInput {
  channels: readonly ChannelUploads[];
  timeZone: string;
  targetDelayMinutes: number;
  nowMs: number;
  /** Expected YouTube units per run (playlist pages, videos.list). */
  unitsPerRun: number;
  /** Share of uploads to bring in within the target (default 0.9). */
  share?: number;
}

// ---------------------------------------------------------------- replay

function percentileOf(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Follows a schedule over past uploads (an interval counts from `anchorMs`: pass one before them): each is written by the first run at least LISTING_LAG after
 * it is published, RUN_LATENESS later. Uses the real occurrence engine (zones, DST, anchors).
 */
export function replaySchedule(
  schedule: ScheduleFields,
  uploads: readonly number[],
  targetDelayMinutes: number,
  anchorMs: number,
): ReplayResult {
  const compiled = compileSchedule(schedule, { anchor: new Date(anchorMs) });
  const delays: number[] = [];
  let met = 0;
  for (const p of uploads) {
    const run = compiled?.next(p + LISTING_LAG_MINUTES * MINUTE_MS - 1) ?? null;
    const delay = run === null ? Number.POSITIVE_INFINITY : (run - p) / MINUTE_MS + RUN_LATENESS_MINUTES;
    delays.push(delay);
    if (delay <= targetDelayMinutes) met++;
  }
  delays.sort((a, b) => a - b);
  const finite = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v));
  return {
    uploads: uploads.length,
    met,
    share: uploads.length ? met / uploads.length : null,
    medianDelayMinutes: finite(percentileOf(delays, 0.5)),
    p90DelayMinutes: finite(percentileOf(delays, 0.9)),
  };
}

/** Runs a week of a schedule, counted over the four weeks after `fromMs`. */
export function runsPerWeekOf(schedule: ScheduleFields, anchorMs: number, fromMs: number): number {
  const compiled = compileSchedule(schedule, { anchor: new Date(anchorMs) });
  if (!compiled) return 0;
  const end = fromMs + 4 * WEEK_MINUTES * MINUTE_MS;
  let count = 0;
  for (let t = compiled.next(fromMs); t !== null && t <= end && count < 40_000; t = compiled.next(t)) count++;
  return count / 4;
}

// ---------------------------------------------------------------- search

interface Point {
  channel: number;
  weight: number;
  /** Per candidate time slot: bit d set when a run at that time on weekday d brings the upload in. */
  masks: Uint8Array;
}

function buildPoints(channels: readonly number[][], timeZone: string, targetMinutes: number): Point[] {
  const lo = LISTING_LAG_MINUTES;
  const hi = targetMinutes - RUN_LATENESS_MINUTES;
  const spanDays = Math.ceil(hi / DAY_MINUTES) + 1;
  const points: Point[] = [];
  channels.forEach((uploads, channel) => {
    const weight = 1 / Math.max(1, uploads.length);
    for (const t of uploads) {
      const { day, minute } = localSlot(timeZone, t);
      const masks = new Uint8Array(SLOTS_PER_DAY);
      for (let s = 0; s < SLOTS_PER_DAY; s++) {
        const at = s * STEP_MINUTES;
        for (let k = 0; k <= spanDays; k++) {
          const delta = k * DAY_MINUTES + at - minute;
          if (delta >= lo && delta <= hi) masks[s]! |= 1 << ((day + k) % 7);
        }
      }
      points.push({ channel, weight, masks });
    }
  });
  return points;
}

interface Plan {
  times: number[]; // slot indexes
  days: number; // bit mask
  cost: number;
  /** Weighted share of uploads brought in: among plans of one cost, the higher wins. */
  covered: number;
}

const ALL_DAYS = 0x7f;
const bits = (mask: number): number => {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
};

class Search {
  private readonly counts: number[];
  constructor(
    private readonly points: Point[],
    channelCount: number,
    private readonly share: number,
  ) {
    this.counts = new Array<number>(channelCount).fill(0);
    for (const p of points) this.counts[p.channel]! += 1;
  }

  private satisfied(covered: number[]): boolean {
    return this.counts.every((n, c) => n === 0 || covered[c]! >= this.share * n - 1e-9);
  }

  private coveredBy(masks: readonly number[], days: number): number[] {
    const covered = new Array<number>(this.counts.length).fill(0);
    masks.forEach((m, i) => {
      if (m & days) covered[this.points[i]!.channel]! += 1;
    });
    return covered;
  }

  private unionMasks(times: readonly number[]): number[] {
    return this.points.map((p) => {
      let m = 0;
      for (const t of times) m |= p.masks[t]!;
      return m;
    });
  }

  /** Greedy times with every day on, in the order they were chosen. */
  chooseTimes(): number[] {
    const times: number[] = [];
    const done = new Uint8Array(this.points.length);
    for (let round = 0; round < 48; round++) {
      const covered = this.coveredBy(this.unionMasks(times), ALL_DAYS);
      if (this.satisfied(covered)) break;
      const open = this.counts.map((n, c) => n > 0 && covered[c]! < this.share * n - 1e-9);
      let best = -1;
      let bestGain = 0;
      for (let s = 0; s < SLOTS_PER_DAY; s++) {
        let gain = 0;
        this.points.forEach((p, i) => {
          if (!done[i] && open[p.channel] && p.masks[s]) gain += p.weight;
        });
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          best = s;
        }
      }
      if (best < 0) break;
      times.push(best);
      this.points.forEach((p, i) => {
        if (p.masks[best]) done[i] = 1;
      });
    }
    return times;
  }

  coveredWeight(times: readonly number[], days: number): number {
    let sum = 0;
    this.unionMasks(times).forEach((m, i) => {
      if (m & days) sum += this.points[i]!.weight;
    });
    return sum;
  }

  /** Greedy days for given times; null when even every day does not satisfy. */
  chooseDays(times: readonly number[]): number | null {
    const masks = this.unionMasks(times);
    if (!this.satisfied(this.coveredBy(masks, ALL_DAYS))) return null;
    let days = 0;
    for (let round = 0; round < 7; round++) {
      const covered = this.coveredBy(masks, days);
      if (this.satisfied(covered)) return days;
      const open = this.counts.map((n, c) => n > 0 && covered[c]! < this.share * n - 1e-9);
      let best = -1;
      let bestGain = 0;
      for (let d = 0; d < 7; d++) {
        if (days & (1 << d)) continue;
        let gain = 0;
        masks.forEach((m, i) => {
          const p = this.points[i]!;
          if (open[p.channel] && !(m & days) && m & (1 << d)) gain += p.weight;
        });
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          best = d;
        }
      }
      if (best < 0) return null;
      days |= 1 << best;
    }
    return days;
  }

  plan(): Plan | null {
    const chosen = this.chooseTimes();
    const found: { best: Plan | null } = { best: null };
    const consider = (times: number[]): boolean => {
      const days = this.chooseDays(times);
      if (days === null) return false;
      const cost = bits(days) * times.length;
      const covered = this.coveredWeight(times, days);
      const best = found.best;
      if (best && (cost > best.cost || (cost === best.cost && covered <= best.covered + 1e-9))) return false;
      found.best = { times: [...times].sort((a, b) => a - b), days, cost, covered };
      return true;
    };
    // One run time a day is the common answer: every quarter hour is tried, not only the greedy's.
    for (let slot = 0; slot < SLOTS_PER_DAY; slot++) consider([slot]);
    for (let k = 1; k <= chosen.length; k++) consider(chosen.slice(0, k));
    // Drop times the others make unnecessary (the greedy order can leave an early, wide one behind).
    for (let improved = true; improved && found.best && found.best.times.length > 1;) {
      const times = found.best.times;
      improved = times.some((t) => consider(times.filter((x) => x !== t)));
    }
    return found.best;
  }
}

// ---------------------------------------------------------------- the suggestion

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function intervalValue(minutes: number): string {
  if (minutes % DAY_MINUTES === 0) return `${minutes / DAY_MINUTES}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** "2 h", "90 min", "1 d 12 h". */
export function formatDelay(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < DAY_MINUTES) {
    const h = Math.floor(minutes / 60);
    const m = Math.round(minutes % 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const hours = Math.round(minutes / 60);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** The longest interval of the menu that still meets the target for any upload. */
export function guaranteedInterval(targetMinutes: number): number {
  const room = targetMinutes - LISTING_LAG_MINUTES - RUN_LATENESS_MINUTES;
  let pick = NICE_INTERVALS[0]!;
  for (const n of NICE_INTERVALS) if (n <= room) pick = n;
  return pick;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function unitsText(runsPerWeek: number, unitsPerRun: number): string {
  const weekly = runsPerWeek * unitsPerRun;
  if (runsPerWeek < 7) return `${round1(weekly)} unit${weekly === 1 ? '' : 's'} a week`;
  const daily = round1(weekly / 7);
  return `${daily} unit${daily === 1 ? '' : 's'} a day`;
}

function whenText(type: Suggestion['schedule_type'], value: string, timesCount: number): string {
  if (type === 'interval') return `every ${formatDelay(intervalMinutes(value))}`;
  const [daysPart, timesPart] = type === 'weekly' ? value.split('@') : ['', value];
  const times = timesPart!.split(',');
  const at = timesCount > 4 ? `${timesCount} times a day (${times.slice(0, 3).join(', ')}, …)` : `at ${times.join(', ')}`;
  if (type === 'daily') return `every day ${at}`;
  const days = daysPart!.split(',').map((d) => DAY_SHORT.findIndex((n) => n.toUpperCase() === d));
  return `${listDays(days)} ${at}`;
}

function intervalMinutes(value: string): number {
  const m = /^(\d+)([mhd])$/.exec(value);
  if (!m) return 0;
  return Number(m[1]) * (m[2] === 'd' ? DAY_MINUTES : m[2] === 'h' ? 60 : 1);
}

function channelsText(verdicts: readonly ChannelVerdict[], timeZone: string): string {
  const zone = zoneLabel(timeZone);
  const parts = verdicts.slice(0, 3).map((v) => `${v.label} uploads ${v.pattern.summary}${v.pattern.hours ? ` ${zone}` : ''}`);
  if (verdicts.length > 3) parts.push(`and ${verdicts.length - 3} more channel${verdicts.length === 4 ? '' : 's'}`);
  return parts.join('; ');
}

/** The cheapest schedule that meets the target for TARGET_SHARE of each channel's uploads. */
export function suggestSchedule(input: SuggestInput): Suggestion {
  const target = Math.max(MIN_TARGET_MINUTES, Math.min(MAX_TARGET_MINUTES, Math.round(input.targetDelayMinutes)));
  const share = input.share ?? TARGET_SHARE;
  const tz = input.timeZone;
  const unitsPerRun = Math.max(1, input.unitsPerRun);
  const fields = (type: Suggestion['schedule_type'], value: string): ScheduleFields => ({
    schedule_type: type,
    schedule_value: value,
    timezone: tz,
    start_at: null,
    end_at: null,
  });

  const prepared = input.channels.map((c) => {
    const pattern = uploadPattern(c.uploads, tz, input.nowMs);
    const recent = recentUploads(c.uploads, input.nowMs, SEARCH_UPLOADS);
    return { c, pattern, recent, ignored: recent.length < MIN_PATTERN_UPLOADS };
  });
  const fitted = prepared.filter((p) => !p.ignored);

  const intervalMin = guaranteedInterval(target);
  const intervalPlan = { type: 'interval' as const, value: intervalValue(intervalMin), runsPerWeek: WEEK_MINUTES / intervalMin };
  let chosen: { type: Suggestion['schedule_type']; value: string; runsPerWeek: number; basis: Suggestion['basis']; times: number } = {
    ...intervalPlan,
    basis: 'interval',
    times: 0,
  };

  if (fitted.length > 0) {
    const search = new Search(
      buildPoints(
        fitted.map((p) => p.recent),
        tz,
        target,
      ),
      fitted.length,
      share,
    );
    const plan = search.plan();
    if (plan && plan.cost < intervalPlan.runsPerWeek) {
      const times = plan.times.map((s) => hhmm(s * STEP_MINUTES)).join(',');
      const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => plan.days & (1 << d));
      const type = days.length === 7 ? 'daily' : 'weekly';
      const value = type === 'daily' ? times : `${days.map((d) => DAY_SHORT[d]!.toUpperCase()).join(',')}@${times}`;
      // The search works on wall clocks; the replay on instants decides (a DST week can differ).
      const ok = fitted.every((p) => (replaySchedule(fields(type, value), p.recent, target, 0).share ?? 1) >= share - 1e-9);
      if (ok) chosen = { type, value, runsPerWeek: plan.cost, basis: 'pattern', times: plan.times.length };
    }
  }

  const schedule = fields(chosen.type, chosen.value);
  const channels: ChannelVerdict[] = prepared.map((p) => ({
    key: p.c.key,
    label: p.c.label,
    pattern: p.pattern,
    ignored: p.ignored,
    ...replaySchedule(schedule, p.recent, target, 0),
  }));
  const shares = channels.filter((v) => !v.ignored && v.share !== null).map((v) => v.share!);
  const lowest = shares.length ? Math.min(...shares) : null;
  const hourly = { runsPerWeek: 168, dailyUnits: round1((168 * unitsPerRun) / 7) };

  const when = whenText(chosen.type, chosen.value, chosen.times);
  const cost = unitsText(chosen.runsPerWeek, unitsPerRun);
  const delay = formatDelay(target);
  let explanation: string;
  if (chosen.basis === 'pattern') {
    const pct = Math.floor((lowest ?? 1) * 100);
    explanation = `${channelsText(
      channels.filter((v) => !v.ignored),
      tz,
    )}; syncing ${when} gets ${pct} % of videos within ${delay} for ${cost} (hourly syncing: ${hourly.dailyUnits} units a day).`;
    const ignored = channels.filter((v) => v.ignored);
    if (ignored.length)
      explanation += ` ${ignored.map((v) => v.label).join(', ')}: ${ignored.length === 1 ? 'too few uploads' : 'too few uploads each'} to go by.`;
  } else if (fitted.length === 0) {
    const why = channels.length
      ? channels
          .slice(0, 3)
          .map((v) => `${v.label}: ${v.pattern.summary}`)
          .join('; ')
      : 'no channel';
    explanation = `No upload pattern to go by (${why}); syncing ${when} brings any new video in within ${delay} for ${cost}.`;
  } else {
    explanation = `${channelsText(
      channels.filter((v) => !v.ignored),
      tz,
    )}; no cheaper fit than syncing ${when}, which brings any new video in within ${delay} for ${cost}.`;
  }

  return {
    schedule_type: chosen.type,
    schedule_value: chosen.value,
    basis: chosen.basis,
    runsPerWeek: chosen.runsPerWeek,
    unitsPerRun,
    dailyUnits: round1((chosen.runsPerWeek * unitsPerRun) / 7),
    share: lowest,
    channels,
    hourly,
    explanation,
  };
}

// ---------------------------------------------------------------- an existing job

export interface CurrentComparison {
  current: { runsPerWeek: number; share: number | null; p90DelayMinutes: number | null; schedule_text: string };
  /** The freshness the current schedule gives 90 % of uploads (the suggestion's target). */
  targetDelayMinutes: number | null;
  suggestion: Suggestion | null;
  /** current runs ÷ suggested runs; null when there is nothing to compare. */
  factor: number | null;
  /** "This job could run 6× less often with the same freshness (…)", when it could (≥ 1.5×). */
  hint: string | null;
}

/**
 * How the job's schedule does on its channels' uploads, and what the same freshness would cost with
 * a fitted schedule.
 */
export function compareWithCurrent(
  job: ScheduleFields,
  anchorMs: number,
  channels: readonly ChannelUploads[],
  nowMs: number,
  unitsPerRun: number,
): CurrentComparison {
  const runsPerWeek = runsPerWeekOf(job, anchorMs, nowMs);
  // The replay asks how the schedule's pattern does on past uploads: its bounds and an interval's
  // anchor (only a phase) play no part.
  const schedule: ScheduleFields = { ...job, start_at: null, end_at: null };
  anchorMs = 0;
  const recent = channels.map((c) => recentUploads(c.uploads, nowMs, SEARCH_UPLOADS)).filter((u) => u.length >= MIN_PATTERN_UPLOADS);
  const all = recent.flat();
  const replay = replaySchedule(schedule, all, Number.POSITIVE_INFINITY, anchorMs);
  const perChannelP90 = recent.map((u) => replaySchedule(schedule, u, Number.POSITIVE_INFINITY, anchorMs).p90DelayMinutes);
  const current = {
    runsPerWeek,
    share: null as number | null,
    p90DelayMinutes: replay.p90DelayMinutes,
    schedule_text: describeSchedule(job),
  };
  if (recent.length === 0 || perChannelP90.some((p) => p === null))
    return { current, targetDelayMinutes: null, suggestion: null, factor: null, hint: null };
  const worst = Math.max(...(perChannelP90 as number[]));
  const target = Math.min(MAX_TARGET_MINUTES, Math.max(MIN_TARGET_MINUTES, Math.ceil(worst / 5) * 5));
  current.share = replaySchedule(schedule, all, target, anchorMs).share;
  const suggestion = suggestSchedule({ channels, timeZone: schedule.timezone, targetDelayMinutes: target, nowMs, unitsPerRun });
  const factor = suggestion.runsPerWeek > 0 && runsPerWeek > 0 ? runsPerWeek / suggestion.runsPerWeek : null;
  const hint =
    factor !== null && factor >= 1.5
      ? `This job could run ${factor >= 10 ? Math.round(factor) : round1(factor)}× less often with the same freshness (90 % of videos within ${formatDelay(target)}): ${describeSchedule({ ...schedule, schedule_type: suggestion.schedule_type, schedule_value: suggestion.schedule_value, start_at: null, end_at: null })}.`
      : null;
  return { current, targetDelayMinutes: target, suggestion, factor, hint };
}
