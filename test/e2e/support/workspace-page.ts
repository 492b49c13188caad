/** The local workspace page as a user drives it: its spreadsheet menu and the sidebar/dialog iframes. */
import type { Frame, Page } from 'playwright-core';

/** Clicks an item of the YouTube2Sheets menu. */
export async function clickMenu(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'YouTube2Sheets' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/**
 * The frame of the newest sidebar/dialog iframe with this title, once its surface has rendered (a
 * surface reopened while the old one closes may briefly have no frame yet).
 */
export async function surfaceFrameOf(page: Page, title: string): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    const handle = await page.locator(`iframe[title="${title}"]`).last().elementHandle({ timeout: 30_000 });
    const frame = await handle?.contentFrame();
    if (frame) {
      await frame.locator('main').waitFor();
      return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no frame titled ${title}`);
}
