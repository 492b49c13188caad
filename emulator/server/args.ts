/** Command-line flags of `npm start` (emulator/server/cli.ts). */
import { resolve } from 'node:path';

export interface CliOptions {
  port: number;
  host: string;
  speed: number;
  statePath: string;
  apiKeys: string[];
  openApi: boolean;
  datasetPath: string | null;
  fresh: boolean;
  build: boolean;
  help: boolean;
  /** Fire triggers exactly on time, one after another (default: late by a seeded random delay, overlapping). */
  exactTriggers: boolean;
  triggerSeed: number;
}

export const USAGE = `Usage: npm start -- [options]
  --port N        port to listen on (default 8787; 0 = any free port)
  --host H        interface to bind (default 127.0.0.1)
  --speed N       run the virtual clock N times faster than real time (default 1; 0 = only move it by hand)
  --state FILE    where the runtime is saved (default .local/state.json)
  --fresh         ignore the saved state and start from scratch (the file is overwritten)
  --dataset FILE  YouTube dataset (JSON, see emulator/README.md); default: the built-in demo dataset
  --api-key KEY   register an API key for local use (repeatable)
  --open-api      requests without credentials act with the first --api-key (so plain
                  \`curl http://127.0.0.1:PORT/api/v1/jobs\` works); local use only
  --no-build      do not rebuild build/ even when it is stale
  --exact-triggers  fire time-driven triggers exactly on time, one after another (default: late
                  by a random delay within documented bounds, executions overlapping, as in Apps Script)
  --trigger-seed N  seed of the trigger delays (default 1)
  --help          this text`;

export class CliError extends Error {}

export function parseArgs(argv: readonly string[], cwd = process.cwd()): CliOptions {
  const options: CliOptions = {
    port: 8787,
    host: '127.0.0.1',
    speed: 1,
    statePath: resolve(cwd, '.local/state.json'),
    apiKeys: [],
    openApi: false,
    datasetPath: null,
    fresh: false,
    build: true,
    help: false,
    exactTriggers: false,
    triggerSeed: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new CliError(`${flag}: missing value`);
      return v;
    };
    const number = (min: number, max: number): number => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isFinite(n) || n < min || n > max) throw new CliError(`${flag}: expected a number from ${min} to ${max}, got ${raw}`);
      return n;
    };
    switch (flag) {
      case '--port':
        options.port = number(0, 65535);
        if (!Number.isInteger(options.port)) throw new CliError('--port: expected an integer');
        break;
      case '--host':
        options.host = value();
        break;
      case '--speed':
        options.speed = number(0, 1_000_000);
        break;
      case '--state':
        options.statePath = resolve(cwd, value());
        break;
      case '--dataset':
        options.datasetPath = resolve(cwd, value());
        break;
      case '--api-key': {
        const key = value();
        if (key.trim() === '') throw new CliError('--api-key: empty key');
        options.apiKeys.push(key);
        break;
      }
      case '--open-api':
        options.openApi = true;
        break;
      case '--fresh':
        options.fresh = true;
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--exact-triggers':
        options.exactTriggers = true;
        break;
      case '--trigger-seed':
        options.triggerSeed = number(0, 2 ** 32 - 1);
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new CliError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (options.openApi && options.apiKeys.length === 0) throw new CliError('--open-api: needs an --api-key to act with');
  return options;
}
