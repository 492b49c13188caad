/**
 * The client side of the RPC surface: a promisified google.script.run whose types are taken from the
 * server's exported functions (src-server/rpc.ts), so no contract is copied here.
 * Server functions answer a Result envelope; the promise resolves with `data` or rejects with RpcError.
 */
import type * as Server from '../src-server/rpc';
import type { AppErrorDto } from '../src-server/app/contract';

type ServerFns = typeof Server;
type DataOf<R> = [Extract<R, { ok: true }>] extends [{ data: infer D }] ? D : R;

export type Rpc = {
  [K in keyof ServerFns]: ServerFns[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<DataOf<R>> : never;
} & {
  [K in keyof Server.UiEntryPoints]: (...args: Parameters<Server.UiEntryPoints[K]>) => Promise<void>;
};

/** A failed call: the server's error (code, message, field details) or a transport failure. */
export class RpcError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(dto: AppErrorDto) {
    super(dto.message);
    this.name = 'RpcError';
    this.status = dto.status;
    this.code = dto.code;
    this.details = dto.details;
  }

  /** Field issues of a validation_failed error, keyed by path ('' for the whole config). */
  fieldIssues(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details as { path?: unknown; message?: unknown }[]) {
        const path = typeof d.path === 'string' ? d.path : '';
        if (typeof d.message === 'string' && !(path in out)) out[path] = d.message;
      }
    }
    return out;
  }
}

interface ScriptRunner {
  withSuccessHandler(fn: (value: unknown) => void): ScriptRunner;
  withFailureHandler(fn: (error: unknown) => void): ScriptRunner;
  [fn: string]: unknown;
}

function runner(): ScriptRunner | null {
  const g = (window as unknown as { google?: { script?: { run?: ScriptRunner } } }).google;
  return g?.script?.run ?? null;
}

function isEnvelope(v: unknown): v is { ok: boolean; data?: unknown; error?: AppErrorDto } {
  return !!v && typeof v === 'object' && typeof (v as { ok?: unknown }).ok === 'boolean';
}

export function call(name: string, args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const run = runner();
    if (!run) {
      reject(new RpcError({ status: 0, code: 'no_host', message: 'Not connected to the spreadsheet (google.script.run is missing).' }));
      return;
    }
    const target = run
      .withSuccessHandler((value) => {
        if (!isEnvelope(value)) resolve(value ?? null);
        else if (value.ok) resolve(value.data ?? null);
        else reject(new RpcError(value.error ?? { status: 500, code: 'internal', message: 'Unknown error' }));
      })
      .withFailureHandler((error) => {
        const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
        reject(new RpcError({ status: 500, code: 'script_error', message }));
      });
    const fn = target[name];
    if (typeof fn !== 'function') {
      reject(new RpcError({ status: 0, code: 'no_function', message: `Unknown server function ${name}` }));
      return;
    }
    (fn as (...a: unknown[]) => void).apply(target, args);
  });
}

export const rpc: Rpc = new Proxy({} as Rpc, {
  get:
    (_target, name) =>
    (...args: unknown[]) =>
      call(String(name), args),
});

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
