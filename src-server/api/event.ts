/** Builds an ApiRequest from the event Apps Script passes to doGet/doPost (types only, no globals). */
import type { ApiRequest, WireMethod } from './types';

export interface WebAppEvent {
  pathInfo?: string;
  parameter?: Record<string, string>;
  parameters?: Record<string, string[]>;
  postData?: { contents?: string; type?: string; length?: number };
}

export function requestFromEvent(e: WebAppEvent | undefined, method: WireMethod): ApiRequest {
  const parameters: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(e?.parameters ?? {}))
    parameters[name] = Array.isArray(values) ? values.map(String) : [String(values)];
  // Some callers (and older runtimes) fill only e.parameter.
  for (const [name, value] of Object.entries(e?.parameter ?? {})) if (!(name in parameters)) parameters[name] = [String(value)];
  const contents = e?.postData?.contents;
  return {
    method,
    pathInfo: e?.pathInfo ?? '',
    parameters,
    body: method === 'POST' && typeof contents === 'string' && contents !== '' ? contents : null,
    contentType: e?.postData?.type ?? null,
  };
}
