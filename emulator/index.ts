/** Public entry of the local Apps Script runtime. See emulator/README.md (harness section). */
export {
  createRuntime,
  Runtime,
  buildWebEvent,
  DEFAULT_START,
  type RuntimeOptions,
  type ExecutionResult,
  type WebRequest,
  type WebResponse,
  type WebEvent,
  type RunAsyncOptions,
  type RuntimeSnapshot,
} from './runtime';
export { VirtualClock } from './clock';
export { CallCounter } from './calls';
export {
  DEFAULT_LATENCY,
  latencyOf,
  makeLatencyTable,
  zeroLatency,
  VOLUME,
  volumeLatency,
  type LatencyTable,
  type Volume,
} from './latency';
export type { ServiceCallInfo } from './worker/pool';
export type { ExecutionKind } from './services/execution';
export { EXECUTION_LIMIT_MS } from './services/execution';
export { MESSAGES } from './services/errors';
export type { TriggerInfo } from './services/script-app';
export { MAX_TRIGGERS_PER_USER, EVERY_MINUTES_ALLOWED } from './services/script-app';
export type { SentMail } from './services/mail';
export { MAIL_DAILY_RECIPIENTS } from './services/mail';
export { TRIGGER_RUNTIME_PER_DAY_MS, type Account } from './services/world';
export { PROPERTY_VALUE_LIMIT_BYTES, PROPERTY_STORE_LIMIT_BYTES } from './services/properties';
export { CACHE_KEY_MAX_CHARS, CACHE_VALUE_MAX_BYTES, CACHE_MAX_EXPIRY_SECONDS } from './services/cache';
export type { SpreadsheetStore, SpreadsheetData, SheetData, Cell, CellValue } from './services/spreadsheet-store';
export type { UiLog, UiEvent, MenuInfo, MenuEntry } from './services/spreadsheet';
export type { UrlFetchRegistry, FetchHandler, FetchRequest, FetchReply } from './services/url-fetch';
export { formatDate } from './services/utilities';
export { YouTubeFake } from './youtube/fake';
