/** In-memory ports and a fake SchedulerApp for the API's unit tests. */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  AppError,
  type Actor,
  type AuditDto,
  type BulkAction,
  type JobDetailDto,
  type JobDto,
  type ListJobsQuery,
  type RunDto,
  type SchedulerApp,
  type Settings,
} from '../../../src-server/app/contract';
import { parseJobConfig, parseJobPatch, type JobConfig } from '../../../src-server/domain/job';
import type { Cache, Clock, Crypto, PropertyStore, ScriptLock } from '../../../src-server/ports';
import { openApiTemplateText } from '../../../src-server/api/openapi';
import { handleRequest } from '../../../src-server/api/router';
import { createApiKeyService } from '../../../src-server/api/keys';
import type { ApiDeps, ApiRequest, ApiResponse } from '../../../src-server/api/types';

/** Signed bytes, as Apps Script's Utilities returns them: the API must not depend on the sign. */
const signed = (buf: Buffer): number[] => [...buf].map((b) => (b > 127 ? b - 256 : b));

export function nodeCrypto(): Crypto {
  return {
    hmacSha256: (key, message) => signed(createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest()),
    sha256: (message) => signed(createHash('sha256').update(message, 'utf8').digest()),
    uuid: () => randomUUID(),
    base64UrlEncode: (data) =>
      (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.map((b) => b & 0xff))).toString('base64url'),
    base64UrlDecodeToString: (encoded) => Buffer.from(encoded, 'base64url').toString('utf8'),
    randomBytes: (count) => [...randomBytes(count)],
  };
}

export class MemoryProperties implements PropertyStore {
  readonly values = new Map<string, string>();
  getAll(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setMany(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.values.set(k, v);
  }
  deleteMany(keys: readonly string[]): void {
    for (const k of keys) this.values.delete(k);
  }
}

/** The platform's message when a write would take the Script Properties store past 500 KB. */
export const STORE_FULL_PLATFORM_MESSAGE = 'You have exceeded the property storage quota. Please remove some properties and try again.';

/**
 * MemoryProperties with Apps Script's store budget: a write that would take the store past 500 KB
 * (UTF-8 bytes of keys and values) throws the platform's own exception and writes nothing.
 */
export class LimitedProperties extends MemoryProperties {
  static readonly LIMIT_BYTES = 500 * 1024;
  writes = 0;
  override setMany(values: Record<string, string>): void {
    const next = new Map(this.values);
    for (const [k, v] of Object.entries(values)) next.set(k, v);
    if (LimitedProperties.sizeOf(next) > LimitedProperties.LIMIT_BYTES) {
      throw Object.assign(new Error(STORE_FULL_PLATFORM_MESSAGE), { name: 'Exception' });
    }
    this.writes++;
    super.setMany(values);
  }
  static sizeOf(values: Map<string, string>): number {
    let total = 0;
    for (const [k, v] of values) total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
    return total;
  }
  /** Adds filler properties so that exactly `roomBytes` are left in the store. */
  fillLeaving(roomBytes: number): void {
    let last: string | null = null;
    for (let n = 0; ; n++) {
      const excess = this.room() - roomBytes;
      if (excess < 0) throw new Error(`fillLeaving: less than ${roomBytes} bytes are left already`);
      if (excess === 0) return;
      const key = `filler:${String(n).padStart(4, '0')}`;
      if (excess <= key.length + 1 && last) {
        this.values.set(last, `${this.values.get(last)}${'x'.repeat(excess)}`);
        return;
      }
      this.values.set(key, 'x'.repeat(Math.min(9000, excess - key.length)));
      last = key;
    }
  }
  room(): number {
    return LimitedProperties.LIMIT_BYTES - LimitedProperties.sizeOf(this.values);
  }
}

/** The script lock as one execution sees it; `contended` makes every tryLock fail (another holder). */
export class MemoryLock implements ScriptLock {
  held = false;
  contended = false;
  acquired = 0;
  tryLock(_timeoutMs: number): boolean {
    if (this.contended || this.held) return false;
    this.held = true;
    this.acquired++;
    return true;
  }
  release(): void {
    this.held = false;
  }
}

export class MemoryCache implements Cache {
  readonly values = new Map<string, string>();
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  getMany(keys: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of keys) if (this.values.has(k)) out[k] = this.values.get(k) as string;
    return out;
  }
  put(key: string, value: string, _ttl: number): void {
    this.values.set(key, value);
  }
  remove(key: string): void {
    this.values.delete(key);
  }
}

