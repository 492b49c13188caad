/**
 * Gaps a new user's walkthrough found in the Sheets UI, each checked in Chromium against the in-memory
 * backend: channel checks and focus in the manager's inline edit, times shown in the job's zone,
 * conflict warnings only once the tab is chosen, field labels in validation messages, the monitor's
 * 24 h figures, and the wizard starting from the job schema's defaults.
 */
import type { Page } from 'playwright-core';
import { parseJobConfig } from '../../src-server/domain/job';
import { JOB_DEFAULTS } from '../../src-sidebar/lib/job-defaults';
import { launchChromium, type LaunchedBrowser } from './support/browser';
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

/** A surface in a viewer zone far from the jobs' (America/New_York), so a wrong zone shows. */
async function surface(name: string, size: [number, number], backend: Backend = createMockBackend(), viewerZone = 'Asia/Tokyo', boot = '') {
  return openMockSurface(chromium.browser, name, size, backend, { viewerZone, boot });
}

const calls = callsTo;
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('job manager inline edit', () => {
  test('refuses channels that do not exist, naming each; focus moves into the box and back to the button', async () => {
    const { page, errors, backend } = await surface('manager', [1100, 680]);
    const button = page.getByRole('button', { name: /^Edit channels of Daily Sync/ });
    await button.click();
    // Focus is in the edit box, without the user clicking it.
    expect(await activeId(page)).toBe('e-j_daily1');

    await page.keyboard.press('End');
    await page.keyboard.type(', @nosuch1, @nosuch2');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'no such channel' });
    await alert.waitFor();
    expect(await alert.textContent()).toBe('@nosuch1: no such channel; @nosuch2: no such channel');
    // Only the added channels were checked, and nothing was saved.
    expect(calls(backend, 'checkChannels').map((c) => c.args[0])).toEqual([['@nosuch1', '@nosuch2']]);
    expect(calls(backend, 'patchJob')).toEqual([]);
    expect(await activeId(page)).toBe('e-j_daily1');

    // Escape cancels; focus returns to the edit button.
    await page.keyboard.press('Escape');
    await page.locator('#e-j_daily1').waitFor({ state: 'detached' });
    expect(await activeId(page)).toBe('edit-channels-j_daily1');

    // A kept channel is not checked again; saving returns focus to the button too.
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('e-j_daily1');
    await page.getByLabel('Channels of Daily Sync', { exact: true }).fill('@mkbhd, @verge');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved “Daily Sync”.').waitFor();
    expect(calls(backend, 'checkChannels').at(-1)?.args[0]).toEqual(['@verge']);
    expect(calls(backend, 'patchJob').at(-1)?.args[1]).toEqual({ channels: ['@mkbhd', '@verge'] });
    await page.getByRole('button', { name: /^Edit channels of Daily Sync: Marques Brownlee, @verge/ }).waitFor();
    expect(await activeId(page)).toBe('edit-channels-j_daily1');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a check that cannot be made (quota, failed call) does not block the change and says so', async () => {
    const backend = createMockBackend();
    backend.override('checkChannels', (inputs: string[]) =>
      inputs.map((input) => ({
        input,
        ok: false,
        channel_id: null,
        title: null,
        video_count: null,
        thumbnail_url: null,
        error: 'the daily YouTube quota budget (settings) is used up until midnight Pacific time',
        reason: 'quota',
      })),
    );
    const { page, errors } = await surface('manager', [1100, 680], backend);
    await page.getByRole('button', { name: /^Edit channels of Daily Sync/ }).click();
    await page.getByLabel('Channels of Daily Sync', { exact: true }).fill('@mkbhd, @newone');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .getByText(/Saved “Daily Sync”\. The new channels could not be checked \(the daily YouTube quota budget/)
      .waitFor();
    expect(calls(backend, 'patchJob').at(-1)?.args[1]).toEqual({ channels: ['@mkbhd', '@newone'] });

    backend.override('checkChannels', () => {
      throw new Error('Connection reset');
    });
    await page.getByRole('button', { name: /^Edit channels of Shorts tracker/ }).click();
    // The second edit box of the page gets focus too (the autofocus attribute works only once a page).
    expect(await activeId(page)).toBe('e-j_shorts');
    await page.getByLabel('Channels of Shorts tracker', { exact: true }).fill('@other');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .getByText(/Saved “Shorts tracker”\. The new channels could not be checked \(.*Connection reset/)
      .waitFor();
    expect(calls(backend, 'patchJob').at(-1)?.args[1]).toEqual({ channels: ['@other'] });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a validation failure names the field by its label, not its path', async () => {
    const backend = createMockBackend();
    backend.override('patchJob', () => {
      throw appError({
        status: 422,
        code: 'validation_failed',
        message: 'schedule_value: expected HH:MM',
        details: [{ path: 'schedule_value', message: 'schedule_value: expected HH:MM (24 h), e.g. 09:00' }],
      });
    });
    const { page } = await surface('manager', [1100, 680], backend);
    await page.getByRole('button', { name: /^Edit schedule of Daily Sync/ }).click();
    expect(await activeId(page)).toBe('e-j_daily1');
    await page.keyboard.press('End');
    await page.keyboard.type('x');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'expected HH:MM' });
    expect(await alert.textContent()).toBe('Schedule: expected HH:MM (24 h), e.g. 09:00');
    await page.close();
  });
});

