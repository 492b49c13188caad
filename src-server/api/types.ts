/**
 * The web API's request and response, independent of Apps Script's event objects: main.ts builds an
 * ApiRequest from doGet/doPost's event (see event.ts) and turns the ApiResponse into ContentService
 * or HTML output. Apps Script cannot set HTTP status codes, so the status also travels in the
 * JSON envelope; the local server turns it into the real HTTP status.
 */
import type { SchedulerApp } from '../app/contract';
import type { DiagnosticsReport } from '../app/diagnostics';
import type { Cache, Clock, Crypto, Logger, PropertyStore, ScriptLock } from '../ports';

export type WireMethod = 'GET' | 'POST';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequest {
  method: WireMethod;
  /** e.pathInfo: the path after the web app's /exec URL, e.g. "api/v1/jobs" (no leading slash). */
  pathInfo: string;
  /** e.parameters: query (and form) parameters, every value a list. */
  parameters: Record<string, string[]>;
  /** e.postData.contents; null for GET or an empty body. */
  body: string | null;
  /** e.postData.type, e.g. "application/json" or "text/plain". */
  contentType: string | null;
}

export interface ApiResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface ApiLimits {
  /** Largest accepted body in bytes (UTF-8). */
  maxBodyBytes: number;
  /** Requests per credential per minute when settings cannot be read. */
  defaultRateLimitPerMinute: number;
  /** Longest token lifetime in seconds. */
  maxTokenSeconds: number;
  /**
   * Failed authentications a minute per slot of key ids (rate-limit.ts): past it, every credential
   * naming a key id of that slot is refused unchecked until the minute ends.
   */
  authFailuresPerSlotPerMinute: number;
}

export interface ApiDeps {
  /** Built only when a route needs the use cases (auth failures and docs do not). */
  app: () => SchedulerApp;
  properties: PropertyStore;
  /** The script lock: the request and failure counters are read and written under it. */
  lock: ScriptLock;
  cache: Cache;
  crypto: Crypto;
  clock: Clock;
  logger?: Logger;
  /** The OpenAPI document's text without servers (generated at build time: api/openapi-serve.ts). */
  openApiDocument: () => string;
  /** The deployed web app's URL (from the gas/ adapter), for the OpenAPI servers list. */
  serviceUrl?: () => string | null;
  /** The platform self-test (gas/probe.ts); absent where no platform can be probed. */
  diagnostics?: () => DiagnosticsReport;
  limits?: Partial<ApiLimits>;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxBodyBytes: 256 * 1024,
  defaultRateLimitPerMinute: 60,
  maxTokenSeconds: 3600,
  authFailuresPerSlotPerMinute: 10,
};

export const API_BASE = 'api/v1';
