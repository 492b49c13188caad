/**
 * The runtime: owner of all service state, runner of executions (in-process, or on worker threads
 * for overlap), trigger firing on the virtual clock, web requests, google.script.run calls, snapshots.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CallCounter } from './calls';
import { VirtualClock } from './clock';
import { makeLatencyTable, type LatencyTable } from './latency';
import { compileCode, runInFreshContext, type CompiledCode, type SandboxOutcome, listGlobalFunctions } from './sandbox';
import { type CacheEntry } from './services/cache';
import { MIME_TYPES, TextOutputFake } from './services/content';
import { MESSAGES } from './services/errors';
import { Execution, type ExecutionKind } from './services/execution';
import { Host, SandboxFunction } from './services/host';
import { HtmlOutputFake } from './services/html';
import type { SentMail } from './services/mail';
import { triggerFromInfo, triggerInfo, type TriggerInfo, type TriggerRecord, type TriggerTiming } from './services/script-app';
import { cellToJSON, type SpreadsheetJSON, type SpreadsheetStore } from './services/spreadsheet-store';
import type { MenuInfo, UiEvent, UiLog } from './services/spreadsheet';
import type { UrlFetchRegistry } from './services/url-fetch';
import { World, type Account } from './services/world';
import { WorkerPool, type ServiceCallInfo } from './worker/pool';
import { YouTubeFake, type YouTubeFakeJSON } from './youtube/fake';
import type { YouTubeDataset } from './youtube/dataset';
import { WebRequestError } from './web-request-error';

export const REPO_ROOT = resolve(__dirname, '..');
export const DEFAULT_START = '2026-01-05T12:00:00Z';
const DEFAULT_TIMEOUT_MS = 30_000;

export interface RuntimeOptions {
  /** Where Code.js, *.html and appsscript.json are read from (default <repo>/build). */
  buildDir?: string;
  /** Script source to run instead of build/Code.js (unit tests of the fakes). */
  code?: string;
  /** HTML files for HtmlService when running `code` ({ sidebar: '<p>..</p>' }). */
  files?: Record<string, string>;
  start?: Date | string;
  /** Default: appsscript.json timeZone, else America/New_York. */
  scriptTimeZone?: string;
  /**
   * The bound spreadsheet's own time zone (File > Settings; getSpreadsheetTimeZone()), a setting
   * separate from the script's. Default: the script's zone.
   */
  spreadsheetTimeZone?: string;
  dataset?: YouTubeDataset;
  /** A ready YouTube fake (wins over `dataset`). */
  youtube?: YouTubeFake;
  /** The default user: the script's owner, who deployed the web app. Default owner@example.com. */
  userEmail?: string;
  /** Other users with edit access (they can run the script as themselves). Default ['editor@example.com']. */
  editors?: string[];
  /** When time-driven triggers fire: 'exact' (default) or late by a seeded random delay (script-app.ts TriggerTiming). */
  triggerTiming?: TriggerTiming;
  latency?: Partial<LatencyTable>;
  /** Quotas of a consumer (gmail.com) or Workspace account. Default consumer. */
  account?: Account;
  /** Real-time safety net per execution (runaway loops), ms. Default 30 s. */
  timeoutMs?: number;
  state?: RuntimeSnapshot;
}

export interface ExecutionResult<T = unknown> {
  ok: boolean;
  value?: T;
  error?: { name: string; message: string; details?: unknown };
  killed: boolean;
  startedAt: Date;
  finishedAt: Date;
  calls: Record<string, number>;
  logs: string[];
  /** Virtual ms this execution spent (service latency, sleeps, lock waits). */
  elapsedMs: number;
  kind: ExecutionKind;
  fn: string;
  /** The user it ran as. */
  user: string;
}

export interface WebRequest {
  method: 'GET' | 'POST';
  pathInfo?: string;
  query?: Record<string, string | string[]>;
  body?: string;
  contentType?: string;
}
export interface WebResponse {
  mimeType: string;
  body: string;
  json?: unknown;
  html?: boolean;
}

export interface RunAsyncOptions {
  /** Awaited before each service call of this execution is answered: lets a test interleave executions. */
  beforeCall?: (call: ServiceCallInfo) => Promise<void> | void;
  /** The user it runs as (default: the acting user). */
  user?: string;
  /** Kill the execution as it is about to make this service call (1-based); see Runtime.killAt. */
  killAtCall?: number;
}

