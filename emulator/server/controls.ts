/**
 * Emulator-only controls under /__emulator/ (JSON in and out). Documented in emulator/README.md.
 * They act on the session's current runtime and report every change so the state file is saved.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { loadDatasetFile, validateDataset, DatasetError } from '../youtube/dataset';
import type { FaultSpec } from '../youtube/fake';
import { HttpError, toJsonSafe } from './json';
import type { Route, RouteContext } from './router';
import type { DevRuntime, ExecutionResultLike } from './types';

export interface ControlOptions {
  /** Where build/*.html lives (GET /__emulator/html/<name>). */
  buildDir?: string;
  /** Extra server facts for GET state (speed, state file, api keys …). */
  info?: () => Record<string, unknown>;
  /**
   * Run `/run` and `/script-run` executions on worker threads (when the runtime can), so they can wait
   * for a lock held by an overlapping trigger execution, as in Apps Script. The dev server sets it
   * when triggers overlap.
   */
  overlap?: boolean;
  /** POST /__emulator/dataset {"path"} reads only files inside this folder (default: the project folder). */
  projectDir?: string;
}

const PROJECT_DIR = resolve(__dirname, '../..');

/**
 * A dataset file named by a control: a .json file inside the project folder (symbolic links resolved),
 * so the control can never be used to read other files of the machine.
 */
export function datasetPathInside(projectDir: string, requested: string): string {
  const root = realpathSync(projectDir);
  const full = resolve(root, requested);
  if (extname(full).toLowerCase() !== '.json') throw new HttpError(400, 'path: expected a .json dataset file');
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw new HttpError(400, `path: no such file in the project folder: ${relative(root, full)}`);
  }
  if (real !== root && !real.startsWith(root + sep)) throw new HttpError(400, 'path: dataset files must be inside the project folder');
  return real;
}

const FN_NAME = /^[A-Za-z_$][\w$]*$/;

export function executionJson(result: ExecutionResultLike): Record<string, unknown> {
  return {
    ok: result.ok,
    value: toJsonSafe(result.value),
    error: result.error ?? null,
    killed: result.killed,
    startedAt: result.startedAt.toISOString(),
    finishedAt: result.finishedAt.toISOString(),
    durationMs: result.finishedAt.getTime() - result.startedAt.getTime(),
    calls: result.calls,
    logs: result.logs,
  };
}

function fnAndArgs(body: Record<string, unknown>): { fn: string; args: unknown[] } {
  const fn = body.fn;
  if (typeof fn !== 'string' || !FN_NAME.test(fn)) throw new HttpError(400, 'fn: expected the name of a global function');
  const args = body.args ?? [];
  if (!Array.isArray(args)) throw new HttpError(400, 'args: expected an array');
  return { fn, args };
}

/** The optional `user` field: one of the runtime's users (undefined = the runtime's acting user). */
export function userOf(runtime: DevRuntime, body: Record<string, unknown>): string | undefined {
  if (body.user === undefined || body.user === null) return undefined;
  if (typeof body.user !== 'string') throw new HttpError(400, 'user: expected an email');
  const users = runtime.users;
  if (!users || !runtime.asUser) throw new HttpError(400, 'user: this runtime has a single user');
  if (!users.includes(body.user)) throw new HttpError(400, `user: ${body.user} is not a user of this spreadsheet (${users.join(', ')})`);
  return body.user;
}

function asUser<T>(runtime: DevRuntime, user: string | undefined, work: () => T): T {
  return user === undefined || !runtime.asUser ? work() : runtime.asUser(user, work);
}

export function sheetsOf(runtime: DevRuntime, withValues: boolean) {
  return runtime.spreadsheets.list().map((ss) => ({
    id: ss.id,
    name: ss.name,
    tabs: ss.sheets.map((sheet) => {
      const tab: Record<string, unknown> = { name: sheet.name, hidden: sheet.hidden };
      if (withValues) tab.values = runtime.spreadsheets.values(ss.id, sheet.name);
      return tab;
    }),
  }));
}

export function stateOf(ctx: RouteContext, options: ControlOptions) {
  const runtime = ctx.session.runtime;
  const now = runtime.clock.now();
  const youtube = runtime.youtube.summary(now);
  return {
    now: now.toISOString(),
    server: options.info?.() ?? {},
    sheets: sheetsOf(runtime, ctx.url.searchParams.get('values') !== '0'),
    properties: runtime.properties,
    users: runtime.users ?? [],
    triggers: runtime.triggers,
    mail: runtime.mail,
    quota: youtube.quota,
    youtube: { calls: youtube.calls, faults: youtube.faults, dataset: youtube.dataset, channels: youtube.channels },
    calls: runtime.calls,
    recent: ctx.session.recent,
  };
}

