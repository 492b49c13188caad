/**
 * The composition root: every port built from Apps Script services, then the scheduler's use cases.
 * Nothing here runs at module load: adapters fetch their service objects on first use, so an idle
 * tick touches only PropertiesService.
 */
import { createSchedulerApp } from '../app';
import type { SchedulerApp } from '../app/contract';
import type { AppDeps } from '../app/deps';
import { createScriptCache } from './cache';
import { createGasCrypto } from './crypto';
import { createScriptLock } from './lock';
import { createGasMailer } from './mail';
import { consoleLogger, createGasIdentity, createGasTimeZoneOracle, systemClock } from './platform';
import { createScriptPropertyStore } from './properties';
import { createSpreadsheets } from './sheets';
import { createGasTriggers } from './triggers';
import { createYamlReader } from './yaml';
import { createYouTubeApi } from './youtube';
import { shareReads } from '../sync';

/** The use cases, plus the ports (for the API's key store) and the caller's email (audit actor). */
export interface GasApp extends SchedulerApp {
  readonly app: SchedulerApp;
  readonly deps: AppDeps;
  userEmail(): string;
}

export function createGasDeps(): AppDeps {
  const clock = systemClock;
  const startedMs = clock.now().getTime();
  return {
    properties: createScriptPropertyStore(),
    lock: createScriptLock(),
    cache: createScriptCache(),
    // One per execution: the jobs a tick runs share their YouTube reads (sync/shared-reads.ts).
    youtube: shareReads(createYouTubeApi()),
    spreadsheets: createSpreadsheets(),
    triggers: createGasTriggers(),
    mailer: createGasMailer(),
    identity: createGasIdentity(),
    clock,
    timeZones: createGasTimeZoneOracle(),
    crypto: createGasCrypto(),
    logger: consoleLogger,
    yaml: createYamlReader(),
    // The execution began about when its entry point built the app.
    budget: { elapsedMs: () => clock.now().getTime() - startedMs },
  };
}

export function createGasApp(): GasApp {
  const deps = createGasDeps();
  const app = createSchedulerApp(deps);
  let email: string | null = null;
  return {
    ...app,
    app,
    deps,
    userEmail: () => (email ??= deps.identity.userEmail()),
  };
}
