/**
 * The walkthrough's findings, fixed (issue 13), in Chromium: a new job's tab cannot collide with
 * another job's by default, schedule errors sit on their control, the job/my zone switch is remembered
 * and followed, a run shows its progress and its outcome, a delete can be undone, the audit log has a
 * viewer; each state is checked with axe. Surfaces run against the in-memory backend, and the flows
 * that cross surfaces against the real bundle in the local workspace.
 */
import type { Frame, Page } from 'playwright-core';
import { launchChromium, openSurface, seriousAxeViolations, type LaunchedBrowser } from './support/browser';
import { createMockBackend, dayChips } from './support/mock-backend';
import { startDevServer, type RunningServer } from './support/dev-server';
import { clickMenu, surfaceFrameOf } from './support/workspace-page';

jest.setTimeout(180_000);

let chromium: LaunchedBrowser;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

type Backend = ReturnType<typeof createMockBackend>;

/** A surface on the mock backend; `slow` functions answer after `delayMs` (a run that takes a while). */
async function surface(
  name: string,
  size: [number, number],
  backend: Backend = createMockBackend(),
  options: { slow?: string[]; delayMs?: number; boot?: string } = {},
) {
  const page = await chromium.browser.newPage();
  await page.setViewportSize({ width: size[0], height: size[1] });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openSurface(
    page,
    name,
    (fn, args) =>
      options.slow?.includes(fn)
        ? new Promise((resolve) => setTimeout(() => resolve(backend.scriptRun(fn, args)), options.delayMs ?? 2500))
        : backend.scriptRun(fn, args),
    options.boot ?? '',
  );
  return { page, errors, backend };
}

