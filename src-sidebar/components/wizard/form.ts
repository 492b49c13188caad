/**
 * The wizard's form state (strings, as inputs hold them) and its mapping to and from the job's wire
 * format (the flat snake_case config the server's schema validates).
 */
import {
  CATCH_UP_POLICIES,
  COLUMNS,
  DEFAULT_COLUMNS,
  NOTIFY_EVENTS,
  OUTPUT_MODES,
  SCHEDULE_TYPES,
  STATS_REFRESH_POLICIES,
  VIDEO_FILTERS,
  WEEKDAYS,
  type CatchUpPolicy,
  type Column,
  type HeaderRow,
  type NotifyEvent,
  type OutputMode,
  type ScheduleType,
  type StatsRefreshPolicy,
  type VideoFilter,
  type Weekday,
} from '../../../src-server/domain/catalogue';
import type { JobDto, SchedulePreview, TabWritersDto } from '../../../src-server/app/contract';
import { FIELD_LABELS, humanIssue } from '../../lib/fields';
import { JOB_DEFAULTS } from '../../lib/job-defaults';
import { modernZone } from '../../lib/zones';
import { checkSchedule, rewordServerIssue } from '../../lib/schedule-check';

export { CATCH_UP_POLICIES, COLUMNS, NOTIFY_EVENTS, OUTPUT_MODES, SCHEDULE_TYPES, STATS_REFRESH_POLICIES, VIDEO_FILTERS, WEEKDAYS };

export interface Form {
  name: string;
  description: string;
  channels: string; // one per line (commas accepted)
  schedule_type: ScheduleType;
  times: string; // daily/weekly/monthly: 09:00 or 09:00,17:30
  weekdays: Weekday[];
  month_days: string; // 1,15 or last
  interval_n: string;
  interval_unit: 'm' | 'h' | 'd';
  cron: string;
  once_at: string; // datetime-local value
  timezone: string;
  start_at: string; // datetime-local value in the job's zone; '' = no bound
  end_at: string;
  sheet: 'this' | 'other';
  target_sheet_id: string;
  target_tab_name: string;
  /** UI only: a new tab (named here) or one of the spreadsheet's tabs. */
  tab_choice: 'new' | 'existing';
  /** UI only: the tab name is still the one suggested from the channel (it follows the channels until edited). */
  tab_auto: boolean;
  /** UI only: the user chose to write into a tab another job writes too. */
  share_tab: boolean;
  output_mode: OutputMode;
  columns: Column[];
  header_row: HeaderRow;
  video_filter: VideoFilter;
  stats_refresh: StatsRefreshPolicy;
  max_videos: string;
  priority: string;
  max_retries: string;
  retry_backoff_minutes: string;
  misfire_grace_minutes: string;
  catch_up: CatchUpPolicy;
  notify_emails: string;
  notify_on: NotifyEvent[];
  tags: string;
  depends_on: string;
  enabled: boolean;
}

/** A new job's form: the schema's defaults (JOB_DEFAULTS), so the wizard sends what the API would assume. */
export function emptyForm(timezone: string): Form {
  const d = JOB_DEFAULTS;
  return {
    name: '',
    description: d.description,
    channels: '',
    schedule_type: 'daily',
    times: '09:00',
    weekdays: ['MON'],
    month_days: '1',
    interval_n: '6',
    interval_unit: 'h',
    cron: '0 9 * * 1-5',
    once_at: '',
    timezone,
    start_at: '',
    end_at: '',
    sheet: 'this',
    target_sheet_id: d.target_sheet_id,
    target_tab_name: '',
    tab_choice: 'new',
    tab_auto: true,
    share_tab: false,
    output_mode: d.output_mode,
    columns: [...d.columns],
    header_row: d.header_row,
    video_filter: d.video_filter,
    stats_refresh: d.stats_refresh,
    max_videos: String(d.max_videos),
    priority: String(d.priority),
    max_retries: String(d.max_retries),
    retry_backoff_minutes: String(d.retry_backoff_minutes),
    misfire_grace_minutes: String(d.misfire_grace_minutes),
    catch_up: d.catch_up,
    notify_emails: d.notify_emails.join(', '),
    notify_on: [...d.notify_on],
    tags: d.tags.join(', '),
    depends_on: d.depends_on ?? '',
    enabled: d.enabled,
  };
}

export const splitList = (text: string): string[] =>
  text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function scheduleValue(f: Form): string {
  switch (f.schedule_type) {
    case 'daily':
      return f.times.replace(/\s+/g, '');
    case 'weekly':
      return `${f.weekdays.join(',')}@${f.times.replace(/\s+/g, '')}`;
    case 'monthly':
      return `${f.month_days.replace(/\s+/g, '')}@${f.times.replace(/\s+/g, '')}`;
    case 'interval':
      return `${f.interval_n.trim()}${f.interval_unit}`;
    case 'cron':
      return f.cron.trim();
    case 'once':
      return f.once_at.slice(0, 16);
  }
}