function parseFaults(body: Record<string, unknown>): FaultSpec[] {
  const list = Array.isArray(body.faults) ? body.faults : [body];
  return list.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null) throw new HttpError(400, `faults[${i}]: expected an object`);
    const { method, kind, times, latencyMs, details } = raw as Record<string, unknown>;
    const spec: FaultSpec = { kind: kind as FaultSpec['kind'] };
    if (method !== undefined) spec.method = method as FaultSpec['method'];
    if (times !== undefined) spec.times = times as number;
    if (latencyMs !== undefined) {
      if (typeof latencyMs !== 'number' || latencyMs < 0) throw new HttpError(400, `faults[${i}].latencyMs: expected a number >= 0`);
      spec.latencyMs = latencyMs;
    }
    if (details !== undefined) {
      if (typeof details !== 'boolean') throw new HttpError(400, `faults[${i}].details: expected true or false`);
      spec.details = details;
    }
    return spec;
  });
}

function datasetFromBody(body: Record<string, unknown>, projectDir: string) {
  if (body.path !== undefined && typeof body.path !== 'string') throw new HttpError(400, 'path: expected a string');
  const file = typeof body.path === 'string' ? datasetPathInside(projectDir, body.path) : null;
  try {
    if (file) return loadDatasetFile(file);
    return validateDataset(body.dataset ?? body);
  } catch (err) {
    if (err instanceof DatasetError) throw new HttpError(400, err.message);
    throw new HttpError(400, (err as Error).message);
  }
}

