/**
 * Each built surface in Chromium with google.script.run answered by an in-memory backend (the same
 * shim the local workspace injects): accessibility, states, text safety, the monitor's polling rule,
 * and the shim's google.script.run semantics.
 */
import type { Page } from 'playwright-core';
import { launchChromium, openSurface, seriousAxeViolations, type LaunchedBrowser } from './support/browser';
import { createMockBackend } from './support/mock-backend';

jest.setTimeout(120_000);

let chromium: LaunchedBrowser;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

async function surface(name: string, size: [number, number], backend = createMockBackend(), fakeClock = false) {
  const page = await chromium.browser.newPage();
  if (fakeClock) await page.clock.install();
  await page.setViewportSize({ width: size[0], height: size[1] });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const calls: string[] = [];
  await openSurface(page, name, (fn, args) => {
    calls.push(fn);
    return backend.scriptRun(fn, args);
  });
  return { page, errors, calls, backend };
}

async function expectAccessible(page: Page) {
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('sidebar: summary, job list and actions; monitor polls only while its tab is shown and the page visible', async () => {
  const { page, errors, calls, backend } = await surface('sidebar', [300, 800], createMockBackend(), true);
  await page.getByText('Daily Sync').first().waitFor();
  expect(await page.getByText('Jobs (3)').count()).toBe(1);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Run now: Daily Sync' }).click();
  // The run's outcome shows under its job.
  const dailyItem = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Edit Daily Sync' }) });
  await dailyItem
    .getByTestId('run-result')
    .getByText(/Finished: 12 added/)
    .waitFor();

  // Virtual timers: the 2 s polling is checked without waiting for real time.
  const polls = () => calls.filter((c) => c === 'monitorView').length;
  // Half-second steps (each poll waits 2 s after the previous answer), until `n` polls were made.
  const advanceUntil = async (n: number) => {
    for (let i = 0; i < 60 && polls() < n; i++) await page.clock.runFor(500);
  };
  await page.clock.runFor(10_000);
  expect(polls()).toBe(0); // overview tab: no polling

  await page.getByRole('tab', { name: 'Monitor' }).click();
  await page.getByText('Running now').waitFor();
  await expectAccessible(page);
  await advanceUntil(2);
  expect(polls()).toBe(2);

  // Hidden page: no more polls.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.clock.runFor(10_000);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  expect(polls()).toBe(2);

  // Visible again: polling resumes; back on the overview tab: it stops.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await advanceUntil(3);
  expect(polls()).toBe(3);
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.clock.runFor(10_000);
  expect(polls()).toBe(3);

  // Nothing running: the polls back off (2 s, then 5, 10, 20, 30 s) instead of one every 2 s.
  backend.override('monitorView', () => ({ ...(backend.original('monitorView') as object), running: [] }));
  await page.getByRole('tab', { name: 'Monitor' }).click();
  for (let i = 0; i < 120; i++) await page.clock.runFor(500); // one minute
  const idle = polls() - 3;
  expect(idle).toBeGreaterThanOrEqual(3); // at 2, 7, 17 and 37 s ...
  expect(idle).toBeLessThanOrEqual(5); // ... where a fixed 2 s would have made 30
  await page.getByText('No job is running.').waitFor();
  expect(errors).toEqual([]);
  await page.close();
});

test('wizard: every step is accessible, channel problems are shown per field, the job is created', async () => {
  const { page, errors, calls } = await surface('wizard', [720, 640]);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Job name: give the job a name').waitFor();

  await page.getByLabel('Job name').fill('Daily Sync');
  await page.getByLabel('Channels').fill('@mkbhd\n@nosuchchannel');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('@nosuchchannel: no such channel').first().waitFor();
  await page.getByLabel('Channels').fill('@mkbhd');
  await page.getByRole('button', { name: 'Check channels' }).click();
  await page.getByText('1,650 videos').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByText('Step 2 of 5: Schedule').waitFor();
  await page.getByRole('table', { name: 'Next runs' }).waitFor();
  expect(await page.getByRole('table', { name: 'Next runs' }).locator('tbody tr').count()).toBe(5);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 3 of 5: Output').waitFor();
  // A new tab named after the channel is the default (no other job writes it).
  expect(await page.getByRole('radio', { name: 'New tab' }).isChecked()).toBe(true);
  await page.waitForFunction(() => (document.getElementById('f-tab') as HTMLInputElement | null)?.value === 'Marques Brownlee', null, {
    timeout: 5_000,
  });
  expect(await page.getByLabel('New tab name').inputValue()).toBe('Marques Brownlee');
  await expectAccessible(page);
  // Existing tab: the first one no job writes is chosen; tabs other jobs write are marked.
  await page.getByRole('radio', { name: 'Existing tab' }).check();
  expect(await page.getByLabel('Tab', { exact: true }).inputValue()).toBe('Sheet1');
  expect(await page.getByRole('option', { name: 'Videos — written by Daily Sync' }).count()).toBe(1);
  await page.getByLabel('Tab', { exact: true }).selectOption('Videos');
  await page.getByTestId('shared-tab').waitFor();
  await expectAccessible(page);
  await page.getByRole('radio', { name: 'New tab' }).check();
  await page.getByLabel('New tab name').fill('Daily');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 4 of 5: Settings').waitFor();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 5 of 5: Review').waitFor();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create job' }).click();
  await page.getByText('Job created').waitFor();
  expect(calls).toContain('createJob');
  expect(errors).toEqual([]);
  await page.close();
});

