/** UrlFetchApp: refuses every request unless the test registered a handler for it (the sandbox has no network). */
import { GasException } from './errors';
import type { Scope } from './execution';
import { registerType } from './registry';

export interface FetchRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string | undefined;
  contentType: string | undefined;
}
export interface FetchReply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
}
export type FetchHandler = (req: FetchRequest) => FetchReply | undefined;

export class UrlFetchRegistry {
  readonly handlers: { match: (url: string) => boolean; handler: FetchHandler }[] = [];
  readonly requests: FetchRequest[] = [];
  /** Answers requests whose URL starts with `prefix` (or matches the RegExp). */
  register(prefix: string | RegExp, handler: FetchHandler): void {
    const match = typeof prefix === 'string' ? (u: string) => u.startsWith(prefix) : (u: string) => prefix.test(u);
    this.handlers.push({ match, handler });
  }
  clear(): void {
    this.handlers.length = 0;
  }
}

export class HttpResponseFake implements Pick<
  GoogleAppsScript.URL_Fetch.HTTPResponse,
  'getResponseCode' | 'getContentText' | 'getHeaders' | 'getAllHeaders'
> {
  constructor(
    private readonly status: number,
    private readonly body: string,
    private readonly headers: Record<string, string>,
  ) {}
  getResponseCode(): number {
    return this.status;
  }
  getContentText(): string {
    return this.body;
  }
  getHeaders(): object {
    return { ...this.headers };
  }
  getAllHeaders(): object {
    return { ...this.headers };
  }
}
registerType(HttpResponseFake, 'UrlFetchApp.HTTPResponse');

export class UrlFetchAppFake implements Pick<GoogleAppsScript.URL_Fetch.UrlFetchApp, 'fetch'> {
  constructor(private readonly scope: Scope) {}

  fetch(url: string, params?: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions): GoogleAppsScript.URL_Fetch.HTTPResponse {
    const u = String(url);
    const p = (params ?? {}) as Record<string, unknown>;
    const req: FetchRequest = {
      url: u,
      method: String(p.method ?? 'get').toUpperCase(),
      headers: { ...((p.headers as Record<string, string> | undefined) ?? {}) },
      payload: p.payload === undefined ? undefined : typeof p.payload === 'string' ? p.payload : JSON.stringify(p.payload),
      contentType: p.contentType === undefined ? undefined : String(p.contentType),
    };
    const registry = this.scope.world.urlFetch;
    const entry = registry.handlers.find((h) => h.match(u));
    if (!entry) {
      throw new GasException(
        `UrlFetchApp.fetch is not available in the emulator: no handler registered for ${u} (tests register one with runtime.urlFetch.register(prefix, handler)).`,
      );
    }
    registry.requests.push(req);
    const reply = entry.handler(req) ?? {};
    const status = reply.status ?? 200;
    const body = reply.body ?? '';
    if (status >= 400 && p.muteHttpExceptions !== true) {
      throw new GasException(
        `Request failed for ${u} returned code ${status}. Truncated server response: ${body.slice(0, 200)} (use muteHttpExceptions option to examine full response)`,
      );
    }
    return new HttpResponseFake(status, body, reply.headers ?? {}) as unknown as GoogleAppsScript.URL_Fetch.HTTPResponse;
  }
}
registerType(UrlFetchAppFake, 'UrlFetchApp');
