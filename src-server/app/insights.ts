/**
 * Schedule intelligence use cases (docs/insights.md): the suggestion for channels being set up (the
 * wizard, the API), a job's insights (the job manager), and the freshness / anomaly views the monitor,
 * stats and health show. Publish times come from the jobs' own runs first, then the cache, and only
 * for a channel nobody has read yet from one playlistItems.list page (1 unit), never search.list.
 */
import { tryNormalizeChannelInput } from '../domain/channels';
import { FRESHNESS_WINDOW_DAYS, summarizeFreshness } from '../domain/freshness';
import {
  compareWithCurrent,
  MAX_TARGET_MINUTES,
  MIN_TARGET_MINUTES,
  suggestSchedule,
  type ChannelVerdict,
  type Suggestion,
} from '../domain/schedule-suggest';
import { describeSchedule } from '../domain/schedule';
import { isValidTimeZone } from '../domain/timezone';
import { addHeatmaps, decodeUploads, encodeUploads, PATTERN_MAX_UPLOADS } from '../domain/upload-pattern';
import { YouTubeApiError } from '../ports';
import { quotaResetAt } from '../sync';
import type { AnomalyDto, ChannelCheck, FreshnessDto, JobInsightsDto, ScheduleSuggestionDto, UploadPatternDto } from './contract';
import { AppError } from './contract';
import type { AppContext, Loaded } from './context';
import type { JobInsight } from './insight-record';
import { addQuota, readQuota } from './quota';
import type { JobRecord, JobState } from './records';

const UPLOADS_CACHE_TTL = 6 * 3600;
const uploadsCacheKey = (channelKey: string): string => `y2s:up:${channelKey}`;
const CHANNEL_CACHE_PREFIX = 'y2s:ch:';

/** Expected units of one run: one playlist page per channel and one videos.list call. */
export function estimateUnitsPerRun(channels: number, insight?: JobInsight): number {
  const history = insight?.rh ?? [];
  if (history.length >= 3) {
    const units = history.map((h) => h[0]).sort((a, b) => a - b);
    return Math.max(1, units[Math.floor(units.length / 2)]!);
  }
  return channels + 1;
}

export function freshnessDto(insight: JobInsight | undefined, nowMs: number): FreshnessDto {
  const s = summarizeFreshness(insight?.fr, nowMs);
  return { window_days: FRESHNESS_WINDOW_DAYS, samples: s.samples, median_minutes: s.medianMinutes, p90_minutes: s.p90Minutes };
}

export function anomalyDtos(job: JobRecord, state: JobState): AnomalyDto[] {
  return (state.insight?.an ?? []).map((a) => ({ job_id: job.id, job_name: job.config.name, kind: a.kind, message: a.message, at: a.at }));
}

