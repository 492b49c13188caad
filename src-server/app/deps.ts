/**
 * What the scheduler's use cases receive: the ports of src-server/ports.ts plus the two logs kept in
 * hidden sheets. Everything is injected, so every use case runs the same in Apps Script, in the local
 * runtime and in unit tests with in-memory fakes.
 */
import type {
  Cache,
  Clock,
  Crypto,
  ExecutionBudget,
  Identity,
  Logger,
  Mailer,
  PropertyStore,
  ScriptLock,
  Spreadsheets,
  TimeZoneOracle,
  Triggers,
  YamlReader,
  YouTubeApi,
} from '../ports';

export interface AppDeps {
  properties: PropertyStore;
  lock: ScriptLock;
  cache: Cache;
  youtube: YouTubeApi;
  spreadsheets: Spreadsheets;
  triggers: Triggers;
  mailer: Mailer;
  identity: Identity;
  clock: Clock;
  timeZones: TimeZoneOracle;
  crypto: Crypto;
  logger: Logger;
  yaml: YamlReader;
  /** Time used by this execution so far; defaults to the clock since createSchedulerApp(). */
  budget?: ExecutionBudget;
}

/** Name of the top-level function the triggers call (main.ts defines it). */
export const TICK_HANDLER = 'tick';
