/**
 * `npm start`: builds when build/ is stale, creates (or restores) the runtime, serves it on 127.0.0.1,
 * runs the virtual clock on real time × --speed, saves state to .local/ after changes and on shutdown.
 * Flags: see USAGE in args.ts; everything is documented in emulator/README.md.
 */
import { existsSync, renameSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { maskKey, registerApiKeys, serveDocsAssetsLocally, type ApiKeyStatus } from './api-keys';
import { CliError, parseArgs, USAGE, type CliOptions } from './args';
import { startClockLoop } from './clock-loop';
import { staleReason } from './freshness';
import { startServer, type DevServer } from './http';
import { DevSession } from './session';
import { autoSave, readStateFile } from './state-file';
import type { DevRuntime, RuntimeFactory } from './types';
import { createRuntime, type RuntimeSnapshot } from '../index';
import type { TriggerTiming } from '../services/script-app';
import { workspaceRoutes } from '../workspace/routes';
import { loadDatasetFile, type YouTubeDataset } from '../youtube/dataset';

export const ROOT = resolve(__dirname, '../..');

type CreateRuntime = (options: { buildDir?: string; state?: RuntimeSnapshot; dataset?: YouTubeDataset; triggerTiming?: TriggerTiming }) => DevRuntime;

export function runtimeFactory(create: CreateRuntime, buildDir: string, dataset: YouTubeDataset | null, triggerTiming: TriggerTiming = 'exact'): RuntimeFactory {
  return ({ state, dataset: override }) => {
    const chosen = override ?? dataset ?? undefined;
    if (state === undefined) return create({ buildDir, triggerTiming, ...(chosen ? { dataset: chosen } : {}) });
    const runtime = create({ buildDir, triggerTiming, state: state as RuntimeSnapshot });
    // An explicit --dataset wins over the one saved with the state.
    if (chosen) runtime.youtube.setDataset(chosen);
    return runtime;
  };
}

export interface RunningDevServer {
  server: DevServer;
  stop(): Promise<void>;
}

export async function main(options: CliOptions, log: (line: string) => void = console.log): Promise<RunningDevServer> {
  const buildDir = join(ROOT, 'build');
  if (options.build) {
    const reason = staleReason(ROOT, buildDir);
    if (reason) {
      log(`Building (${reason})…`);
      const { buildAll } = await import('../../scripts/build');
      await buildAll(buildDir);
    }
  }
  const dataset = options.datasetPath ? loadDatasetFile(options.datasetPath) : null;
  let saved = null;
  if (!options.fresh) {
    try {
      saved = readStateFile(options.statePath);
    } catch (err) {
      // Never lose data: keep the unreadable file aside and start fresh.
      const aside = `${options.statePath}.unreadable-${Date.now()}`;
      if (existsSync(options.statePath)) renameSync(options.statePath, aside);
      log(`State file unreadable (${(err as Error).message}); kept as ${aside}, starting fresh.`);
    }
  }
  // Triggers fire late and overlap by default, as in Apps Script (--exact-triggers: on time, in order).
  const overlap = !options.exactTriggers;
  const factory = runtimeFactory(createRuntime, buildDir, dataset, overlap ? { seed: options.triggerSeed } : 'exact');
  const runtime = factory(saved ? { state: saved.snapshot } : {});
  const session = new DevSession(runtime, factory);

  let keyStatus: ApiKeyStatus[] = [];
  // Runs on every runtime this server holds (start-up, reset, dataset load).
  const prepareRuntime = () => {
    serveDocsAssetsLocally(session.runtime);
    if (options.apiKeys.length > 0) keyStatus = registerApiKeys(session.runtime, options.apiKeys);
    session.changed();
  };
  prepareRuntime();
  session.on('replaced', prepareRuntime);

  const saver = autoSave(session, options.statePath, { onError: (err) => log(`Could not save state: ${(err as Error).message}`) });
  const loop = startClockLoop(session, { speed: options.speed, overlap, onError: (err) => log(`Trigger loop error: ${(err as Error).message}`) });
  const server = await startServer({
    runtime,
    session,
    port: options.port,
    host: options.host,
    buildDir,
    log,
    // The Sheets-like workspace page (emulator/workspace/, issue 7) at '/'.
    routes: workspaceRoutes({ buildDir }),
    openApiKey: options.openApi ? options.apiKeys[0]! : null,
    overlap,
    info: () => ({
      speed: options.speed,
      triggers: overlap ? `late (seed ${options.triggerSeed}), overlapping` : 'exact, in order',
      stateFile: options.statePath,
      dataset: options.datasetPath,
      apiKeys: keyStatus.map((k) => ({ ...k, key: maskKey(k.key) })),
    }),
  });

  const stateNote = saved ? `restored (saved ${saved.savedAt})` : 'fresh';
  log(
    [
      '',
      'YouTube2Sheets — local Apps Script runtime',
      `  Workspace      ${server.url}/`,
      `  Web app        ${server.url}/exec`,
      `  API            ${server.url}/exec/api/v1/jobs   (X-API-Key or Authorization: Bearer headers are mapped)`,
      `  API docs       ${server.url}/exec/api/v1/docs`,
      `  Controls       ${server.url}/__emulator/state   (see emulator/README.md)`,
      `  Virtual time   ${session.runtime.clock.now().toISOString()}  (speed ×${options.speed})`,
      `  Triggers       ${overlap ? `fire late (seed ${options.triggerSeed}) and overlap, as in Apps Script (--exact-triggers: on time)` : 'fire exactly on time, one after another'}`,
      `  State          ${relative(process.cwd(), options.statePath) || options.statePath}  (${stateNote})`,
      ...keyStatus.map((k) => `  API key        ${maskKey(k.key)}: ${k.status}${k.message ? ` — ${k.message}` : ''}`),
      ...(options.openApi ? [`  Open API       requests without credentials act with ${maskKey(options.apiKeys[0]!)} (--open-api), e.g. curl ${server.url}/api/v1/jobs`] : []),
      '',
    ].join('\n'),
  );

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      loop.stop();
      saver.stop();
      await server.close();
      await session.runtime.close?.();
    })());
  return { server, stop };
}

if (require.main === module) {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof CliError ? err.message : err);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    process.exit(0);
  }
  main(options)
    .then((running) => {
      const shutdown = (signal: string) => {
        console.log(`\n${signal}: saving state and stopping…`);
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(err);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
