/**
 * Turns an ApiRequest into what the routes need: the real method (`_method` override), the path
 * under api/v1, the query, the JSON body with the reserved fields taken out, and the credential.
 * Body checks happen here, before anything else looks at the request: size (413), content type (415);
 * JSON syntax (400) is reported by the routes that need a JSON body.
 */
import { AppError } from '../app/contract';
import { API_BASE, type ApiLimits, type ApiRequest, type HttpMethod } from './types';
import { badRequest } from './errors';
import { utf8Length } from './encoding';

/** Fields that are never part of a resource: taken out of the query and the JSON body. */
export const RESERVED_FIELDS = ['key', 'access_token', '_method'] as const;

export type Credential = { kind: 'key'; value: string } | { kind: 'token'; value: string };

export interface ParsedRequest {
  method: HttpMethod;
  /** Path below api/v1 with a leading slash, e.g. "/jobs/j_1/runs". */
  path: string;
  query: Record<string, string>;
  /** The JSON body without reserved fields; undefined when there is no body. */
  json: unknown;
  /** Why the body is not JSON (routes needing JSON answer 400 with it); null when it parsed or is absent. */
  jsonError: string | null;
  /** The body as sent (for import of a raw YAML or JSON file). */
  rawBody: string | null;
  credential: Credential | null;
}

const JSON_TYPES = new Set(['application/json', 'text/plain', '']);
const RAW_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);
const FORM_TYPE = 'application/x-www-form-urlencoded';

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function normalisePath(pathInfo: string): string | null {
  const trimmed = pathInfo.replace(/^\/+|\/+$/g, '');
  if (trimmed === API_BASE) return '/';
  if (!trimmed.startsWith(`${API_BASE}/`)) return null;
  return `/${trimmed.slice(API_BASE.length + 1)}`;
}

function firstValues(parameters: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(parameters)) {
    const first = values[0];
    if (first !== undefined) out[name] = first;
  }
  return out;
}

function takeReserved(source: Record<string, unknown>, into: Record<string, string>, from: 'query' | 'body'): void {
  for (const field of RESERVED_FIELDS) {
    if (!(field in source)) continue;
    const value = source[field];
    delete source[field];
    if (typeof value !== 'string') throw badRequest(`${field} must be a string (${from}).`);
    if (into[field] !== undefined && into[field] !== value) throw badRequest(`${field} is given twice with different values.`);
    into[field] = value;
  }
}

export function parseRequest(req: ApiRequest, limits: ApiLimits): ParsedRequest {
  const path = normalisePath(req.pathInfo ?? '');
  if (path === null) {
    throw new AppError(404, 'not_found', `No such route: the API lives under /${API_BASE}/ (see /${API_BASE}/docs).`);
  }

  const body = req.body ?? '';
  if (utf8Length(body) > limits.maxBodyBytes) {
    throw new AppError(413, 'payload_too_large', `The body exceeds the limit of ${limits.maxBodyBytes} bytes.`, {
      limit_bytes: limits.maxBodyBytes,
    });
  }

  const type = mediaType(req.contentType);
  let json: unknown = undefined;
  let jsonError: string | null = null;
  let rawBody: string | null = null;
  if (body.trim() !== '' && req.method === 'POST') {
    if (type === FORM_TYPE) {
      // A form's fields arrive in e.parameters; a JSON text sent as a form is a client mistake.
      if (/^\s*[[{]/.test(body)) {
        throw new AppError(
          415,
          'unsupported_media_type',
          'Send JSON bodies as application/json (or text/plain from browsers), not as a form.',
        );
      }
    } else if (JSON_TYPES.has(type)) {
      rawBody = body;
      try {
        json = JSON.parse(body);
      } catch (err) {
        jsonError = `Malformed JSON body: ${err instanceof SyntaxError ? err.message : 'syntax error'}.`;
      }
    } else if (RAW_TYPES.has(type)) {
      rawBody = body;
      jsonError = `The body is ${type}, not JSON.`;
    } else {
      throw new AppError(415, 'unsupported_media_type', `Content type ${type} is not accepted: send application/json or text/plain.`, {
        accepted: ['application/json', 'text/plain', 'application/yaml (POST /jobs/import?format=yaml)'],
      });
    }
  }

  const query = firstValues(req.parameters ?? {});
  const reserved: Record<string, string> = {};
  takeReserved(query, reserved, 'query');
  if (json && typeof json === 'object' && !Array.isArray(json)) takeReserved(json as Record<string, unknown>, reserved, 'body');

  let method: HttpMethod = req.method;
  const override = reserved._method;
  if (override !== undefined) {
    const upper = override.toUpperCase();
    // Only POST may be overridden: a link or an <img> (GET) must never delete anything.
    if (req.method !== 'POST') throw badRequest('_method is only honoured on POST requests.');
    if (upper !== 'PUT' && upper !== 'PATCH' && upper !== 'DELETE') throw badRequest('_method must be PUT, PATCH or DELETE.');
    method = upper;
  }

  if (reserved.key !== undefined && reserved.access_token !== undefined) {
    throw badRequest('Give either key or access_token, not both.');
  }
  let credential: Credential | null = null;
  if (reserved.access_token !== undefined) credential = { kind: 'token', value: reserved.access_token };
  else if (reserved.key !== undefined) credential = { kind: 'key', value: reserved.key };

  return { method, path, query, json, jsonError, rawBody, credential };
}