export interface RuntimeSnapshot {
  version: 1;
  now: string;
  config: {
    scriptId: string;
    userEmail: string;
    editors?: string[];
    scriptTimeZone: string;
    activeSpreadsheetId: string;
    account: Account;
  };
  properties: { script: Record<string, string>; user: Record<string, string>; document: Record<string, string> };
  /** User properties and trigger runtime of users other than the default one. */
  otherUsers?: Record<string, { properties: Record<string, string>; triggerRuntime: { used: number; windowStart: string | null } }>;
  caches: Record<'script' | 'user' | 'document', Record<string, { value: string; expiresAt: string }>>;
  spreadsheets: SpreadsheetJSON[];
  triggers: TriggerInfo[];
  nextTriggerUid: number;
  mail: { sent: SentMail[]; quota: { used: number; windowStart: string | null } };
  triggerRuntime: { used: number; windowStart: string | null };
  ui: { menus: MenuInfo[]; events: UiEvent[] };
  calls: Record<string, number>;
  youtube: YouTubeFakeJSON;
}

/** A Map seen as a plain read/write record (tests set and read properties directly). */
function recordView(map: Map<string, string>): Record<string, string> {
  return new Proxy({} as Record<string, string>, {
    get: (_t, k) => (typeof k === 'string' ? map.get(k) : undefined),
    set: (_t, k, v) => (typeof k === 'string' ? (map.set(k, String(v)), true) : false),
    deleteProperty: (_t, k) => (typeof k === 'string' ? (map.delete(k), true) : false),
    has: (_t, k) => typeof k === 'string' && map.has(k),
    ownKeys: () => [...map.keys()],
    getOwnPropertyDescriptor: (_t, k) =>
      typeof k === 'string' && map.has(k) ? { value: map.get(k), enumerable: true, configurable: true, writable: true } : undefined,
  });
}

function readTimeZone(buildDir: string): string | undefined {
  for (const path of [join(buildDir, 'appsscript.json'), join(REPO_ROOT, 'appsscript.json')]) {
    if (!existsSync(path)) continue;
    try {
      const tz = (JSON.parse(readFileSync(path, 'utf8')) as { timeZone?: unknown }).timeZone;
      if (typeof tz === 'string') return tz;
    } catch {
      /* fall through to the default */
    }
  }
  return undefined;
}

const compiledByPath = new Map<string, { mtimeKey: string; code: CompiledCode }>();

export class Runtime {
  readonly clock: VirtualClock;
  readonly calls = new CallCounter();
  readonly world: World;
  readonly host: Host;
  readonly code: CompiledCode;
  readonly timeoutMs: number;
  #nextExecId = 1;
  #functions: string[] | null = null;
  #pool: WorkerPool | null = null;
  #running = new Set<Execution>();
  #actingUser: string;
  #armedKill: { atCall: number; fn: string | null } | null = null;

