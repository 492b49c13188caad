/** Builds the test entry bundle once per file and creates runtimes on it. */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServerBundle, ROOT } from '../../../scripts/build';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../../emulator';
import { AUDIT_COLUMNS, RUN_COLUMNS } from '../../../src-server/app/logs';

/** Column index by name in the hidden tabs (the project's own column lists). */
const indexOf = <C extends string>(columns: readonly C[]) => Object.fromEntries(columns.map((c, i) => [c, i])) as Record<C, number>;
const RUN = indexOf(RUN_COLUMNS);
const AUDIT = indexOf(AUDIT_COLUMNS);

export async function buildTestBundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'y2s-app-'));
  // Minified like build/Code.js: the product's code exactly as shipped, plus the test entry's globals.
  await buildServerBundle(join(__dirname, 'entry.ts'), join(dir, 'Code.js'), true);
  copyFileSync(join(ROOT, 'appsscript.json'), join(dir, 'appsscript.json'));
  return dir;
}

export function removeBundle(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export type CallResult<T> = { value?: T; error?: { status: number; code: string; message: string } };

export function call<T = unknown>(rt: Runtime, method: string, ...args: unknown[]): CallResult<T> {
  const result = rt.run<CallResult<T>>('testCall', method, args);
  if (!result.ok) throw new Error(`testCall ${method} failed: ${result.error?.message}`);
  return result.value!;
}

export function value<T = unknown>(rt: Runtime, method: string, ...args: unknown[]): T {
  const r = call<T>(rt, method, ...args);
  if (r.error) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

export function newRuntime(buildDir: string, options: RuntimeOptions = {}): Runtime {
  return createRuntime({ buildDir, ...options });
}

export interface RunRow {
  run_id: string;
  job_id: string;
  scheduled_for: string;
  started_at: string;
  finished_at: string;
  status: string;
  trigger: string;
  duration_ms: string;
  error: string;
}

function text(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v ?? '');
}

export function runRows(rt: Runtime): RunRow[] {
  const values = rt.spreadsheets.sheet(rt.spreadsheetId, '_y2s_runs') ? rt.spreadsheets.values(rt.spreadsheetId, '_y2s_runs') : [];
  return values
    .slice(1)
    .filter((r) => text(r[RUN.run_id]) !== '')
    .map((r) => ({
      run_id: text(r[RUN.run_id]),
      job_id: text(r[RUN.job_id]),
      scheduled_for: text(r[RUN.scheduled_for]),
      started_at: text(r[RUN.started_at]),
      finished_at: text(r[RUN.finished_at]),
      status: text(r[RUN.status]),
      trigger: text(r[RUN.trigger]),
      duration_ms: text(r[RUN.duration_ms]),
      error: text(r[RUN.error]),
    }));
}

export function auditRows(rt: Runtime): { at: string; actor: string; action: string; job_id: string; changes: string }[] {
  const values = rt.spreadsheets.sheet(rt.spreadsheetId, '_y2s_audit') ? rt.spreadsheets.values(rt.spreadsheetId, '_y2s_audit') : [];
  return values
    .slice(1)
    .filter((r) => text(r[AUDIT.at]) !== '')
    .map((r) => ({
      at: text(r[AUDIT.at]),
      actor: text(r[AUDIT.actor]),
      action: text(r[AUDIT.action]),
      job_id: text(r[AUDIT.job_id]),
      changes: text(r[AUDIT.changes]),
    }));
}
