/**
 * The route table: method, path under api/v1, the credential it needs, and what it does. The OpenAPI
 * document describes exactly these routes (a test compares both lists).
 */
import type { Actor, HealthDto, ListJobsQuery, SchedulerApp } from '../app/contract';
import { AppError } from '../app/contract';
import type { ExportFormat } from '../domain/catalogue';
import * as z from 'zod/mini';
import { badRequest, issuesToFields, validationFailed } from './errors';
import { issueToken } from './jwt';
import { withServers, type ServerEntry } from './openapi-serve';
import { DOCS_ASSETS_PROPERTY, docsAssetsBase, renderDocsPage, SWAGGER_UI_CDN } from './docs-page';
import type { ParsedRequest } from './request';
import { apiSchemas, type ApiSchemas } from './schemas';
import type { ApiDeps, ApiLimits, ApiResponse, HttpMethod } from './types';

/** 'none': open to anyone; 'read'/'write': a key or token of that scope; 'key': an API key (not a token). */
export type RouteAuth = 'none' | 'read' | 'write' | 'key';

export interface Principal {
  keyId: string;
  scope: 'read' | 'write';
}

export interface RouteContext {
  req: ParsedRequest;
  params: Record<string, string>;
  deps: ApiDeps;
  limits: ApiLimits;
  principal: Principal | null;
}

export type RouteResult = { status?: number; data: unknown; meta?: Record<string, unknown> } | { raw: ApiResponse };

interface RouteBase {
  /** Path under api/v1 with {name} placeholders, as OpenAPI writes it. */
  path: string;
  handle(ctx: RouteContext): RouteResult;
}

/**
 * A route that reads (GET) may be open or need read scope; a route that can change anything (every
 * other method) needs write scope, or an API key for POST /auth/token. The types refuse a mutating
 * route declared 'read' or 'none', and requiredAuth() enforces the same rule at run time.
 */
export type Route =
  (RouteBase & { method: 'GET'; auth: 'none' | 'read' }) | (RouteBase & { method: Exclude<HttpMethod, 'GET'>; auth: 'write' | 'key' });

/** The credential a route needs, derived from its method: nothing but GET is ever open or read-only. */
export function requiredAuth(route: { method: HttpMethod; auth: RouteAuth }): RouteAuth {
  if (route.method === 'GET') return route.auth;
  return route.auth === 'key' ? 'key' : 'write';
}

// ---------------------------------------------------------------- helpers

function parseWith<S extends z.ZodMiniType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw validationFailed(issuesToFields(result.error.issues).map((i) => ({ ...i, path: prefix + i.path })));
  }
  return result.data as z.output<S>;
}

/** The JSON body; 400 when it is missing or malformed. */
function jsonBody(ctx: RouteContext): unknown {
  if (ctx.req.jsonError) throw badRequest(ctx.req.jsonError);
  if (ctx.req.json === undefined) throw badRequest('This route needs a JSON body.');
  return ctx.req.json;
}

/** An optional JSON body (token requests): absent means {}. */
function optionalJsonBody(ctx: RouteContext): unknown {
  if (ctx.req.jsonError) throw badRequest(ctx.req.jsonError);
  return ctx.req.json === undefined ? {} : ctx.req.json;
}

function actor(ctx: RouteContext): Actor {
  // Routes that change anything need a principal (requiredAuth), so every audit row names a key id;
  // a change without one is a programming error, never an anonymous audit row.
  if (!ctx.principal) throw new Error('api: a changing route ran without a credential');
  return { kind: 'api', key_id: ctx.principal.keyId };
}

function app(ctx: RouteContext): SchedulerApp {
  return ctx.deps.app();
}

function id(ctx: RouteContext): string {
  return ctx.params.id as string;
}

function listQuery(raw: z.output<ApiSchemas['listJobsQuery']> | z.output<ApiSchemas['exportQuery']>): ListJobsQuery {
  const query: ListJobsQuery = {};
  if ('page' in raw && raw.page !== undefined) query.page = raw.page;
  if ('page_size' in raw && raw.page_size !== undefined) query.page_size = raw.page_size;
  if (raw.status !== undefined) query.status = raw.status;
  if (raw.enabled !== undefined) query.enabled = raw.enabled === 'true';
  if (raw.tag !== undefined) query.tag = raw.tag;
  if (raw.q !== undefined) query.q = raw.q;
  if (raw.sort !== undefined) query.sort = raw.sort;
  if (raw.order !== undefined) query.order = raw.order;
  return query;
}

function pageMeta(page: { total: number; page: number; page_size: number }): Record<string, unknown> {
  return { total: page.total, page: page.page, page_size: page.page_size, pages: Math.ceil(page.total / Math.max(1, page.page_size)) };
}

function expectedVersion(ctx: RouteContext): number | undefined {
  return parseWith(apiSchemas().versionQuery, ctx.req.query).expected_version;
}

export const LOCAL_API_BASE = '/exec/api/v1';

/**
 * The OpenAPI servers list: the deployed /exec URL, and the local server's same-origin path. The
 * local server (which sets the docs assets property) gets its own entry first, so that "Try it out"
 * in its /docs page calls it.
 */
