/**
 * The job config: one zod schema for the public wire format (flat, snake_case, as the original
 * specification has it). Validation, the TypeScript types and the committed JSON Schema
 * (src-server/api/schemas/job_config_schema.json, scripts/gen-schemas.ts) all come from it.
 */
import { utf8Length } from './text';
import * as z from 'zod/mini';
import {
  CATCH_UP_POLICIES,
  COLUMNS,
  DEFAULT_COLUMNS,
  HEADER_ROWS,
  NOTIFY_EVENTS,
  OUTPUT_MODES,
  SCHEDULE_TYPES,
  STATS_REFRESH_POLICIES,
  DEFAULT_STATS_REFRESH,
  VIDEO_FILTERS,
  type NotifyEvent,
  type ScheduleType,
} from './catalogue';
import { CHANNEL_INPUT_HINT, tryNormalizeChannelInput, type ChannelCheckReason, type ChannelRef } from './channels';
import { parseLocalDateTime, parseScheduleValue, SCHEDULE_EXPECTATIONS } from './schedule-grammar';
import { isValidTimeZone } from './timezone';

export { normalizeChannelInput, tryNormalizeChannelInput, type ChannelRef } from './channels';

/** Limits that keep one job's stored JSON well under Apps Script's 9 KB per property value. */
/** Prefix of the scheduler's own hidden tabs (run history, audit log): no job may write them. */
export const RESERVED_TAB_PREFIX = '_y2s_';

export const JOB_LIMITS = {
  name: 100,
  description: 1000,
  channels: 50,
  channelInput: 200,
  tabName: 100,
  sheetId: 200,
  notifyEmails: 10,
  email: 100,
  tags: 20,
  tag: 30,
  jobId: 64,
  /** UTF-8 bytes of the job's JSON; the rest of the 9 KB value is left for the store's envelope. */
  storedBytes: 8192,
} as const;

/** A validation problem: `path` like 'schedule_value' or 'channels.2'; `message` starts with the path. */
export interface FieldIssue {
  path: string;
  message: string;
  /** A channel a check refused: why, as a code (clients decide by it, not by `message`). */
  reason?: ChannelCheckReason;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export interface JobParseContext {
  /** The script's time zone, used when the job gives none. */
  defaultTimezone: string;
}

// Control characters other than tab and newline: never legitimate in these fields, and JSON would
// store each as a six-byte escape.
const CONTROL_CHARS_RE = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const ANY_CONTROL_RE = /[\u0000-\u001f\u007f]/;
const SHEET_URL_RE = /\/spreadsheets\/(?:u\/\d+\/)?d\/([A-Za-z0-9_-]+)/;
const SHEET_ID_RE = /^[A-Za-z0-9_-]*$/;
const EMAIL_RE = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:]{2,}$/;

/** A bare spreadsheet id, or the id inside a docs.google.com/spreadsheets/d/<id>/… URL. */
export function normalizeSheetId(input: string): string {
  const text = input.trim();
  const m = SHEET_URL_RE.exec(text);
  return m ? m[1]! : text;
}

/** Canonical stored form of a channel input: "@handle", "UC…", or the /user/ URL. */
function canonicalChannel(ref: ChannelRef): string {
  if (ref.kind === 'handle') return `@${ref.handle}`;
  if (ref.kind === 'id') return ref.id;
  return `https://www.youtube.com/user/${ref.username}`;
}

/** An error message for a field, "is required" when the field is absent. */
const need = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);

function doc<T extends z.ZodMiniType>(schema: T, description: string, examples?: unknown[]): T {
  const meta: Record<string, unknown> = examples ? { description, examples } : { description };
  // The registry's parameter type is conditional on T; the metadata is plain JSON either way.
  (z.globalRegistry as unknown as { add(s: z.ZodMiniType, m: Record<string, unknown>): void }).add(schema, meta);
  return schema;
}

const text = (min: number, max: number, what = 'characters') =>
  z
    .string({ error: need('must be a string') })
    .check(
      z.trim(),
      z.minLength(min, min === 1 ? 'must not be empty' : `must have at least ${min} ${what}`),
      z.maxLength(max, `must be at most ${max} ${what}`),
    );

