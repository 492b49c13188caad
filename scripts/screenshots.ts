/**
 * `npm run screenshots`: every surface at its real size (sidebar 300 px, dialogs as main.ts opens them)
 * against the real bundle in the local runtime, seeded with a few jobs and a few days of history,
 * plus the local workspace page. Writes screenshots/<surface>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildAll, ROOT } from './build';
import { launchChromium } from '../test/e2e/support/browser';
import { startDevServer } from '../test/e2e/support/dev-server';
import { openSurface } from '../test/e2e/support/browser';
import { createMockBackend } from '../test/e2e/support/mock-backend';

/** Sizes as main.ts opens them (the sidebar's height is the window's). */
export const SURFACE_SIZES: Record<string, [number, number]> = {
  sidebar: [300, 860],
  wizard: [720, 640],
  manager: [1100, 680],
  calendar: [960, 680],
  settings: [600, 640],
  keys: [640, 480],
  audit: [960, 640],
};

async function post(base: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { ok?: boolean; value?: { ok: boolean; data?: unknown; error?: { message: string } } };
  if (path.endsWith('script-run') && !(json.ok && json.value?.ok))
    throw new Error(`${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(json).slice(0, 300)}`);
  return json.value?.data ?? json;
}

async function seed(base: string): Promise<void> {
  const run = (fn: string, ...args: unknown[]) => post(base, '/__emulator/script-run', { fn, args });
  const make = async (config: Record<string, unknown>) => ((await run('createJob', config)) as { job: { id: string } }).job.id;
  const daily = await make({
    name: 'Daily Sync',
    channels: ['@mkbhd'],
    schedule_type: 'daily',
    schedule_value: '09:00',
    target_sheet_id: '',
    target_tab_name: 'Videos',
  });
  const weekly = await make({
    name: 'Competitors weekly',
    channels: ['@mkbhd'],
    schedule_type: 'weekly',
    schedule_value: 'MON,THU@07:30',
    target_tab_name: 'Competitors',
    output_mode: 'append',
    tags: ['research'],
  });
  await make({
    name: 'Shorts tracker',
    channels: ['@mkbhd'],
    schedule_type: 'interval',
    schedule_value: '6h',
    target_tab_name: 'Shorts',
    video_filter: 'shorts',
    priority: 7,
    tags: ['shorts'],
  });
  await run('runJobNow', daily);
  // A few days of scheduled runs for the calendar and the stats.
  await post(base, '/__emulator/advance', { ms: 3 * 86_400_000 });
  await run('pauseJob', weekly);
}

async function shoot(page: Page, file: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(400);
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);
}