describe("times in the job's zone, labelled", () => {
  // The mock's jobs run in America/New_York; the next run is 2026-01-14T18:00Z = 13:00 EST (03:00 in Tokyo).
  test('job manager: next and last run columns', async () => {
    const backend = createMockBackend();
    backend.scriptRun('patchJob', ['j_shorts', { timezone: 'Europe/Berlin' }]);
    const { page } = await surface('manager', [1100, 680], backend);
    const daily = page.getByRole('row', { name: /Daily Sync/ });
    await daily.waitFor();
    const nextRun = daily.locator('td').nth(7);
    expect(await nextRun.textContent()).toBe('Wed, Jan 14, 13:00 EST');
    expect(await nextRun.locator('time').getAttribute('title')).toBe('Time in America/New_York');
    // Last run: 2026-01-13T15:00:04Z
    expect(await daily.locator('td').nth(8).locator('time').textContent()).toBe('Tue, Jan 13, 10:00 EST');
    // Each job in its own zone.
    const shorts = page.getByRole('row', { name: /Shorts tracker/ });
    expect(await shorts.locator('td').nth(7).textContent()).toBe('Wed, Jan 14, 19:00 GMT+1');
    await page.close();
  });

  test('sidebar: the next-runs list', async () => {
    const { page } = await surface('sidebar', [300, 800]);
    const item = page
      .getByRole('listitem')
      .filter({ hasText: 'Competitors weekly' })
      .filter({ has: page.locator('time[title]') })
      .last();
    await page.getByRole('heading', { name: 'Next runs' }).waitFor();
    expect(await item.locator('time').textContent()).toBe('Wed, Jan 14, 13:00 EST');
    expect(await item.locator('time').getAttribute('title')).toBe('Time in America/New_York');
    await page.close();
  });
});