const int = (min: number, max: number) =>
  z
    .int({ error: need('must be a whole number') })
    .check(z.gte(min, `must be between ${min} and ${max}`), z.lte(max, `must be between ${min} and ${max}`));

function uniqueArray<T extends z.ZodMiniType>(item: T, min: number, max: number, noun: string) {
  return z.array(item, { error: need('must be a list') }).check(
    z.minLength(min, `must list at least ${min} ${noun}`),
    z.maxLength(max, `must list at most ${max} ${noun}`),
    z.superRefine((list: unknown[], ctx) => {
      const seen = new Map<string, number>();
      list.forEach((v, i) => {
        const key = typeof v === 'string' ? v.toLowerCase() : JSON.stringify(v);
        const first = seen.get(key);
        if (first !== undefined) ctx.addIssue({ code: 'custom', message: `duplicate of item ${first} (${String(v)})`, path: [i] });
        else seen.set(key, i);
      });
    }),
  );
}

const dateTimeField = (field: string) =>
  z.nullable(
    z.string({ error: need('must be a string or null') }).check(
      z.trim(),
      z.refine(
        (v) => parseLocalDateTime(v) !== null,
        `${field} expects an ISO date-time, local (2026-01-31T09:00) or with an offset (2026-01-31T09:00+01:00)`,
      ),
    ),
  );

/**
 * The schema's fields. Built on first use, not at load: Apps Script evaluates the whole bundle on every
 * execution, and building zod schemas was about half of that cost for executions that validate nothing.
 */
