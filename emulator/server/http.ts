/**
 * The dev server: the web app at /exec (and /dev), emulator controls at /__emulator/, Swagger UI assets
 * at /__assets/swagger-ui/, a home page, and extra routes (the workspace page) tried first.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { controlRoutes } from './controls';
import { HttpError, sendJson } from './json';
import { findRoute, makeContext, type Route } from './router';
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

/**
 * The web app at /exec/… (and /dev/…), and its API also at /api/v1/… directly, as HTTP clients written
 * for a plain server expect (http://localhost:8000/api/v1/jobs).
 */
function webAppRoute(openApiKey: string | null): Route {
  return {
    method: '*',
    path: /^\/(?:(?:exec|dev)(?:\/(.*))?|(api\/v1(?:\/.*)?))$/,
    handle: async (ctx) => {
      const body = ['GET', 'HEAD'].includes(ctx.req.method ?? 'GET') ? '' : await ctx.body();
      const pathInfo = ctx.params[0] || ctx.params[1] || '';
      const request = toWebRequest(ctx.req.method ?? 'GET', ctx.url, pathInfo, ctx.req.headers, body, openApiKey);
      if (!request) {
        ctx.send(405, { allow: 'GET, HEAD, POST, PUT, PATCH, DELETE', 'content-type': 'text/plain; charset=utf-8' }, 'Method not allowed: Apps Script web apps answer GET and POST only.');
        return;
      }
      const { result, response } = ctx.session.runtime.webRequest(request);
      ctx.session.executed('web', `${request.method === 'GET' ? 'doGet' : 'doPost'} /${request.pathInfo ?? ''}`, result);
      const answer = toHttpAnswer(result, response);
      ctx.send(answer.status, answer.headers, ctx.req.method === 'HEAD' ? '' : answer.body);
    },
  };
}

function assetsRoute(): Route {
  return {
    method: 'GET',
    path: /^\/__assets\/swagger-ui\/([\w.-]+)$/,
    handle: (ctx) => {
      const dir = swaggerUiDir();
      const name = ctx.params[0] ?? '';
      const file = dir ? normalize(join(dir, name)) : null;
      if (!dir || !file || !file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
        return ctx.json(404, { error: `no asset ${name}` });
      }
      ctx.send(200, { 'content-type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' }, readFileSync(file));
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
<ul>${link('/exec')}${link('/exec/api/v1/jobs/health')}${link('/__emulator/state')}${link('/__emulator')}</ul>
<p>Controls and the web-app mapping are documented in <code>emulator/README.md</code>.</p>
</body></html>`,
      );
    },
  };
}

export async function startServer(options: StartServerOptions): Promise<DevServer> {
  const session = options.session ?? new DevSession(options.runtime, options.createRuntime);
  const log = options.log ?? (() => undefined);
  let baseUrl = '';
  const routes: Route[] = [
    ...(options.routes ?? []),
    webAppRoute(options.openApiKey ?? null),
    ...controlRoutes({ buildDir: options.buildDir, info: options.info, overlap: options.overlap }),
    assetsRoute(),
    homeRoute(() => baseUrl),
  ];

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const found = findRoute(routes, method, url.pathname) ?? (method === 'HEAD' ? findRoute(routes, 'GET', url.pathname) : null);
    try {
      if (!found) {
        const anyMethod = routes.some((r) => r.path.test(url.pathname));
        sendJson(res, anyMethod ? 405 : 404, { error: anyMethod ? `${method} not allowed on ${url.pathname}` : `nothing at ${url.pathname}` });
        return;
      }
      await found.route.handle(makeContext(req, res, url, found.params, session));
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) log(`error on ${method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, status, { error: (err as Error).message });
      else res.end();
    }
  };

  const server = createServer((req, res) => void handler(req, res));
  const host = options.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
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