describe('wizard', () => {
  test('conflict warnings wait until the tab is chosen', async () => {
    // The mock reports a conflict for the tab "Videos" (Daily Sync writes it), the wizard's default tab.
    const { page, errors } = await surface('wizard', [720, 640]);
    await page.getByLabel('Job name').fill('Another sync');
    await page.getByLabel('Channels').fill('@mkbhd');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 2 of 5: Schedule').waitFor();
    await page.getByRole('table', { name: 'Next runs' }).waitFor();
    expect(await page.getByText(/Daily Sync also writes/).count()).toBe(0);

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 3 of 5: Output').waitFor();
    // The default is a new tab named after the channel: nothing to warn about.
    await page.waitForFunction(() => (document.getElementById('f-tab') as HTMLInputElement | null)?.value === 'Marques Brownlee');
    expect(await page.getByText(/Daily Sync also writes/).count()).toBe(0);
    // The existing tab "Videos" is chosen: its conflict shows here.
    await page.getByRole('radio', { name: 'Existing tab' }).check();
    await page.getByLabel('Tab', { exact: true }).selectOption('Videos');
    await page
      .getByText(
        'Daily Sync also writes “Videos” within the same hour (Thu, Jan 15, 09:00 EST, as this job): one of them will wait for the other.',
      )
      .waitFor();
    await page.getByRole('radio', { name: 'New tab' }).check();
    await page.getByLabel('New tab name').fill('Daily');
    await page.getByText(/Daily Sync also writes/).waitFor({ state: 'detached' });
    await page.getByRole('radio', { name: 'Existing tab' }).check();
    await page.getByLabel('Tab', { exact: true }).selectOption('Videos');
    await page.getByText(/Daily Sync also writes/).waitFor();
    // Writing into a tab another job writes is an explicit choice.
    await page.getByRole('checkbox', { name: /Write into this tab together with Daily Sync/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 4 of 5: Settings').waitFor();
    // Back on the schedule step, the chosen tab's conflict is shown.
    await page.getByRole('button', { name: /Schedule/ }).click();
    await page.getByText('Step 2 of 5: Schedule').waitFor();
    await page.getByText(/Daily Sync also writes/).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  test('editing a job whose tab is known shows its conflicts on the schedule step', async () => {
    const backend = createMockBackend();
    backend.scriptRun('patchJob', ['j_weekly', { target_tab_name: 'Videos' }]);
    const { page } = await surface(
      'wizard',
      [720, 640],
      backend,
      'Asia/Tokyo',
      '<script type="application/json" id="y2s-boot">{"jobId":"j_weekly"}</script>',
    );
    await page.getByRole('heading', { name: 'Edit “Competitors weekly”' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 2 of 5: Schedule').waitFor();
    await page.getByText(/Daily Sync also writes/).waitFor();
    await page.close();
  });

  test("validation messages use the fields' labels", async () => {
    const backend = createMockBackend();
    backend.override('createJob', () => {
      throw appError({
        status: 422,
        code: 'validation_failed',
        message: 'notify_emails.0: must be an email address',
        details: [
          { path: 'notify_emails.0', message: 'notify_emails.0: must be an email address' },
          { path: 'tags.2', message: 'tags.2: must be at most 30 characters' },
        ],
      });
    });
    const { page } = await surface('wizard', [720, 640], backend);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Job name: give the job a name').waitFor();
    expect(await page.getByText(/^name:/).count()).toBe(0);
    await page.getByLabel('Job name').fill('Sync');
    await page.getByLabel('Channels').fill('@mkbhd');
    for (const step of ['Step 2 of 5', 'Step 3 of 5', 'Step 4 of 5', 'Step 5 of 5']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(step).waitFor();
    }
    await page.getByRole('button', { name: 'Create job' }).click();
    // Sent back to the step of the first field at fault, the issue under its field.
    await page.getByText('Step 4 of 5: Settings').waitFor();
    await page.locator('#f-emails-issue', { hasText: 'Notification emails, item 1: must be an email address' }).waitFor();
    expect(await page.locator('#f-tags-issue').textContent()).toBe('Tags, item 3: must be at most 30 characters');
    expect(await page.getByText(/notify_emails\.0/).count()).toBe(0);
    await page.close();
  });

  test("a new job starts from the job schema's defaults", async () => {
    const backend = createMockBackend();
    const { page } = await surface('wizard', [720, 640], backend);
    await page.getByLabel('Job name').fill('Defaults');
    await page.getByLabel('Channels').fill('@mkbhd');
    for (const step of ['Step 2 of 5', 'Step 3 of 5', 'Step 4 of 5', 'Step 5 of 5']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(step).waitFor();
    }
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByText('Job created').waitFor();
    const sent = calls(backend, 'createJob')[0]!.args[0] as Record<string, unknown>;
    // What the API would store for the fields the user typed, with every other field defaulted.
    const typed = ['name', 'channels', 'schedule_type', 'schedule_value', 'timezone', 'target_tab_name'];
    const parsed = parseJobConfig(Object.fromEntries(typed.map((k) => [k, sent[k]])), { defaultTimezone: 'UTC' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const defaults = Object.fromEntries(Object.entries(parsed.value).filter(([k]) => !typed.includes(k)));
    expect(Object.fromEntries(Object.keys(defaults).map((k) => [k, sent[k] ?? null]))).toEqual(defaults);
    await page.close();
  });
});

test('JOB_DEFAULTS are the values the job schema fills in', () => {
  const parsed = parseJobConfig(
    { name: 'x', channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos' },
    { defaultTimezone: 'UTC' },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const schemaDefaults = parsed.value as unknown as Record<string, unknown>;
  expect(Object.fromEntries(Object.keys(JOB_DEFAULTS).map((k) => [k, schemaDefaults[k]]))).toEqual(JOB_DEFAULTS);
});

describe('sidebar monitor: the success rate and the failures cover the same 24 h', () => {
  type Window = { runs: number; succeeded: number; failed: number; partial: number };
  type Problem = { status: 'failed' | 'partial'; job_name: string; agoMs: number; error: string | null };
  async function monitorWith(counts: Window, problems: Problem[]) {
    const backend = createMockBackend();
    const now = Date.parse('2026-01-14T15:00:00Z');
    const last_24h = {
      since: new Date(now - 86_400_000).toISOString(),
      ...counts,
      success_rate: counts.runs ? counts.succeeded / counts.runs : null,
    };
    const recent_problems = problems.map((p, i) => ({
      run_id: `r_${i}`,
      job_id: `j_${i}`,
      job_name: p.job_name,
      status: p.status,
      at: new Date(now - p.agoMs).toISOString(),
      error: p.error,
    }));
    const monitor = () => ({ ...(backend.original('monitorView') as object), last_24h, recent_problems });
    backend.override('monitorView', monitor);
    backend.override('sidebarView', () => ({ ...(backend.original('sidebarView') as object), monitor: monitor() }));
    const { page } = await surface('sidebar', [300, 800], backend);
    await page.getByRole('tab', { name: 'Monitor' }).click();
    await page.getByRole('heading', { name: 'Recent failures (24 h)' }).waitFor();
    return page;
  }

  test('67% with two partial runs: the counts explain the rate and the partial runs are listed with their badge', async () => {
    const page = await monitorWith({ runs: 6, succeeded: 4, failed: 0, partial: 2 }, [
      { status: 'partial', job_name: 'Competitors weekly', agoMs: 3_600_000, error: '@verge: no such channel' },
      { status: 'partial', job_name: 'Daily Sync', agoMs: 7_200_000, error: null },
    ]);
    await page.getByRole('heading', { name: 'Success rate (24 h)' }).waitFor();
    await page.getByText('67%').waitFor();
    expect(await page.getByTestId('monitor-counts').textContent()).toBe('6 runs: 4 succeeded, 0 failed, 2 partial');
    const items = page.getByRole('list', { name: 'Recent failures (24 h)' }).getByRole('listitem');
    expect(await items.count()).toBe(2);
    expect(await items.nth(0).textContent()).toContain('Competitors weekly');
    expect(await items.nth(0).locator('.badge.partial').textContent()).toBe('partial');
    expect(await items.nth(0).textContent()).toContain('@verge: no such channel');
    expect(await items.nth(1).textContent()).toContain('Some channels could not be synced');
    await page.close();
  });

  test('no failed or partial run: the list says so, in the same window as the rate', async () => {
    const page = await monitorWith({ runs: 3, succeeded: 3, failed: 0, partial: 0 }, []);
    await page.getByText('100%').waitFor();
    await page.getByText('No run failed or was partial in the last 24 h.', { exact: true }).waitFor();
    expect(await page.getByRole('list', { name: 'Recent failures (24 h)' }).count()).toBe(0);
    await page.close();
  });

  test('a failure within 24 h is listed with its badge and error; more than five says how many', async () => {
    const failures: Problem[] = [1, 2, 3, 4, 5].map((h) => ({
      status: 'failed',
      job_name: `Job ${h}`,
      agoMs: h * 3_600_000,
      error: 'backendError: The service is unavailable',
    }));
    const page = await monitorWith({ runs: 8, succeeded: 1, failed: 7, partial: 0 }, failures);
    const list = page.getByRole('list', { name: 'Recent failures (24 h)' });
    await list.getByText('Job 1', { exact: true }).waitFor();
    expect(await list.getByText('backendError: The service is unavailable').count()).toBe(5);
    expect(await list.locator('.badge.failed').count()).toBe(5);
    await page.getByText('The 5 newest of 7 failed or partial runs.').waitFor();
    await page.close();
  });
});
