/**
 * The OpenAPI 3.1 document of the web API, generated from the zod schemas the router validates with
 * (the domain's JobConfigSchema and ./schemas). Generated at build time (scripts/build.ts writes it to
 * the project file openapi-document), so neither this module nor zod's JSON Schema generator is part
 * of Code.js; at run time ./openapi-serve.ts only adds the servers list.
 * OPERATIONS is written independently of the route table; a test proves both list the same routes.
 */
import * as z from 'zod/mini';
import { CHANNEL_CHECK_REASONS } from '../domain/channels';
import { jobConfigSchema } from '../domain/job';
import { withServers, type ServerEntry } from './openapi-serve';
import { BULK_ACTIONS, JOB_STATUSES, apiSchemas } from './schemas';

type JsonSchema = Record<string, unknown>;

/** The "Daily Sync" job of the original specification: accepted exactly as written. */
export const DAILY_SYNC_EXAMPLE = {
  name: 'Daily Sync',
  channels: ['@mkbhd'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  target_sheet_id: 'your_sheet_id',
  target_tab_name: 'Videos',
};

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'jobs' | 'runs' | 'audit' | 'auth' | 'meta' | 'insights';
  /** 'none': no credential needed; 'key': an API key only. */
  auth: 'none' | 'read' | 'write' | 'key';
  pathId?: boolean;
  query?: z.ZodMiniObject;
  body?: { schema: JsonSchema; example?: unknown; required: boolean; raw?: boolean };
  success: { status: number; description: string; schema?: JsonSchema; meta?: JsonSchema; content?: Record<string, JsonSchema> };
  errors: number[];
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
const PAGE_META = ref('PageMeta');
const WARNINGS_META: JsonSchema = { type: 'object', properties: { warnings: arrayOf(ref('ConflictWarning')) } };

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/jobs',
    operationId: 'listJobs',
    tag: 'jobs',
    auth: 'read',
    query: apiSchemas().listJobsQuery,
    summary: 'List jobs',
    description:
      'Paginated (page, page_size ≤ 200), filtered by status, enabled, tag and free text q (name, description, channels, tab), sorted by any column.',
    success: {
      status: 200,
      description: 'One page of jobs; meta has total, page, page_size, pages.',
      schema: arrayOf(ref('Job')),
      meta: PAGE_META,
    },
    errors: [401, 422, 429],
  },
  {
    method: 'post',
    path: '/jobs',
    operationId: 'createJob',
    tag: 'jobs',
    auth: 'write',
    summary: 'Create a job',
    body: { schema: ref('JobConfig'), example: DAILY_SYNC_EXAMPLE, required: true },
    success: {
      status: 201,
      description: 'The created job; meta.warnings lists jobs writing the same tab within the same hour.',
      schema: ref('JobDetail'),
      meta: WARNINGS_META,
    },
    errors: [400, 401, 403, 413, 415, 422, 429, 503],
  },
  {
    method: 'get',
    path: '/jobs/stats',
    operationId: 'jobStats',
    tag: 'jobs',
    auth: 'read',
    summary: 'Statistics per job and overall over 24 h, 7 d and 30 d',
    success: { status: 200, description: 'Runs, success rate, mean and p95 duration, videos written, quota units.', schema: ref('Stats') },
    errors: [401, 429],
  },
  {
    method: 'get',
    path: '/jobs/health',
    operationId: 'health',
    tag: 'meta',
    auth: 'none',
    summary: 'System health (no credential needed)',
    description:
      'Without a credential only status and checked_at are returned; with a valid key or token, the full report (triggers, quota, property store, failing jobs, time zones, warnings).',
    success: { status: 200, description: 'Health report.', schema: ref('Health') },
    errors: [401, 429],
  },
  {
    method: 'get',
    path: '/jobs/export',
    operationId: 'exportJobs',
    tag: 'jobs',
    auth: 'read',
    query: apiSchemas().exportQuery,
    summary: 'Export jobs as JSON, CSV or YAML (with the list filters)',
    description:
      'Returns the file itself, not the envelope. The deployed web app can only send JSON, CSV or text content types, so YAML arrives as text/plain there.',
    success: {
      status: 200,
      description: 'The export file.',
      content: {
        'application/json': { type: 'object' },
        'text/csv': { type: 'string' },
        'application/yaml': { type: 'string' },
        'text/plain': { type: 'string' },
      },
    },
    errors: [401, 422, 429],
  },
  {
    method: 'post',
    path: '/jobs/import',
    operationId: 'importJobs',
    tag: 'jobs',
    auth: 'write',
    query: apiSchemas().importQuery,
    summary: 'Import jobs (all or nothing)',
    description:
      'Either a JSON body {"format":"yaml","content":"<file text>"}, or ?format=json|yaml with the file itself as the body (credentials then go in the query). Every job is validated before anything is written.',
    body: { schema: ref('ImportRequest'), example: { format: 'json', content: JSON.stringify([DAILY_SYNC_EXAMPLE]) }, required: true },
    success: {
      status: 200,
      description: 'Ids of created, updated and unchanged jobs (an import that changes nothing in a job leaves its version as it was).',
      schema: ref('ImportResult'),
    },
    errors: [400, 401, 403, 413, 415, 422, 429, 503],
  },
  {
    method: 'post',
    path: '/jobs/bulk',
    operationId: 'bulkJobs',
    tag: 'jobs',
    auth: 'write',
    summary: 'Apply one action to many jobs',
    body: { schema: ref('BulkRequest'), example: { action: 'pause', ids: ['j_1', 'j_2'] }, required: true },
    success: { status: 200, description: 'One result per id.', schema: ref('BulkResult') },
    errors: [400, 401, 403, 415, 422, 429, 503],
  },
  {
    method: 'get',
    path: '/jobs/{id}',
    operationId: 'getJob',
    tag: 'jobs',
    auth: 'read',
    pathId: true,
    summary: 'Get a job with its next runs, recent runs and conflicts',
    success: { status: 200, description: 'The job.', schema: ref('JobDetail') },
    errors: [401, 404, 429],
  },
  {
    method: 'put',
    path: '/jobs/{id}',
    operationId: 'replaceJob',
    tag: 'jobs',
    auth: 'write',
    pathId: true,
    query: apiSchemas().versionQuery,
    summary: "Replace a job's configuration (POST with _method=PUT on the deployed web app)",
    body: { schema: ref('JobConfig'), example: DAILY_SYNC_EXAMPLE, required: true },
    success: { status: 200, description: 'The updated job.', schema: ref('JobDetail'), meta: WARNINGS_META },
    errors: [400, 401, 403, 404, 409, 413, 415, 422, 429, 503],
  },
  {
    method: 'patch',
    path: '/jobs/{id}',
    operationId: 'patchJob',
    tag: 'jobs',
    auth: 'write',
    pathId: true,
    query: apiSchemas().versionQuery,
    summary: 'Change some fields of a job (POST with _method=PATCH on the deployed web app)',
    body: { schema: ref('JobConfigPatch'), example: { schedule_value: '10:30' }, required: true },
    success: { status: 200, description: 'The updated job.', schema: ref('JobDetail'), meta: WARNINGS_META },
    errors: [400, 401, 403, 404, 409, 413, 415, 422, 429, 503],
  },
  {
    method: 'delete',
    path: '/jobs/{id}',
    operationId: 'deleteJob',
    tag: 'jobs',
    auth: 'write',
    pathId: true,
    summary: 'Delete a job (POST with _method=DELETE on the deployed web app)',
    success: {
      status: 200,
      description: 'Deleted.',
      schema: { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean' } } },
    },
    errors: [401, 403, 404, 429, 503],
  },
  {
    method: 'post',
    path: '/jobs/{id}/execute',
    operationId: 'executeJob',
    tag: 'jobs',
    auth: 'write',
    pathId: true,
    summary: 'Run a job now (in this request, within the execution time budget)',
    success: { status: 200, description: 'The run.', schema: ref('Run') },
    errors: [401, 403, 404, 429, 503],
  },
  {
    method: 'post',
    path: '/jobs/{id}/pause',
    operationId: 'pauseJob',
    tag: 'jobs',
    auth: 'write',
    pathId: true,
    summary: 'Pause a job',
    success: { status: 200, description: 'The job.', schema: ref('Job') },
    errors: [401, 403, 404, 429, 503],
  },
  {
    method: 'post',
    path: '/jobs/{id}/resume',
    operationId: 'resumeJob',
    tag: 'jobs',
    auth: 'write',
    pathId: true,
    summary: 'Resume a paused job',
    success: { status: 200, description: 'The job.', schema: ref('Job') },
    errors: [401, 403, 404, 429, 503],
  },
  {
    method: 'get',
    path: '/jobs/{id}/runs',
    operationId: 'jobRuns',
    tag: 'runs',
    auth: 'read',
    pathId: true,
    query: apiSchemas().runsQuery,
    summary: 'Run history of a job, newest first',
    success: { status: 200, description: 'One page of runs.', schema: arrayOf(ref('Run')), meta: PAGE_META },
    errors: [401, 404, 422, 429],
  },
  {
    method: 'get',
    path: '/audit',
    operationId: 'audit',
    tag: 'audit',
    auth: 'read',
    query: apiSchemas().auditQuery,
    summary: 'Audit log, newest first',
    success: { status: 200, description: 'One page of audit rows.', schema: arrayOf(ref('Audit')), meta: PAGE_META },
    errors: [401, 422, 429],
  },
  {
    method: 'post',
    path: '/auth/token',
    operationId: 'issueToken',
    tag: 'auth',
    auth: 'key',
    summary: 'Exchange an API key for an HS256 access token (at most 1 h)',
    body: { schema: ref('TokenRequest'), example: { expires_in: 3600 }, required: false },
    success: { status: 200, description: 'The token.', schema: ref('Token') },
    errors: [400, 401, 415, 422, 429],
  },
  {
    method: 'post',
    path: '/diagnostics',
    operationId: 'diagnostics',
    tag: 'meta',
    auth: 'write',
    summary: 'Run the platform self-test (Diagnostics)',
    description:
      'Checks on the platform every assumption the project relies on (signed bytes, the shape of a YouTube error, Intl time zones against ' +
      'Utilities.formatDate, tab-name case rules, trigger visibility, lock and flush, property and mail quotas, OAuth scopes, time zones, ' +
      'execution time) and answers each check as pass, warn or fail with the value observed; data.text is the report as plain text for a bug ' +
      'report. It creates and removes a scratch tab and a one-off trigger and spends 1 YouTube quota unit. No body is needed.',
    success: { status: 200, description: 'The report.', schema: ref('Diagnostics') },
    errors: [401, 403, 429],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApi',
    tag: 'meta',
    auth: 'none',
    summary: 'This document (public: it holds no secret)',
    success: { status: 200, description: 'OpenAPI 3.1 document.', content: { 'application/json': { type: 'object' } } },
    errors: [401, 429],
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    tag: 'meta',
    auth: 'none',
    summary: 'This document rendered with Swagger UI (public; "Authorize" takes your key to try requests)',
    success: { status: 200, description: 'HTML page.', content: { 'text/html': { type: 'string' } } },
    errors: [401, 429],
  },
  {
    method: 'get',
    path: '/schedule/suggest',
    operationId: 'suggestSchedule',
    tag: 'insights',
    auth: 'read',
    query: apiSchemas().suggestQuery,
    summary: 'Suggest the cheapest schedule for channels and a target delay',
    description:
      "Reads each channel's upload pattern (publish times from the jobs' own runs, else a cached look-up, else one playlistItems.list page: 1 unit; never search.list) " +
      "and returns the cheapest daily, weekly or interval schedule that brings 90 % of each channel's uploads into the sheet within target_delay_minutes, replayed on the real schedule engine, " +
      "with the expected daily quota, a day × hour heatmap per channel in the zone, and one sentence explaining it. channels: comma separated (1–50); timezone: default the settings' zone; target_delay_minutes: 15 to 10080.",
    success: { status: 200, description: 'The suggestion.', schema: ref('ScheduleSuggestion') },
    errors: [401, 422, 429],
  },
  {
    method: 'get',
    path: '/jobs/{id}/insights',
    operationId: 'jobInsights',
    tag: 'insights',
    auth: 'read',
    pathId: true,
    summary: "A job's upload patterns, freshness, anomalies, and what the same freshness would cost",
    description:
      "From what the job's runs recorded (no YouTube call): heatmaps in the job's zone, freshness (median and p90 delay from publish to sheet over 25–30 days), current anomalies, and the cheapest schedule giving 90 % of videos the freshness the current schedule gives them.",
    success: { status: 200, description: 'The insights.', schema: ref('JobInsights') },
    errors: [401, 404, 429],
  },
];