  constructor(options: RuntimeOptions = {}) {
    const buildDir = options.buildDir ?? join(REPO_ROOT, 'build');
    const state = options.state;
    this.clock = new VirtualClock(state?.now ?? options.start ?? DEFAULT_START);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.code !== undefined) this.code = compileCode(options.code, 'Code.js');
    else {
      const path = join(buildDir, 'Code.js');
      if (!existsSync(path)) throw new Error(`emulator: ${path} not found; run \`npm run build\` first`);
      const source = readFileSync(path, 'utf8');
      const cached = compiledByPath.get(path);
      if (cached && cached.mtimeKey === source) this.code = cached.code;
      else {
        this.code = compileCode(source, path);
        compiledByPath.set(path, { mtimeKey: source, code: this.code });
      }
    }
    const scriptTimeZone = state?.config.scriptTimeZone ?? options.scriptTimeZone ?? readTimeZone(buildDir) ?? 'America/New_York';
    const scriptId = state?.config.scriptId ?? '1EmulatorScriptId000000000000000000000000000000000000000';
    const youtube =
      options.youtube ??
      (state ? YouTubeFake.fromJSON(state.youtube) : new YouTubeFake(options.dataset ? { dataset: options.dataset } : {}));
    this.world = new World(
      this.clock,
      makeLatencyTable(options.latency),
      this.calls,
      {
        scriptId,
        userEmail: state?.config.userEmail ?? options.userEmail ?? 'owner@example.com',
        editors: state?.config.editors ?? options.editors ?? ['editor@example.com'],
        scriptTimeZone,
        webAppUrl: `https://script.google.com/macros/s/AKfycbEmulator${scriptId.slice(0, 12)}/exec`,
        activeSpreadsheetId: state?.config.activeSpreadsheetId ?? '',
        account: state?.config.account ?? options.account ?? 'consumer',
        buildDir: options.code !== undefined && !options.buildDir ? null : buildDir,
        files: options.files ?? {},
      },
      youtube,
    );
    this.host = new Host(this.world);
    this.world.triggers.setTiming(options.triggerTiming);
    this.#actingUser = this.world.config.userEmail;
    if (state) this.#restore(state);
    else {
      const timeZone = options.spreadsheetTimeZone ?? scriptTimeZone;
      this.world.config.activeSpreadsheetId = this.world.spreadsheets.create('YouTube2Sheets', { timeZone }).id;
    }
  }

  // ------------------------------------------------------------------ views for tests

  get youtube(): YouTubeFake {
    return this.world.youtube;
  }
  get spreadsheets(): SpreadsheetStore {
    return this.world.spreadsheets;
  }
  /** The bound (active) spreadsheet's id. */
  get spreadsheetId(): string {
    return this.world.config.activeSpreadsheetId;
  }
  get properties(): { script: Record<string, string>; user: Record<string, string>; document: Record<string, string> } {
    const p = this.world.properties;
    return { script: recordView(p.script), user: recordView(p.user), document: recordView(p.document) };
  }
  get triggers(): TriggerInfo[] {
    return this.world.triggers.list.map(triggerInfo);
  }
  get mail(): SentMail[] {
    return this.world.mail.sent;
  }
  get ui(): UiLog {
    return this.world.ui;
  }
  get urlFetch(): UrlFetchRegistry {
    return this.world.urlFetch;
  }
  /** Virtual ms of trigger runtime used in the current rolling day, and the limit. */
  get triggerRuntime(): { usedMs: number; limitMs: number; windowStart: string | null } {
    const q = this.world.triggerRuntime;
    q.remaining(this.clock.nowMs());
    return { usedMs: q.used, limitMs: q.limit, windowStart: q.toJSON().windowStart };
  }

  // ------------------------------------------------------------------ users

  /** Everyone who can run the script: the default user (owner, web-app deployer), then the editors. */
  get users(): string[] {
    return this.world.users;
  }

  /** The user `run`, `scriptRun`, `runAsync` and `openSpreadsheet` run as unless told otherwise. */
  get actingUser(): string {
    return this.#actingUser;
  }
  set actingUser(user: string) {
    this.#actingUser = this.#checkUser(user);
  }

  /** Runs `work` with another acting user, then restores the previous one. */
  asUser<T>(user: string, work: () => T): T {
    const before = this.#actingUser;
    this.actingUser = user;
    try {
      return work();
    } finally {
      this.#actingUser = before;
    }
  }

  #checkUser(user: string): string {
    if (!this.world.users.includes(user))
      throw new Error(`user: ${JSON.stringify(user)} is not a user of this spreadsheet (${this.world.users.join(', ')})`);
    return user;
  }

  // ------------------------------------------------------------------ executions

  #newExecution(kind: ExecutionKind, fn: string, canBlock: boolean, triggerUid: string | null = null, user?: string): Execution {
    const exec = new Execution(this.#nextExecId++, kind, fn, this.clock.nowMs(), canBlock, triggerUid);
    // The web app runs as the user who deployed it (manifest executeAs USER_DEPLOYING): the default user.
    exec.user = kind === 'web' ? this.world.config.userEmail : user !== undefined ? this.#checkUser(user) : this.#actingUser;
    exec.authMode = kind === 'simpleTrigger' ? 'LIMITED' : 'FULL';
    const armed = this.#armedKill;
    if (armed && kind !== 'load' && (armed.fn === null || armed.fn === fn)) {
      exec.killAtCall = armed.atCall;
      this.#armedKill = null;
    }
    return exec;
  }

  /**
   * Fault injection: the next execution that starts (of `fn`, when given: a trigger's handler,
   * doGet/doPost, a google.script.run function) is killed as it is about to make its `atCall`-th
   * service call (1-based), the way the platform kills an execution at its time limit: the call is
   * not made, the execution ends with "Exceeded maximum execution time" (`result.killed`), its locks
   * are released and the spreadsheet writes it made before are kept (as for any execution that ends).
   * One-shot; `killAt(null)` disarms.
   */
  killAt(atCall: number | null, options: { fn?: string } = {}): void {
    if (atCall !== null && (!Number.isInteger(atCall) || atCall < 1)) throw new Error(`killAt: expected a call number >= 1, got ${atCall}`);
    this.#armedKill = atCall === null ? null : { atCall, fn: options.fn ?? null };
  }

  /** Runs `fn` in-process in a fresh context and returns its result (synchronously); `user` defaults to the acting user. */
  execute<T = unknown>(
    kind: ExecutionKind,
    fn: string,
    args: unknown[],
    triggerUid: string | null = null,
    user?: string,
  ): ExecutionResult<T> {
    const exec = this.#newExecution(kind, fn, false, triggerUid, user);
    this.#running.add(exec);
    let outcome: SandboxOutcome;
    try {
      const wireArgs = args.map((a) => this.host.encode(a, exec));
      outcome = runInFreshContext(this.code, this.host.bridge(exec), fn, wireArgs, { timeoutMs: this.timeoutMs });
    } catch (err) {
      outcome = { ok: false, error: { name: 'Error', message: err instanceof Error ? err.message : String(err) }, timedOut: false };
    }
    return this.finish<T>(exec, outcome);
  }

  /** Closes an execution: commits its spreadsheet writes, releases its locks, charges trigger runtime, builds the result. */
  finish<T>(exec: Execution, outcome: SandboxOutcome): ExecutionResult<T> {
    this.#running.delete(exec);
    // The execution's buffered spreadsheet writes land when it ends, killed or failed included
    // (writes made before an error are kept on Google too).
    this.world.sheetWrites.commit(exec.id);
    this.world.locks.releaseAll(exec.id);
    if (exec.kind === 'trigger') this.world.userStores(exec.user).triggerRuntime.charge(this.clock.nowMs(), exec.elapsedMs);
    if (!outcome.ok && outcome.timedOut && !exec.killed) {
      exec.killed = true;
      exec.killMessage = MESSAGES.timeout;
    }
    const result: ExecutionResult<T> = {
      ok: outcome.ok && !exec.killed,
      killed: exec.killed,
      startedAt: new Date(exec.startedAtMs),
      finishedAt: this.clock.now(),
      calls: { ...exec.calls },
      logs: exec.logs,
      elapsedMs: exec.elapsedMs,
      kind: exec.kind,
      fn: exec.fn,
      user: exec.user,
    };
    if (exec.killed) result.error = { name: 'Exception', message: exec.killMessage ?? MESSAGES.timeout };
    else if (!outcome.ok) {
      result.error = { name: outcome.error.name, message: outcome.error.message };
      if (outcome.error.details !== undefined) result.error.details = JSON.parse(JSON.stringify(outcome.error.details)) as unknown;
    } else if (outcome.value !== undefined) result.value = this.host.decode(outcome.value, exec) as T;
    return result;
  }

  /** Runs a top-level function of the script as one execution (like the editor's Run button). */
  run<T = unknown>(fn: string, ...args: unknown[]): ExecutionResult<T> {
    return this.execute<T>('run', fn, args);
  }

  /**
   * A user opens the spreadsheet: `onOpen` runs as a simple trigger, in LIMITED auth mode (services
   * that need authorization throw) and within 30 s. A script without onOpen does nothing.
   */
  openSpreadsheet(user?: string): ExecutionResult {
    return this.simpleTrigger('onOpen', user);
  }

  /** Runs a simple trigger (onOpen, onInstall) with the event object Apps Script passes it. */
  simpleTrigger(fn: 'onOpen' | 'onInstall', user?: string): ExecutionResult {
    const event = { authMode: 'LIMITED', source: { id: this.world.config.activeSpreadsheetId }, user: { email: '' } };
    if (!this.functions().includes(fn)) {
      const now = this.clock.now();
      return {
        ok: true,
        killed: false,
        startedAt: now,
        finishedAt: now,
        calls: {},
        logs: [],
        elapsedMs: 0,
        kind: 'simpleTrigger',
        fn,
        user: user ?? this.#actingUser,
      };
    }
    return this.execute('simpleTrigger', fn, [event], null, user);
  }

  /** Same, on a worker thread: several may overlap; service calls are answered here, by the state owner. */
  runAsync<T = unknown>(
    fn: string,
    args: unknown[] = [],
    opts: RunAsyncOptions & { kind?: ExecutionKind; triggerUid?: string } = {},
  ): Promise<ExecutionResult<T>> {
    this.#pool ??= new WorkerPool(this);
    const exec = this.#newExecution(opts.kind ?? 'run', fn, true, opts.triggerUid ?? null, opts.user);
    if (opts.killAtCall !== undefined) exec.killAtCall = opts.killAtCall;
    this.#running.add(exec);
    return this.#pool.run(exec, args, opts.beforeCall).then((outcome) => this.finish<T>(exec, outcome));
  }

  /** Ends the worker threads (idle workers do not keep the process alive; this frees them at once). */
  async close(): Promise<void> {
    await this.#pool?.close();
    this.#pool = null;
  }

  /** Top-level functions the script declares (what google.script.run can see, private ones included). Loads the code with no service call allowed. */
  functions(): string[] {
    if (!this.#functions) {
      const exec = this.#newExecution('load', '(load)', false);
      this.#functions = listGlobalFunctions(this.code, this.host.bridge(exec), this.timeoutMs);
      if (Object.keys(exec.calls).length > 0)
        throw new Error(`emulator: loading the script made service calls: ${Object.keys(exec.calls).join(', ')}`);
    }
    return this.#functions;
  }

  // ------------------------------------------------------------------ triggers and time

  /** Moves the clock forward by ms, firing time-driven triggers at their due times, in order. */
  advance(ms: number): ExecutionResult[] {
    return this.advanceTo(new Date(this.clock.nowMs() + ms));
  }

  advanceTo(when: Date | string): ExecutionResult[] {
    const target = typeof when === 'string' ? Date.parse(when) : when.getTime();
    const results: ExecutionResult[] = [];
    for (let guard = 0; guard < 1_000_000; guard++) {
      const due = this.world.triggers.nextDue(target);
      if (!due) break;
      if ((due.fireAtMs as number) > this.clock.nowMs()) this.clock.set(due.fireAtMs as number);
      results.push(this.#fire(due));
    }
    if (target > this.clock.nowMs()) this.clock.set(target);
    return results;
  }

  /**
   * Like advanceTo, but trigger executions overlap as they do in Apps Script: each runs on a worker
   * thread, started when the virtual clock reaches its fire time, even while earlier ones still run
   * (their service calls move the clock). Resolves when the clock reached `when` and every started
   * execution has finished. Results in finishing order.
   */
  async advanceToAsync(when: Date | string): Promise<ExecutionResult[]> {
    const target = typeof when === 'string' ? Date.parse(when) : when.getTime();
    const results: ExecutionResult[] = [];
    const inflight = new Set<Promise<void>>();
    const startDue = (): void => {
      for (
        let due = this.world.triggers.nextDue(Math.min(target, this.clock.nowMs()));
        due;
        due = this.world.triggers.nextDue(Math.min(target, this.clock.nowMs()))
      ) {
        const started: Promise<void> = this.#fireAsync(due).then((r) => {
          results.push(r);
          inflight.delete(started);
        });
        inflight.add(started);
      }
    };
    // Executions move the clock with their service calls: triggers falling due meanwhile start at once.
    const off = this.clock.onChange(() => startDue());
    try {
      for (let guard = 0; guard < 1_000_000; guard++) {
        startDue();
        if (inflight.size > 0) {
          await Promise.race(inflight);
          continue;
        }
        const next = this.world.triggers.nextDue(target);
        if (!next) break;
        this.clock.set(Math.max(next.fireAtMs as number, this.clock.nowMs()));
      }
    } finally {
      off();
    }
    if (target > this.clock.nowMs()) this.clock.set(target);
    return results;
  }

  /** Fires every trigger due now (each once), in due order. */
  fireDueTriggers(): ExecutionResult[] {
    return this.advanceTo(this.clock.now());
  }

  /** Time-driven event object as Apps Script builds it (fields in UTC). */
  #timeEvent(t: TriggerRecord, firedAt: number): Record<string, unknown> {
    const d = new Date(firedAt);
    return {
      authMode: 'FULL',
      triggerUid: t.uid,
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      'day-of-month': d.getUTCDate(),
      'day-of-week': d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
      'week-of-year': isoWeek(d),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      timezone: 'UTC',
    };
  }

  /** The owner's daily trigger runtime is spent: the execution fails at once (null when it may run). */
  #outOfRuntime(t: TriggerRecord, firedAt: number): ExecutionResult | null {
    if (this.world.userStores(t.owner).triggerRuntime.remaining(firedAt) > 0) return null;
    const exec = this.#newExecution('trigger', t.handler, false, t.uid, t.owner);
    return this.finish(exec, { ok: false, error: { name: 'Exception', message: MESSAGES.triggerRuntime }, timedOut: false });
  }

  /** A trigger runs as the user who created it (Installable triggers guide: "always run under the account of the person who created them"). */
  #fire(t: TriggerRecord): ExecutionResult {
    const firedAt = this.clock.nowMs();
    this.world.triggers.reschedule(t, firedAt);
    const refused = this.#outOfRuntime(t, firedAt);
    if (refused) return refused;
    const result = this.execute('trigger', t.handler, [this.#timeEvent(t, firedAt)], t.uid, t.owner);
    // Fired one after another: periods the execution overran are skipped.
    this.world.triggers.skipOverrun(t, this.clock.nowMs());
    return result;
  }

  #fireAsync(t: TriggerRecord): Promise<ExecutionResult> {
    const firedAt = this.clock.nowMs();
    this.world.triggers.reschedule(t, firedAt);
    const refused = this.#outOfRuntime(t, firedAt);
    if (refused) return Promise.resolve(refused);
    return this.runAsync(t.handler, [this.#timeEvent(t, firedAt)], { kind: 'trigger', triggerUid: t.uid, user: t.owner });
  }

  // ------------------------------------------------------------------ web app and google.script.run

  /** Builds the doGet/doPost event object exactly as Apps Script does (no headers) and runs it. */
  webRequest(req: WebRequest): { result: ExecutionResult; response: WebResponse | null } {
    const event = buildWebEvent(req);
    const result = this.execute('web', req.method === 'POST' ? 'doPost' : 'doGet', [event]);
    return { result, response: result.ok ? toWebResponse(result.value) : null };
  }

  /** webRequest on a worker thread: several requests overlap, as simultaneous HTTP clients do. */
  async webRequestAsync(req: WebRequest, opts: RunAsyncOptions = {}): Promise<{ result: ExecutionResult; response: WebResponse | null }> {
    const event = buildWebEvent(req);
    const result = await this.runAsync(req.method === 'POST' ? 'doPost' : 'doGet', [event], { ...opts, kind: 'web' });
    return { result, response: result.ok ? toWebResponse(result.value) : null };
  }

  /**
   * Calls a server function as google.script.run does: arguments must be plain values (Date and
   * functions are refused before anything runs), names ending in `_` are private, and the result is
   * passed back as the client receives it (JSON-like; a result containing a Date or function arrives as null).
   */
  scriptRun<T = unknown>(fn: string, ...args: unknown[]): ExecutionResult<T> {
    const prepared = this.#scriptRunArgs<T>(fn, args);
    if (!Array.isArray(prepared)) return prepared;
    const result = this.execute<T>('scriptRun', fn, prepared);
    if (result.ok) result.value = clientResult(result.value) as T;
    return result;
  }

  /** scriptRun on a worker thread: it can wait for a lock that an overlapping trigger execution holds. */
  async scriptRunAsync<T = unknown>(fn: string, args: unknown[], opts: { user?: string } = {}): Promise<ExecutionResult<T>> {
    const prepared = this.#scriptRunArgs<T>(fn, args, opts.user);
    if (!Array.isArray(prepared)) return prepared;
    const result = await this.runAsync<T>(fn, prepared, { kind: 'scriptRun', user: opts.user });
    if (result.ok) result.value = clientResult(result.value) as T;
    return result;
  }

  /** google.script.run's checks before anything runs: the copied arguments, or the refusal. */
  #scriptRunArgs<T>(fn: string, args: unknown[], user?: string): unknown[] | ExecutionResult<T> {
    const refuse = (message: string, name = 'TypeError'): ExecutionResult<T> => {
      const now = this.clock.now();
      return {
        ok: false,
        error: { name, message },
        killed: false,
        startedAt: now,
        finishedAt: now,
        calls: {},
        logs: [],
        elapsedMs: 0,
        kind: 'scriptRun',
        fn,
        user: user ?? this.#actingUser,
      };
    };
    if (fn.endsWith('_') || !this.functions().includes(fn)) return refuse(`google.script.run.${fn} is not a function`);
    try {
      return args.map((a, i) => clientArg(a, String(i), new Set()));
    } catch (err) {
      return refuse((err as Error).message, 'Error');
    }
  }

  // ------------------------------------------------------------------ snapshot

  snapshot(): RuntimeSnapshot {
    const w = this.world;
    const caches = {} as RuntimeSnapshot['caches'];
    for (const name of ['script', 'user', 'document'] as const) {
      const out: Record<string, { value: string; expiresAt: string }> = {};
      for (const [k, e] of w.caches[name].entries)
        if (e.expiresAtMs > this.clock.nowMs()) out[k] = { value: e.value, expiresAt: new Date(e.expiresAtMs).toISOString() };
      caches[name] = out;
    }
    const snap: RuntimeSnapshot = {
      version: 1,
      now: this.clock.now().toISOString(),
      config: {
        scriptId: w.config.scriptId,
        userEmail: w.config.userEmail,
        editors: w.config.editors,
        scriptTimeZone: w.config.scriptTimeZone,
        activeSpreadsheetId: w.config.activeSpreadsheetId,
        account: w.config.account,
      },
      properties: {
        script: Object.fromEntries(w.properties.script),
        user: Object.fromEntries(w.properties.user),
        document: Object.fromEntries(w.properties.document),
      },
      otherUsers: Object.fromEntries(
        [...w.otherUsers].map(([email, u]) => [
          email,
          { properties: Object.fromEntries(u.properties), triggerRuntime: u.triggerRuntime.toJSON() },
        ]),
      ),
      caches,
      spreadsheets: w.spreadsheets.list().map((ss) => ({
        ...ss,
        sheets: ss.sheets.map((s) => ({ ...s, rows: s.rows.map((row) => (row ?? []).map((c) => (c ? cellToJSON(c) : null))) })),
      })),
      triggers: this.triggers,
      nextTriggerUid: w.triggers.nextUid,
      mail: { sent: [...w.mail.sent], quota: w.mail.quota.toJSON() },
      triggerRuntime: w.triggerRuntime.toJSON(),
      ui: { menus: w.ui.menus, events: w.ui.events },
      calls: this.calls.toJSON(),
      youtube: w.youtube.toJSON(),
    };
    return JSON.parse(JSON.stringify(snap)) as RuntimeSnapshot;
  }

  #restore(s: RuntimeSnapshot): void {
    const w = this.world;
    w.config.activeSpreadsheetId = s.config.activeSpreadsheetId;
    for (const name of ['script', 'user', 'document'] as const) {
      for (const [k, v] of Object.entries(s.properties[name])) w.properties[name].set(k, v);
      for (const [k, e] of Object.entries(s.caches[name]))
        w.caches[name].entries.set(k, { value: e.value, expiresAtMs: Date.parse(e.expiresAt) } satisfies CacheEntry);
    }
    w.spreadsheets.restore(s.spreadsheets);
    w.triggers.list.push(...s.triggers.map((t) => triggerFromInfo(t, w.config.userEmail)));
    for (const [email, u] of Object.entries(s.otherUsers ?? {})) {
      const stores = w.userStores(email);
      for (const [k, v] of Object.entries(u.properties)) stores.properties.set(k, v);
      stores.triggerRuntime.restore(u.triggerRuntime);
    }
    w.triggers.nextUid = s.nextTriggerUid;
    w.mail.sent.push(...s.mail.sent);
    w.mail.quota.restore(s.mail.quota);
    w.triggerRuntime.restore(s.triggerRuntime);
    w.ui.menus = s.ui.menus;
    w.ui.events = s.ui.events;
    for (const [k, n] of Object.entries(s.calls)) this.calls.add(k, n);
  }
}