function servers(ctx: RouteContext, local: boolean): ServerEntry[] {
  const exec = ctx.deps.serviceUrl?.() ?? null;
  const deployed: ServerEntry[] = exec ? [{ url: `${exec.replace(/\/+$/, '')}/api/v1`, description: 'Deployed web app' }] : [];
  const localServer: ServerEntry = { url: LOCAL_API_BASE, description: 'Local server (npm start)' };
  return local ? [localServer, ...deployed] : [...deployed, localServer];
}

const PUBLIC_HEALTH_CACHE_KEY = 'api.health.public';
const PUBLIC_HEALTH_TTL_SECONDS = 30;

/** What anyone may see of health: enough for an uptime probe, no job names or errors. */
function publicHealth(health: HealthDto): Pick<HealthDto, 'status' | 'checked_at'> {
  return { status: health.status, checked_at: health.checked_at };
}

// ---------------------------------------------------------------- the routes

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/jobs',
    auth: 'read',
    handle: (ctx) => {
      const page = app(ctx).listJobs(listQuery(parseWith(apiSchemas().listJobsQuery, ctx.req.query)));
      return { data: page.items, meta: pageMeta(page) };
    },
  },
  {
    method: 'POST',
    path: '/jobs',
    auth: 'write',
    handle: (ctx) => {
      const { job, warnings } = app(ctx).createJob(jsonBody(ctx), actor(ctx));
      return { status: 201, data: job, meta: { warnings } };
    },
  },
  {
    method: 'GET',
    path: '/jobs/stats',
    auth: 'read',
    handle: (ctx) => ({ data: app(ctx).stats() }),
  },
  {
    method: 'GET',
    path: '/jobs/health',
    auth: 'none',
    handle: (ctx) => {
      if (ctx.principal) return { data: app(ctx).health() };
      // Anyone may ask, so the open answer is cached: a flood of probes costs one health check
      // per PUBLIC_HEALTH_TTL_SECONDS, not one per request.
      const cached = ctx.deps.cache.get(PUBLIC_HEALTH_CACHE_KEY);
      if (cached) return { data: JSON.parse(cached) as unknown };
      const data = publicHealth(app(ctx).health());
      ctx.deps.cache.put(PUBLIC_HEALTH_CACHE_KEY, JSON.stringify(data), PUBLIC_HEALTH_TTL_SECONDS);
      return { data };
    },
  },
  {
    method: 'GET',
    path: '/jobs/export',
    auth: 'read',
    handle: (ctx) => {
      const query = parseWith(apiSchemas().exportQuery, ctx.req.query);
      const format: ExportFormat = query.format ?? 'json';
      const file = app(ctx).exportJobs(format, listQuery(query));
      return { raw: { status: 200, contentType: file.content_type, body: file.body } };
    },
  },
  {
    method: 'POST',
    path: '/jobs/import',
    auth: 'write',
    handle: (ctx) => {
      const query = parseWith(apiSchemas().importQuery, ctx.req.query);
      let text: string;
      let format: 'json' | 'yaml';
      if (query.format) {
        // ?format=… : the body is the file itself (JSON or YAML text).
        if (!ctx.req.rawBody) throw badRequest('POST /jobs/import?format=… needs the file as the body.');
        text = ctx.req.rawBody;
        format = query.format;
      } else {
        const body = parseWith(apiSchemas().importBody, jsonBody(ctx));
        text = body.content;
        format = body.format ?? 'json';
      }
      return { data: app(ctx).importJobs(text, format, actor(ctx)) };
    },
  },
  {
    method: 'POST',
    path: '/jobs/bulk',
    auth: 'write',
    handle: (ctx) => {
      const body = parseWith(apiSchemas().bulkBody, jsonBody(ctx));
      return { data: app(ctx).bulk(body.action, body.ids, actor(ctx)) };
    },
  },
  {
    method: 'GET',
    path: '/jobs/{id}',
    auth: 'read',
    handle: (ctx) => ({ data: app(ctx).getJob(id(ctx)) }),
  },
  {
    method: 'PUT',
    path: '/jobs/{id}',
    auth: 'write',
    handle: (ctx) => {
      const version = expectedVersion(ctx);
      const { job, warnings } = app(ctx).updateJob(id(ctx), jsonBody(ctx), actor(ctx), version);
      return { data: job, meta: { warnings } };
    },
  },
  {
    method: 'PATCH',
    path: '/jobs/{id}',
    auth: 'write',
    handle: (ctx) => {
      const version = expectedVersion(ctx);
      const { job, warnings } = app(ctx).patchJob(id(ctx), jsonBody(ctx), actor(ctx), version);
      return { data: job, meta: { warnings } };
    },
  },
  {
    method: 'DELETE',
    path: '/jobs/{id}',
    auth: 'write',
    handle: (ctx) => {
      app(ctx).deleteJob(id(ctx), actor(ctx));
      return { data: { id: id(ctx), deleted: true } };
    },
  },
  {
    method: 'POST',
    path: '/jobs/{id}/execute',
    auth: 'write',
    handle: (ctx) => ({ data: app(ctx).runNow(id(ctx), actor(ctx)) }),
  },
  {
    method: 'POST',
    path: '/jobs/{id}/pause',
    auth: 'write',
    handle: (ctx) => ({ data: app(ctx).pauseJob(id(ctx), actor(ctx)) }),
  },
  {
    method: 'POST',
    path: '/jobs/{id}/resume',
    auth: 'write',
    handle: (ctx) => ({ data: app(ctx).resumeJob(id(ctx), actor(ctx)) }),
  },
  {
    method: 'GET',
    path: '/jobs/{id}/runs',
    auth: 'read',
    handle: (ctx) => {
      const page = app(ctx).jobRuns(id(ctx), parseWith(apiSchemas().runsQuery, ctx.req.query));
      return { data: page.items, meta: pageMeta(page) };
    },
  },
  {
    method: 'GET',
    path: '/audit',
    auth: 'read',
    handle: (ctx) => {
      const page = app(ctx).audit(parseWith(apiSchemas().auditQuery, ctx.req.query));
      return { data: page.items, meta: pageMeta(page) };
    },
  },
  {
    method: 'POST',
    path: '/auth/token',
    auth: 'key',
    handle: (ctx) => {
      const body = parseWith(apiSchemas().tokenBody, optionalJsonBody(ctx));
      const principal = ctx.principal as Principal;
      if (body.scope === 'write' && principal.scope !== 'write') {
        throw validationFailed([{ path: 'scope', message: 'a read key cannot obtain a write token' }]);
      }
      const lifetime = Math.min(body.expires_in ?? ctx.limits.maxTokenSeconds, ctx.limits.maxTokenSeconds);
      const scope = body.scope ?? principal.scope;
      const { token, claims } = issueToken(ctx.deps, principal.keyId, scope, lifetime);
      return {
        data: {
          access_token: token,
          token_type: 'Bearer',
          expires_in: lifetime,
          expires_at: new Date(claims.exp * 1000).toISOString(),
          scope,
          key_id: principal.keyId,
        },
      };
    },
  },
  {
    // POST, write scope: the self-test creates and removes a scratch tab and a trigger and spends one
    // YouTube quota unit, so a link (GET) must never start it.
    method: 'POST',
    path: '/diagnostics',
    auth: 'write',
    handle: (ctx) => {
      if (!ctx.deps.diagnostics) throw new AppError(501, 'not_implemented', 'Diagnostics cannot run here.');
      return { data: ctx.deps.diagnostics() };
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    // The document and the docs page describe routes and schemas, no secret: open, like health.
    auth: 'none',
    // Read on request only: the document costs nothing to the other routes.
    handle: (ctx) => ({
      raw: {
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(withServers(ctx.deps.openApiDocument(), servers(ctx, false))),
      },
    }),
  },
  {
    method: 'GET',
    path: '/docs',
    auth: 'none',
    handle: (ctx) => {
      const assets = docsAssetsBase(ctx.deps.properties.get(DOCS_ASSETS_PROPERTY));
      const local = assets !== SWAGGER_UI_CDN;
      return {
        raw: {
          status: 200,
          contentType: 'text/html',
          body: renderDocsPage(withServers(ctx.deps.openApiDocument(), servers(ctx, local)), assets),
        },
      };
    },
  },
  {
    // A query: it changes nothing but the quota meter (one playlist page per channel no job has read).
    method: 'GET',
    path: '/schedule/suggest',
    auth: 'read',
    handle: (ctx) => {
      const q = parseWith(apiSchemas().suggestQuery, ctx.req.query);
      const channels = q.channels
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      return {
        data: app(ctx).suggestSchedule({
          channels,
          target_delay_minutes: q.target_delay_minutes,
          ...(q.timezone ? { timezone: q.timezone } : {}),
        }),
      };
    },
  },
  {
    method: 'GET',
    path: '/jobs/{id}/insights',
    auth: 'read',
    handle: (ctx) => ({ data: app(ctx).jobInsights(id(ctx)) }),
  },
];

// ---------------------------------------------------------------- matching

export type RouteMatch = { route: Route; params: Record<string, string> };

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith('{')) {
      if (!g) return null;
      let value: string;
      try {
        value = decodeURIComponent(g);
      } catch {
        return null;
      }
      params[w.slice(1, -1)] = value;
    } else if (w !== g) return null;
  }
  return params;
}

function placeholders(pattern: string): number {
  return (pattern.match(/\{/g) ?? []).length;
}

/**
 * The route for a method and path. Literal segments win over placeholders (/jobs/stats is not job
 * "stats"); a path that exists with other methods answers 405 with the allowed ones.
 */
export function matchRoute(method: HttpMethod, path: string): RouteMatch | { allowed: HttpMethod[] } | null {
  const candidates: RouteMatch[] = [];
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params) candidates.push({ route, params });
  }
  if (candidates.length === 0) return null;
  const best = Math.min(...candidates.map((c) => placeholders(c.route.path)));
  const specific = candidates.filter((c) => placeholders(c.route.path) === best);
  const hit = specific.find((c) => c.route.method === method);
  return hit ?? { allowed: specific.map((c) => c.route.method) };
}
