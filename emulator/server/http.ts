/**
 * The dev server: the web app at /exec (and /dev), emulator controls at /__emulator/, Swagger UI assets
 * at /__assets/swagger-ui/, a home page, and extra routes (the workspace page) tried first.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { controlRoutes } from './controls';
import { HttpError, sendJson } from './json';
import { CORS_HEADERS, jsonOnlyRefusal, PREFLIGHT_HEADERS, sameOriginCheck } from './origin';
import { decodeParams, findRoute, makeContext, type Route } from './router';
import { WebRequestError } from '../web-request-error';
import { DevSession } from './session';
import type { DevRuntime, RuntimeFactory } from './types';
import { toHttpAnswer, toWebRequest } from './web-app';

export interface StartServerOptions {
  runtime: DevRuntime;
  /** Needed by POST /__emulator/reset. */
  createRuntime?: RuntimeFactory;
  /** Or an existing session (cli.ts shares it with the clock loop and the state file). */
  session?: DevSession;
  port?: number; // default 8787; 0 = any free port
  host?: string; // default 127.0.0.1
  buildDir?: string;
  /** Tried before the built-in routes (e.g. the workspace page at '/'). */
  routes?: Route[];
  /** --open-api: requests that carry no credentials act with this key (local convenience only). */
  openApiKey?: string | null;
  /** The folder POST /__emulator/dataset may read dataset files from (default: the project folder). */
  projectDir?: string;
  /** Extra facts for GET /__emulator/state. */
  info?: () => Record<string, unknown>;
  /** Triggers overlap: /run and /script-run run on worker threads too (controls.ts). */
  overlap?: boolean;
  log?: (line: string) => void;
}

export interface DevServer {
  readonly url: string;
  readonly port: number;
  readonly session: DevSession;
  readonly server: Server;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

const JSON_TYPE = 'application/json; charset=utf-8';

const STATIC_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.map': 'application/json',
};

function swaggerUiDir(): string | null {
  try {
    return dirname(require.resolve('swagger-ui-dist/package.json'));
  } catch {
    return null;
  }
}

/** The API envelope for errors the server itself answers on web-app paths (the web app's own format). */
export function apiErrorBody(status: number, message: string): Record<string, unknown> {
  const code = API_ERROR_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
  return { ok: false, error: { status, code, message, details: null } };
}

const API_ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  500: 'internal',
};

/** Paths the web app answers (see webAppRoute); exported for tests that judge API answers. */
export const WEB_APP_PATH = /^\/(?:(?:exec|dev)(?:\/(.*))?|(api\/v1(?:\/.*)?)|(openapi\.json|docs))$/;

/**
 * The web app at /exec/… (and /dev/…), and its API also at /api/v1/… directly, as HTTP clients written
 * for a plain server expect (http://localhost:8000/api/v1/jobs), and its public documentation at the
 * root (/openapi.json, /docs), where the README points.
 */