async function expectAccessible(page: Page | Frame) {
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const activeId = (page: Page | Frame) => page.evaluate(() => document.activeElement?.id ?? '');
/** The focused element's id once focus has had up to 5 s to reach `expected` (focus moves in an effect, after the render). */
const focusedId = async (page: Page | Frame, expected: string): Promise<string> => {
  await page.waitForFunction((id) => document.activeElement?.id === id, expected, { timeout: 5_000 }).catch(() => undefined);
  return activeId(page);
};
const calls = (backend: Backend, fn: string) => backend.callLog.filter((c) => c.fn === fn);

async function toStep(page: Page, step: 2 | 3) {
  await page.getByLabel('Job name').fill('Evening sync');
  await page.getByLabel('Channels').fill('@mkbhd');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 2 of 5: Schedule').waitFor();
  if (step === 3) {
    await page.getByRole('table', { name: 'Next runs' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Step 3 of 5: Output').waitFor();
  }
}

describe('output step that cannot collide', () => {
  test("a new tab named after the channel by default; an existing name or another job's tab needs an explicit choice", async () => {
    const { page, errors, backend } = await surface('wizard', [720, 640]);
    await toStep(page, 3);
    expect(await page.getByRole('radio', { name: 'New tab' }).isChecked()).toBe(true);
    await page.waitForFunction(() => (document.getElementById('f-tab') as HTMLInputElement | null)?.value === 'Marques Brownlee');
    expect(await page.getByTestId('shared-tab').count()).toBe(0);
    await expectAccessible(page);

    // A new tab may not take the name of a tab that exists (case ignored): the issue is on the field, focused.
    await page.getByLabel('New tab name').fill('videos');
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByText('New tab name: a tab called “videos” exists already; choose Existing tab to write into it, or another name')
      .waitFor();
    expect(await focusedId(page, 'f-tab')).toBe('f-tab');
    expect(await page.locator('#f-tab').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-tab').getAttribute('aria-describedby')).toContain('f-tab-issue');
    await expectAccessible(page);

    // Another job's tab: marked in the list, and Next asks for the explicit choice at the checkbox.
    await page.getByRole('radio', { name: 'Existing tab' }).check();
    await page.getByLabel('Tab', { exact: true }).selectOption('Videos');
    await page.getByTestId('shared-tab').getByText('“Videos” is written by Daily Sync.').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(/^Shared tab: tick the box/).waitFor();
    expect(await focusedId(page, 'f-share')).toBe('f-share');
    await expectAccessible(page);
    await page.getByRole('checkbox', { name: /Write into this tab together with Daily Sync/ }).check();
    await page.getByText(/^Shared tab: tick the box/).waitFor({ state: 'detached' });

    // Back to the default new tab, and on to the end: the job is created with it, then run and shown.
    await page.getByRole('radio', { name: 'New tab' }).check();
    await page.waitForFunction(() => (document.getElementById('f-tab') as HTMLInputElement | null)?.value === 'Marques Brownlee');
    for (const step of ['Step 4 of 5: Settings', 'Step 5 of 5: Review']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(step).waitFor();
    }
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByText('Job created').waitFor();
    expect((calls(backend, 'createJob')[0]!.args[0] as { target_tab_name: string }).target_tab_name).toBe('Marques Brownlee');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Run now and open the tab' }).click();
    await page
      .getByTestId('run-result')
      .getByText(/Finished: \d+ added/)
      .waitFor();
    await page.getByText('“Marques Brownlee” is open in the spreadsheet.').waitFor();
    expect(calls(backend, 'openJobTab')).toHaveLength(1);
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("schedule errors on their control, in the UI's words", () => {
  test('Times, cron and Days: aria-invalid, aria-describedby, focus on Next; cron described as it is typed', async () => {
    const { page, errors } = await surface('wizard', [720, 800]);
    await toStep(page, 2);
    for (const [value, message] of [
      ['25:61', 'Times: “25:61” is not a time: hours go from 00 to 23 and minutes from 00 to 59'],
      ['9am', 'Times: “9am” is not a time: write hours and minutes on the 24-hour clock, like 09:00 or 17:30'],
    ] as const) {
      await page.getByLabel('Times').fill(value);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('#f-times-issue', { hasText: message }).waitFor();
      expect(await focusedId(page, 'f-times')).toBe('f-times');
      expect(await page.locator('#f-times').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#f-times').getAttribute('aria-describedby')).toContain('f-times-issue');
      expect(await page.getByText(/HH:MM|DAYS@|expects/).count()).toBe(0);
    }
    await expectAccessible(page);
    await page.getByLabel('Times').fill('09:00');
    await page.locator('#f-times-issue').waitFor({ state: 'detached' });

    // Cron: words as it is typed; problems in our words, never the library's.
    await page.getByRole('radio', { name: 'cron' }).check();
    await page.getByLabel('Cron expression').fill('0 9 * * 1-5');
    await page.getByTestId('cron-words').getByText('At 09:00, Monday through Friday').waitFor();
    await page.getByLabel('Cron expression').fill('*/1 * * * *');
    await page.getByTestId('cron-words').getByText('Every minute').waitFor();
    expect(await page.getByText(/expects 5 fields|5 fields/).count()).toBe(0);
    await page.getByLabel('Cron expression').fill('0 9 * * MOM');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('#f-cron-issue', { hasText: 'Cron expression: the day-of-week part “MOM” is not understood' }).waitFor();
    expect(await focusedId(page, 'f-cron')).toBe('f-cron');
    expect(await page.getByText(/configuration entry|illegal characters/).count()).toBe(0);
    await page.getByLabel('Cron expression').fill('0 9 * *');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('#f-cron-issue', { hasText: 'Cron expression: 4 parts are given; a cron expression has 5' }).waitFor();
    await expectAccessible(page);

    // Weekly without a day: the issue is on the Days group, focus on its first box.
    await page.getByRole('radio', { name: 'weekly' }).check();
    await page.getByRole('checkbox', { name: 'MON' }).uncheck();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('#f-days-issue', { hasText: 'Days: choose at least one day' }).waitFor();
    expect(await focusedId(page, 'f-day-SUN')).toBe('f-day-SUN'); // the first box of the group
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a server finding about the schedule is reworded for the control (the 5-minute floor of a cron)', async () => {
    const backend = createMockBackend();
    backend.override('previewSchedule', ((config: Record<string, unknown>) =>
      config.schedule_type === 'cron'
        ? {
            ok: false,
            errors: [
              {
                path: 'schedule_value',
                message:
                  'schedule_value: cron expects 5 fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5; runs more often than every 5 minutes',
              },
            ],
            runs: [],
            schedule_text: '',
            conflicts: [],
          }
        : backend.original('previewSchedule', config)) as never);
    const { page } = await surface('wizard', [720, 800], backend);
    await toStep(page, 2);
    await page.getByRole('radio', { name: 'cron' }).check();
    await page.getByLabel('Cron expression').fill('*/1 * * * *');
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .locator('#f-cron-issue', {
        hasText: 'Cron expression: runs more often than every 5 minutes; a job runs at most every 5 minutes (e.g. */5 * * * *)',
      })
      .waitFor();
    expect(await page.getByText(/expects 5 fields/).count()).toBe(0);
    expect(await focusedId(page, 'f-cron')).toBe('f-cron');
    await page.close();
  });
});

describe('live run feedback', () => {
  test('sidebar: a run shows progress while it runs, the Running card counts it, and its outcome after', async () => {
    const { page, errors, backend } = await surface('sidebar', [300, 860], createMockBackend(), { slow: ['runJobNow'], delayMs: 4000 });
    const idle = () => ({ ...(backend.original('monitorView') as object), running: [] });
    backend.override('sidebarView', () => ({ ...(backend.original('sidebarView') as object), monitor: idle() }));
    backend.override('monitorView', idle);
    await page.getByText('Jobs (3)').waitFor();
    expect(await page.getByTestId('running-count').textContent()).toBe('0');
    // While the run is in flight the monitor reports it.
    backend.override('monitorView', () => backend.original('monitorView'));
    await page.getByRole('button', { name: 'Run now: Daily Sync' }).click();
    const item = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Edit Daily Sync' }) });
    await item.getByRole('progressbar', { name: 'Progress of Daily Sync' }).waitFor();
    await item.getByText(/150 of 400 videos · fetching uploads/).waitFor({ timeout: 10_000 });
    expect(await item.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('150');
    expect(await page.getByTestId('running-count').textContent()).toBe('1');
    expect(await item.getByRole('button', { name: 'Running: Daily Sync' }).textContent()).toBe('Running…');
    await expectAccessible(page);
    await item
      .getByTestId('run-result')
      .getByText(/Finished: 12 added/)
      .waitFor({ timeout: 10_000 });
    await item.getByRole('button', { name: 'Open the tab “Videos”' }).click();
    await item.getByText('“Videos” is open in the spreadsheet.').waitFor();
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a failure in error style with a readable sentence and the raw text behind Details; a continuing run in its own state', async () => {
    const backend = createMockBackend();
    const base = {
      job_name: 'Daily Sync',
      scheduled_for: null,
      started_at: '2026-01-14T15:00:00Z',
      trigger: 'manual',
      videos_added: 40,
      videos_updated: 0,
      quota_units: 3,
      duration_ms: 270_000,
    };
    backend.override('runJobNow', ((id: string) => ({
      ...base,
      run_id: 'r_fail',
      job_id: id,
      finished_at: '2026-01-14T15:04:30Z',
      status: 'failed',
      error: 'YouTube channels.list failed: channels.list: Backend Error',
    })) as never);
    const { page, errors } = await surface('sidebar', [300, 860], backend);
    await page.getByRole('button', { name: 'Run now: Daily Sync' }).click();
    const failed = page.locator('[data-testid=run-result][data-kind=failed]');
    await failed.waitFor();
    expect(await failed.getAttribute('class')).toContain('error');
    expect(await failed.getAttribute('role')).toBe('alert');
    expect(await failed.locator('div').first().textContent()).toBe('YouTube had a temporary problem: the job tries again automatically.');
    expect(await failed.getByText('YouTube channels.list failed: channels.list: Backend Error').isVisible()).toBe(false);
    await failed.getByText('Details').click();
    expect(await failed.getByText('YouTube channels.list failed: channels.list: Backend Error').isVisible()).toBe(true);
    await expectAccessible(page);

    backend.override('runJobNow', ((id: string) => ({
      ...base,
      run_id: 'r_cont',
      job_id: id,
      finished_at: null,
      status: 'deferred',
      error: 'Not finished within this execution: the next tick continues from the checkpoint.',
    })) as never);
    await page.getByRole('button', { name: 'Dismiss the run result of Daily Sync' }).click();
    await page.getByRole('button', { name: 'Run now: Daily Sync' }).click();
    const continuing = page.locator('[data-testid=run-result][data-kind=continuing]');
    await continuing.getByText(/^Continuing: 40 added, 0 updated so far\./).waitFor();
    expect(await continuing.getAttribute('class')).toContain('continuing');
    expect(await page.getByText(/deferred/i).count()).toBe(0);
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('sidebar, settings and keys', () => {
  test('a disabled job offers Enable (not Pause); the quota card names the budget', async () => {
    const backend = createMockBackend();
    backend.override('sidebarView', () => {
      const view = backend.original('sidebarView') as { jobs: { id: string; status: string }[] };
      return { ...view, jobs: view.jobs.map((j) => (j.id === 'j_shorts' ? { ...j, status: 'disabled' } : j)) };
    });
    const { page, errors } = await surface('sidebar', [300, 860], backend);
    const item = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Edit Shorts tracker' }) });
    await item.getByRole('button', { name: 'Enable Shorts tracker' }).waitFor();
    expect(await item.getByRole('button', { name: 'Pause Shorts tracker' }).count()).toBe(0);
    expect(await page.getByText('YouTube units used of your 8,000 budget').count()).toBe(1);
    await expectAccessible(page);
    await item.getByRole('button', { name: 'Enable Shorts tracker' }).click();
    await page.getByText('Shorts tracker is enabled again.').waitFor();
    expect(calls(backend, 'bulkJobs').map((c) => c.args)).toEqual([['enable', ['j_shorts']]]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('settings: Save at the bottom, closing with unsaved changes asks first', async () => {
    const { page, errors, backend } = await surface('settings', [600, 640]);
    await page.getByLabel('Daily YouTube quota budget').fill('7000');
    await page.getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    const prompt = page.getByRole('alertdialog', { name: 'Discard changes?' });
    await prompt.waitFor();
    // The prompt moves focus to its safe choice once it has rendered (an effect, a frame after it shows).
    await page
      .waitForFunction(() => document.activeElement?.textContent === 'Keep editing', undefined, { timeout: 5_000 })
      .catch(() => undefined);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing');
    await expectAccessible(page);
    await prompt.getByRole('button', { name: 'Keep editing' }).click();
    // Save sits in the footer, in view without scrolling.
    const save = page.getByRole('button', { name: 'Save settings' });
    const box = (await save.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(640);
    await save.click();
    await page.getByText('Saved.').waitFor();
    expect((calls(backend, 'saveSettings')[0]!.args[0] as { daily_quota_budget: number }).daily_quota_budget).toBe(7000);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('keys dialog: one heading, the base URL and a copyable curl -L example', async () => {
    const { page, errors } = await surface('keys', [640, 480]);
    await page.getByLabel('Base URL').waitFor();
    expect(await page.getByLabel('Base URL').inputValue()).toBe('https://script.google.com/macros/s/MOCK/exec/api/v1');
    expect(await page.getByLabel(/^Example call/).inputValue()).toBe(
      'curl -L "https://script.google.com/macros/s/MOCK/exec/api/v1/jobs?key=YOUR_KEY"',
    );
    expect(
      await page
        .getByRole('heading', { name: 'API keys' })
        .evaluateAll(
          (hs) => hs.filter((h) => (h as HTMLElement).offsetParent !== null && getComputedStyle(h).position !== 'absolute').length,
        ),
    ).toBe(0);
    await expectAccessible(page);
    await page.getByLabel('Key name').fill('Zapier');
    await page.getByRole('radio', { name: /^Read and write/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByLabel('New API key').inputValue();
    expect(await page.getByLabel(/^Example call/).inputValue()).toContain(`key=${secret}"`);
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('job manager', () => {
  test('delete names the jobs and can be undone within the session; one banner at a time', async () => {
    const { page, errors, backend } = await surface('manager', [1100, 680]);
    await page.getByRole('checkbox', { name: 'Select Daily Sync' }).check();
    await page.getByRole('checkbox', { name: 'Select Shorts tracker' }).check();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.getByText('Delete “Daily Sync” and “Shorts tracker”?').count()).toBe(1);
    await expectAccessible(page);
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Deleted 2 of 2 job(s): “Daily Sync”, “Shorts tracker”.').waitFor();
    await page.getByRole('row', { name: /Daily Sync/ }).waitFor({ state: 'detached' });
    expect(await page.locator('.banner').count()).toBe(1);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Restored “Daily Sync”, “Shorts tracker”. Their run history is not restored.').waitFor();
    const created = calls(backend, 'createJob').map((c) => c.args[0] as { name: string; target_tab_name: string });
    expect(created.map((c) => [c.name, c.target_tab_name])).toEqual([
      ['Daily Sync', 'Videos'],
      ['Shorts tracker', 'Shorts'],
    ]);
    await page.getByRole('row', { name: /Daily Sync/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    expect(await page.locator('.banner').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a version conflict says what happened and offers Reload; the expanded row shows the job's history", async () => {
    const backend = createMockBackend();
    backend.override('patchJob', () => {
      throw Object.assign(new Error('conflict'), {
        dto: { status: 409, code: 'version_conflict', message: 'Job j_daily1 is at version 2, not 1' },
      });
    });
    const { page, errors } = await surface('manager', [1100, 680], backend);
    await page.getByRole('button', { name: /^Edit schedule of Daily Sync/ }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    const banner = page.getByRole('alert').filter({ hasText: 'Someone changed this job after the list was loaded' });
    await banner.waitFor();
    expect(await banner.textContent()).not.toContain('j_daily1');
    const loads = calls(backend, 'listJobs').length;
    await banner.getByRole('button', { name: 'Reload' }).click();
    for (let i = 0; i < 40 && calls(backend, 'listJobs').length === loads; i++) await page.waitForTimeout(50);
    expect(calls(backend, 'listJobs').length).toBeGreaterThan(loads);
    await banner.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Show runs of Daily Sync' }).click();
    const history = page.getByRole('list', { name: 'History of Daily Sync' });
    await history.getByText('alice@example.com edited the job (Schedule: 08:00 → 09:00)').waitFor();
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('audit log viewer', () => {
  test('rows in words with filters by job, actor and action; opened for one job it starts filtered', async () => {
    const { page, errors } = await surface('audit', [960, 640]);
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
    expect(await table.locator('tbody tr').first().textContent()).toContain('edited the job');
    await expectAccessible(page);
    await page.getByLabel('Who').selectOption('user:alice@example.com');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Audit log"] tbody tr').length === 1);
    await page.getByLabel('Who').selectOption('');
    await page.getByLabel('What').selectOption('settings.update');
    // The settings row is in the unfiltered list too, and the earlier filter also showed one row: wait
    // for exactly that row alone.
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll('table[aria-label="Audit log"] tbody tr');
      return rows.length === 1 && (rows[0]!.textContent ?? '').includes('Daily YouTube quota budget: 9000 → 8000');
    });
    expect(await table.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('What').selectOption('');
    await page.getByLabel('Job').selectOption('j_weekly');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Audit log"] tbody tr').length === 1);
    expect(await table.getByText('API key k_3f9a12c4').count()).toBe(1);
    await expectAccessible(page);
    expect(errors).toEqual([]);
    await page.close();

    const forJob = await surface('audit', [960, 640], createMockBackend(), {
      boot: '<script type="application/json" id="y2s-boot">{"jobId":"j_daily1"}</script>',
    });
    await forJob.page.getByRole('table', { name: 'Audit log' }).waitFor();
    expect(await forJob.page.getByLabel('Job').inputValue()).toBe('j_daily1');
    expect(await forJob.page.locator('tbody tr').count()).toBe(2);
    await forJob.page.close();
  });
});

describe('calendar', () => {
  test('first view in one round trip; outcome tints with a visible legend; chips show +N more', async () => {
    const { page, errors, backend } = await surface('calendar', [960, 680]);
    await page.getByRole('grid').waitFor();
    expect(backend.callLog.map((c) => c.fn).filter((fn) => fn !== 'openJobTab')).toEqual(['calendarStart']);
    const legend = page.getByRole('list', { name: /^Legend/ });
    for (const label of ['Succeeded', 'Partial', 'Missed', 'Failed', 'Scheduled'])
      expect(await legend.getByText(label, { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('td.o-failed').count()).toBeGreaterThan(0);
    expect(await page.locator('td.o-succeeded').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await page.close();

    // A busy day: one chip per job (its occurrences counted), problems first, the rest as "+N more".
    const busy = createMockBackend();
    busy.override('calendarStart', ((month: string | null, zone: string | null) => {
      const base = busy.original('calendarStart', month, zone) as {
        days: {
          date: string;
          entries: unknown[];
          run_count: number;
          total: number;
          counts: Record<string, number>;
          chips: unknown[];
          jobs: number;
        }[];
      };
      const day = base.days.find((d) => d.date === '2026-01-20')!;
      const at = (h: number) => `2026-01-20T${String(h).padStart(2, '0')}:00:00Z`;
      const occurrences = [
        ...[14, 18, 22].map((h) => ({ job_id: 'j_a', job_name: 'Hourly tracker', at: at(h), kind: 'scheduled' })),
        ...['Beta', 'Gamma', 'Delta'].map((n, i) => ({ job_id: `j_${n}`, job_name: n, at: at(15 + i), kind: 'scheduled' })),
        { job_id: 'j_f', job_name: 'Broken job', at: at(20), kind: 'failed' },
      ];
      // The day as the app sends it (compact): the first entries, the counts and one chip per job (three of five).
      const chips = dayChips(occurrences);
      Object.assign(day, {
        entries: occurrences.slice(0, 3),
        total: occurrences.length,
        counts: { scheduled: 6, failed: 1 },
        chips: chips.slice(0, 3),
        jobs: chips.length,
      });
      return base;
    }) as never);
    const second = await surface('calendar', [960, 680], busy);
    const cell = second.page.locator('td:has(#d-2026-01-20)');
    await cell.locator('.chip').first().waitFor();
    expect(await cell.locator('.chip').allTextContents()).toEqual(['Broken job', 'Hourly tracker ×3', 'Beta']);
    expect(await cell.locator('.chip').first().getAttribute('title')).toBe('Broken job — failed: 15:00');
    expect(await cell.locator('.more').textContent()).toBe('+2 more');
    expect(second.errors).toEqual([]);
    expect(errors).toEqual([]);
    await second.page.close();
  });
});

describe('in the local workspace (the real bundle)', () => {
  let server: RunningServer;
  let page: Page;
  beforeAll(async () => {
    server = await startDevServer();
    page = await chromium.browser.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${server.url}/`);
  });
  afterAll(async () => {
    await page?.close();
    await server?.stop();
  });

  const menu = (item: string): Promise<void> => clickMenu(page, item);
  const surfaceFrame = (title: string): Promise<Frame> => surfaceFrameOf(page, title);

  test('create a job with its own new tab, "Run now and open the tab": the workspace shows that tab, header frozen, numbers right-aligned', async () => {
    await menu('New job…');
    const wizard = await surfaceFrame('New job');
    await wizard.getByLabel('Job name').fill('Brownlee');
    await wizard.getByLabel('Channels').fill('@mkbhd');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText('Step 2 of 5: Schedule').waitFor({ timeout: 30_000 });
    await wizard.getByRole('table', { name: 'Next runs' }).waitFor({ timeout: 30_000 });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText('Step 3 of 5: Output').waitFor({ timeout: 30_000 });
    await wizard.waitForFunction(() => ((document.getElementById('f-tab') as HTMLInputElement | null)?.value ?? '') !== '', null, {
      timeout: 30_000,
    });
    const tab = await wizard.getByLabel('New tab name').inputValue();
    expect(tab).not.toBe('');
    await wizard.getByRole('checkbox', { name: 'Views' }).check();
    for (const step of ['Step 4 of 5: Settings', 'Step 5 of 5: Review']) {
      await wizard.getByRole('button', { name: 'Next' }).click();
      await wizard.getByText(step).waitFor({ timeout: 30_000 });
    }
    await wizard.getByRole('button', { name: 'Create job' }).click();
    await wizard.getByText('Job created').waitFor({ timeout: 30_000 });
    await wizard.getByRole('button', { name: 'Run now and open the tab' }).click();
    await wizard.getByText(`“${tab}” is open in the spreadsheet.`).waitFor({ timeout: 60_000 });
    await expectAccessible(wizard);
    await wizard.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // The runtime's active sheet is the new tab, and the page shows it.
    await page.locator(`.tabs [role=tab][aria-selected=true]`, { hasText: tab }).waitFor({ timeout: 30_000 });
    const grid = page.getByRole('table', { name: tab });
    await grid.getByRole('cell', { name: 'video_id', exact: true }).waitFor({ timeout: 30_000 });
    expect(await grid.locator('tr.frozen').count()).toBe(1);
    const views = grid.locator('tbody tr:nth-child(2) td.num');
    expect(await views.count()).toBeGreaterThanOrEqual(2); // published_at and views
    // After a reload the selected tab is still the active sheet ("Sync this tab now" acts on it).
    await page.reload();
    await page.locator(`.tabs [role=tab][aria-selected=true]`, { hasText: tab }).waitFor({ timeout: 30_000 });
    await menu('Sync this tab now');
    await page.getByRole('dialog').getByText(`Synced “${tab}” with 1 job(s)`).waitFor({ timeout: 60_000 });
    await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
  });

  test('the zone switch is remembered and followed by every surface; the audit log opens from the menu', async () => {
    // Sidebar: times in the job's zone by default (the spreadsheet's default zone here).
    await menu('Open scheduler');
    let sidebar = await surfaceFrame('YouTube2Sheets');
    const next = sidebar.getByRole('list', { name: 'Next runs' }).locator('time').first();
    await next.waitFor({ timeout: 30_000 });
    const jobZoneTitle = await next.getAttribute('title');
    await sidebar.getByRole('radio', { name: /^My zone/ }).check();
    const viewer = await sidebar.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await sidebar.waitForFunction(
      (t) => document.querySelector('[aria-label="Next runs"] time')?.getAttribute('title') !== t,
      jobZoneTitle,
    );
    expect(await next.getAttribute('title')).toBe(`Time in ${viewer === 'Etc/UTC' ? 'UTC' : viewer}`);
    await expectAccessible(sidebar);
    // Remembered: the calendar opens in "my zone" too.
    await menu('Calendar');
    const calendar = await surfaceFrame('Calendar');
    await calendar.getByRole('grid').waitFor({ timeout: 30_000 });
    expect(await calendar.getByRole('radio', { name: /^My zone/ }).isChecked()).toBe(true);
    await expectAccessible(calendar);
    await calendar.getByRole('radio', { name: /^Job zone/ }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).first().click();
    // And the sidebar follows the switch made in the calendar (opened again: it reads the stored choice).
    // Closed first, so the frame found below is the new sidebar's, not the old one on its way out.
    await page.getByRole('button', { name: 'Close sidebar' }).click();
    await page.locator('iframe[title="YouTube2Sheets"]').waitFor({ state: 'detached' });
    await menu('Open scheduler');
    sidebar = await surfaceFrame('YouTube2Sheets');
    await sidebar.getByRole('radio', { name: 'Job zone' }).waitFor({ timeout: 30_000 });
    expect(await sidebar.getByRole('radio', { name: 'Job zone' }).isChecked()).toBe(true);

    await menu('Audit log…');
    const audit = await surfaceFrame('Audit log');
    await audit.getByRole('table', { name: 'Audit log' }).getByText('created the job').first().waitFor({ timeout: 30_000 });
    await audit.getByLabel('What').selectOption('job.run_now');
    await audit
      .getByRole('table', { name: 'Audit log' })
      .getByText('created the job')
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 });
    expect(await audit.getByRole('table', { name: 'Audit log' }).getByText('ran the job now').count()).toBeGreaterThan(0);
    await expectAccessible(audit);
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).first().click();
  });
});