const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/** The job config as the server's schema expects it (unset optional numbers left out). */
export function toConfig(f: Form): Record<string, unknown> {
  const config: Record<string, unknown> = {
    name: f.name.trim(),
    description: f.description.trim(),
    channels: splitList(f.channels),
    schedule_type: f.schedule_type,
    schedule_value: scheduleValue(f),
    timezone: f.timezone,
    start_at: f.start_at.trim() || null,
    end_at: f.end_at.trim() || null,
    target_sheet_id: f.sheet === 'other' ? f.target_sheet_id.trim() : '',
    target_tab_name: f.target_tab_name.trim(),
    output_mode: f.output_mode,
    columns: COLUMNS.filter((c) => f.columns.includes(c)),
    header_row: f.header_row,
    video_filter: f.video_filter,
    stats_refresh: f.stats_refresh,
    priority: num(f.priority),
    max_retries: num(f.max_retries),
    retry_backoff_minutes: num(f.retry_backoff_minutes),
    misfire_grace_minutes: num(f.misfire_grace_minutes),
    catch_up: f.catch_up,
    notify_emails: splitList(f.notify_emails),
    notify_on: f.notify_on,
    enabled: f.enabled,
    tags: splitList(f.tags),
    depends_on: f.depends_on || null,
  };
  const max = num(f.max_videos);
  if (max !== undefined) config.max_videos = max;
  for (const k of Object.keys(config)) if (config[k] === undefined) delete config[k];
  return config;
}

const str = (v: unknown): string => (v == null ? '' : String(v));

/** Fills the form from an existing job (edit mode). */
export function fromJob(job: JobDto, fallbackZone: string): Form {
  const c = job.config as unknown as Record<string, unknown>;
  const f = emptyForm(modernZone(str(c.timezone) || fallbackZone));
  const value = str(c.schedule_value);
  const [days = '', times = ''] = value.includes('@') ? value.split('@') : ['', value];
  Object.assign(f, {
    name: str(c.name),
    description: str(c.description),
    channels: ((c.channels as string[] | undefined) ?? []).join('\n'),
    schedule_type: (c.schedule_type as ScheduleType) ?? 'daily',
    target_sheet_id: str(c.target_sheet_id),
    sheet: c.target_sheet_id ? 'other' : 'this',
    target_tab_name: str(c.target_tab_name),
    // An edited job keeps its tab: existing (Wizard corrects it once the tabs are known), shared as before.
    tab_choice: 'existing',
    tab_auto: false,
    share_tab: true,
    output_mode: (c.output_mode as OutputMode) ?? 'upsert',
    columns: (c.columns as Column[] | undefined) ?? [...DEFAULT_COLUMNS],
    header_row: (c.header_row as HeaderRow | undefined) ?? 'keys',
    video_filter: (c.video_filter as VideoFilter) ?? 'all',
    stats_refresh: (c.stats_refresh as StatsRefreshPolicy) ?? JOB_DEFAULTS.stats_refresh,
    max_videos: str(c.max_videos),
    priority: str(c.priority ?? 5),
    max_retries: str(c.max_retries ?? 3),
    retry_backoff_minutes: str(c.retry_backoff_minutes ?? 5),
    misfire_grace_minutes: str(c.misfire_grace_minutes ?? 60),
    catch_up: (c.catch_up as CatchUpPolicy) ?? 'latest',
    notify_emails: ((c.notify_emails as string[] | undefined) ?? []).join(', '),
    notify_on: (c.notify_on as NotifyEvent[] | undefined) ?? [],
    tags: ((c.tags as string[] | undefined) ?? []).join(', '),
    depends_on: Array.isArray(c.depends_on) ? str(c.depends_on[0]) : str(c.depends_on),
    enabled: c.enabled !== false,
    start_at: boundToLocal(c.start_at, f.timezone),
    end_at: boundToLocal(c.end_at, f.timezone),
  } satisfies Partial<Form>);
  switch (f.schedule_type) {
    case 'daily':
      f.times = value;
      break;
    case 'weekly':
      f.weekdays = days.split(',').filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d));
      f.times = times;
      break;
    case 'monthly':
      f.month_days = days;
      f.times = times;
      break;
    case 'interval': {
      const m = /^(\d+)([mhd])$/.exec(value);
      if (m) {
        f.interval_n = m[1] ?? '';
        f.interval_unit = m[2] as 'm' | 'h' | 'd';
      }
      break;
    }
    case 'cron':
      f.cron = value;
      break;
    case 'once':
      f.once_at = value;
      break;
  }
  return f;
}

/**
 * A stored start_at / end_at as a datetime-local value in the job's zone. Local values are kept as
 * they are (seconds only when not :00); a bound stored with an offset is shown as the same instant's
 * wall time in the job's zone.
 */
