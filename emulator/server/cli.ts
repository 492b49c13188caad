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
// Static, not import(): `npm start` runs under tsx's CommonJS hook, which a dynamic import() bypasses.
import { buildAll } from '../../scripts/build';

export const ROOT = resolve(__dirname, '../..');

type CreateRuntime = (options: {
  buildDir?: string;
  state?: RuntimeSnapshot;
  dataset?: YouTubeDataset;
  triggerTiming?: TriggerTiming;
}) => DevRuntime;

export function runtimeFactory(
  create: CreateRuntime,
  buildDir: string,
  dataset: YouTubeDataset | null,
  triggerTiming: TriggerTiming = 'exact',
): RuntimeFactory {
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
  /** Writes the state file now, synchronously (a signal handler calls it before anything else). */
  saveNow(): void;
  stop(): Promise<void>;
}

/** A flag value `npm start` cannot work with: the process exits non-zero with this message. */
export class StartupError extends Error {
  override name = 'StartupError';
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `--port ${port}: ${where} is already in use (another npm start?). Stop it, or choose another port with --port N (0 = any free port).`,
      );
    case 'EACCES':
      return new StartupError(
        `--port ${port}: not permitted to listen on ${where}; ports below 1024 need privileges, choose --port 1024 or above.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(`--host ${host}: not an address of this machine (${err.code}); the default is 127.0.0.1.`);
    default:
      return new StartupError(`cannot listen on ${where}: ${err.message}`);
  }
}

function loadDataset(path: string): YouTubeDataset {
  try {
    return loadDatasetFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new StartupError(`--dataset ${path}: cannot use it — ${reason}`);
  }
}

export async function main(options: CliOptions, log: (line: string) => void = console.log): Promise<RunningDevServer> {
  const buildDir = join(ROOT, 'build');
  if (options.build) {
    const reason = staleReason(ROOT, buildDir);
    if (reason) {
      log(`Building (${reason})…`);
      await buildAll(buildDir);
    }
  }
  const dataset = options.datasetPath ? loadDataset(options.datasetPath) : null;
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
  // A refused key at start-up would leave every documented curl example answering 401 with no hint.
  const refused = keyStatus.filter((k) => k.status === 'failed');
  if (refused.length > 0) {
    await session.runtime.close?.();
    throw new StartupError(
      refused.map((k) => `--api-key ${maskKey(k.key)}: refused — ${k.message ?? 'the key could not be stored'}`).join('\n'),
    );
  }
  session.on('replaced', prepareRuntime);

  let server: DevServer;
  try {
    server = await startServer({
      runtime,
      session,
      port: options.port,
      host: options.host,
      buildDir,
      projectDir: ROOT,
      log,
      // The Sheets-like workspace page (emulator/workspace/, issue 7) at '/'.
      routes: workspaceRoutes({ buildDir }),
      openApiKey: options.openApi ? options.apiKeys[0]! : null,
      overlap,
      info: () => ({
        pid: process.pid,
        speed: options.speed,
        triggers: overlap ? `late (seed ${options.triggerSeed}), overlapping` : 'exact, in order',
        stateFile: options.statePath,
        dataset: options.datasetPath,
        apiKeys: keyStatus.map((k) => ({ ...k, key: maskKey(k.key) })),
      }),
    });
  } catch (err) {
    await session.runtime.close?.();
    throw listenError(err as NodeJS.ErrnoException, options.host, options.port);
  }
  // Saving and the clock start only once the server runs: a failed start never overwrites the state file.
  const saver = autoSave(session, options.statePath, { onError: (err) => log(`Could not save state: ${(err as Error).message}`) });
  const loop = startClockLoop(session, {
    speed: options.speed,
    overlap,
    onError: (err) => log(`Trigger loop error: ${(err as Error).message}`),
  });

  const stateNote = saved ? `restored (saved ${saved.savedAt})` : 'fresh';
  log(
    [
      '',
      'YouTube2Sheets — local Apps Script runtime',
      `  Workspace      ${server.url}/`,
      `  Web app        ${server.url}/exec`,
      `  API            ${server.url}/exec/api/v1/jobs   (X-API-Key or Authorization: Bearer headers are mapped)`,
      `  API docs       ${server.url}/docs   (public; OpenAPI document at ${server.url}/openapi.json)`,
      `  Controls       ${server.url}/__emulator/state   (see emulator/README.md)`,
      `  Virtual time   ${session.runtime.clock.now().toISOString()}  (speed ×${options.speed})`,
      `  Triggers       ${overlap ? `fire late (seed ${options.triggerSeed}) and overlap, as in Apps Script (--exact-triggers: on time)` : 'fire exactly on time, one after another'}`,
      `  State          ${relative(process.cwd(), options.statePath) || options.statePath}  (${stateNote})`,
      ...keyStatus.map((k) => `  API key        ${maskKey(k.key)}: ${k.status}${k.message ? ` — ${k.message}` : ''}`),
      ...(options.openApi
        ? [
            `  Open API       requests without credentials act with ${maskKey(options.apiKeys[0]!)} (--open-api), e.g. curl ${server.url}/api/v1/jobs`,
          ]
        : []),
      '',
    ].join('\n'),
  );

  let finalSaveDone = false;
  const saveNow = () => {
    if (finalSaveDone) return;
    finalSaveDone = true;
    loop.stop();
    saver.stop(); // synchronous final write
  };
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      saveNow();
      await server.close();
      await session.runtime.close?.();
    })());
  return { server, saveNow, stop };
}

/**
 * Signals are handled here, in the server's own process: `npm start` runs `node --require tsx/cjs
 * emulator/server/cli.ts` (the tsx CLI would run the server as its child and SIGKILL it when it does
 * not acknowledge a signal within ~60 ms, e.g. while an execution runs). The handler saves first,
 * synchronously, then closes. npm forwards SIGTERM to the `sh -c` it runs the script with, and sh
 * dies without passing it on; the server then finds itself orphaned (its parent changed) and shuts
 * down the same way.
 */
export function handleSignals(
  running: RunningDevServer,
  options: { exit?: (code: number) => void; log?: (line: string) => void; parentCheckMs?: number } = {},
): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => console.log(line));
  let received = false;
  const shutdown = (reason: string) => {
    if (received) {
      // A second signal: state is already saved; stop waiting for connections to close.
      exit(130);
      return;
    }
    received = true;
    try {
      running.saveNow();
      log(`\n${reason}: state saved; stopping…`);
    } catch (err) {
      log(`${reason}: could not save state: ${(err as Error).message}`);
    }
    running.stop().then(
      () => exit(0),
      (err: unknown) => {
        log(String(err));
        exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watch);
      shutdown('parent process exited');
    }
  }, options.parentCheckMs ?? 250);
  watch.unref();
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
  // Once npm (or a terminal) is gone, writing to stdout fails with EPIPE; that must not end the shutdown.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  main(options)
    .then((running) => handleSignals(running))
    .catch((err: unknown) => {
      console.error(err instanceof StartupError ? `npm start: ${err.message}` : err);
      process.exit(1);
    });
}