export function allAnomalies(loaded: Loaded): AnomalyDto[] {
  const out: AnomalyDto[] = [];
  for (const job of loaded.jobs()) out.push(...anomalyDtos(job, loaded.state(job.id)));
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** The least fresh jobs (by p90) that have measurements. */
export function freshnessBoard(loaded: Loaded, nowMs: number, limit = 5): (FreshnessDto & { job_id: string; job_name: string })[] {
  const rows = loaded
    .jobs()
    .map((job) => ({ job_id: job.id, job_name: job.config.name, ...freshnessDto(loaded.state(job.id).insight, nowMs) }));
  return rows
    .filter((r) => r.samples > 0)
    .sort((a, b) => (b.p90_minutes ?? 0) - (a.p90_minutes ?? 0))
    .slice(0, limit);
}

function patternDto(channel: string, verdict: ChannelVerdict, source: UploadPatternDto['source'], error?: string): UploadPatternDto {
  const p = verdict.pattern;
  const dto: UploadPatternDto = {
    channel,
    uploads: p.uploads,
    heatmap: p.heatmap,
    per_week: Math.round(p.perWeek * 10) / 10,
    regularity: Math.round(p.regularity * 100) / 100,
    summary: p.summary,
    last_upload_at: p.lastUploadMs === null ? null : new Date(p.lastUploadMs).toISOString(),
    source,
    met_share: verdict.ignored ? null : verdict.share,
    median_delay_minutes: verdict.ignored ? null : verdict.medianDelayMinutes,
  };
  if (error) dto.error = error;
  return dto;
}

function suggestionDto(
  s: Suggestion,
  timezone: string,
  target: number,
  sources: Map<string, { source: UploadPatternDto['source']; error?: string }>,
  spent: number,
): ScheduleSuggestionDto {
  const channels = s.channels.map((v) => {
    const src = sources.get(v.key) ?? { source: 'none' as const };
    return patternDto(v.key, v, src.source, src.error);
  });
  return {
    timezone,
    target_delay_minutes: target,
    schedule_type: s.schedule_type,
    schedule_value: s.schedule_value,
    schedule_text: describeSchedule({
      schedule_type: s.schedule_type,
      schedule_value: s.schedule_value,
      timezone,
      start_at: null,
      end_at: null,
    }),
    basis: s.basis,
    runs_per_week: s.runsPerWeek,
    units_per_run: s.unitsPerRun,
    expected_daily_units: s.dailyUnits,
    met_share: s.share,
    hourly: { runs_per_week: s.hourly.runsPerWeek, expected_daily_units: s.hourly.dailyUnits },
    explanation: s.explanation,
    heatmap: addHeatmaps(channels.map((c) => c.heatmap)),
    channels,
    quota_units_spent: spent,
  };
}

function invalid(path: string, message: string): AppError {
  return new AppError(422, 'validation_failed', `${path}: ${message}`, [{ path, message }]);
}

interface ParsedRequest {
  channels: string[];
  timezone: string;
  target: number;
}

function parseRequest(raw: unknown, defaultZone: string): ParsedRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('', 'expected an object with channels and target_delay_minutes');
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !['channels', 'timezone', 'target_delay_minutes'].includes(k));
  if (unknown.length) throw invalid(unknown[0]!, 'unknown field (expected channels, timezone, target_delay_minutes)');
  if (!Array.isArray(r.channels) || r.channels.length === 0 || r.channels.length > 50)
    throw invalid('channels', 'must list 1 to 50 channels');
  const channels: string[] = [];
  r.channels.forEach((c, i) => {
    if (typeof c !== 'string' || !tryNormalizeChannelInput(c.trim()))
      throw invalid(`channels.${i}`, 'expected @handle, a channel URL or a UC… channel id');
    channels.push(c.trim());
  });
  const target = r.target_delay_minutes;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < MIN_TARGET_MINUTES || target > MAX_TARGET_MINUTES) {
    throw invalid('target_delay_minutes', `must be a whole number of minutes from ${MIN_TARGET_MINUTES} to ${MAX_TARGET_MINUTES} (7 days)`);
  }
  const tz = r.timezone === undefined || r.timezone === null || r.timezone === '' ? defaultZone : r.timezone;
  if (typeof tz !== 'string' || !isValidTimeZone(tz))
    throw invalid('timezone', 'must be an IANA time zone such as America/New_York or UTC');
  return { channels: [...new Set(channels)], timezone: tz, target };
}

/** Publish times the jobs' runs have recorded, by channel key (the newest wins when several jobs read a channel). */
function knownUploads(loaded: Loaded): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const job of loaded.jobs()) {
    const up = loaded.state(job.id).insight?.up ?? {};
    for (const [channel, encoded] of Object.entries(up)) {
      const key = tryNormalizeChannelInput(channel)?.key;
      if (!key) continue;
      const times = decodeUploads(encoded);
      const have = out.get(key);
      if (!have || (times[0] ?? 0) > (have[0] ?? 0) || times.length > have.length) out.set(key, times);
    }
  }
  return out;
}