export function boundToLocal(value: unknown, timeZone: string): string {
  const text = str(value).trim();
  if (!text) return '';
  const local = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(?:\.\d+)?$/.exec(text);
  if (local) return local[1]! + (local[2] && local[2] !== ':00' ? local[2] : '');
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return text;
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant))
    parts[p.type] = p.value;
  const seconds = parts.second && parts.second !== '00' ? `:${parts.second}` : '';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}${seconds}`;
}

/** Which step owns each config field: a server issue sends the user back to that step. */
export const STEP_FIELDS: string[][] = [
  ['name', 'description', 'channels'],
  ['schedule_type', 'schedule_value', 'timezone', 'start_at', 'end_at'],
  ['target_sheet_id', 'target_tab_name', 'output_mode', 'columns', 'header_row', 'video_filter', 'stats_refresh', 'max_videos'],
  [
    'priority',
    'max_retries',
    'retry_backoff_minutes',
    'misfire_grace_minutes',
    'catch_up',
    'notify_emails',
    'notify_on',
    'tags',
    'depends_on',
    'enabled',
  ],
  [],
];

export function stepOfPath(path: string): number {
  const head = path.split(/[.[]/)[0] ?? '';
  const i = STEP_FIELDS.findIndex((fields) => fields.includes(head));
  return i < 0 ? 4 : i;
}

/**
 * Field issues from a server answer ({path,message}[]), keyed by the top-level field, worded with the
 * fields' labels ("Notification emails, item 1: must be an email address").
 */
export function issuesByField(list: { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, message } of list) {
    const head = path.split(/[.[]/)[0] ?? '';
    if (!(head in out)) out[head] = humanIssue(path, message);
  }
  return out;
}

/** The config field a form key edits (the schedule's parts all make schedule_value). */
export function fieldOfFormKey(key: string): string {
  return ['times', 'weekdays', 'month_days', 'interval_n', 'interval_unit', 'cron', 'once_at'].includes(key) ? 'schedule_value' : key;
}

/**
 * The schedule step's issues from a preview: the server's, worded for the controls (weekly with no
 * day is about the Days control), and a schedule that would never run again, saying why.
 */
export function scheduleIssues(form: Form, p: SchedulePreview): Record<string, string> {
  const own = p.errors.filter((e) => STEP_FIELDS[1]?.includes(e.path.split(/[.[]/)[0] ?? ''));
  const out = issuesByField(own.filter((e) => !e.path.startsWith('schedule_value')));
  // The schedule value: the browser's own check first (it names the control), else the server's words reworded.
  const local = checkSchedule(form);
  const server = own.find((e) => e.path.startsWith('schedule_value'));
  if (local) out.schedule_value = local.message;
  else if (server)
    out.schedule_value = rewordServerIssue(
      form,
      server.message.startsWith('schedule_value') ? server.message : `schedule_value: ${server.message}`,
    ).message;
  if (p.ok && p.runs.length === 0 && Object.keys(out).length === 0) {
    const none = 'This schedule has no run after now';
    if (form.schedule_type === 'once')
      out.schedule_value = `Date and time: ${none}: ${form.once_at.replace('T', ' ')} (${form.timezone}) is in the past`;
    else if (form.end_at) out.end_at = `${FIELD_LABELS.end_at}: ${none}: it ends ${form.end_at.replace('T', ' ')} (${form.timezone})`;
    else out.schedule_value = `${FIELD_LABELS.schedule_value}: ${none}`;
  }
  return out;
}

/**
 * Tabs other jobs write, from the server's answer (rpc.tabWriters): lower-cased tab name → the
 * writers' names, "N more" closing a list the answer cut.
 */
export function writersMap(answer: TabWritersDto | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of answer?.items ?? []) {
    out.set(t.tab.trim().toLowerCase(), t.count > t.writers.length ? [...t.writers, `${t.count - t.writers.length} more`] : [...t.writers]);
  }
  return out;
}

/** A channel's name for a tab: its title once checked, else the handle or id as typed. */
function channelName(input: string, titles: Map<string, string>): string {
  const title = titles.get(input);
  if (title) return title;
  const handle = /@[\w.-]+/.exec(input)?.[0];
  return (handle ?? input.replace(/^https?:\/\/(www\.)?youtube\.com\/(channel\/)?/i, '')).replace(/^@/, '');
}

/**
 * A new tab's name from the channels ("Marques Brownlee", "Marques Brownlee +2"), made unique against
 * `taken` (lower-cased names of tabs that exist or that other jobs write) with " 2", " 3" ….
 */
export function suggestTabName(channels: readonly string[], titles: Map<string, string>, taken: ReadonlySet<string>): string {
  if (channels.length === 0) return '';
  const first =
    channelName(channels[0]!, titles)
      .replace(/[\[\]*?:/\\']/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80) || 'Videos';
  const base = channels.length > 1 ? `${first} +${channels.length - 1}` : first;
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} ${n}`;
  return name;
}