test('wizard edit mode loads the job named in the boot data', async () => {
  const backend = createMockBackend();
  backend.scriptRun('patchJob', ['j_daily1', { start_at: '2026-02-01T14:00:00Z', end_at: '2026-03-01T18:30' }]);
  const page = await chromium.browser.newPage();
  await openSurface(
    page,
    'wizard',
    (fn, args) => backend.scriptRun(fn, args),
    '<script type="application/json" id="y2s-boot">{"jobId":"j_daily1"}</script>',
  );
  await page.getByRole('heading', { name: 'Edit “Daily Sync”' }).waitFor();
  expect(await page.getByLabel('Job name').inputValue()).toBe('Daily Sync');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 2 of 5: Schedule').waitFor();
  // Bounds as local date-times in the job's zone: an offset bound shows the same instant there.
  expect(await page.getByLabel('Starts', { exact: true }).inputValue()).toBe('2026-02-01T09:00');
  expect(await page.getByLabel('Ends', { exact: true }).inputValue()).toBe('2026-03-01T18:30');
  await page.close();
});

test('job manager: sort indicators, selection, bulk pause, context menu, inline edit, text stays text', async () => {
  const backend = createMockBackend();
  // A job name with markup must render as text.
  backend.scriptRun('createJob', [
    {
      name: '<img src=x onerror="window.__pwned=1">',
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '10:00',
      target_tab_name: 'X',
    },
  ]);
  const { page, errors } = await surface('manager', [1100, 680], backend);
  await page.getByText('Competitors weekly').waitFor();
  await expectAccessible(page);
  expect(await page.getByText('<img src=x onerror="window.__pwned=1">').count()).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  const nameHeader = page.getByRole('columnheader', { name: /Name/ });
  expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
  await page.getByRole('button', { name: /^Name/ }).click();
  expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');

  await page.getByRole('checkbox', { name: 'Select Daily Sync' }).check();
  await page.getByText('1 selected').waitFor();
  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Pause' }).click();
  await page.getByText('Paused 1 of 1 job(s).').waitFor();
  // The selection survives the refresh that follows.
  expect(await page.getByRole('checkbox', { name: 'Select Daily Sync' }).isChecked()).toBe(true);

  await page.getByRole('row', { name: /Shorts tracker/ }).click({ button: 'right' });
  await page.getByRole('menu', { name: 'Actions for Shorts tracker' }).waitFor();
  await expectAccessible(page);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: /Edit schedule of Daily Sync/ }).click();
  await page.getByLabel('Schedule of Daily Sync').fill('08:30');
  await page.keyboard.press('Enter');
  await page.getByText('Saved “Daily Sync”.').waitFor();
  await page.getByRole('button', { name: /Edit schedule of Daily Sync: daily 08:30/ }).waitFor();

  await page.getByRole('button', { name: 'Show runs of Daily Sync' }).click();
  await page.getByRole('table', { name: 'Recent runs of Daily Sync' }).waitFor();
  await expectAccessible(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'YAML' }).click()]);
  expect(download.suggestedFilename()).toBe('youtube2sheets-jobs.yaml');
  expect(errors).toEqual([]);
  await page.close();
});