/** "GET /jobs/{id}" for every documented operation (the route-table test compares this list). */
export function documentedRoutes(): string[] {
  return OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`);
}

const ERROR_TEXT: Record<number, [string, string]> = {
  400: ['bad_request', 'Malformed JSON, a bad _method, or both key and access_token.'],
  401: [
    'unauthorized',
    'No credential, a wrong or revoked key, an expired, not yet valid (future nbf), badly signed or alg-none token, or a token where a key is needed.',
  ],
  403: ['forbidden', 'The credential is read-only and the route changes data.'],
  404: ['job_not_found', 'No such job (or no such route: not_found).'],
  409: [
    'version_conflict',
    'expected_version does not match the stored version; job_running: the job is running now; has_dependents: other jobs depend on it; key_conflict: the key id is taken.',
  ],
  413: ['payload_too_large', 'The body is over the size limit, or the change would not fit the property store (store_full).'],
  415: ['unsupported_media_type', 'Send application/json or text/plain bodies.'],
  422: ['validation_failed', 'details lists each field path and its problem; unknown fields are refused.'],
  429: [
    'rate_limited',
    'Too many requests for this credential this minute; details.retry_after gives seconds to wait. auth_rate_limited: too many failed authentications this minute for the group of key ids this credential names; it is refused unchecked until the minute ends. quota_exhausted: the YouTube quota (or the daily budget setting) is used up until the reset.',
  ],
  503: ['busy', 'The script lock (under which every credential is checked) could not be had; retry shortly.'],
};

function jsonSchemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function queryParameters(schema: z.ZodMiniObject): JsonSchema[] {
  const json = jsonSchemaOf(schema, 'output');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({ name, in: 'query', required: required.has(name), schema: property }));
}

function envelope(data: JsonSchema | undefined, meta: JsonSchema | undefined): JsonSchema {
  return {
    type: 'object',
    required: ['ok', 'data'],
    properties: { ok: { const: true }, data: data ?? {}, meta: meta ?? { type: 'object' } },
  };
}

function componentSchemas(): Record<string, JsonSchema> {
  const jobConfig = jsonSchemaOf(jobConfigSchema(), 'input');
  const patch = { ...jobConfig, description: 'Any subset of the job fields; unknown fields are refused.' } as JsonSchema;
  delete patch.required;
  const str = { type: 'string' };
  const strOrNull = { type: ['string', 'null'] };
  const int = { type: 'integer' };
  const numOrNull = { type: ['number', 'null'] };
  const run: JsonSchema = {
    type: 'object',
    properties: {
      run_id: str,
      job_id: str,
      job_name: str,
      scheduled_for: strOrNull,
      started_at: strOrNull,
      finished_at: strOrNull,
      status: { enum: ['succeeded', 'failed', 'partial', 'missed', 'skipped', 'deferred'] },
      trigger: { enum: ['schedule', 'manual', 'api', 'retry', 'catch-up'] },
      videos_added: int,
      videos_updated: int,
      quota_units: int,
      refresh_units: int,
      duration_ms: numOrNull,
      error: strOrNull,
    },
  };
  const window: JsonSchema = {
    type: 'object',
    properties: {
      window: { enum: ['24h', '7d', '30d'] },
      runs: int,
      succeeded: int,
      failed: int,
      partial: int,
      success_rate: numOrNull,
      mean_duration_ms: numOrNull,
      p95_duration_ms: numOrNull,
      videos_written: int,
      quota_units: int,
      refresh_units: int,
    },
  };
  const job: JsonSchema = {
    type: 'object',
    properties: {
      id: str,
      version: int,
      config: ref('JobConfig'),
      status: { enum: [...JOB_STATUSES] },
      paused: { type: 'boolean' },
      created_at: str,
      updated_at: str,
      created_by: str,
      next_run_at: strOrNull,
      last_run: { anyOf: [ref('Run'), { type: 'null' }] },
      consecutive_failures: int,
      channel_titles: { type: 'object', additionalProperties: str },
      schedule_text: str,
    },
  };
  return {
    JobConfig: jobConfig,
    JobConfigPatch: patch,
    BulkRequest: jsonSchemaOf(apiSchemas().bulkBody, 'input'),
    TokenRequest: jsonSchemaOf(apiSchemas().tokenBody, 'input'),
    ImportRequest: jsonSchemaOf(apiSchemas().importBody, 'input'),
    Job: job,
    JobDetail: {
      allOf: [
        ref('Job'),
        {
          type: 'object',
          properties: {
            next_runs: arrayOf(str),
            recent_runs: arrayOf(ref('Run')),
            conflicts: arrayOf(ref('ConflictWarning')),
            freshness: ref('Freshness'),
            anomalies: arrayOf(ref('Anomaly')),
          },
        },
      ],
    },
    ConflictWarning: { type: 'object', properties: { job_id: str, job_name: str, tab: str, at: str, message: str } },
    Run: run,
    PageMeta: { type: 'object', properties: { total: int, page: int, page_size: int, pages: int } },
    WindowStats: window,
    Stats: {
      type: 'object',
      properties: {
        generated_at: str,
        jobs: { type: 'object', additionalProperties: int },
        overall: arrayOf(ref('WindowStats')),
        per_job: arrayOf({
          type: 'object',
          properties: { job_id: str, job_name: str, windows: arrayOf(ref('WindowStats')), freshness: ref('Freshness') },
        }),
      },
    },
    Health: {
      type: 'object',
      required: ['status', 'checked_at'],
      properties: {
        status: { enum: ['ok', 'warning', 'error'] },
        checked_at: str,
        triggers: { type: 'object' },
        last_tick: { type: 'object' },
        youtube_quota: { type: 'object' },
        trigger_runtime: { type: 'object' },
        property_store: { type: 'object' },
        failing_jobs: arrayOf({ type: 'object' }),
        anomalies: arrayOf(ref('Anomaly')),
        timezones: arrayOf({ type: 'object' }),
        warnings: arrayOf(str),
      },
    },
    Freshness: { type: 'object', properties: { window_days: int, samples: int, median_minutes: numOrNull, p90_minutes: numOrNull } },
    Anomaly: {
      type: 'object',
      properties: {
        job_id: str,
        job_name: str,
        kind: { enum: ['channel_silent', 'run_units', 'run_duration', 'freshness'] },
        message: str,
        at: str,
      },
    },
    UploadPattern: {
      type: 'object',
      properties: {
        channel: str,
        uploads: int,
        heatmap: { type: 'array', items: arrayOf(int), description: 'heatmap[day][hour]: day 0 = Sunday, hour 0–23 in the zone.' },
        per_week: { type: 'number' },
        regularity: { type: 'number', minimum: 0, maximum: 1 },
        summary: str,
        last_upload_at: strOrNull,
        source: { enum: ['job', 'cache', 'youtube', 'none'] },
        met_share: numOrNull,
        median_delay_minutes: numOrNull,
        error: str,
      },
    },
    ScheduleSuggestion: {
      type: 'object',
      properties: {
        timezone: str,
        target_delay_minutes: int,
        schedule_type: { enum: ['daily', 'weekly', 'interval'] },
        schedule_value: str,
        schedule_text: str,
        basis: { enum: ['pattern', 'interval'] },
        runs_per_week: { type: 'number' },
        units_per_run: { type: 'number' },
        expected_daily_units: { type: 'number' },
        met_share: numOrNull,
        hourly: { type: 'object', properties: { runs_per_week: { type: 'number' }, expected_daily_units: { type: 'number' } } },
        explanation: str,
        heatmap: { type: 'array', items: arrayOf(int) },
        channels: arrayOf(ref('UploadPattern')),
        quota_units_spent: int,
      },
    },
    JobInsights: {
      type: 'object',
      properties: {
        job_id: str,
        job_name: str,
        timezone: str,
        freshness: ref('Freshness'),
        anomalies: arrayOf(ref('Anomaly')),
        heatmap: { type: 'array', items: arrayOf(int) },
        channels: arrayOf(ref('UploadPattern')),
        current: {
          type: 'object',
          properties: { schedule_text: str, runs_per_week: { type: 'number' }, met_share: numOrNull, p90_delay_minutes: numOrNull },
        },
        suggestion: { anyOf: [ref('ScheduleSuggestion'), { type: 'null' }] },
        less_often_factor: numOrNull,
        hint: strOrNull,
      },
    },
    Audit: { type: 'object', properties: { at: str, actor: str, action: str, job_id: strOrNull, changes: str, id: str } },
    Diagnostics: {
      type: 'object',
      required: ['generated_at', 'version', 'status', 'counts', 'checks', 'text'],
      properties: {
        generated_at: str,
        version: str,
        status: { enum: ['pass', 'warn', 'fail'] },
        counts: { type: 'object', properties: { pass: int, warn: int, fail: int } },
        environment: {
          type: 'object',
          properties: { user: str, runtime: str, script_time_zone: str, spreadsheet_time_zone: str, elapsed_ms: int },
        },
        checks: arrayOf({
          type: 'object',
          properties: { id: str, title: str, status: { enum: ['pass', 'warn', 'fail'] }, observed: str, expected: str, note: str, ms: int },
        }),
        text: { type: 'string', description: 'The whole report as plain text, to paste into a bug report.' },
      },
    },
    BulkResult: {
      type: 'object',
      properties: {
        action: { enum: [...BULK_ACTIONS] },
        results: arrayOf({ type: 'object', properties: { id: str, ok: { type: 'boolean' }, error: ref('ErrorBody') } }),
      },
    },
    ImportResult: { type: 'object', properties: { created: arrayOf(str), updated: arrayOf(str), unchanged: arrayOf(str) } },
    Token: {
      type: 'object',
      properties: {
        access_token: str,
        token_type: { const: 'Bearer' },
        expires_in: int,
        expires_at: str,
        scope: { enum: ['read', 'write'] },
        key_id: str,
      },
    },
    ErrorBody: {
      type: 'object',
      required: ['status', 'code', 'message'],
      properties: {
        status: int,
        code: str,
        message: str,
        details: { description: 'Free-form; for validation_failed an array of FieldIssue, for rate_limited { retry_after }.' },
      },
    },
    FieldIssue: {
      type: 'object',
      required: ['path', 'message'],
      properties: {
        path: { type: 'string', description: "The field, e.g. 'schedule_value' or 'channels.2'." },
        message: { type: 'string', description: 'For people; may be reworded: decide by reason.' },
        reason: {
          enum: [...CHANNEL_CHECK_REASONS],
          description: 'A channel a check refused: why (not_found: YouTube knows no such channel).',
        },
      },
    },
    ErrorEnvelope: {
      type: 'object',
      required: ['ok', 'error'],
      properties: { ok: { const: false }, error: ref('ErrorBody') },
    },
  };
}

const READ_SECURITY = [{ ApiKeyQuery: [] }, { AccessTokenQuery: [] }, { ApiKeyHeader: [] }, { BearerAuth: [] }];

function operationObject(op: Operation): JsonSchema {
  const parameters: JsonSchema[] = [];
  if (op.pathId) parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Job id.' });
  if (op.query) parameters.push(...queryParameters(op.query));

  const responses: Record<string, JsonSchema> = {
    [String(op.success.status)]: {
      description: op.success.description,
      content: op.success.content
        ? Object.fromEntries(Object.entries(op.success.content).map(([type, schema]) => [type, { schema }]))
        : { 'application/json': { schema: envelope(op.success.schema, op.success.meta) } },
    },
  };
  // Every credential is checked under the script lock: any route can answer 503 busy.
  for (const status of [...new Set([...op.errors, 503, 500])].sort((a, b) => a - b)) {
    const [code, text] = ERROR_TEXT[status] ?? ['internal', 'Unexpected error (no details are given).'];
    responses[String(status)] = {
      description: `${code}: ${text}`,
      content: {
        'application/json': {
          schema: ref('ErrorEnvelope'),
          example: { ok: false, error: { status, code, message: text, details: status === 429 ? { retry_after: 42 } : null } },
        },
      },
    };
  }

  const operation: JsonSchema = {
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.tag],
    parameters,
    responses,
  };
  if (op.description) operation.description = op.description;
  if (op.body) {
    const jsonContent = { schema: op.body.schema, ...(op.body.example === undefined ? {} : { example: op.body.example }) };
    operation.requestBody = {
      required: op.body.required,
      content: { 'application/json': jsonContent, 'text/plain': jsonContent },
    };
  }
  if (op.auth === 'none') operation.security = [{}, ...READ_SECURITY];
  else if (op.auth === 'key') operation.security = [{ ApiKeyQuery: [] }, { ApiKeyHeader: [] }];
  else if (op.auth === 'write') operation.description = `${op.description ? `${op.description} ` : ''}Needs a write-scope key or token.`;
  return operation;
}

export type { ServerEntry } from './openapi-serve';

/** The document with its servers list. */
export function buildOpenApiDocument(servers: ServerEntry[]): JsonSchema {
  return withServers(openApiTemplateText(), servers);
}

/** The document's text without servers, as the build ships it (the project file openapi-document). */
export function openApiTemplateText(): string {
  return JSON.stringify(openApiTemplate());
}

function openApiTemplate(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    (paths[op.path] ??= {})[op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'YouTube2Sheets Scheduler API',
      version: '1.0.0',
      description: [
        'JSON API of the YouTube2Sheets Scheduler web app. Every answer is an envelope: {"ok":true,"data":…,"meta":…} or',
        '{"ok":false,"error":{"status","code","message","details"}}; on the deployed web app the HTTP status is always 200',
        '(Apps Script cannot set it), so read error.status. Follow redirects (curl -L).',
        'Apps Script only delivers GET and POST without headers: send PUT, PATCH and DELETE as POST with _method (query or',
        'body field), and credentials as the key or access_token parameter or body field. Browsers should send bodies as',
        'text/plain to avoid a CORS preflight. The local server (npm start) also accepts real methods and the X-API-Key and',
        'Authorization: Bearer headers.',
      ].join(' '),
    },
    security: READ_SECURITY,
    tags: [
      { name: 'jobs', description: 'Scheduled YouTube-to-Sheets jobs' },
      { name: 'runs', description: 'Run history' },
      { name: 'audit', description: 'Who changed what' },
      { name: 'auth', description: 'Access tokens' },
      { name: 'meta', description: 'Health and documentation' },
      { name: 'insights', description: 'Upload patterns, schedule suggestions, freshness and anomalies (docs/insights.md)' },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        ApiKeyQuery: { type: 'apiKey', in: 'query', name: 'key', description: 'API key (y2s_…), created by the spreadsheet owner.' },
        AccessTokenQuery: { type: 'apiKey', in: 'query', name: 'access_token', description: 'HS256 token from POST /auth/token.' },
        ApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Local server only (Apps Script gets no headers).' },
        BearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Local server only (Apps Script gets no headers).',
        },
      },
    },
  };
}
