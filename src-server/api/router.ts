/**
 * The web API's single entry: ApiRequest in, ApiResponse out, never throws.
 * Order: parse (404 outside api/v1, 413, 415, 400 for _method) -> route (404, 405) -> under the script
 * lock: failure budget (429 auth_rate_limited), authenticate (401), request limit (429 rate_limited) ->
 * authorize (403) -> the route (400, 422 and the use cases' errors). Every answer is an envelope.
 */
import { AppError } from '../app/contract';
import { authenticate, authorize } from './auth';
import { toErrorDto } from './errors';
import { parseRequest } from './request';
import { matchRoute, requiredAuth, type RouteResult } from './routes';
import { DEFAULT_LIMITS, type ApiDeps, type ApiLimits, type ApiRequest, type ApiResponse } from './types';

const JSON_TYPE = 'application/json';

function rateLimitPerMinute(deps: ApiDeps, limits: ApiLimits): number {
  const configured = deps.app().getSettings().rate_limit_per_minute;
  return Number.isFinite(configured) && configured > 0 ? configured : limits.defaultRateLimitPerMinute;
}

function render(result: RouteResult): ApiResponse {
  if ('raw' in result) return result.raw;
  const status = result.status ?? 200;
  return { status, contentType: JSON_TYPE, body: JSON.stringify({ ok: true, data: result.data ?? null, meta: result.meta ?? {} }) };
}

export function errorResponse(err: unknown): ApiResponse {
  const dto = toErrorDto(err);
  const error = { status: dto.status, code: dto.code, message: dto.message, details: dto.details ?? null };
  return { status: dto.status, contentType: JSON_TYPE, body: JSON.stringify({ ok: false, error }) };
}

export function handleRequest(req: ApiRequest, deps: ApiDeps): ApiResponse {
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  try {
    const parsed = parseRequest(req, limits);
    const match = matchRoute(parsed.method, parsed.path);
    if (!match) throw new AppError(404, 'not_found', `No route ${parsed.method} ${parsed.path} (see GET /api/v1/docs).`);
    if (!('route' in match)) {
      throw new AppError(
        405,
        'method_not_allowed',
        `${parsed.method} is not allowed on ${parsed.path}; allowed: ${match.allowed.join(', ')}.`,
        {
          allowed: match.allowed,
        },
      );
    }
    const { route, params } = match;
    const auth = requiredAuth(route);
    // Counted per API key (a token counts against its key). Anonymous requests reach only GET
    // /jobs/health (its open answer is cached) and the public documentation (openapi.json, docs),
    // which reads no store; Apps Script tells a web app nothing about the client (no address, no
    // headers), so there is nothing else to key them by.
    const principal = authenticate(parsed.credential, auth, deps, limits, () => rateLimitPerMinute(deps, limits));
    authorize(principal, auth);
    return render(route.handle({ req: parsed, params, deps, limits, principal }));
  } catch (err) {
    const response = errorResponse(err);
    if (!(err instanceof AppError)) {
      // The caller gets no detail; the execution log keeps what is needed to fix it.
      deps.logger?.error(
        'api: unexpected error',
        err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { error: String(err) },
      );
    }
    return response;
  }
}
