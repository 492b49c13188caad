/**
 * The local workspace against the real bundle in the local runtime (the dev server `npm start` runs):
 * a newcomer's path through the menu, the wizard, the job manager, the tab filling with rows, the
 * calendar, API keys and the sidebar — with an axe-core check of every surface on the way.
 */
import type { Frame, Page } from 'playwright-core';
import { launchChromium, seriousAxeViolations, type LaunchedBrowser } from './support/browser';
import { startDevServer, type RunningServer } from './support/dev-server';
import { clickMenu, surfaceFrameOf } from './support/workspace-page';

jest.setTimeout(240_000);

let chromium: LaunchedBrowser;
let server: RunningServer;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [chromium, server] = await Promise.all([launchChromium(), startDevServer()]);
  page = await chromium.browser.newPage();
  await page.setViewportSize({ width: 1400, height: 900 });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('frameattached', () => undefined);
  await page.goto(`${server.url}/`);
});
afterAll(async () => {
  await chromium?.close();
  await server?.stop();
});

const menu = (item: string): Promise<void> => clickMenu(page, item);

const surfaceFrame = (title: string): Promise<Frame> => surfaceFrameOf(page, title);

async function expectAccessible(frame: Frame): Promise<void> {
  const violations = await seriousAxeViolations(frame);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** The rows of the hidden `_y2s_audit` tab, read from the workspace's state (hidden tabs included). */
async function auditRows(): Promise<{ at: string; actor: string; action: string; job_id: string; changes: string }[]> {
  const state = (await (await fetch(`${server.url}/__workspace/state`)).json()) as {
    spreadsheet: { tabs: { name: string; hidden: boolean; values: string[][] }[] };
  };
  const tab = state.spreadsheet.tabs.find((t) => t.name === '_y2s_audit');
  if (!tab) return [];
  const [header, ...rows] = tab.values;
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, String(row[i] ?? '')]))) as never;
}

async function closeDialog(): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).first().click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

test("the menu is the script's own, built by onOpen", async () => {
  await page.getByRole('button', { name: 'YouTube2Sheets' }).click();
  const items = await page.getByRole('menuitem').allTextContents();
  expect(items).toEqual([
    'Open scheduler',
    'Job manager',
    'New job…',
    'Calendar',
    'Run due jobs now',
    'Sync this tab now',
    'API keys…',
    'Settings…',
    'Repair triggers',
    'Take over scheduling',
    'Diagnostics…',
    'Audit log…',
  ]);
  await page.keyboard.press('Escape');
});