test('job manager: server pages beyond 200 jobs, keyboard page controls, selection limited to the page shown', async () => {
  const backend = createMockBackend();
  for (let i = 1; i <= 230; i++) {
    backend.scriptRun('createJob', [
      {
        name: `Bulk job ${String(i).padStart(3, '0')}`,
        channels: ['@mkbhd'],
        schedule_type: 'daily',
        schedule_value: '10:00',
        target_tab_name: 'X',
      },
    ]);
  }
  const { page, errors } = await surface('manager', [1100, 680], backend);
  await page.getByText('Page 1 of 5 · jobs 1–50 of 233').waitFor();
  expect(backend.listQueries.at(-1)).toMatchObject({ page: 1, page_size: 50, sort: 'name', order: 'asc' });
  expect(await page.getByRole('checkbox', { name: /^Select Bulk job/ }).count()).toBe(50);
  await page.getByRole('checkbox', { name: 'Select Bulk job 001' }).check();
  await page.getByText('1 selected on this page').waitFor();
  await page.getByText(/Selection applies to the page shown; changing page clears it\./).waitFor();
  await expectAccessible(page);

  // Keyboard only: the page controls are buttons in the tab order.
  await page.getByRole('button', { name: 'Next page' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Page 2 of 5 · jobs 51–100 of 233').waitFor();
  // The label follows the click at once; the rows follow the server's answer.
  await page.getByRole('checkbox', { name: 'Select Bulk job 051' }).waitFor();
  expect(backend.listQueries.at(-1)).toMatchObject({ page: 2, page_size: 50 });
  await page.getByText('Select jobs on this page for bulk actions').waitFor(); // the page-1 selection is gone

  // At most 50 a page (google.script.run answers stay small at any job count): the jobs beyond 200 are on page 5.
  expect(await page.getByLabel('Jobs per page').locator('option').allTextContents()).toEqual(['25', '50']);
  await page.getByRole('button', { name: 'Last page' }).click();
  await page.getByText('Page 5 of 5 · jobs 201–233 of 233').waitFor();
  await page.getByRole('checkbox', { name: 'Select Bulk job 201' }).waitFor();
  expect(backend.listQueries.at(-1)).toMatchObject({ page: 5, page_size: 50 });
  expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  await page.getByRole('checkbox', { name: 'Select all jobs on this page' }).check();
  await page.getByText('33 selected on this page').waitFor();
  await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Pause' }).click();
  await page.getByText('Paused 33 of 33 job(s).').waitFor();

  // A new search starts again at page 1.
  await page.getByLabel('Search jobs').fill('Bulk job 1');
  await page.getByText('Page 1 of 2 · jobs 1–50 of 100').waitFor();
  await page.getByRole('checkbox', { name: 'Select Bulk job 100' }).waitFor();
  expect(backend.listQueries.at(-1)).toMatchObject({ page: 1, q: 'Bulk job 1' });
  expect(errors).toEqual([]);
  await page.close();
});

test('calendar: month grid with coloured occurrences, day panel, accessible', async () => {
  const { page, errors } = await surface('calendar', [960, 680]);
  await page.getByRole('grid').waitFor();
  await page.locator('#d-2026-01-05').click();
  await page.getByRole('complementary', { name: 'Selected day' }).getByText('Daily Sync').first().waitFor();
  expect(await page.locator('.chip.failed').count()).toBeGreaterThan(0);
  expect(await page.locator('.chip.succeeded').count()).toBeGreaterThan(0);
  expect(await page.locator('.chip.scheduled').count()).toBeGreaterThan(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: /Next/ }).click();
  await page.getByRole('heading', { name: 'February 2026' }).waitFor();
  expect(errors).toEqual([]);
  await page.close();
});

test('settings and API keys: save, create shows the key once, revoke', async () => {
  const { page, errors } = await surface('settings', [600, 640]);
  await page.getByLabel('Daily YouTube quota budget').waitFor();
  await expectAccessible(page);
  await page.getByLabel('Daily YouTube quota budget').fill('5000');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByLabel('Key name').fill('CI');
  // The scope has no default: without a choice the key is not created.
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByText('Scope: choose what the key may do').waitFor();
  await page.getByRole('radio', { name: /^Read only/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = await page.getByLabel('New API key').inputValue();
  expect(secret).toMatch(/^y2s_k_/);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Done' }).click();
  expect(await page.getByLabel('New API key').count()).toBe(0);
  await page.getByRole('button', { name: 'Revoke CI' }).click();
  await page.getByRole('button', { name: 'Confirm revoking CI' }).click();
  await page.getByRole('row', { name: /CI/ }).getByText('revoked').waitFor();
  expect(errors).toEqual([]);
  await page.close();
});

test('keys surface is accessible', async () => {
  const { page } = await surface('keys', [640, 480]);
  await page.getByText('Zapier').waitFor();
  await expectAccessible(page);
  await page.close();
});

test('the google.script.run shim: chaining, user object, success and failure handlers', async () => {
  const backend = createMockBackend();
  const page = await chromium.browser.newPage();
  await openSurface(page, 'keys', (fn, args) => backend.scriptRun(fn, args));
  const result = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve) => {
        type Runner = Record<string, (...a: unknown[]) => Runner>;
        const run = (window as unknown as { google: { script: { run: Runner } } }).google.script.run;
        const out: unknown[] = [];
        run.withSuccessHandler!((value: unknown, user: unknown) => {
          out.push(['ok', (value as { ok: boolean }).ok, user]);
          run.withFailureHandler!((e: unknown, user2: unknown) => {
            out.push(['fail', (e as Error).message, user2]);
            resolve(out);
          }).withUserObject!('second').noSuchFunction!();
        }).withUserObject!({ tag: 7 }).getSettings!();
      }),
  );
  expect(result).toEqual([
    ['ok', true, { tag: 7 }],
    ['fail', 'Script function not found: noSuchFunction', 'second'],
  ]);
  await page.close();
});
