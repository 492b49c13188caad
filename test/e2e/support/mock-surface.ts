/** A surface against the in-memory backend, in a chosen viewer time zone, with page errors collected. */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { openSurface } from './browser';
import type { createMockBackend } from './mock-backend';

export type MockBackend = ReturnType<typeof createMockBackend>;

/** CDP sessions of the open mock surfaces that set a time zone override. */
const overrides = new Set<CDPSession>();

export async function openMockSurface(
  browser: Browser,
  name: string,
  size: [number, number],
  backend: MockBackend,
  options: { viewerZone: string; boot?: string },
): Promise<{ page: Page; errors: string[]; backend: MockBackend }> {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: options.viewerZone });
  } catch (err) {
    // A single-process Chromium (the @sparticuz/chromium build, scripts/chromium.ts) has one renderer
    // for every page: an override another open page set holds for all. The newest page wins (a page
    // left open by a failed test must not fail every later one).
    if (!/already in effect/.test(String(err))) throw err;
    for (const other of overrides)
      if (other !== cdp) await other.send('Emulation.setTimezoneOverride', { timezoneId: '' }).catch(() => undefined);
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: options.viewerZone });
  }
  overrides.add(cdp);
  // Closing the page lifts its override, so the next page may choose another zone.
  const close = page.close.bind(page);
  page.close = async (opts) => {
    overrides.delete(cdp);
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: '' }).catch(() => undefined);
    return close(opts);
  };
  await page.setViewportSize({ width: size[0], height: size[1] });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openSurface(page, name, (fn, args) => backend.scriptRun(fn, args), options.boot ?? '');
  return { page, errors, backend };
}

/** The calls the surface made to one server function. */
export const callsTo = (backend: MockBackend, fn: string) => backend.callLog.filter((c) => c.fn === fn);