async function main(): Promise<void> {
  await buildAll();
  const outDir = join(ROOT, 'screenshots');
  mkdirSync(outDir, { recursive: true });
  const [server, chromium] = await Promise.all([startDevServer(), launchChromium()]);
  try {
    await seed(server.url);
    for (const [surface, [width, height]] of Object.entries(SURFACE_SIZES)) {
      const page = await chromium.browser.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(`${server.url}/__workspace/surface/${surface}`);
      await page.locator('main').waitFor();
      await page
        .locator('.loading')
        .first()
        .waitFor({ state: 'detached', timeout: 30_000 })
        .catch(() => undefined);
      if (surface === 'manager') {
        await page.getByRole('checkbox', { name: 'Select Daily Sync' }).check();
        await page.getByRole('button', { name: 'Show runs of Daily Sync' }).click();
        await page.getByRole('table', { name: 'Recent runs of Daily Sync' }).waitFor();
      }
      if (surface === 'calendar') {
        const day = page.locator('td:has(.chip.succeeded) button.day').first();
        if (await day.count()) await day.click();
      }
      await shoot(page, join(outDir, `${surface}.png`));
      if (surface === 'manager') {
        // An inline edit refused for a channel that does not exist.
        await page.getByRole('button', { name: /^Edit channels of Competitors weekly/ }).click();
        await page.keyboard.press('End');
        await page.keyboard.type(', @nosuchchannel');
        await page.keyboard.press('Enter');
        await page.getByRole('alert').filter({ hasText: 'no such channel' }).waitFor({ timeout: 30_000 });
        await shoot(page, join(outDir, 'manager-edit.png'));
      }
      if (surface === 'sidebar') {
        await page.getByRole('tab', { name: 'Monitor' }).click();
        await shoot(page, join(outDir, 'sidebar-monitor.png'));
      }
      if (surface === 'manager') {
        // Delete names the jobs; after it, one banner with Undo (used, so the seed stays whole).
        await page
          .getByRole('button', { name: 'Cancel' })
          .click()
          .catch(() => undefined);
        await page.getByRole('checkbox', { name: 'Select Shorts tracker' }).check();
        await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Delete' }).click();
        await shoot(page, join(outDir, 'manager-delete.png'));
        await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
        await page.getByRole('button', { name: 'Undo' }).waitFor({ timeout: 30_000 });
        await shoot(page, join(outDir, 'manager-undo.png'));
        await page.getByRole('button', { name: 'Undo' }).click();
        await page.getByText(/^Restored/).waitFor({ timeout: 30_000 });
      }
      if (surface === 'wizard') {
        await page.getByLabel('Job name').fill('Evening uploads');
        await page.getByLabel('Channels').fill('@mkbhd');
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByRole('table', { name: 'Next runs' }).waitFor({ timeout: 30_000 });
        await page.getByLabel('Times').fill('09:00,18:30');
        await page.waitForTimeout(800);
        await shoot(page, join(outDir, 'wizard-schedule.png'));
        // A time the field refuses: the message is on the field, which has focus.
        await page.getByLabel('Times').fill('25:61');
        await page.getByRole('button', { name: 'Next' }).click();
        await page.locator('#f-times-issue').waitFor({ timeout: 30_000 });
        await shoot(page, join(outDir, 'wizard-schedule-error.png'));
        await page.getByRole('radio', { name: 'cron' }).check();
        await page.getByLabel('Cron expression').fill('30 8 * * 1-5');
        await page
          .getByTestId('cron-words')
          .getByText(/Monday through Friday/)
          .waitFor({ timeout: 30_000 });
        await shoot(page, join(outDir, 'wizard-cron.png'));
        await page.getByRole('radio', { name: 'daily' }).check();
        await page.getByLabel('Times').fill('18:30');
        await page.waitForTimeout(800);
        // Step 3: a new tab named after the channel; then "Videos", which Daily Sync writes: marked, a choice to make.
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByText('Step 3 of 5: Output').waitFor({ timeout: 30_000 });
        await page.waitForTimeout(800);
        await shoot(page, join(outDir, 'wizard-output.png'));
        await page.getByRole('radio', { name: 'Existing tab' }).check();
        await page.getByLabel('Tab', { exact: true }).selectOption('Videos');
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByText(/^Shared tab: tick the box/).waitFor({ timeout: 30_000 });
        await shoot(page, join(outDir, 'wizard-output-shared.png'));
        await page.getByRole('radio', { name: 'New tab' }).check();
        for (const step of ['Step 4 of 5: Settings', 'Step 5 of 5: Review']) {
          await page.getByRole('button', { name: 'Next' }).click();
          await page.getByText(step).waitFor({ timeout: 30_000 });
        }
        await shoot(page, join(outDir, 'wizard-review.png'));
        await page.getByRole('button', { name: 'Create job' }).click();
        await page.getByText('Job created').waitFor({ timeout: 30_000 });
        await page.getByRole('button', { name: 'Run now and open the tab' }).click();
        await page.getByTestId('run-result').waitFor({ timeout: 60_000 });
        await shoot(page, join(outDir, 'wizard-done.png'));
      }
      if (surface === 'keys') {
        await page.getByLabel('Key name').fill('Zapier');
        await page.getByRole('radio', { name: /^Read and write/ }).check();
        await page.getByRole('button', { name: 'Create key' }).click();
        await page.getByLabel('New API key').waitFor({ timeout: 30_000 });
        await shoot(page, join(outDir, 'keys-created.png'));
      }
      await page.close();
    }
    // Live run states need a run that takes a while: the in-memory backend answers Run now after 4 s.
    {
      const backend = createMockBackend();
      const page = await chromium.browser.newPage();
      await page.setViewportSize({ width: 300, height: 860 });
      await openSurface(page, 'sidebar', (fn, args) =>
        fn === 'runJobNow'
          ? new Promise((resolve) => setTimeout(() => resolve(backend.scriptRun(fn, args)), 4000))
          : backend.scriptRun(fn, args),
      );
      await page.getByRole('button', { name: 'Run now: Daily Sync' }).click();
      await page.getByText(/150 of 400 videos/).waitFor({ timeout: 10_000 });
      await shoot(page, join(outDir, 'sidebar-running.png'));
      backend.override('runJobNow', ((id: string) => ({
        ...(backend.original('runJobNow', id) as object),
        status: 'failed',
        videos_added: 0,
        error: 'YouTube channels.list failed: channels.list: Backend Error',
      })) as never);
      await page.getByTestId('run-result').waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Run now: Shorts tracker' }).click();
      await page.locator('[data-kind=failed]').waitFor({ timeout: 10_000 });
      await page.locator('[data-kind=failed] summary').click();
      await shoot(page, join(outDir, 'sidebar-run-results.png'));
      await page.close();
    }
    // The local workspace with the sidebar open, at 1280×720, then its dialogs at that size.
    const page = await chromium.browser.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'YouTube2Sheets' }).click();
    await page.getByRole('menuitem', { name: 'Open scheduler' }).click();
    await page.locator('iframe[title="YouTube2Sheets"]').waitFor();
    await page.getByRole('tab', { name: 'Videos' }).click();
    await page.waitForTimeout(1500);
    await shoot(page, join(outDir, 'workspace.png'));
    for (const [item, title, file] of [
      ['Settings…', 'Settings', 'workspace-dialog.png'],
      ['Job manager', 'Job manager', 'workspace-manager.png'],
      ['Calendar', 'Calendar', 'workspace-calendar.png'],
      ['New job…', 'New job', 'workspace-wizard.png'],
      ['API keys…', 'API keys', 'workspace-keys.png'],
      ['Audit log…', 'Audit log', 'workspace-audit.png'],
    ] as const) {
      await page.getByRole('button', { name: 'YouTube2Sheets' }).click();
      await page.getByRole('menuitem', { name: item }).click();
      await page.locator(`iframe[title="${title}"]`).waitFor();
      await page.waitForTimeout(1500);
      if (item === 'Settings…') await page.keyboard.press('Tab'); // focus is inside the dialog
      await shoot(page, join(outDir, file));
      await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).first().click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }
    await page.close();
  } finally {
    await chromium.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
