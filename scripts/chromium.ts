/**
 * Finds a Chromium for the browser tests and screenshots without any system package:
 * CHROMIUM_PATH if set, else Debian's /usr/bin/chromium when present, else the self-contained
 * headless build that the @sparticuz/chromium devDependency ships inside its npm package
 * (unpacked once into the temp folder on first use).
 */
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ChromiumBinary {
  executablePath: string;
  /** Flags this build needs on top of the team's own. */
  args: string[];
  source: 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

// Of the package's own flag list only these matter off AWS Lambda: the build is a single-process
// headless shell without a zygote or sandbox helper. The rest (web security off, GPU tricks) would
// make the tests' browser kinder than a user's.
const SPARTICUZ_FLAGS = new Set(['--single-process', '--no-zygote', '--no-sandbox', "--headless='shell'", '--disable-setuid-sandbox']);

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumBinary> {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to ${fromEnv}, which does not exist`);
    return { executablePath: fromEnv, args: [], source: 'CHROMIUM_PATH' };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: [], source: 'debian' };
  const { executablePath, args } = await unpackSparticuz();
  return { executablePath, args: args.filter((flag) => SPARTICUZ_FLAGS.has(flag)), source: '@sparticuz/chromium' };
}

/**
 * The package is ESM-only and jest runs CommonJS, so a short Node child unpacks it (once: the
 * package reuses its unpacked copy) and prints where it is.
 */
async function unpackSparticuz(): Promise<{ executablePath: string; args: string[] }> {
  const script =
    "import('@sparticuz/chromium').then(async (m) => { const c = m.default;" +
    ' process.stdout.write(JSON.stringify({ executablePath: await c.executablePath(), args: c.args })); })';
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: __dirname, timeout: 120_000 });
    return JSON.parse(stdout) as { executablePath: string; args: string[] };
  } catch (err) {
    throw new Error(
      "No Chromium found: set CHROMIUM_PATH, install Debian's chromium, or run npm install so that the " +
        `@sparticuz/chromium devDependency can unpack its build (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
