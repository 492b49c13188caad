/**
 * Maps real HTTP onto what an Apps Script web app receives, and its answer back onto HTTP.
 * Apps Script delivers only GET and POST and no headers, so:
 *   PUT / PATCH / DELETE   -> POST with `_method=<METHOD>` in the query
 *   HEAD                   -> GET (body dropped from the answer)
 *   X-API-Key: K           -> `key=K` parameter        (unless the query already has `key`)
 *   Authorization: Bearer T-> `access_token=T` parameter (unless the query already has one)
 *   no credential at all   -> `key=<local key>` with --open-api (npm start only)
 * The web app cannot set a status code; its JSON envelope carries one: `{"ok":false,"error":{"status":404,…}}`
 * becomes HTTP 404, anything else that ran is 200.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ExecutionResultLike, WebRequestLike, WebResponseLike } from './types';

export const OVERRIDDEN_METHODS = ['PUT', 'PATCH', 'DELETE'] as const;

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** null when the method is not one a web app can answer. */
export function toWebRequest(
  method: string,
  url: URL,
  pathInfo: string,
  headers: IncomingHttpHeaders,
  body: string,
  openApiKey: string | null = null,
): WebRequestLike | null {
  const upper = method.toUpperCase();
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    // Names are data: `constructor` or `__proto__` must not reach Object.prototype's members.
    const existing = Object.prototype.hasOwnProperty.call(query, k) ? query[k] : undefined;
    const value = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
    Object.defineProperty(query, k, { value, enumerable: true, writable: true, configurable: true });
  }
  const apiKey = header(headers, 'x-api-key');
  if (apiKey && query.key === undefined) query.key = apiKey;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
  if (bearer && query.access_token === undefined) query.access_token = bearer[1]!;
  // --open-api: a request with no credential anywhere (query, header, or a JSON body's key/access_token
  // fields, which the web app reads itself) acts with the local key.
  if (openApiKey && query.key === undefined && query.access_token === undefined && !/"(?:key|access_token)"\s*:/.test(body))
    query.key = openApiKey;

  let webMethod: 'GET' | 'POST';
  if (upper === 'GET' || upper === 'HEAD') webMethod = 'GET';
  else if (upper === 'POST') webMethod = 'POST';
  else if ((OVERRIDDEN_METHODS as readonly string[]).includes(upper)) {
    webMethod = 'POST';
    if (query._method === undefined) query._method = upper;
  } else return null;

  const request: WebRequestLike = { method: webMethod, query };
  if (pathInfo) request.pathInfo = pathInfo;
  if (webMethod === 'POST') {
    request.body = body;
    request.contentType = header(headers, 'content-type') ?? 'application/octet-stream';
  }
  return request;
}

const MIME_TYPES: Record<string, string> = {
  JSON: 'application/json',
  TEXT: 'text/plain',
  CSV: 'text/csv',
  JAVASCRIPT: 'application/javascript',
  XML: 'application/xml',
  RSS: 'application/rss+xml',
  ATOM: 'application/atom+xml',
  ICAL: 'text/calendar',
  VCARD: 'text/vcard',
};

/** ContentService reports enum names (JSON) or full types (application/json); HTTP wants the latter. */
export function contentTypeOf(response: WebResponseLike): string {
  if (response.html) return 'text/html; charset=utf-8';
  const mime = MIME_TYPES[response.mimeType.toUpperCase()] ?? (response.mimeType.includes('/') ? response.mimeType : 'text/plain');
  return `${mime}; charset=utf-8`;
}

/** The envelope's error.status when the answer is `{ ok: false, error: { status } }`; else 200. */
export function statusOf(response: WebResponseLike): number {
  let json = response.json;
  if (json === undefined && /json/i.test(response.mimeType)) {
    try {
      json = JSON.parse(response.body);
    } catch {
      return 200;
    }
  }
  if (typeof json !== 'object' || json === null) return 200;
  const envelope = json as { ok?: unknown; error?: { status?: unknown } };
  const status = envelope.error?.status;
  if (envelope.ok === false && typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) return status;
  return 200;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorPage(title: string, message: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,sans-serif;margin:2em"><h1 style="font-size:18px">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/**
 * The HTTP answer for a web-app execution. An uncaught error or a killed execution gives 500 with an
 * HTML page naming the error (Apps Script shows a similar page, with status 200); a doGet/doPost that
 * returns nothing gives 500 with Apps Script's message.
 */
export function toHttpAnswer(result: ExecutionResultLike, response: WebResponseLike | null): HttpAnswer {
  const emulatorHeaders = {
    'x-emulator-execution-ms': String(result.finishedAt.getTime() - result.startedAt.getTime()),
    'cache-control': 'no-store',
  };
  if (!result.ok) {
    const message = result.killed
      ? 'Exceeded maximum execution time'
      : `${result.error?.name ?? 'Error'}: ${result.error?.message ?? 'unknown error'}`;
    return { status: 500, headers: { ...emulatorHeaders, 'content-type': 'text/html; charset=utf-8' }, body: errorPage('Error', message) };
  }
  if (!response) {
    return {
      status: 500,
      headers: { ...emulatorHeaders, 'content-type': 'text/html; charset=utf-8' },
      body: errorPage('Error', 'The script completed but did not return anything.'),
    };
  }
  return { status: statusOf(response), headers: { ...emulatorHeaders, 'content-type': contentTypeOf(response) }, body: response.body };
}
