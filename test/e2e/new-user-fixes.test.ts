/**
 * Second new-user walkthrough: each gap it found in the Sheets UI, checked in Chromium against the
 * in-memory backend (test/e2e/support/mock-backend.ts).
 */
import type { Page } from 'playwright-core';
import { launchChromium, openSurface, seriousAxeViolations, type LaunchedBrowser } from './support/browser';
import { appError, createMockBackend } from './support/mock-backend';
import { callsTo, openMockSurface, type MockBackend } from './support/mock-surface';

jest.setTimeout(120_000);

let chromium: LaunchedBrowser;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

type Backend = MockBackend;

async function surface(name: string, size: [number, number], backend: Backend = createMockBackend(), boot = '', viewerZone = 'Asia/Tokyo') {
  return openMockSurface(chromium.browser, name, size, backend, { viewerZone, boot });
}

const calls = callsTo;
const activeLabel = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
/**
 * Surfaces move focus and set the title in effects, which run after the render a locator already
 * sees (late on a loaded single-process Chromium): wait for them before reading or typing.
 */
const settled = (page: Page, check: () => boolean) => page.waitForFunction(check, undefined, { timeout: 5_000 }).catch(() => undefined);

/** Fills step 1 and moves on to `to` (1-based) with Next. */
async function wizardTo(page: Page, to: number) {
  await page.getByLabel('Job name').fill('Sync');
  await page.getByLabel('Channels').fill('@mkbhd');
  for (let s = 2; s <= to; s++) {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(`Step ${s} of 5`).waitFor();
  }
}