export function createInsights(ctx: AppContext, checkChannels: (inputs: string[]) => ChannelCheck[]) {
  const deps = ctx.deps;

  /** One playlistItems.list page per channel nobody has read, metered like runs (budget, quotaExceeded). */
  const lookUp = (
    loaded: Loaded,
    channels: string[],
  ): { found: Map<string, { times: number[]; source: UploadPatternDto['source']; error?: string }>; units: number; exceeded: boolean } => {
    const found = new Map<string, { times: number[]; source: UploadPatternDto['source']; error?: string }>();
    const known = knownUploads(loaded);
    const keys = channels.map((c) => tryNormalizeChannelInput(c)!.key);
    const cached = deps.cache.getMany(keys.map(uploadsCacheKey));
    const checks = deps.cache.getMany(channels.map((c) => `${CHANNEL_CACHE_PREFIX}${c.toLowerCase()}`));
    const now = ctx.now();
    const quota = readQuota(loaded.snapshot, now);
    let units = 0;
    let exceeded = false;
    const unresolved: { channel: string; key: string }[] = [];
    const fetchPage = (channel: string, key: string, channelId: string): void => {
      if (exceeded || quota.deferred_until || quota.used + units + 1 > loaded.settings.daily_quota_budget) {
        found.set(channel, {
          times: [],
          source: 'none',
          error: 'the YouTube quota (or the daily budget) is used up until midnight Pacific time',
        });
        return;
      }
      try {
        const page = deps.youtube.listPlaylistItems(`UU${channelId.slice(2)}`, null, 50);
        units += 1;
        const times = page.items
          .filter((it) => it.privacyStatus !== 'private')
          .map((it) => Date.parse(it.publishedAt))
          .filter((t) => !Number.isNaN(t));
        deps.cache.put(uploadsCacheKey(key), encodeUploads(times, PATTERN_MAX_UPLOADS), UPLOADS_CACHE_TTL);
        found.set(channel, { times, source: 'youtube' });
      } catch (err) {
        if (err instanceof YouTubeApiError && err.kind === 'quota') exceeded = true;
        else units += 1; // a refused request costs its unit too
        found.set(channel, { times: [], source: 'none', error: err instanceof Error ? err.message : String(err) });
      }
    };
    channels.forEach((channel, i) => {
      const key = keys[i]!;
      const mine = known.get(key);
      if (mine && mine.length > 0) return void found.set(channel, { times: mine, source: 'job' });
      const hit = cached[uploadsCacheKey(key)];
      if (hit !== undefined) return void found.set(channel, { times: decodeUploads(hit), source: 'cache' });
      const check = checks[`${CHANNEL_CACHE_PREFIX}${channel.toLowerCase()}`];
      const ref = tryNormalizeChannelInput(channel)!;
      let channelId: string | null = ref.kind === 'id' ? ref.id : null;
      if (!channelId && check) {
        try {
          channelId = (JSON.parse(check) as { channel_id?: string | null }).channel_id ?? null;
        } catch {
          channelId = null;
        }
      }
      if (channelId) fetchPage(channel, key, channelId);
      else unresolved.push({ channel, key });
    });
    if (unresolved.length > 0) {
      // The wizard's channel check (cached for hours, metered on its own) gives the ids.
      const checked = checkChannels(unresolved.map((u) => u.channel));
      unresolved.forEach((u, i) => {
        const c = checked[i];
        if (c?.ok && c.channel_id) fetchPage(u.channel, u.key, c.channel_id);
        else found.set(u.channel, { times: [], source: 'none', error: c?.error ?? 'the channel could not be checked' });
      });
    }
    return { found, units, exceeded };
  };

  const suggest = (request: unknown): ScheduleSuggestionDto => {
    const loaded = ctx.load();
    const req = parseRequest(request, loaded.settings.default_timezone);
    const { found, units, exceeded } = lookUp(loaded, req.channels);
    if (units > 0 || exceeded) {
      try {
        ctx.mutate((locked) => addQuota(locked.snapshot, ctx.now(), units, exceeded ? quotaResetAt(ctx.now()).toISOString() : null));
      } catch (err) {
        deps.logger.warn(`Quota of a schedule suggestion not recorded: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const suggestion = suggestSchedule({
      channels: req.channels.map((c) => ({ key: c, label: c, uploads: found.get(c)?.times ?? [] })),
      timeZone: req.timezone,
      targetDelayMinutes: req.target,
      nowMs: ctx.now().getTime(),
      unitsPerRun: estimateUnitsPerRun(req.channels.length),
    });
    return suggestionDto(
      suggestion,
      req.timezone,
      req.target,
      new Map([...found].map(([k, v]) => [k, v.error ? { source: v.source, error: v.error } : { source: v.source }])),
      units,
    );
  };

  const jobInsights = (id: string): JobInsightsDto => {
    const loaded = ctx.load();
    const job = loaded.requireJob(id);
    const state = loaded.state(id);
    const nowMs = ctx.now().getTime();
    const tz = job.config.timezone;
    const channels = job.config.channels.map((c) => ({ key: c, label: c, uploads: decodeUploads(state.insight?.up?.[c]) }));
    const unitsPerRun = estimateUnitsPerRun(channels.length, state.insight);
    const cmp = compareWithCurrent(job.config, Date.parse(job.created_at), channels, nowMs, unitsPerRun);
    const sources = new Map(channels.map((c) => [c.key, { source: (c.uploads.length ? 'job' : 'none') as UploadPatternDto['source'] }]));
    const suggestion =
      cmp.suggestion && cmp.targetDelayMinutes !== null ? suggestionDto(cmp.suggestion, tz, cmp.targetDelayMinutes, sources, 0) : null;
    // The patterns as the job's own schedule does on them.
    const own = suggestSchedule({ channels, timeZone: tz, targetDelayMinutes: cmp.targetDelayMinutes ?? 60, nowMs, unitsPerRun });
    const patterns = own.channels.map((v) => patternDto(v.key, v, sources.get(v.key)!.source));
    return {
      job_id: job.id,
      job_name: job.config.name,
      timezone: tz,
      freshness: freshnessDto(state.insight, nowMs),
      anomalies: anomalyDtos(job, state),
      heatmap: addHeatmaps(patterns.map((p) => p.heatmap)),
      channels: patterns.map((p) => ({ ...p, met_share: null, median_delay_minutes: null })),
      current: {
        schedule_text: cmp.current.schedule_text,
        runs_per_week: cmp.current.runsPerWeek,
        met_share: cmp.current.share,
        p90_delay_minutes: cmp.current.p90DelayMinutes,
      },
      suggestion,
      less_often_factor: cmp.factor === null ? null : Math.round(cmp.factor * 10) / 10,
      hint: cmp.hint,
    };
  };

  return { suggest, jobInsights };
}
