/** `npm start` builds first when build/ is missing or older than its sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Sources whose change makes build/ stale. */
export const BUILD_INPUTS = ['src-server', 'src-sidebar', 'appsscript.json', 'scripts/build.ts', 'package.json'];
/** What a complete build contains (surfaces vary; Code.js and the manifest always exist). */
export const BUILD_OUTPUTS = ['Code.js', 'appsscript.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why build/ must be rebuilt, or null when it is fresh. */
export function staleReason(root: string, buildDir = join(root, 'build')): string | null {
  const outputs = BUILD_OUTPUTS.map((name) => join(buildDir, name));
  const missing = outputs.find((file) => !existsSync(file));
  if (missing) return `${missing} is missing`;
  const builtAt = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  for (const input of BUILD_INPUTS) {
    if (newestMtime(join(root, input)) > builtAt) return `${input} changed since the last build`;
  }
  return null;
}
