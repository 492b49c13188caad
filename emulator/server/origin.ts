/**
 * Who may use which part of the dev server.
 *
 * - The API (the web app's routes) is for any client, pages on other origins included: it answers
 *   CORS preflights and sets Access-Control-Allow-Origin, and every change needs an API key anyway.
 * - The emulator controls (/__emulator/) and the workspace (/, /__workspace/) act without any
 *   credential (reset, plant a key, read the JWT secret), so they answer only requests addressed to
 *   this server by name (Host is the bound address or, on loopback, one of its aliases — this defeats
 *   DNS rebinding) and sent by its own pages (Origin absent or this server's origin — this defeats
 *   cross-site requests). Their bodies must be application/json, which no form and no "simple"
 *   cross-origin fetch can send.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The names (host, no port) under which this server may be addressed. */
export function allowedHostNames(boundHost: string): Set<string> {
  const names = new Set<string>([bracketed(boundHost.toLowerCase())]);
  if (isLoopback(boundHost)) for (const n of LOOPBACK_NAMES) names.add(n);
  if (WILDCARD_HOSTS.has(boundHost)) {
    // Bound to every interface: each of the machine's addresses (and its name) is this server.
    for (const n of LOOPBACK_NAMES) names.add(n);
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bracketed(a.address.toLowerCase()));
  }
  return names;
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `host[:port]` → [name, port]; null when it is not one. */
function splitHostPort(value: string): [string, number] | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return null;
  return [m[1]!.toLowerCase(), m[2] === undefined ? 80 : Number(m[2])];
}

export interface SameOriginCheck {
  /** null when the request may use the private routes; else why not. */
  refusal(headers: IncomingHttpHeaders): string | null;
  /** True when the request comes from this server's own pages or from a non-browser client on this host. */
  isLocal(headers: IncomingHttpHeaders): boolean;
}

export function sameOriginCheck(boundHost: string, port: () => number): SameOriginCheck {
  const names = allowedHostNames(boundHost);
  const ours = (value: string | undefined): boolean => {
    if (value === undefined) return false;
    const parts = splitHostPort(value);
    return parts !== null && names.has(parts[0]) && parts[1] === port();
  };
  const refusal = (headers: IncomingHttpHeaders): string | null => {
    const host = single(headers, 'host');
    if (!ours(host))
      return `Host ${JSON.stringify(host ?? '')} is not this server: the emulator controls and the workspace answer only requests to ${[...names].map((n) => `${n}:${port()}`).join(', ')}`;
    const origin = single(headers, 'origin');
    if (origin === undefined) return null;
    const m = /^http:\/\/(.+)$/i.exec(origin);
    if (!m || !ours(m[1]))
      return `Origin ${JSON.stringify(origin)} is not this server: the emulator controls and the workspace answer only this server's own pages`;
    return null;
  };
  return { refusal, isLocal: (headers) => refusal(headers) === null };
}

/** Only JSON bodies reach the controls: a form or a text/plain fetch from another site cannot send one without a preflight. */
export function jsonOnlyRefusal(method: string, headers: IncomingHttpHeaders): string | null {
  if (method === 'GET' || method === 'HEAD') return null;
  const type = (single(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return null;
  if (method === 'DELETE' && type === '' && !(Number(headers['content-length'] ?? 0) > 0) && !headers['transfer-encoding']) return null;
  return `Content-Type ${type ? JSON.stringify(type) : '(none)'} refused: the emulator controls accept application/json bodies only`;
}

/** CORS for the API: any origin, no cookies (credentials travel as a key, a token or X-API-Key). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-emulator-execution-ms',
};

export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
  'access-control-allow-headers': 'Content-Type, X-API-Key, Authorization',
  'access-control-max-age': '600',
};
