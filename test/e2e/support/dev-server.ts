/**
 * `npm start` in-process (emulator/server/cli.ts main(): runtime, workspace page, controls, state
 * file) on a free port, with a fresh runtime and a temporary state file. --speed 0: the virtual clock
 * only moves when a test moves it; --no-build: jest's globalSetup has just built build/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../emulator/server/cli';
import { parseArgs } from '../../../emulator/server/args';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export async function startDevServer(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'y2s-e2e-'));
  const options = parseArgs(['--port', '0', '--speed', '0', '--fresh', '--no-build', '--state', join(dir, 'state.json')]);
  const running = await main(options, () => undefined);
  return {
    url: running.server.url,
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
