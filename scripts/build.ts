/**
 * Builds exactly what `clasp push` uploads into build/:
 *   Code.js         the server bundle (src-server/main.ts), with top-level function stubs for
 *                   every `global.x = ...` entry point (esbuild-gas-plugin)
 *   <surface>.html  one self-contained page per src-sidebar/surfaces/<surface>.ts (JS and CSS inlined)
 *   <module>.html   server code loaded only on demand, one per src-server/lazy/<module>.ts: script text
 *                   declaring `var LAZY_MODULE = {...exports}`, read through HtmlService and evaluated
 *                   by the execution that needs it (Code.js stays small: it is parsed by every one)
 *   openapi-document.html  the OpenAPI document's JSON (without servers), generated from the schemas
 *   appsscript.json the manifest
 * Files are written to a temporary folder and renamed into place, so a reader never sees a half-written
 * bundle (tests and the dev server may build concurrently).
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { GasPlugin } from 'esbuild-gas-plugin';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, basename, resolve } from 'node:path';
import { LAZY_MODULE_GLOBAL } from '../src-server/gas/yaml';
import { openApiTemplateText } from '../src-server/api/openapi';
import { OPENAPI_DOCUMENT_FILE } from '../src-server/api/openapi-serve';

export const ROOT = resolve(__dirname, '..');
export const SERVER_TARGET = 'es2020';

export interface BuildResult {
  outDir: string;
  files: Record<string, number>;
}

/** Bundles the server entry into `outfile` (used for Code.js and by tests for other entries). */
export async function buildServerBundle(entry: string, outfile: string, minify = true): Promise<void> {
  const options: BuildOptions = {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: SERVER_TARGET,
    minify,
    legalComments: 'none',
    charset: 'utf8',
    // The plugin is typed against an older esbuild; its hook API is unchanged.
    plugins: [GasPlugin as unknown as Plugin],
    logLevel: 'warning',
  };
  await build(options);
}

/** Bundles one src-server/lazy/ entry as script text for a project file (see the header). */
export async function buildLazyModule(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: LAZY_MODULE_GLOBAL,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: SERVER_TARGET,
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  return result.outputFiles.map((f) => f.text).join('');
}

function escapeInlineScript(js: string): string {
  // An inline <script> ends at the first "</script"; keep the bundle's text from closing it early.
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Bundles one sidebar surface into a single self-contained HTML document. */
export async function buildSurfaceHtml(entry: string, title: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari15'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    loader: { '.css': 'css', '.svg': 'text' },
    logLevel: 'warning',
  });
  let js = '';
  let css = '';
  for (const file of result.outputFiles) {
    if (file.path.endsWith('.js')) js += file.text;
    else if (file.path.endsWith('.css')) css += file.text;
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><base target="_top">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    css ? `<style>${css.replace(/<\/(style)/gi, '<\\/$1')}</style>` : '',
    '</head><body><div id="app"></div>',
    `<script>${escapeInlineScript(js)}</script>`,
    '</body></html>',
  ].join('');
}

const SURFACE_TITLES: Record<string, string> = {
  sidebar: 'YouTube2Sheets',
  wizard: 'New job',
  manager: 'Job manager',
  calendar: 'Calendar',
  settings: 'Settings',
  diagnostics: 'Diagnostics',
  audit: 'Audit log',
};

export async function buildAll(outDir = join(ROOT, 'build')): Promise<BuildResult> {
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    await buildServerBundle(join(ROOT, 'src-server/main.ts'), join(tmp, 'Code.js'));
    const surfacesDir = join(ROOT, 'src-sidebar/surfaces');
    const surfaces = existsSync(surfacesDir) ? readdirSync(surfacesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')) : [];
    for (const file of surfaces) {
      const name = basename(file, '.ts');
      const html = await buildSurfaceHtml(join(surfacesDir, file), SURFACE_TITLES[name] ?? name);
      writeFileSync(join(tmp, `${name}.html`), html);
    }
    const lazyDir = join(ROOT, 'src-server/lazy');
    for (const file of readdirSync(lazyDir).filter((f) => f.endsWith('.ts'))) {
      writeFileSync(join(tmp, `${basename(file, '.ts')}.html`), await buildLazyModule(join(lazyDir, file)));
    }
    // The OpenAPI document, generated here rather than by every execution that serves it.
    writeFileSync(join(tmp, `${OPENAPI_DOCUMENT_FILE}.html`), openApiTemplateText());
    copyFileSync(join(ROOT, 'appsscript.json'), join(tmp, 'appsscript.json'));
    mkdirSync(outDir, { recursive: true });
    const files: Record<string, number> = {};
    // Drop outputs of surfaces that no longer exist, then move the fresh files in one by one.
    for (const old of readdirSync(outDir)) {
      if (!existsSync(join(tmp, old))) rmSync(join(outDir, old), { recursive: true, force: true });
    }
    for (const name of readdirSync(tmp)) {
      files[name] = readFileSync(join(tmp, name)).length;
      renameSync(join(tmp, name), join(outDir, name));
    }
    return { outDir, files };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  buildAll(process.argv[2] ? resolve(process.argv[2]) : undefined)
    .then(({ outDir, files }) => {
      for (const [name, size] of Object.entries(files)) {
        console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${join(outDir, name)}`);
      }
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
