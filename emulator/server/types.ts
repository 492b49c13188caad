/**
 * What the dev server needs from a runtime: a structural subset of the core's `Runtime`
 * (emulator/index.ts), so the server can be tested with a small stand-in and wired to the real one.
 */
import type { YouTubeFake } from '../youtube/fake';
import type { YouTubeDataset } from '../youtube/dataset';

export interface ExecutionResultLike {
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string };
  killed: boolean;
  startedAt: Date;
  finishedAt: Date;
  calls: Record<string, number>;
  logs: string[];
}

export interface WebRequestLike {
  method: 'GET' | 'POST';
  pathInfo?: string;
  query?: Record<string, string | string[]>;
  body?: string;
  contentType?: string;
}

export interface WebResponseLike {
  mimeType: string;
  body: string;
  json?: unknown;
  html?: boolean;
}

export interface SpreadsheetsLike {
  list(): { id: string; name: string; sheets: { name: string; hidden: boolean }[] }[];
  values(spreadsheetId: string, sheetName: string): unknown[][];
  formulas?(spreadsheetId: string, sheetName: string): string[][];
  numberFormats?(spreadsheetId: string, sheetName: string): string[][];
  /** What the cells show (dates in the spreadsheet's zone). */
  displayValues?(spreadsheetId: string, sheetName: string): string[][];
}

export interface DevRuntime {
  readonly clock: { now(): Date };
  run(fn: string, ...args: unknown[]): ExecutionResultLike;
  scriptRun(fn: string, ...args: unknown[]): ExecutionResultLike;
  advance(ms: number): ExecutionResultLike[];
  advanceTo(when: Date): ExecutionResultLike[];
  webRequest(req: WebRequestLike): { result: ExecutionResultLike; response: WebResponseLike | null };
  snapshot(): unknown;
  readonly youtube: YouTubeFake;
  readonly spreadsheets: SpreadsheetsLike;
  readonly properties: { script: Record<string, string> };
  readonly triggers: unknown;
  readonly mail: unknown;
  readonly calls: unknown;
  /** Ends worker threads, if any (the core's Runtime.close). */
  close?(): Promise<void>;
  // Per-user executions and overlapping triggers (the core's Runtime has them; small stand-ins may not).
  /** Everyone who can run the script (the default user first). */
  readonly users?: string[];
  /** Runs `work` as another user; throws (naming the field) for an unknown user. */
  asUser?<T>(user: string, work: () => T): T;
  /** A user opens the spreadsheet: onOpen as a simple trigger (LIMITED). */
  openSpreadsheet?(user?: string): ExecutionResultLike;
  /** Fires due triggers with overlapping executions (worker threads). */
  advanceToAsync?(when: Date): Promise<ExecutionResultLike[]>;
  runAsync?(fn: string, args: unknown[], opts: { user?: string }): Promise<ExecutionResultLike>;
  scriptRunAsync?(fn: string, args: unknown[], opts: { user?: string }): Promise<ExecutionResultLike>;
}

export interface RuntimeFactoryOptions {
  /** A snapshot from runtime.snapshot() to restore; a fresh runtime when absent. */
  state?: unknown;
  dataset?: YouTubeDataset;
}

export type RuntimeFactory = (options: RuntimeFactoryOptions) => DevRuntime;
