/** JSON helpers for the dev server: values from the sandbox (other realm) made JSON-safe. */
import type { IncomingMessage, ServerResponse } from 'node:http';

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** Dates become ISO strings (across realms), Maps and Sets plain values, functions are dropped, cycles cut. */
export function toJsonSafe(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (isDate(value)) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  seen.add(obj);
  try {
    if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
      return toJsonSafe((obj as { toJSON(): unknown }).toJSON(), seen);
    }
    if (obj instanceof Map) return Object.fromEntries([...obj].map(([k, v]) => [String(k), toJsonSafe(v, seen)]));
    if (obj instanceof Set) return [...obj].map((v) => toJsonSafe(v, seen));
    if (Array.isArray(obj)) return obj.map((v) => toJsonSafe(v, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const safe = toJsonSafe(v, seen);
      if (safe !== undefined) out[k] = safe;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A body past the limit is read to its end and dropped, so the client is still listening when the
 * 413 arrives (destroying the request instead resets the connection before the client reads any
 * answer). Past DRAIN_LIMIT_BYTES the connection is cut after all.
 */
export const DRAIN_LIMIT_BYTES = 8 * MAX_BODY_BYTES;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > DRAIN_LIMIT_BYTES) req.destroy();
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      over ? reject(new HttpError(413, `request body over ${limit} bytes`)) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
    req.on('close', () => reject(new HttpError(400, 'request closed before its body ended')));
  });
}

export function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `body: not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'body: expected a JSON object');
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(toJsonSafe(value), null, 2);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}