describe('wizard', () => {
  test('1. "Another spreadsheet" needs its id or URL', async () => {
    const { page, backend, errors } = await surface('wizard', [720, 640]);
    await wizardTo(page, 3);
    await page.getByRole('radio', { name: 'Another spreadsheet' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('#f-sheet-issue', { hasText: "Spreadsheet id or URL: enter the other spreadsheet's id or URL" }).waitFor();
    expect(await page.getByText('Step 3 of 5: Output').count()).toBe(1);
    await page.getByLabel('Spreadsheet id or URL').fill('1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEf');
    expect(await page.locator('#f-sheet-issue').count()).toBe(0);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 4 of 5: Settings').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByText('Job created').waitFor();
    expect((calls(backend, 'createJob')[0]!.args[0] as Record<string, unknown>).target_sheet_id).toBe(
      '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEf',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  test('3. closing with unsaved changes asks first; a clean wizard closes at once', async () => {
    const { page, errors } = await surface('wizard', [720, 640]);

    await page.getByLabel('Job name').waitFor();
    // Record host closes and whether an Escape reached the window unhandled (the host then closes the dialog).
    await page.evaluate(() => {
      const w = window as unknown as { __closed: number; __escapes: boolean[]; google: { script: { host: { close(): void } } } };
      w.__closed = 0;
      w.__escapes = [];
      w.google.script.host.close = () => {
        w.__closed++;
      };
      window.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') w.__escapes.push(e.defaultPrevented);
      });
    });
    const state = () =>
      page.evaluate(() => {
        const w = window as unknown as { __closed: number; __escapes: boolean[] };
        return { closed: w.__closed, escapes: w.__escapes };
      });
    await page.waitForTimeout(500); // the settings' zone has arrived: still a clean form
    await page.keyboard.press('Escape');
    expect(await state()).toEqual({ closed: 0, escapes: [false] });
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await state()).toEqual({ closed: 1, escapes: [false] });

    await page.getByLabel('Job name').fill('Sync');
    await page.keyboard.press('Escape');
    const confirm = page.getByRole('alertdialog', { name: 'Discard changes?' });
    await confirm.waitFor();
    expect(await state()).toEqual({ closed: 1, escapes: [false, true] });
    await settled(page, () => document.activeElement?.textContent === 'Keep editing');
    expect(await activeLabel(page)).toBe('Keep editing');
    expect((await seriousAxeViolations(page)).map((v) => v.id)).toEqual([]);
    await confirm.getByRole('button', { name: 'Keep editing' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Job name').inputValue()).toBe('Sync');

    await page.getByRole('button', { name: 'Cancel' }).click();
    await confirm.getByRole('button', { name: 'Discard' }).click();
    expect((await state()).closed).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('6. a schedule with no run after now blocks step 2; errors wait until a field is touched; weekly days', async () => {
    const backend = createMockBackend();
    backend.override('previewSchedule', ((config: Record<string, unknown>) => {
      if (config.schedule_type !== 'once') return backend.original('previewSchedule', config);
      if (!config.schedule_value)
        return {
          ok: false,
          errors: [{ path: 'schedule_value', message: 'schedule_value: must not be empty' }],
          runs: [],
          schedule_text: '',
          conflicts: [],
        };
      return { ok: true, errors: [], runs: [], schedule_text: `Once on ${String(config.schedule_value)}`, conflicts: [] };
    }) as never);
    const { page, errors } = await surface('wizard', [720, 800], backend);
    await wizardTo(page, 2);
    await page.getByRole('radio', { name: 'once' }).check();
    await page.getByLabel('Date and time').waitFor();
    const previews = () => calls(backend, 'previewSchedule').length;
    const before = previews();
    for (let i = 0; i < 40 && previews() === before; i++) await page.waitForTimeout(50);
    await page.waitForTimeout(200); // the answer is rendered
    expect(await page.getByText(/must not be empty/).count()).toBe(0);

    await page.getByLabel('Date and time').fill('2025-01-01T09:00');
    await page.getByText('Date and time: This schedule has no run after now: 2025-01-01 09:00 (America/New_York) is in the past').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForTimeout(300);
    expect(await page.getByText('Step 2 of 5: Schedule').count()).toBe(1);

    await page.getByRole('radio', { name: 'weekly' }).check();
    await page.getByRole('checkbox', { name: 'MON' }).uncheck();
    await page.getByRole('group', { name: 'Days' }).getByText('Days: choose at least one day').waitFor();
    expect(await page.getByText('Days: choose at least one day').count()).toBe(1);
    await page.getByRole('checkbox', { name: 'TUE' }).check();
    await page.getByText('Days: choose at least one day').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 3 of 5: Output').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  test("7. the schedule step names the schedule in the server's words", async () => {
    const { page } = await surface('wizard', [720, 640]);
    await wizardTo(page, 2);
    await page.getByRole('heading', { name: 'Next 5 runs Every day at 09:00 (America/New_York)' }).waitFor();
    await page.close();
  });

  test('10. "Create another" starts in the Settings default zone again', async () => {
    const { page } = await surface('wizard', [720, 640]); // viewer in Asia/Tokyo, Settings default America/New_York
    await wizardTo(page, 5);
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByRole('button', { name: 'Create another' }).click();
    await wizardTo(page, 2);
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    await page.close();
  });

  test('11. editing: any step from the indicator, Save from any step after checking them all', async () => {
    const { page, backend, errors } = await surface(
      'wizard',
      [720, 800],
      createMockBackend(),
      '<script type="application/json" id="y2s-boot">{"jobId":"j_daily1"}</script>',
    );
    await page.getByRole('heading', { name: 'Edit “Daily Sync”' }).waitFor();
    await page.getByRole('button', { name: /Output/ }).click();
    await page.getByText('Step 3 of 5: Output').waitFor();
    await page.getByRole('radio', { name: 'Another spreadsheet' }).check();
    await page.getByRole('button', { name: /Settings/ }).click();
    await page.getByText('Step 4 of 5: Settings').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    // Sent to the step at fault.
    await page.locator('#f-sheet-issue').waitFor();
    expect(await page.getByText('Step 3 of 5: Output').count()).toBe(1);
    expect(calls(backend, 'updateJob')).toHaveLength(0);
    await page.getByRole('radio', { name: 'This spreadsheet' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Job saved' }).waitFor();
    expect(calls(backend, 'updateJob')).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('job manager', () => {
  test('2. the context menu gives focus back to what opened it', async () => {
    const { page, errors } = await surface('manager', [1100, 680]);
    await page.getByText('Shorts tracker').waitFor();
    // Keyboard: Shift+F10 on a control of the row, then Escape.
    await page.getByRole('button', { name: /Edit channels of Shorts tracker/ }).focus();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menu', { name: 'Actions for Shorts tracker' }).waitFor();
    await settled(page, () => document.activeElement?.getAttribute('role') === 'menuitem');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await activeLabel(page)).toMatch(/^Edit channels of Shorts tracker/);
    // Mouse: right-click on text (nothing focused), then choose an action: focus goes to the row's actions button.
    await page
      .getByRole('row', { name: /Daily Sync/ })
      .getByText('Daily Sync', { exact: true })
      .click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Show runs' }).click();
    await page.getByRole('table', { name: 'Recent runs of Daily Sync' }).waitFor();
    expect(await activeLabel(page)).toBe('Actions for Daily Sync');
    expect(errors).toEqual([]);
    await page.close();
  });

  test("7. the Schedule column shows the server's words, the raw value in a tooltip and the editor", async () => {
    const { page } = await surface('manager', [1100, 680]);
    const cell = page.getByRole('button', { name: /Edit schedule of Daily Sync/ });
    await cell.waitFor();
    // The words, then a pencil (decoration, hidden from assistive technology) that says the cell is editable.
    expect(await cell.locator('.cell-text').textContent()).toBe('Every day at 09:00 (America/New_York)');
    expect(await cell.locator('.pencil[aria-hidden=true]').count()).toBe(1);
    expect(await cell.getAttribute('title')).toBe('daily 09:00');
    await cell.click();
    expect(await page.getByLabel('Schedule of Daily Sync').inputValue()).toBe('09:00');
    await page.close();
  });

  test('4. expanded rows show the runs made since they were opened', async () => {
    const { page, errors } = await surface('manager', [1100, 680]);
    await page.getByRole('button', { name: 'Show runs of Daily Sync' }).click();
    const runs = page.getByRole('table', { name: 'Recent runs of Daily Sync' });
    await runs.waitFor();
    expect(await runs.getByRole('cell', { name: 'manual' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Actions for Daily Sync' }).click();
    await page.getByRole('menuitem', { name: 'Run now' }).click();
    await page.getByText(/Ran 1 job\(s\)/).waitFor();
    await runs.getByRole('cell', { name: 'manual' }).waitFor();
    // A bulk action reloads them too.
    await page.getByRole('checkbox', { name: 'Select Daily Sync' }).check();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Run now' }).click();
    await page.getByText(/Ran 1 job\(s\)/).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Recent runs of Daily Sync"] tbody tr').length === 6);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('calendar', () => {
  test('5. changing month clears the selected day', async () => {
    const { page, errors } = await surface('calendar', [960, 680]);
    await page.locator('#d-2026-01-05').click();
    const panel = page.getByRole('complementary', { name: 'Selected day' });
    await panel.getByRole('heading', { name: 'Monday, January 5' }).waitFor();
    await page.getByRole('button', { name: /Next/ }).click();
    await page.getByRole('heading', { name: 'February 2026' }).waitFor();
    await panel.getByText('Select a day to see and manage its jobs.').waitFor();
    expect(await panel.getByText(/January/).count()).toBe(0);
    expect(await page.locator('[aria-pressed=true]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('settings and API keys', () => {
  test('8. errors name the fields by their labels, not their internal names', async () => {
    const backend = createMockBackend();
    backend.override('saveSettings', () => {
      throw appError({
        status: 422,
        code: 'validation_failed',
        message: 'daily_quota_budget: must be at most 10000',
        details: [
          { path: 'daily_quota_budget', message: 'daily_quota_budget: must be at most 10000' },
          { path: 'run_history_rows', message: 'run_history_rows: must be at least 100' },
        ],
      });
    });
    backend.override('createApiKey', () => {
      throw appError({ status: 400, code: 'bad_request', message: 'name: must be at most 60 characters' });
    });
    const { page, errors } = await surface('settings', [600, 900], backend);
    await page.getByLabel('Daily YouTube quota budget').fill('99999');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#s-daily_quota_budget-issue', { hasText: 'Daily YouTube quota budget: must be at most 10000' }).waitFor();
    expect(await page.locator('#s-run_history_rows-issue').textContent()).toBe('Run history kept (rows): must be at least 100');
    await page
      .getByRole('alert')
      .filter({ hasText: 'Daily YouTube quota budget: must be at most 10000; Run history kept (rows): must be at least 100' })
      .waitFor();
    expect(await page.getByText(/daily_quota_budget|run_history_rows/).count()).toBe(0);

    // The key name has a visible label; an empty one is refused in the label's words.
    expect(await page.locator('label[for="k-name"]').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Key name: give the key a name, e.g. "Zapier"').waitFor();
    await page.getByLabel('Key name').fill('x'.repeat(61));
    await page.getByRole('radio', { name: /^Read only/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Key name: must be at most 60 characters').waitFor();
    expect(await page.getByText(/^name:/).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('time zones', () => {
  test('9. key times and the schedule editor name their zone', async () => {
    const keys = await surface('keys', [640, 480]);
    const row = keys.page.getByRole('row', { name: /Zapier/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Jan 6, 00:00 GMT\+9.*Jan 14, 23:00 GMT\+9/);
    await keys.page.close();

    const { page } = await surface('manager', [1100, 680]);
    await page.getByRole('button', { name: /Edit schedule of Daily Sync/ }).click();
    const box = page.getByLabel('Schedule of Daily Sync');
    expect(await box.getAttribute('aria-describedby')).toBe('e-j_daily1-hint');
    expect(await page.locator('#e-j_daily1-hint').textContent()).toBe('daily · times in America/New_York');
    await page.close();
  });

  test('9. zone pickers: UTC first, modern names for the legacy aliases, the modern name is stored', async () => {
    const { page, backend } = await surface('wizard', [720, 800], createMockBackend(), '', 'Asia/Calcutta');
    await wizardTo(page, 2);
    await page.getByRole('columnheader', { name: 'Your zone (Asia/Kolkata)' }).waitFor();
    const zones = await page.locator('#f-tz option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(zones[0]).toBe('UTC');
    expect(zones).toEqual(
      expect.arrayContaining([
        'Asia/Kolkata',
        'Europe/Kyiv',
        'Asia/Ho_Chi_Minh',
        'Asia/Kathmandu',
        'Asia/Yangon',
        'America/Argentina/Buenos_Aires',
      ]),
    );
    for (const legacy of [
      'Asia/Calcutta',
      'Europe/Kiev',
      'Asia/Saigon',
      'Asia/Katmandu',
      'Asia/Rangoon',
      'America/Buenos_Aires',
      'Etc/UTC',
    ])
      expect(zones).not.toContain(legacy);
    await page.getByLabel('Time zone').selectOption('Asia/Kolkata');
    for (const step of ['Step 3 of 5', 'Step 4 of 5', 'Step 5 of 5']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(step).waitFor();
    }
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByText('Job created').waitFor();
    expect((calls(backend, 'createJob')[0]!.args[0] as Record<string, unknown>).timezone).toBe('Asia/Kolkata');

    // Same viewer zone as the wizard still open (a single-process Chromium has one zone for all pages).
    const settings = await surface('settings', [600, 640], createMockBackend(), '', 'Asia/Calcutta');
    await settings.page.getByLabel('Default time zone').waitFor();
    expect(await settings.page.locator('#s-default_timezone option').first().getAttribute('value')).toBe('UTC');
    await settings.page.close();
    await page.close();
  });
});

describe('smaller gaps', () => {
  test('12. the sidebar overview refreshes every 30 s while shown and visible', async () => {
    const backend = createMockBackend();
    const page = await chromium.browser.newPage();
    await page.clock.install();
    await openSurface(page, 'sidebar', (fn, args) => backend.scriptRun(fn, args));
    await page.getByText('Daily Sync').first().waitFor();
    const views = () => calls(backend, 'sidebarView').length;
    expect(views()).toBe(1);
    for (let i = 0; i < 70 && views() < 2; i++) await page.clock.runFor(500);
    expect(views()).toBe(2);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.clock.runFor(65_000);
    expect(views()).toBe(2);
    await page.close();
  });

  test('12. a job opened inside the manager names the page; Escape on a clean wizard goes back to the list', async () => {
    const { page } = await surface('manager', [1100, 680]);
    await page.getByText('Daily Sync').first().waitFor();
    expect(await page.title()).toBe('Job manager');
    await page.getByRole('button', { name: 'New job' }).click();
    await page.getByLabel('Job name').waitFor();
    await settled(page, () => document.title === 'New job');
    expect(await page.title()).toBe('New job');
    await page.keyboard.press('Escape');
    await page.getByRole('table', { name: 'Jobs' }).waitFor();
    await settled(page, () => document.title === 'Job manager');
    expect(await page.title()).toBe('Job manager');
    await page.close();
  });

  test('12. channel problems are said once; invalid lines and duplicates get their badge', async () => {
    const { page, errors } = await surface('wizard', [720, 800]);
    await page.getByLabel('Job name').fill('Sync');
    await page.getByLabel('Channels').fill('@mkbhd\n@nosuch\nnot a channel\nhttps://www.youtube.com/@MKBHD\n@verge');
    await page.getByRole('button', { name: 'Check channels' }).click();
    const results = page.getByRole('list', { name: 'Channel check results' });
    await results.waitFor();
    const badges = await results.locator('li .badge').allTextContents();
    expect(badges).toEqual(['not found', 'invalid', 'duplicate']);
    expect(await page.locator('#f-channels-issue').textContent()).toBe(
      'Channels: @nosuch: no such channel; not a channel: not a channel (use @handle, a channel URL or a UC… id); https://www.youtube.com/@MKBHD is the same channel as @mkbhd (Marques Brownlee)',
    );
    expect(await page.getByText('@nosuch: no such channel').count()).toBe(1);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForTimeout(300);
    expect(await page.getByText('Step 1 of 5: Channels').count()).toBe(1);
    await page.getByLabel('Channels').fill('@mkbhd\n@verge');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 2 of 5: Schedule').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