test('create the "Daily Sync" job through the wizard', async () => {
  await menu('New job…');
  const wizard = await surfaceFrame('New job');
  await expectAccessible(wizard);
  await wizard.getByLabel('Job name').fill('Daily Sync');
  await wizard.getByLabel('Channels').fill('@mkbhd');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByText('Step 2 of 5: Schedule').waitFor({ timeout: 30_000 });
  await wizard.getByRole('table', { name: 'Next runs' }).waitFor({ timeout: 30_000 });
  expect(await wizard.getByRole('table', { name: 'Next runs' }).locator('tbody tr').count()).toBe(5);
  await expectAccessible(wizard);

  // Active window: the server's message for an end before the start, then a start the preview honours.
  const zone = await wizard.getByLabel('Time zone').inputValue();
  const { now } = (await (await fetch(`${server.url}/__workspace/state`)).json()) as { now: string };
  const startDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.parse(now) + 10 * 86_400_000),
  );
  await wizard.getByLabel('Starts', { exact: true }).fill(`${startDay}T08:00`);
  await wizard.getByLabel('Ends', { exact: true }).fill(`${startDay}T07:00`);
  await wizard.getByText(/must not be before start_at/).waitFor({ timeout: 30_000 });
  expect(await wizard.getByRole('table', { name: 'Next runs' }).count()).toBe(0);
  await wizard.getByLabel('Ends', { exact: true }).fill('');
  const firstRun = 'table[aria-label="Next runs"] tbody tr:first-child td:nth-child(2)';
  const dayLabel = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(
    new Date(`${startDay}T12:00:00Z`),
  );
  await wizard.locator(firstRun, { hasText: `${dayLabel}, 09:00` }).waitFor({ timeout: 30_000 });
  expect(await wizard.getByText(/must not be before start_at/).count()).toBe(0);
  await expectAccessible(wizard);
  // The job itself starts now and ends far away (the tests below run it today).
  await wizard.getByLabel('Starts', { exact: true }).fill('');
  await wizard.getByLabel('Ends', { exact: true }).fill('2099-12-31T23:00');
  await wizard.locator(firstRun, { hasNotText: dayLabel }).waitFor({ timeout: 30_000 });

  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByText('Step 3 of 5: Output').waitFor({ timeout: 30_000 });
  // A new tab named after the channel is the default; this walkthrough names it "Videos" (no such tab yet).
  expect(await wizard.getByRole('radio', { name: 'New tab' }).isChecked()).toBe(true);
  await wizard.waitForFunction(() => ((document.getElementById('f-tab') as HTMLInputElement | null)?.value ?? '') !== '', null, {
    timeout: 30_000,
  });
  expect(await wizard.getByLabel('New tab name').inputValue()).toMatch(/\S/);
  await wizard.getByLabel('New tab name').fill('Videos');
  await expectAccessible(wizard);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByText('Step 4 of 5: Settings').waitFor({ timeout: 30_000 });
  await expectAccessible(wizard);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByText('Step 5 of 5: Review').waitFor({ timeout: 30_000 });
  const summary = wizard.getByRole('table', { name: 'Job summary' });
  expect(await summary.getByRole('row', { name: /^Starts/ }).textContent()).toContain('now');
  expect(await summary.getByRole('row', { name: /^Ends/ }).textContent()).toContain(`2099-12-31 23:00 (${zone})`);
  await expectAccessible(wizard);
  await wizard.getByRole('button', { name: 'Create job' }).click();
  await wizard.getByText('Job created').waitFor({ timeout: 30_000 });
  await wizard.getByText(/until 2099-12-31 23:00/).waitFor(); // the saved job keeps its end
  await wizard.getByRole('button', { name: 'Done' }).click();
  // google.script.host.close() closes the dialog.
  await page.getByRole('dialog').waitFor({ state: 'detached' });
});

test('see it in the job manager, run it now, and watch rows land in the tab; pause it with a bulk action', async () => {
  await menu('Job manager');
  const manager = await surfaceFrame('Job manager');
  await manager.getByRole('row', { name: /Daily Sync/ }).waitFor({ timeout: 30_000 });
  await expectAccessible(manager);

  await manager.getByRole('checkbox', { name: 'Select Daily Sync' }).check();
  await manager.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Run now' }).click();
  await manager.getByText(/Ran 1 job\(s\)\. Daily Sync: succeeded, \d+ added/).waitFor({ timeout: 60_000 });
  await manager.getByRole('button', { name: 'Show runs of Daily Sync' }).click();
  await manager.getByRole('table', { name: 'Recent runs of Daily Sync' }).getByText('succeeded').waitFor({ timeout: 30_000 });
  await expectAccessible(manager);
  await closeDialog();

  // The workspace shows the new tab, and its grid filled with the videos.
  await page.getByRole('tab', { name: 'Videos' }).click({ timeout: 30_000 });
  const grid = page.getByRole('table', { name: 'Videos' });
  await grid.getByRole('cell', { name: 'video_id', exact: true }).waitFor({ timeout: 30_000 });
  expect(await grid.locator('tbody tr:nth-child(3) td').first().textContent()).toMatch(/\S/);

  await menu('Job manager');
  const again = await surfaceFrame('Job manager');
  await again.getByRole('checkbox', { name: 'Select Daily Sync' }).check({ timeout: 30_000 });
  await again.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Pause' }).click();
  await again.getByText('Paused 1 of 1 job(s).').waitFor({ timeout: 30_000 });
  await again
    .getByRole('row', { name: /Daily Sync/ })
    .first()
    .getByText('paused', { exact: true })
    .waitFor({ timeout: 30_000 });
  await closeDialog();
});

test('see it on the calendar', async () => {
  await menu('Calendar');
  const calendar = await surfaceFrame('Calendar');
  await calendar.getByRole('grid').waitFor({ timeout: 30_000 });
  await calendar.locator('.chip', { hasText: 'Daily Sync' }).first().waitFor({ timeout: 30_000 });
  await expectAccessible(calendar);
  await closeDialog();
});

