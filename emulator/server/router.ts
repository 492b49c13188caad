/** A tiny router: routes are tried in order; extra routes (e.g. the workspace page) go first. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, parseJsonBody, readBody, sendJson } from './json';
import type { DevSession } from './session';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Capture groups of the route's pattern, URI-decoded. */
  params: string[];
  session: DevSession;
  body(): Promise<string>;
  jsonBody(): Promise<Record<string, unknown>>;
  json(status: number, value: unknown): void;
  send(status: number, headers: Record<string, string>, body: string | Buffer): void;
}

/**
 * Who may call a route (see origin.ts): 'api' — anyone, with CORS; 'public' — anyone (static assets);
 * 'private' (the default) — only requests addressed to this server by its own pages, JSON bodies only.
 */
export type RouteAccess = 'api' | 'public' | 'private';

export interface Route {
  /** HTTP method, or '*' for any. */
  method: string;
  path: RegExp;
  access?: RouteAccess;
  handle(ctx: RouteContext): void | Promise<void>;
}

export function makeContext(req: IncomingMessage, res: ServerResponse, url: URL, params: string[], session: DevSession): RouteContext {
  let body: Promise<string> | null = null;
  const ctx: RouteContext = {
    req,
    res,
    url,
    params,
    session,
    body: () => (body ??= readBody(req)),
    jsonBody: async () => parseJsonBody(await ctx.body()),
    json: (status, value) => sendJson(res, status, value),
    send: (status, headers, payload) => {
      res.writeHead(status, headers);
      res.end(payload);
    },
  };
  return ctx;
}

/** The first route for a method and path, with its captures still percent-encoded (decodeParams decodes them). */
export function findRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== '*' && route.method !== method) continue;
    const match = route.path.exec(pathname);
    if (match) return { route, params: match.slice(1).map((p) => p ?? '') };
  }
  return null;
}

/** Decodes a route's captures; a malformed percent-encoding (%ZZ, %C0%AE, a lone surrogate) is the client's error: 400. */
export function decodeParams(params: readonly string[]): string[] {
  return params.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      throw new HttpError(400, `Malformed percent-encoding in the path: ${JSON.stringify(p.slice(0, 200))}`);
    }
  });
}