export function controlRoutes(options: ControlOptions = {}): Route[] {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const routes: Route[] = [
    {
      method: 'GET',
      path: /^\/__emulator\/?$/,
      handle: (ctx) =>
        ctx.json(200, {
          controls: routes.map((r) => `${r.method} ${r.path.source.replace(/\\\//g, '/').replace(/^\^|\$$|\/\?\$?$/g, '')}`),
          docs: 'emulator/README.md#dev-server',
        }),
    },
    {
      method: 'GET',
      path: /^\/__emulator\/state$/,
      handle: (ctx) => ctx.json(200, stateOf(ctx, options)),
    },
    {
      method: 'GET',
      path: /^\/__emulator\/sheets$/,
      handle: (ctx) => ctx.json(200, { spreadsheets: sheetsOf(ctx.session.runtime, false) }),
    },
    {
      method: 'GET',
      path: /^\/__emulator\/sheets\/([^/]+)\/(.+)$/,
      handle: (ctx) => {
        const [id, tab] = ctx.params as [string, string];
        const runtime = ctx.session.runtime;
        const ss = runtime.spreadsheets.list().find((s) => s.id === id);
        const sheet = ss?.sheets.find((s) => s.name === tab);
        if (!ss || !sheet) return ctx.json(404, { error: `no tab "${tab}" in spreadsheet ${id}` });
        const out: Record<string, unknown> = { spreadsheetId: id, tab, hidden: sheet.hidden, values: runtime.spreadsheets.values(id, tab) };
        if (runtime.spreadsheets.formulas) out.formulas = runtime.spreadsheets.formulas(id, tab);
        if (runtime.spreadsheets.numberFormats) out.numberFormats = runtime.spreadsheets.numberFormats(id, tab);
        ctx.json(200, out);
      },
    },
    {
      method: 'POST',
      path: /^\/__emulator\/advance$/,
      handle: async (ctx) => {
        const body = await ctx.jsonBody();
        const runtime = ctx.session.runtime;
        let results: ExecutionResultLike[];
        if (body.to !== undefined) {
          const to = new Date(String(body.to));
          if (Number.isNaN(to.getTime())) throw new HttpError(400, 'to: expected an ISO date-time');
          if (to.getTime() < runtime.clock.now().getTime())
            throw new HttpError(400, `to: ${to.toISOString()} is before now (${runtime.clock.now().toISOString()})`);
          results = runtime.advanceTo(to);
        } else if (typeof body.ms === 'number' && Number.isFinite(body.ms) && body.ms >= 0) {
          results = runtime.advance(body.ms);
        } else {
          throw new HttpError(400, 'expected { "ms": <number >= 0> } or { "to": "<ISO date-time>" }');
        }
        ctx.session.clockMoved();
        ctx.session.executed('trigger', 'advance', results);
        ctx.json(200, { now: runtime.clock.now().toISOString(), executions: results.map(executionJson) });
      },
    },
    {
      method: 'POST',
      path: /^\/__emulator\/reset$/,
      handle: async (ctx) => {
        const body = await ctx.jsonBody();
        if (!ctx.session.canReset) throw new HttpError(501, 'reset needs a runtime factory (start the server with createRuntime)');
        const runtime = ctx.session.reset(
          body.dataset !== undefined ? { dataset: datasetFromBody({ dataset: body.dataset }, projectDir) } : {},
        );
        ctx.json(200, { now: runtime.clock.now().toISOString(), reset: true });
      },
    },
    {
      method: 'POST',
      path: /^\/__emulator\/dataset$/,
      handle: async (ctx) => {
        const body = await ctx.jsonBody();
        const youtube = ctx.session.runtime.youtube;
        if (body.demo === true) youtube.useDemoDataset();
        else youtube.setDataset(datasetFromBody(body, projectDir));
        ctx.session.changed();
        ctx.json(200, { dataset: youtube.summary(ctx.session.runtime.clock.now()).channels });
      },
    },
    {
      method: 'GET',
      path: /^\/__emulator\/faults$/,
      handle: (ctx) => ctx.json(200, { faults: ctx.session.runtime.youtube.listFaults() }),
    },
    {
      method: 'POST',
      path: /^\/__emulator\/faults$/,
      handle: async (ctx) => {
        const body = await ctx.jsonBody();
        const youtube = ctx.session.runtime.youtube;
        if (body.clear === true) youtube.clearFaults();
        else {
          const specs = parseFaults(body);
          try {
            for (const spec of specs) youtube.injectFault(spec);
          } catch (err) {
            throw new HttpError(400, (err as Error).message);
          }
        }
        ctx.session.changed();
        ctx.json(200, { faults: youtube.listFaults() });
      },
    },
    {
      method: 'DELETE',
      path: /^\/__emulator\/faults$/,
      handle: (ctx) => {
        ctx.session.runtime.youtube.clearFaults();
        ctx.session.changed();
        ctx.json(200, { faults: [] });
      },
    },
    {
      method: 'POST',
      path: /^\/__emulator\/quota$/,
      handle: async (ctx) => {
        const body = await ctx.jsonBody();
        const runtime = ctx.session.runtime;
        const now = runtime.clock.now();
        if (body.limit !== undefined) {
          if (typeof body.limit !== 'number' || !(body.limit >= 0)) throw new HttpError(400, 'limit: expected a number >= 0');
          runtime.youtube.quota.limit = body.limit;
        }
        if (body.usedToday !== undefined) {
          if (typeof body.usedToday !== 'number' || !(body.usedToday >= 0)) throw new HttpError(400, 'usedToday: expected a number >= 0');
          runtime.youtube.quota.setUsedToday(body.usedToday, now);
        }
        ctx.session.changed();
        ctx.json(200, runtime.youtube.summary(now).quota);
      },
    },
    {
      method: 'POST',
      path: /^\/__emulator\/run$/,
      handle: async (ctx) => {
        const body = await ctx.jsonBody();
        const { fn, args } = fnAndArgs(body);
        const runtime = ctx.session.runtime;
        const user = userOf(runtime, body);
        const result =
          options.overlap && runtime.runAsync
            ? await runtime.runAsync(fn, args, { user })
            : asUser(runtime, user, () => runtime.run(fn, ...args));
        ctx.session.executed('run', fn, result);
        ctx.json(200, executionJson(result));
      },
    },
    {
      method: 'POST',
      path: /^\/__emulator\/script-run$/,
      handle: async (ctx) => {
        const body = await ctx.jsonBody();
        const { fn, args } = fnAndArgs(body);
        const runtime = ctx.session.runtime;
        const user = userOf(runtime, body);
        const result =
          options.overlap && runtime.scriptRunAsync
            ? await runtime.scriptRunAsync(fn, args, { user })
            : asUser(runtime, user, () => runtime.scriptRun(fn, ...args));
        ctx.session.executed('script-run', fn, result);
        ctx.json(
          200,
          result.ok
            ? { ok: true, value: toJsonSafe(result.value) ?? null }
            : { ok: false, error: result.error ?? { name: 'Error', message: 'Exceeded maximum execution time' } },
        );
      },
    },
    {
      // A user opens the spreadsheet: onOpen runs as a simple trigger (LIMITED auth mode, 30 s).
      method: 'POST',
      path: /^\/__emulator\/open$/,
      handle: async (ctx) => {
        const runtime = ctx.session.runtime;
        const user = userOf(runtime, await ctx.jsonBody());
        const result = runtime.openSpreadsheet ? runtime.openSpreadsheet(user) : asUser(runtime, user, () => runtime.run('onOpen'));
        ctx.session.executed('simple-trigger', 'onOpen', result);
        ctx.json(200, executionJson(result));
      },
    },
    {
      method: 'GET',
      path: /^\/__emulator\/users$/,
      handle: (ctx) => ctx.json(200, { users: ctx.session.runtime.users ?? [] }),
    },
    {
      method: 'GET',
      path: /^\/__emulator\/html\/([\w-]+)$/,
      handle: (ctx) => {
        const file = options.buildDir ? join(options.buildDir, `${ctx.params[0]}.html`) : null;
        if (!file || !existsSync(file)) return ctx.json(404, { error: `no build/${ctx.params[0]}.html` });
        ctx.send(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, readFileSync(file));
      },
    },
  ];
  return routes;
}