export class TestClock implements Clock {
  constructor(public current = new Date('2026-01-05T12:00:10Z')) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

interface StoredJob {
  dto: JobDto;
}

/** Enough of the scheduler's use cases to drive every route; validation is the domain's. */
export class FakeApp implements SchedulerApp {
  readonly jobs = new Map<string, StoredJob>();
  readonly audits: { actor: Actor; action: string; job_id: string | null }[] = [];
  readonly calls: { name: string; args: unknown[] }[] = [];
  settings: Settings = {
    default_timezone: 'America/New_York',
    heartbeat_minutes: 5,
    daily_quota_budget: 9000,
    run_history_rows: 5000,
    audit_rows: 5000,
    notification_email: '',
    rate_limit_per_minute: 60,
  };
  private seq = 0;
  private readonly ctx = { defaultTimezone: 'America/New_York' };
  constructor(private readonly clock: Clock) {}

  private record(name: string, ...args: unknown[]): void {
    this.calls.push({ name, args });
  }
  private logAudit(actor: Actor, action: string, jobId: string | null): void {
    this.audits.push({ actor, action, job_id: jobId });
  }
  private find(id: string): StoredJob {
    const job = this.jobs.get(id);
    if (!job) throw new AppError(404, 'job_not_found', `No job with id ${id}.`);
    return job;
  }
  private validate(result: ReturnType<typeof parseJobConfig>): JobConfig {
    if (!result.ok) throw new AppError(422, 'validation_failed', result.issues.map((i) => i.message).join('; '), result.issues);
    return result.value;
  }
  private detail(job: StoredJob): JobDetailDto {
    return { ...job.dto, next_runs: [], recent_runs: [], schedule_text: 'test', conflicts: [] };
  }
  private checkVersion(job: StoredJob, expected?: number): void {
    if (expected !== undefined && expected !== job.dto.version) throw new AppError(409, 'version_conflict', 'Version conflict.');
  }