function jobShape() {
  const channelList = z
    .array(
      z.string({ error: need('must be a string') }).check(
        z.trim(),
        z.maxLength(JOB_LIMITS.channelInput, `must be at most ${JOB_LIMITS.channelInput} characters`),
        z.refine((v) => tryNormalizeChannelInput(v) !== null, CHANNEL_INPUT_HINT),
        z.overwrite((v) => {
          const ref = tryNormalizeChannelInput(v);
          return ref ? canonicalChannel(ref) : v;
        }),
      ),
      { error: need('must be a list of channels') },
    )
    .check(
      z.minLength(1, 'must list at least 1 channel'),
      z.maxLength(JOB_LIMITS.channels, `must list at most ${JOB_LIMITS.channels} channels`),
      z.superRefine((list: string[], ctx) => {
        const seen = new Map<string, number>();
        list.forEach((v, i) => {
          const ref = tryNormalizeChannelInput(v);
          if (!ref) return;
          const first = seen.get(ref.key);
          if (first !== undefined) ctx.addIssue({ code: 'custom', message: `same channel as channels.${first} (${v})`, path: [i] });
          else seen.set(ref.key, i);
        });
      }),
    );

  const scheduleDoc = [
    'Depends on schedule_type.',
    ...SCHEDULE_TYPES.map((t) => `${t}: ${SCHEDULE_EXPECTATIONS[t].replace(/^\w+ expects /, '')}.`),
    'Times are local to `timezone`; see docs/schedules.md for the DST rules.',
  ].join(' ');

  return {
    name: doc(
      text(1, JOB_LIMITS.name).check(z.refine((v) => !ANY_CONTROL_RE.test(v), 'must not contain control characters')),
      'Display name of the job.',
      ['Daily Sync'],
    ),
    description: doc(
      z._default(
        text(0, JOB_LIMITS.description).check(z.refine((v) => !CONTROL_CHARS_RE.test(v), 'must not contain control characters')),
        '',
      ),
      'Free text for people.',
    ),
    channels: doc(
      channelList,
      `YouTube channels (1-${JOB_LIMITS.channels}): @handle, youtube.com/@handle URL, /channel/UC… URL or bare UC… id, /user/ URL. Stored in a canonical form: @handle, UC… id or /user/ URL.`,
      [['@mkbhd']],
    ),
    schedule_type: doc(
      z.enum(SCHEDULE_TYPES, { error: need(`must be one of ${SCHEDULE_TYPES.join(', ')}`) }),
      'How schedule_value is read.',
    ),
    schedule_value: doc(text(1, 300), scheduleDoc, [
      '09:00',
      '09:00,17:30',
      'MON,WED,FRI@09:00',
      '1,15@08:00',
      'last@18:00',
      '30m',
      '0 9 * * 1-5',
      '2026-12-24T18:00',
    ]),
    timezone: doc(
      z._default(
        z.string({ error: need('must be a string') }).check(
          z.trim(),
          z.refine((v) => v === '' || isValidTimeZone(v), 'must be an IANA time zone such as America/New_York or UTC'),
        ),
        'UTC',
      ),
      "IANA time zone of the schedule. Defaults to the script's time zone when omitted.",
      ['America/New_York'],
    ),
    start_at: doc(
      z._default(dateTimeField('start_at'), null),
      'No occurrence before this ISO date-time (local to timezone unless an offset is given). Inclusive.',
    ),
    end_at: doc(
      z._default(dateTimeField('end_at'), null),
      'No occurrence after this ISO date-time (local to timezone unless an offset is given). Inclusive.',
    ),
    target_sheet_id: doc(
      z._default(
        z.string({ error: need('must be a string') }).check(
          z.trim(),
          z.overwrite(normalizeSheetId),
          z.maxLength(JOB_LIMITS.sheetId, `must be at most ${JOB_LIMITS.sheetId} characters`),
          // A refinement, not a pattern: the JSON Schema must accept the URL form too.
          z.refine((v) => SHEET_ID_RE.test(v), 'must be a spreadsheet id or a docs.google.com/spreadsheets URL'),
        ),
        '',
      ),
      'Spreadsheet to write to: an id or its docs.google.com URL (stored as the id). Empty: the spreadsheet this script is bound to.',
    ),
    target_tab_name: doc(
      text(1, JOB_LIMITS.tabName).check(
        z.refine((v) => !ANY_CONTROL_RE.test(v), 'must not contain control characters'),
        z.refine(
          (v) => !v.toLowerCase().startsWith(RESERVED_TAB_PREFIX),
          `must not start with ${RESERVED_TAB_PREFIX} (reserved for the scheduler's hidden history and audit tabs)`,
        ),
      ),
      `Tab (sheet) the videos are written to; created when missing. Names starting with ${RESERVED_TAB_PREFIX} are reserved.`,
      ['Videos'],
    ),
    output_mode: doc(
      z._default(z.enum(OUTPUT_MODES, { error: need(`must be one of ${OUTPUT_MODES.join(', ')}`) }), 'upsert'),
      'upsert: update rows by video_id and add new ones; append: add new videos only; overwrite: replace the table.',
    ),
    columns: doc(
      z._default(
        uniqueArray(z.enum(COLUMNS, { error: need(`must be one of ${COLUMNS.join(', ')}`) }), 1, COLUMNS.length, 'columns'),
        () => [...DEFAULT_COLUMNS],
      ),
      'Columns to write, in order. upsert needs video_id; append and overwrite need video_id or url.',
    ),
    header_row: doc(
      z._default(z.enum(HEADER_ROWS, { error: need(`must be one of ${HEADER_ROWS.join(', ')}`) }), 'keys'),
      "What a new tab's header row says: keys (video_id, published_at …) or labels (Video ID, Published …). Either is recognised in an existing tab.",
    ),
    video_filter: doc(
      z._default(z.enum(VIDEO_FILTERS, { error: need(`must be one of ${VIDEO_FILTERS.join(', ')}`) }), 'all'),
      'all videos, long-form only, or Shorts only.',
    ),
    stats_refresh: doc(
      z._default(
        z.enum(STATS_REFRESH_POLICIES, { error: need(`must be one of ${STATS_REFRESH_POLICIES.join(', ')}`) }),
        DEFAULT_STATS_REFRESH,
      ),
      "upsert only: how often the views, likes and comments of the tab's newest 50 rows are refreshed. daily: at most once in 23 hours (1 unit, or free when the run fetches new videos anyway); every_run: on every run; off: never. Counted apart from new-video syncs (refresh_units).",
    ),
    max_videos: doc(z._default(int(1, 20000), 500), 'At most this many videos per channel and run.'),
    priority: doc(z._default(int(1, 10), 5), '1 (lowest) to 10 (highest): higher priority runs first when several jobs are due.'),
    max_retries: doc(z._default(int(0, 10), 3), 'Retries of a run that failed with a transient error.'),
    retry_backoff_minutes: doc(z._default(int(1, 1440), 5), 'First retry delay; doubled on each further attempt (with jitter).'),
    misfire_grace_minutes: doc(z._default(int(0, 10080), 60), 'An occurrence found later than this is missed (see catch_up).'),
    catch_up: doc(
      z._default(z.enum(CATCH_UP_POLICIES, { error: need(`must be one of ${CATCH_UP_POLICIES.join(', ')}`) }), 'latest'),
      'After downtime: latest = one catch-up run; all = every missed occurrence runs; none = record them as missed.',
    ),
    notify_emails: doc(
      z._default(
        uniqueArray(
          z
            .string({ error: need('must be a string') })
            .check(
              z.trim(),
              z.maxLength(JOB_LIMITS.email, `must be at most ${JOB_LIMITS.email} characters`),
              z.regex(EMAIL_RE, 'must be an email address'),
            ),
          0,
          JOB_LIMITS.notifyEmails,
          'addresses',
        ),
        [],
      ),
      'Who gets notification emails.',
    ),
    notify_on: doc(
      z._default(
        uniqueArray(
          z.enum(NOTIFY_EVENTS, { error: need(`must be one of ${NOTIFY_EVENTS.join(', ')}`) }),
          0,
          NOTIFY_EVENTS.length,
          'events',
        ),
        (): NotifyEvent[] => ['failure', 'recovery'],
      ),
      'Events that send an email.',
    ),
    enabled: doc(z._default(z.boolean({ error: need('must be true or false') }), true), 'Disabled jobs never run on schedule.'),
    tags: doc(z._default(uniqueArray(text(1, JOB_LIMITS.tag), 0, JOB_LIMITS.tags, 'tags'), []), 'Free labels for filtering.'),
    depends_on: doc(
      z._default(z.nullable(text(1, JOB_LIMITS.jobId)), null),
      'Id of a job that must have succeeded for the same period before this one runs.',
    ),
  };
}