test('Diagnostics… runs the platform self-test in the local runtime: every check passes', async () => {
  await menu('Diagnostics…');
  const diagnostics = await surfaceFrame('Diagnostics');
  await diagnostics.getByText(/^Every check passed/).waitFor({ timeout: 60_000 });
  expect(await diagnostics.locator('tbody .badge').allTextContents()).toEqual(Array(11).fill('Pass'));
  await expectAccessible(diagnostics);
  await closeDialog();
});

test('create and revoke an API key', async () => {
  await menu('API keys…');
  const keys = await surfaceFrame('API keys');
  await expectAccessible(keys);
  await keys.getByLabel('Key name').fill('CI key');
  await keys.getByRole('radio', { name: /^Read and write/ }).check();
  await keys.getByRole('button', { name: 'Create key' }).click();
  const secret = await keys.getByLabel('New API key').inputValue({ timeout: 30_000 });
  expect(secret).toMatch(/^y2s_k_[0-9a-f]{8}_/);
  await expectAccessible(keys);
  await keys.getByRole('button', { name: 'Done' }).click();
  expect(await keys.getByText(secret).count()).toBe(0); // shown once
  await keys.getByRole('button', { name: 'Revoke CI key' }).click();
  await keys.getByRole('button', { name: 'Confirm revoking CI key' }).click();
  await keys
    .getByRole('row', { name: /CI key/ })
    .getByText('revoked')
    .waitFor({ timeout: 30_000 });
  await closeDialog();

  // Both changes are in the hidden audit tab, naming the owner and the key.
  const keyId = /^y2s_(k_[0-9a-f]{8})_/.exec(secret)![1];
  const audit = (await auditRows()).filter((r) => r.action.startsWith('key.'));
  expect(audit.map((r) => [r.actor, r.action, JSON.parse(r.changes).key_id])).toEqual([
    ['user:owner@example.com', 'key.create', keyId],
    ['user:owner@example.com', 'key.revoke', keyId],
  ]);
});

test('menu actions answer with an alert: run due jobs, sync this tab', async () => {
  await menu('Run due jobs now');
  await page
    .getByRole('dialog')
    .getByText(/^Ran \d+ due job\(s\)\.$/)
    .waitFor({ timeout: 60_000 });
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await page.getByRole('tab', { name: 'Sheet1' }).click();
  await menu('Sync this tab now');
  await page.getByRole('dialog').getByText('No job writes the tab “Sheet1”.').waitFor({ timeout: 60_000 });
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  // Selecting a tab makes it the active sheet, as in Sheets.
  await page.getByRole('tab', { name: 'Videos' }).click();
  await menu('Sync this tab now');
  await page
    .getByRole('dialog')
    .getByText(/^Synced “Videos” with 1 job\(s\)/)
    .waitFor({ timeout: 60_000 });
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
});

test('settings: the web API rate limit is validated by the server and saved', async () => {
  await menu('Settings…');
  const settings = await surfaceFrame('Settings');
  await settings.getByLabel('Daily YouTube quota budget').waitFor({ timeout: 30_000 });
  const rateLimit = settings.getByLabel('Web API requests per minute');
  expect(await rateLimit.inputValue()).toBe('60');
  await rateLimit.fill('0');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings
    .locator('#s-rate_limit_per_minute-issue', { hasText: 'expected a whole number from 1 to 1000' })
    .waitFor({ timeout: 30_000 });
  expect(await rateLimit.getAttribute('aria-invalid')).toBe('true');
  await expectAccessible(settings);
  await rateLimit.fill('120');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings.getByText('Saved.').waitFor({ timeout: 30_000 });
  await closeDialog();

  await menu('Settings…');
  const reopened = await surfaceFrame('Settings');
  await reopened.getByLabel('Daily YouTube quota budget').waitFor({ timeout: 30_000 });
  expect(await reopened.getByLabel('Web API requests per minute').inputValue()).toBe('120');
  await closeDialog();
});

/** Where focus is in the workspace page: inside the open dialog (its iframe counts), and on what. */
const focusInfo = () =>
  page.evaluate(() => {
    const active = document.activeElement;
    const dialog = document.querySelector('[role=dialog]');
    return {
      inDialog: !!dialog && !!active && dialog.contains(active),
      what: active instanceof HTMLIFrameElement ? 'frame' : (active?.getAttribute('aria-label') ?? active?.textContent ?? ''),
    };
  });