  createJob(input: unknown, actor: Actor) {
    this.record('createJob', input, actor);
    const config = this.validate(parseJobConfig(input, this.ctx));
    const now = this.clock.now().toISOString();
    const id = `j_${++this.seq}`;
    const dto: JobDto = {
      id,
      version: 1,
      config,
      status: 'active',
      paused: false,
      created_at: now,
      updated_at: now,
      created_by: actor.kind === 'api' ? `api:${actor.key_id}` : 'x',
      next_run_at: null,
      last_run: null,
      consecutive_failures: 0,
      channel_titles: {},
      schedule_text: `${config.schedule_type} ${config.schedule_value}`,
    };
    this.jobs.set(id, { dto });
    this.logAudit(actor, 'job.create', id);
    return { job: this.detail({ dto }), warnings: [] };
  }
  updateJob(id: string, input: unknown, actor: Actor, expectedVersion?: number) {
    this.record('updateJob', id, input, actor, expectedVersion);
    const job = this.find(id);
    this.checkVersion(job, expectedVersion);
    job.dto = { ...job.dto, config: this.validate(parseJobConfig(input, this.ctx)), version: job.dto.version + 1 };
    this.logAudit(actor, 'job.update', id);
    return { job: this.detail(job), warnings: [] };
  }
  patchJob(id: string, patch: unknown, actor: Actor, expectedVersion?: number) {
    this.record('patchJob', id, patch, actor, expectedVersion);
    const job = this.find(id);
    this.checkVersion(job, expectedVersion);
    job.dto = { ...job.dto, config: this.validate(parseJobPatch(job.dto.config, patch, this.ctx)), version: job.dto.version + 1 };
    this.logAudit(actor, 'job.update', id);
    return { job: this.detail(job), warnings: [] };
  }
  deleteJob(id: string, actor: Actor): void {
    this.find(id);
    this.jobs.delete(id);
    this.logAudit(actor, 'job.delete', id);
  }
  pauseJob(id: string, actor: Actor): JobDto {
    const job = this.find(id);
    job.dto = { ...job.dto, paused: true, status: 'paused' };
    this.logAudit(actor, 'job.pause', id);
    return job.dto;
  }
  resumeJob(id: string, actor: Actor): JobDto {
    const job = this.find(id);
    job.dto = { ...job.dto, paused: false, status: 'active' };
    this.logAudit(actor, 'job.resume', id);
    return job.dto;
  }
  enableJob(): JobDto {
    throw new Error('not used');
  }
  disableJob(): JobDto {
    throw new Error('not used');
  }
  runNow(id: string, actor: Actor): RunDto {
    const job = this.find(id);
    this.logAudit(actor, 'job.run', id);
    return {
      run_id: 'r_1',
      job_id: id,
      job_name: job.dto.config.name,
      scheduled_for: null,
      started_at: this.clock.now().toISOString(),
      finished_at: this.clock.now().toISOString(),
      status: 'succeeded',
      trigger: 'api',
      videos_added: 3,
      videos_updated: 0,
      quota_units: 3,
      duration_ms: 10,
      error: null,
    };
  }
  bulk(action: BulkAction, ids: string[], actor: Actor) {
    this.record('bulk', action, ids, actor);
    return {
      action,
      results: ids.map((id) => {
        try {
          if (action === 'pause') this.pauseJob(id, actor);
          else if (action === 'delete') this.deleteJob(id, actor);
          else this.find(id);
          return { id, ok: true };
        } catch (err) {
          return { id, ok: false, error: (err as AppError).toDto() };
        }
      }),
    };
  }
  listJobs(query: ListJobsQuery) {
    this.record('listJobs', query);
    let items = [...this.jobs.values()].map((j) => j.dto);
    if (query.status) items = items.filter((j) => j.status === query.status);
    if (query.q) items = items.filter((j) => j.config.name.toLowerCase().includes(query.q!.toLowerCase()));
    const page = query.page ?? 1;
    const size = query.page_size ?? 50;
    return { items: items.slice((page - 1) * size, page * size), total: items.length, page, page_size: size };
  }
  getJob(id: string): JobDetailDto {
    return this.detail(this.find(id));
  }
  jobRuns(id: string, query: { page?: number; page_size?: number }) {
    this.record('jobRuns', id, query);
    this.find(id);
    return { items: [], total: 0, page: query.page ?? 1, page_size: query.page_size ?? 50 };
  }
  stats() {
    return {
      generated_at: this.clock.now().toISOString(),
      jobs: { total: this.jobs.size, active: this.jobs.size, paused: 0, disabled: 0, failing: 0 },
      overall: [],
      per_job: [],
    };
  }
  health() {
    return {
      status: 'ok' as const,
      checked_at: this.clock.now().toISOString(),
      triggers: { heartbeat: true, heartbeat_minutes: 5, precise_at: null, total: 1, repaired: [] },
      last_tick: { at: null, lag_ms: null },
      youtube_quota: { used_today: 0, daily_budget: 9000, project_limit: 10000, resets_at: '2026-01-06T08:00:00Z', deferred_until: null },
      trigger_runtime: { used_ms_24h: 0, budget_ms: 5400000 },
      property_store: { used_bytes: 0, limit_bytes: 512000, largest_value_bytes: 0, value_limit_bytes: 9216 },
      failing_jobs: [{ job_id: 'j_9', job_name: 'Secret job name', consecutive_failures: 3, last_error: 'boom' }],
      timezones: [],
      warnings: [],
    };
  }
  audit(query: { page?: number; page_size?: number; job_id?: string; action?: string; since?: string }) {
    this.record('audit', query);
    const items: AuditDto[] = this.audits.map((a) => ({
      at: this.clock.now().toISOString(),
      actor: a.actor.kind === 'api' ? `api:${a.actor.key_id}` : a.actor.kind,
      action: a.action,
      job_id: a.job_id,
      changes: '{}',
    }));
    return { items, total: items.length, page: query.page ?? 1, page_size: query.page_size ?? 50 };
  }
  exportJobs(format: 'json' | 'csv' | 'yaml', query: ListJobsQuery) {
    this.record('exportJobs', format, query);
    const types = { json: 'application/json', csv: 'text/csv', yaml: 'application/yaml' };
    const body = format === 'csv' ? 'name\nDaily Sync\n' : format === 'yaml' ? '- name: Daily Sync\n' : '[{"name":"Daily Sync"}]';
    return { format, content_type: types[format], filename: `jobs.${format}`, body };
  }
  importJobs(text: string, format: 'json' | 'yaml', actor: Actor) {
    this.record('importJobs', text, format, actor);
    this.logAudit(actor, 'import', null);
    return { created: ['j_100'], updated: [], unchanged: [] };
  }
  previewSchedule(): never {
    throw new Error('not used');
  }
  checkChannels(): never {
    throw new Error('not used');
  }
  getSettings(): Settings {
    return this.settings;
  }
  updateSettings(): never {
    throw new Error('not used');
  }
  sidebarView(): never {
    throw new Error('not used');
  }
  monitor(): never {
    throw new Error('not used');
  }
  calendar(): never {
    throw new Error('not used');
  }
  calendarDay(): never {
    throw new Error('not used');
  }
  jobChoices(): never {
    throw new Error('not used');
  }
  calendarStart(): never {
    throw new Error('not used');
  }
  tabWriters(): never {
    throw new Error('not used');
  }
  tick(): never {
    throw new Error('not used');
  }
  ensureTriggers(): never {
    throw new Error('not used');
  }
  schedulerOwner(): never {
    throw new Error('not used');
  }
  takeOverScheduling(): never {
    throw new Error('not used');
  }
  suggestSchedule(request: unknown) {
    this.record('suggestSchedule', request);
    const empty = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    return {
      timezone: 'UTC',
      target_delay_minutes: 120,
      schedule_type: 'weekly' as const,
      schedule_value: 'TUE,THU@18:00',
      schedule_text: 'Every Tuesday and Thursday at 18:00 (UTC)',
      basis: 'pattern' as const,
      runs_per_week: 2,
      units_per_run: 2,
      expected_daily_units: 0.6,
      met_share: 0.95,
      hourly: { runs_per_week: 168, expected_daily_units: 48 },
      explanation: 'fake',
      heatmap: empty,
      channels: [],
      quota_units_spent: 0,
    };
  }
  jobInsights(id: string) {
    this.record('jobInsights', id);
    const job = this.jobs.get(id);
    if (!job) throw new AppError(404, 'job_not_found', `No job with id ${id}`);
    return {
      job_id: id,
      job_name: job.dto.config.name,
      timezone: job.dto.config.timezone,
      freshness: { window_days: 30, samples: 0, median_minutes: null, p90_minutes: null },
      anomalies: [],
      heatmap: [],
      channels: [],
      current: { schedule_text: '', runs_per_week: 7, met_share: null, p90_delay_minutes: null },
      suggestion: null,
      less_often_factor: null,
      hint: null,
    };
  }
}

export const DAILY_SYNC = {
  name: 'Daily Sync',
  channels: ['@mkbhd'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  target_sheet_id: 'your_sheet_id',
  target_tab_name: 'Videos',
};

export interface Envelope {
  ok: boolean;
  data?: unknown;
  meta?: Record<string, unknown>;
  error?: { status: number; code: string; message: string; details: unknown };
}

export interface CallOptions {
  query?: Record<string, string>;
  body?: unknown;
  /** Raw body text (wins over body). */
  text?: string;
  contentType?: string | null;
  key?: string;
  token?: string;
  /** Real method: PUT/PATCH/DELETE become POST with _method. */
}

/** A whole API with fakes: `call('POST', '/jobs', {...})` returns the response and its parsed envelope. */
export function createHarness(options: { properties?: MemoryProperties } = {}) {
  const clock = new TestClock();
  const properties = options.properties ?? new MemoryProperties();
  const lock = new MemoryLock();
  const cache = new MemoryCache();
  const crypto = nodeCrypto();
  const app = new FakeApp(clock);
  const logged: unknown[] = [];
  let appOverride: (() => SchedulerApp) | null = null;
  const diagnostics = { runs: 0 };
  const deps: ApiDeps = {
    app: () => (appOverride ? appOverride() : app),
    properties,
    lock,
    cache,
    crypto,
    clock,
    logger: { info: () => undefined, warn: () => undefined, error: (_m, d) => logged.push(d) },
    serviceUrl: () => 'https://script.google.com/macros/s/ID/exec',
    openApiDocument: openApiTemplateText,
    diagnostics: () => {
      diagnostics.runs++;
      const at = clock.now().toISOString();
      return {
        generated_at: at,
        version: 'test',
        status: 'pass',
        counts: { pass: 0, warn: 0, fail: 0 },
        environment: { user: 'o…@example.com', runtime: 'V8', script_time_zone: 'UTC', spreadsheet_time_zone: 'UTC', elapsed_ms: 0 },
        checks: [],
        text: 'report',
      };
    },
  };
  const keys = createApiKeyService({ properties, crypto, clock });
  const owner: Actor = { kind: 'user', email: 'owner@example.com' };
  const writeKey = keys.create('writer', 'write', owner).secret;
  const readKey = keys.create('reader', 'read', owner).secret;

  function request(method: string, path: string, options: CallOptions = {}): ApiRequest {
    const parameters: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(options.query ?? {})) parameters[k] = [v];
    if (options.key !== undefined) parameters.key = [options.key];
    if (options.token !== undefined) parameters.access_token = [options.token];
    const wire = method === 'GET' ? 'GET' : 'POST';
    if (wire !== method) parameters._method = [method];
    const body = options.text ?? (options.body === undefined ? null : JSON.stringify(options.body));
    return {
      method: wire,
      pathInfo: `api/v1${path}`,
      parameters,
      body,
      contentType: options.contentType === undefined ? (body === null ? null : 'application/json') : options.contentType,
    };
  }

  function call(method: string, path: string, options: CallOptions = {}): { response: ApiResponse; json: Envelope } {
    const response = handleRequest(request(method, path, options), deps);
    let json: Envelope;
    try {
      json = JSON.parse(response.body) as Envelope;
    } catch {
      json = { ok: response.status < 400 };
    }
    return { response, json };
  }

  return {
    clock,
    properties,
    lock,
    cache,
    crypto,
    app,
    deps,
    keys,
    owner,
    writeKey,
    readKey,
    logged,
    request,
    call,
    diagnostics,
    handle: (req: ApiRequest) => handleRequest(req, deps),
    setApp(factory: (() => SchedulerApp) | null) {
      appOverride = factory;
    },
  };
}