function webAppRoute(openApiKey: string | null, isLocal: (headers: IncomingHttpHeaders) => boolean): Route {
  return {
    method: '*',
    access: 'api',
    path: WEB_APP_PATH,
    handle: async (ctx) => {
      const body = ['GET', 'HEAD'].includes(ctx.req.method ?? 'GET') ? '' : await ctx.body();
      const pathInfo = ctx.params[0] || ctx.params[1] || (ctx.params[2] ? `api/v1/${ctx.params[2]}` : '');
      // --open-api stands in for a credential only for this machine's own clients, never for a page of
      // another site (CORS lets those read answers) nor a request under a foreign Host (DNS rebinding).
      const openKey = openApiKey !== null && isLocal(ctx.req.headers) ? openApiKey : null;
      const request = toWebRequest(ctx.req.method ?? 'GET', ctx.url, pathInfo, ctx.req.headers, body, openKey);
      if (!request) {
        ctx.send(
          405,
          { allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS', 'content-type': JSON_TYPE },
          JSON.stringify(
            apiErrorBody(
              405,
              `${ctx.req.method} is not allowed: Apps Script web apps answer GET and POST only (the local server also maps PUT, PATCH, DELETE and HEAD).`,
            ),
          ),
        );
        return;
      }
      let executed;
      try {
        executed = ctx.session.runtime.webRequest(request);
      } catch (err) {
        // The platform refuses a malformed request before doGet/doPost runs (emulator/runtime.ts).
        if (err instanceof WebRequestError) throw new HttpError(400, err.message);
        throw err;
      }
      const { result, response } = executed;
      ctx.session.executed('web', `${request.method === 'GET' ? 'doGet' : 'doPost'} /${request.pathInfo ?? ''}`, result);
      const answer = toHttpAnswer(result, response);
      ctx.send(answer.status, answer.headers, ctx.req.method === 'HEAD' ? '' : answer.body);
    },
  };
}

function assetsRoute(): Route {
  return {
    method: 'GET',
    access: 'public',
    path: /^\/__assets\/swagger-ui\/([\w.-]+)$/,
    handle: (ctx) => {
      const dir = swaggerUiDir();
      const name = ctx.params[0] ?? '';
      const file = dir ? normalize(join(dir, name)) : null;
      if (!dir || !file || !file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
        return ctx.json(404, { error: `no asset ${name}` });
      }
      ctx.send(
        200,
        { 'content-type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' },
        readFileSync(file),
      );
    },
  };
}

function homeRoute(url: () => string): Route {
  return {
    method: 'GET',
    path: /^\/$/,
    handle: (ctx) => {
      const base = url();
      const now = ctx.session.runtime.clock.now().toISOString();
      const link = (path: string) => `<li><a href="${path}">${base}${path}</a></li>`;
      ctx.send(
        200,
        { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>YouTube2Sheets local runtime</title></head>
<body style="font-family:Arial,sans-serif;margin:2em;max-width:48em">
<h1 style="font-size:20px">YouTube2Sheets — local Apps Script runtime</h1>
<p>Virtual time: <code>${now}</code></p>
<ul>${link('/exec')}${link('/exec/api/v1/jobs/health')}${link('/docs')}${link('/openapi.json')}${link('/__emulator/state')}${link('/__emulator')}</ul>
<p>Controls and the web-app mapping are documented in <code>emulator/README.md</code>.</p>
</body></html>`,
      );
    },
  };
}

export async function startServer(options: StartServerOptions): Promise<DevServer> {
  const session = options.session ?? new DevSession(options.runtime, options.createRuntime);
  const log = options.log ?? (() => undefined);
  const host = options.host ?? DEFAULT_HOST;
  let baseUrl = '';
  let boundPort = 0;
  const origin = sameOriginCheck(host, () => boundPort);
  const routes: Route[] = [
    ...(options.routes ?? []),
    webAppRoute(options.openApiKey ?? null, origin.isLocal),
    ...controlRoutes({ buildDir: options.buildDir, info: options.info, overlap: options.overlap, projectDir: options.projectDir }),
    assetsRoute(),
    homeRoute(() => baseUrl),
  ];
  const isApiPath = (pathname: string) => routes.some((r) => r.access === 'api' && r.path.test(pathname));

  const handle = async (req: IncomingMessage, res: ServerResponse, state: { api: boolean }) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw new HttpError(400, 'Malformed request target');
    }
    const method = req.method ?? 'GET';
    state.api = isApiPath(url.pathname);
    if (state.api) {
      for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      if (method === 'OPTIONS') {
        res.writeHead(204, PREFLIGHT_HEADERS);
        res.end();
        return;
      }
    }
    const found = findRoute(routes, method, url.pathname) ?? (method === 'HEAD' ? findRoute(routes, 'GET', url.pathname) : null);
    if (!found) {
      const anyMethod = routes.some((r) => r.path.test(url.pathname));
      throw new HttpError(anyMethod ? 405 : 404, anyMethod ? `${method} not allowed on ${url.pathname}` : `nothing at ${url.pathname}`);
    }
    if ((found.route.access ?? 'private') === 'private') {
      const refused = origin.refusal(req.headers);
      if (refused) throw new HttpError(403, refused);
      const notJson = jsonOnlyRefusal(method, req.headers);
      if (notJson) throw new HttpError(415, notJson);
    }
    await found.route.handle(makeContext(req, res, url, decodeParams(found.params), session));
  };

  // One guard per request: whatever a request does, it gets an answer and the process goes on.
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const state = { api: false };
    try {
      await handle(req, res, state);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const message = status === 500 ? 'Internal error of the local server (logged in its console)' : (err as Error).message;
      if (status === 500) log(`error on ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      try {
        if (res.headersSent) res.destroy();
        else if (state.api) sendJson(res, status, apiErrorBody(status, message));
        else sendJson(res, status, { error: message });
      } catch {
        res.destroy();
      }
    }
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      log(`unanswered request ${req.method} ${req.url}: ${String(err)}`);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  boundPort = port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: baseUrl,
    port,
    session,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