function crossFieldChecks(
  value: unknown,
  ctx: { addIssue(issue: { code: 'custom'; message: string; path: PropertyKey[]; input?: unknown }): void },
): void {
  if (!value || typeof value !== 'object') return;
  const v = value as Record<string, unknown>;
  const type = v.schedule_type;
  const schedule = v.schedule_value;
  if (
    typeof type === 'string' &&
    (SCHEDULE_TYPES as readonly string[]).includes(type) &&
    typeof schedule === 'string' &&
    schedule.trim() !== ''
  ) {
    const parsed = parseScheduleValue(type as ScheduleType, schedule);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message.replace(/^schedule_value: /, ''), path: ['schedule_value'] });
  }
  const mode = v.output_mode ?? 'upsert';
  if (mode === 'upsert' && Array.isArray(v.columns) && !v.columns.includes('video_id')) {
    ctx.addIssue({ code: 'custom', message: 'upsert needs the video_id column (it is the key)', path: ['columns'] });
  } else if (
    (mode === 'append' || mode === 'overwrite') &&
    Array.isArray(v.columns) &&
    !v.columns.includes('video_id') &&
    !v.columns.includes('url')
  ) {
    // The key column is how a run resumed after a cut or a crash knows which videos are written already.
    ctx.addIssue({
      code: 'custom',
      message: `${mode} needs the video_id or url column (it keeps a resumed run from writing duplicates)`,
      path: ['columns'],
    });
  }
  if (typeof v.start_at === 'string' && typeof v.end_at === 'string') {
    const a = parseLocalDateTime(v.start_at);
    const b = parseLocalDateTime(v.end_at);
    // Compare as written when both are local or both exact; mixed forms are checked by the schedule.
    if (a && b && a.kind === b.kind && (a.kind === 'local' ? a.wallMs : a.ms) > (b.kind === 'local' ? b.wallMs : b.ms)) {
      ctx.addIssue({ code: 'custom', message: 'must not be before start_at', path: ['end_at'] });
    }
  }
}

