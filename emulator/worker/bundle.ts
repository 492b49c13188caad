/** Bundles worker/entry.ts (and the sandbox it imports) into one CommonJS string, once per process. */
import { buildSync } from 'esbuild';
import { join } from 'node:path';

let cached: string | null = null;

export function workerSource(): string {
  if (cached === null) {
    const result = buildSync({
      entryPoints: [join(__dirname, 'entry.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
    cached = result.outputFiles[0]!.text;
  }
  return cached;
}