export function createRuntime(options?: RuntimeOptions): Runtime {
  return new Runtime(options);
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}

// ------------------------------------------------------------------ web event

export interface WebEvent {
  queryString: string;
  parameter: Record<string, string>;
  parameters: Record<string, string[]>;
  contextPath: string;
  contentLength: number;
  pathInfo?: string;
  postData?: { contents: string; length: number; type: string; name: 'postData' };
}

/** Sets an own, enumerable property, even one named like an Object.prototype member (`__proto__`). */
function setOwn<T>(into: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
}

function addParams(into: Record<string, string[]>, pairs: [string, string][]): void {
  // Parameter names are data: `constructor`, `toString` or `__proto__` are ordinary names here.
  for (const [k, v] of pairs) {
    if (Object.prototype.hasOwnProperty.call(into, k)) into[k]!.push(v);
    else setOwn(into, k, [v]);
  }
}

function formPairs(text: string): [string, string][] {
  if (!text) return [];
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      // The stricter reading: a body that is not valid form encoding never reaches doPost.
      throw new WebRequestError(`Malformed percent-encoding in the form body: ${JSON.stringify(s.slice(0, 100))}`);
    }
  };
  return text
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [dec(part), ''] : [dec(part.slice(0, eq)), dec(part.slice(eq + 1))];
    });
}

