/** A surface against the in-memory backend, in a chosen viewer time zone, with page errors collected. */
import type { Browser, Page } from 'playwright-core';
import { openSurface } from './browser';
import type { createMockBackend } from './mock-backend';

export type MockBackend = ReturnType<typeof createMockBackend>;

export async function openMockSurface(
  browser: Browser,
  name: string,
  size: [number, number],
  backend: MockBackend,
  options: { viewerZone: string; boot?: string },
): Promise<{ page: Page; errors: string[]; backend: MockBackend }> {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTimezoneOverride', { timezoneId: options.viewerZone });
  await page.setViewportSize({ width: size[0], height: size[1] });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openSurface(page, name, (fn, args) => backend.scriptRun(fn, args), options.boot ?? '');
  return { page, errors, backend };
}

/** The calls the surface made to one server function. */
export const callsTo = (backend: MockBackend, fn: string) => backend.callLog.filter((c) => c.fn === fn);