function buildJobConfigSchema() {
  return z.strictObject(jobShape(), { error: need('expected a JSON object with the job fields') }).check(
    // Runs even when single fields failed, so one answer lists every problem.
    z.superRefine((value, ctx) => crossFieldChecks(value, ctx), { when: () => true }),
    z.superRefine((value, ctx) => {
      const bytes = utf8Length(JSON.stringify(value));
      if (bytes > JOB_LIMITS.storedBytes) {
        ctx.addIssue({
          code: 'custom',
          message: `the job takes ${bytes} bytes stored, more than ${JOB_LIMITS.storedBytes}: shorten description, channels, tags or notify_emails`,
          path: [],
        });
      }
    }),
  );
}

type JobConfigSchemaType = ReturnType<typeof buildJobConfigSchema>;
let jobConfigSchemaMemo: JobConfigSchemaType | null = null;

/** The job config schema (input: the wire format; output: every field present, defaults applied). */
export function jobConfigSchema(): JobConfigSchemaType {
  return (jobConfigSchemaMemo ??= buildJobConfigSchema());
}

/** The wire format's field names, in the schema's order. */
function fieldNames(): string[] {
  return Object.keys(jobConfigSchema().shape);
}

export type JobConfig = z.output<JobConfigSchemaType>;
export type JobConfigInput = z.input<JobConfigSchemaType>;

export { utf8Length } from './text';

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function unknownFieldMessage(key: string): string {
  const near = fieldNames()
    .map((f) => ({ f, d: editDistance(key.toLowerCase(), f) }))
    .sort((x, y) => x.d - y.d)[0];
  const hint = near && near.d <= 3 ? ` (did you mean ${near.f}?)` : '';
  return `${key}: unknown field${hint}`;
}

interface RawIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  input?: unknown;
}

function toFieldIssues(issues: readonly RawIssue[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const push = (path: string, message: string) => {
    const k = `${path}\u0000${message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ path, message });
    }
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) push(key, unknownFieldMessage(key));
      continue;
    }
    const path = issue.path.map(String).join('.');
    push(path, `${path || 'job'}: ${issue.message}`);
  }
  return out;
}

function withDefaultTimezone(input: unknown, ctx: JobParseContext): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const obj = input as Record<string, unknown>;
  if (obj.timezone === undefined || obj.timezone === null || (typeof obj.timezone === 'string' && obj.timezone.trim() === '')) {
    return { ...obj, timezone: ctx.defaultTimezone };
  }
  return input;
}

/** Validates a job config from the wire (API body, import, wizard) and applies defaults. */
export function parseJobConfig(input: unknown, ctx: JobParseContext): ParseResult<JobConfig> {
  const result = jobConfigSchema().safeParse(withDefaultTimezone(input, ctx));
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: toFieldIssues(result.error.issues as unknown as RawIssue[]) };
}

/**
 * Applies a partial update to a stored config: the fields of `patch` replace the existing ones
 * (null clears a nullable field), then the merged config is validated as a whole.
 */
export function parseJobPatch(existing: JobConfig, patch: unknown, ctx: JobParseContext): ParseResult<JobConfig> {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    return { ok: false, issues: [{ path: '', message: 'job: expected a JSON object with the fields to change' }] };
  }
  const names = fieldNames();
  const unknown = Object.keys(patch).filter((k) => !names.includes(k));
  if (unknown.length > 0) return { ok: false, issues: unknown.map((k) => ({ path: k, message: unknownFieldMessage(k) })) };
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return parseJobConfig({ ...existing, ...defined }, ctx);
}