/** The doGet/doPost event: parameter (first values), parameters (all), queryString, pathInfo, contentLength, postData. */
export function buildWebEvent(req: WebRequest): WebEvent {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(req.query ?? {})) for (const one of Array.isArray(v) ? v : [v]) pairs.push([k, String(one)]);
  const queryString = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const parameters: Record<string, string[]> = {};
  addParams(parameters, pairs);
  const event: WebEvent = { queryString, parameter: {}, parameters, contextPath: '', contentLength: -1 };
  if (req.pathInfo) event.pathInfo = req.pathInfo.replace(/^\/+/, '');
  if (req.method === 'POST') {
    const body = req.body ?? '';
    const type = req.contentType ?? 'text/plain';
    const length = Buffer.byteLength(body, 'utf8');
    event.contentLength = length;
    event.postData = { contents: body, length, type, name: 'postData' };
    // Form bodies are also parsed into the parameters, after the query's.
    if (type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded') addParams(parameters, formPairs(body));
  }
  for (const [k, values] of Object.entries(parameters)) setOwn(event.parameter, k, values[0] ?? '');
  return event;
}

function toWebResponse(value: unknown): WebResponse | null {
  if (value instanceof TextOutputFake) {
    const kind = String(value.getMimeType());
    const body = value.getContent();
    const response: WebResponse = { mimeType: MIME_TYPES[kind] ?? 'text/plain', body };
    if (kind === 'JSON') {
      try {
        response.json = JSON.parse(body) as unknown;
      } catch {
        /* invalid JSON stays as text */
      }
    }
    return response;
  }
  if (value instanceof HtmlOutputFake) return { mimeType: 'text/html', body: value.getContent(), html: true };
  return null;
}

// ------------------------------------------------------------------ google.script.run serialisation

function clientArg(v: unknown, path: string, seen: Set<object>): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
    throw new Error(`Failed due to illegal value in property: ${path}`);
  }
  if (typeof v !== 'object') return v;
  if (seen.has(v)) throw new Error(`Failed due to illegal value in property: ${path}`);
  seen.add(v);
  const out = Array.isArray(v)
    ? v.map((x, i) => clientArg(x, String(i), seen))
    : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clientArg(x, k, seen)]));
  seen.delete(v);
  return out;
}

function containsIllegal(v: unknown): boolean {
  if (v instanceof Date || v instanceof SandboxFunction || typeof v === 'function') return true;
  if (v && typeof v === 'object') return Object.values(v).some(containsIllegal);
  return false;
}

function clientResult(v: unknown): unknown {
  if (v === undefined) return null;
  if (containsIllegal(v) || (v && typeof v === 'object' && (v instanceof TextOutputFake || v instanceof HtmlOutputFake))) return null;
  return JSON.parse(JSON.stringify(v)) as unknown;
}
