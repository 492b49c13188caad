/** Chromium (see scripts/chromium.ts) through playwright-core, with the flags the team uses, and an axe-core check. */
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { injectShim } from '../../../emulator/workspace/shim';
import { findChromium } from '../../../scripts/chromium';

export const ROOT = resolve(__dirname, '../../..');

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  const binary = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'y2s-chromium-'));
  const ownFlags = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-quic',
    '--disable-sync',
  ];
  const headless = binary.args.some((flag) => flag.startsWith('--headless')) ? [] : ['--headless'];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: binary.executablePath,
    headless: true,
    args: [...headless, ...ownFlags, ...binary.args.filter((flag) => !ownFlags.includes(flag))],
  });
  const browser = context.browser() ?? (context as unknown as Browser);
  // launchPersistentContext returns a context; expose the context's newPage through a Browser-like facade.
  const facade = { newPage: () => context.newPage(), contexts: () => [context] } as unknown as Browser;
  void browser;
  return {
    browser: facade,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const builtHtml = (surface: string): string => readFileSync(join(ROOT, 'build', `${surface}.html`), 'utf8');

/**
 * Loads a built surface into `page` with google.script.run answered by `scriptRun` (a mock backend
 * or a runtime), the way the local workspace does it.
 */
export async function openSurface(
  page: Page,
  surface: string,
  scriptRun: (fn: string, args: unknown[]) => unknown,
  extraHtml = '',
): Promise<void> {
  await page.exposeFunction('__y2sScriptRun', (fn: string, args: unknown[]) => scriptRun(fn, args)).catch(() => undefined);
  await page.setContent(injectShim(builtHtml(surface), { transport: 'binding', binding: '__y2sScriptRun', surface }) + extraHtml);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page | Frame): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