test('dialogs trap focus, close with Escape (also from inside the surface) and give focus back to the opener', async () => {
  await menu('Settings…');
  const settings = await surfaceFrame('Settings');
  await settings.getByLabel('Daily YouTube quota budget').waitFor({ timeout: 30_000 });
  expect((await focusInfo()).inDialog).toBe(true);

  // Tab through everything twice over: focus never leaves the dialog, and comes round to its ✕.
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo();
    expect(f).toMatchObject({ inDialog: true });
    seen.add(f.what);
  }
  expect([...seen].sort()).toEqual(['Close', 'frame']);
  // Shift+Tab from ✕ goes round to the surface's last control.
  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).focus();
  await page.keyboard.press('Shift+Tab');
  expect(await focusInfo()).toEqual({ inDialog: true, what: 'frame' });
  expect(await settings.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');

  // Escape inside the surface closes the dialog; focus goes back to the menu that opened it.
  await settings.getByLabel('Daily YouTube quota budget').focus();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('YouTube2Sheets');

  // An alert: Tab cycles between its two buttons; Escape on the page closes it.
  await menu('Run due jobs now');
  await page.getByRole('dialog').getByRole('button', { name: 'OK' }).waitFor({ timeout: 60_000 });
  const names: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo();
    expect(f.inDialog).toBe(true);
    names.push(f.what);
  }
  expect(names).toEqual(['Close', 'OK', 'Close', 'OK']);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('YouTube2Sheets');
});

test('the sidebar and settings show the job and pass the axe check', async () => {
  await menu('Open scheduler');
  const sidebar = await surfaceFrame('YouTube2Sheets');
  await sidebar.getByText('Daily Sync').first().waitFor({ timeout: 30_000 });
  await sidebar.getByText('paused', { exact: true }).waitFor();
  await expectAccessible(sidebar);
  // The open sidebar makes nothing scroll sideways (its 300 px frame fits beside its border).
  expect(
    await page.evaluate(() =>
      [document.documentElement, document.body, document.querySelector('.sidebar')!].map((e) => e.scrollWidth - e.clientWidth),
    ),
  ).toEqual([0, 0, 0]);
  // A toast is not hidden behind the grid's row numbers.
  const toastTop = await page.evaluate(() => {
    const toast = document.getElementById('status')!;
    toast.textContent = 'A toast';
    toast.classList.add('on');
    toast.style.pointerEvents = 'auto'; // hit-testable for elementFromPoint
    const r = toast.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + 2, r.top + r.height / 2);
    toast.classList.remove('on');
    toast.style.pointerEvents = '';
    return hit === toast || toast.contains(hit);
  });
  expect(toastTop).toBe(true);
  await sidebar.getByRole('tab', { name: 'Monitor' }).click();
  await sidebar.getByText('YouTube quota today').waitFor();
  // The server's 24 h counts: the runs of the tests above ended within the last 24 h.
  expect(await sidebar.getByTestId('monitor-counts').textContent()).toMatch(/^\d+ runs?: \d+ succeeded, \d+ failed, \d+ partial$/);
  await expectAccessible(sidebar);

  await menu('Settings…');
  const settings = await surfaceFrame('Settings');
  await settings.getByLabel('Daily YouTube quota budget').waitFor({ timeout: 30_000 });
  await expectAccessible(settings);
  await closeDialog();
  expect(pageErrors).toEqual([]);
});

test('the wizard with unsaved changes: Escape and ✕ ask before discarding; a clean one closes at once', async () => {
  await menu('New job…');
  let wizard = await surfaceFrame('New job');
  await wizard.getByLabel('Job name').waitFor({ timeout: 30_000 });
  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await menu('New job…');
  wizard = await surfaceFrame('New job');
  await wizard.getByLabel('Job name').fill('Half done');
  await wizard.getByLabel('Job name').press('Escape');
  const confirm = wizard.getByRole('alertdialog', { name: 'Discard changes?' });
  await confirm.waitFor();
  expect(await wizard.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing');
  await confirm.getByRole('button', { name: 'Keep editing' }).click();
  await confirm.waitFor({ state: 'detached' });

  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
  await confirm.waitFor();
  await page.waitForTimeout(1800); // longer than the workspace waits for an answer
  expect(await page.getByRole('dialog').count()).toBe(1);
  expect(await wizard.getByLabel('Job name').inputValue()).toBe('Half done');
  await confirm.getByRole('button', { name: 'Discard' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  expect(pageErrors).toEqual([]);
});
