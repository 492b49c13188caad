/**
 * Bounded payloads in the browser (docs/operations.md "Payloads"): the sidebar lists 20 jobs and asks
 * for more (pages, search) on demand; the calendar shows per-day counts and pages a day; the wizard's
 * "Run after" picker searches on the server; a surface opened with boot JSON shows it without a
 * first round trip.
 */
import type { Page } from 'playwright-core';
import { launchChromium, openSurface, seriousAxeViolations, type LaunchedBrowser } from './support/browser';
import { createMockBackend, dayChips } from './support/mock-backend';

jest.setTimeout(120_000);

let chromium: LaunchedBrowser;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

type Backend = ReturnType<typeof createMockBackend>;

function withJobs(n: number): Backend {
  const backend = createMockBackend();
  for (let i = 1; i <= n; i++) {
    backend.scriptRun('createJob', [
      {
        name: `Bulk job ${String(i).padStart(3, '0')}`,
        channels: ['@mkbhd'],
        schedule_type: 'daily',
        schedule_value: '10:00',
        target_tab_name: `T${i}`,
      },
    ]);
  }
  backend.callLog.length = 0;
  return backend;
}

async function open(name: string, size: [number, number], backend: Backend, boot?: unknown): Promise<{ page: Page; errors: string[] }> {
  const page = await chromium.browser.newPage();
  await page.setViewportSize({ width: size[0], height: size[1] });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const extra =
    boot === undefined ? '' : `<script type="application/json" id="y2s-boot">${JSON.stringify(boot).replace(/</g, '\\u003c')}</script>`;
  await openSurface(page, name, (fn, args) => backend.scriptRun(fn, args), extra);
  return { page, errors };
}

async function expectAccessible(page: Page) {
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const calls = (backend: Backend, fn: string) => backend.callLog.filter((c) => c.fn === fn);

test('sidebar: 20 of 63 jobs, more on demand, a search asks the server', async () => {
  const backend = withJobs(60);
  const { page, errors } = await open('sidebar', [300, 900], backend);
  await page.getByRole('heading', { name: 'Jobs (63)' }).waitFor();
  const items = page.getByRole('list', { name: 'Jobs' }).locator(':scope > li');
  expect(await items.count()).toBe(20);
  await page.getByText('Showing 20 of 63 jobs').waitFor();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Show more jobs' }).click();
  await page.getByText('Showing 40 of 63 jobs').waitFor();
  expect(await items.count()).toBe(40);
  expect(calls(backend, 'listJobs').at(-1)!.args[0]).toMatchObject({ page_size: 20, sort: 'name' });
  await page.getByRole('button', { name: 'Show more jobs' }).click();
  await page.getByText('Showing 60 of 63 jobs').waitFor();
  await page.getByRole('button', { name: 'Show more jobs' }).click();
  await page.getByText('Showing 63 of 63 jobs').waitFor();
  expect(await page.getByRole('button', { name: 'Show more jobs' }).count()).toBe(0);

  await page.getByLabel('Find a job').fill('Bulk job 05');
  await page.getByText('10 job(s) match').waitFor();
  expect(await items.count()).toBe(10);
  expect(calls(backend, 'listJobs').at(-1)!.args[0]).toMatchObject({ q: 'Bulk job 05', page: 1 });
  await page.getByLabel('Find a job').fill('');
  await page.getByText('Showing 20 of 63 jobs').waitFor();
  expect(errors).toEqual([]);
  await page.close();
});

test('sidebar opened with its boot JSON shows it without calling sidebarView', async () => {
  const backend = createMockBackend();
  const view = backend.original('sidebarView');
  backend.callLog.length = 0;
  const { page, errors } = await open('sidebar', [300, 800], backend, { sidebar: view });
  await page.getByRole('heading', { name: 'Jobs (3)' }).waitFor();
  await page.getByText('Daily Sync').first().waitFor();
  expect(calls(backend, 'sidebarView')).toHaveLength(0);
  expect(errors).toEqual([]);
  await page.close();
});

test('wizard: "Run after" finds jobs by name on the server; the boot JSON saves the first round trips', async () => {
  const backend = withJobs(60);
  const choices = backend.original('jobChoices', {});
  const settings = backend.original('getSettings');
  backend.callLog.length = 0;
  const { page, errors } = await open('wizard', [720, 640], backend, { choices, settings });
  expect(calls(backend, 'getSettings')).toHaveLength(0);
  await page.getByLabel('Job name').fill('After bulk');
  await page.getByLabel('Channels').fill('@mkbhd');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 2 of 5: Schedule').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 3 of 5: Output').waitFor();
  await page.getByRole('radio', { name: 'New tab' }).check();
  await page.getByLabel('New tab name').fill('After');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Step 4 of 5: Settings').waitFor();
  const picker = page.getByLabel('Run after (depends on)');
  // The boot's first 20 by name; the hint says how many there are.
  expect(await picker.locator('option').count()).toBe(21);
  await page.getByText('63 jobs match: the first 20 by name are listed; type to narrow.').waitFor();
  expect(calls(backend, 'jobChoices')).toHaveLength(0);
  await expectAccessible(page);

  await page.getByLabel('Find the job to run after').fill('job 059');
  await picker.locator('option', { hasText: 'Bulk job 059' }).waitFor({ state: 'attached' });
  expect(calls(backend, 'jobChoices').at(-1)!.args[0]).toMatchObject({ q: 'job 059' });
  await picker.selectOption({ label: 'Bulk job 059' });
  // Another search keeps the chosen job listed (the picker asks for it by id).
  await page.getByLabel('Find the job to run after').fill('Daily');
  await picker.locator('option', { hasText: 'Daily Sync' }).waitFor({ state: 'attached' });
  expect(calls(backend, 'jobChoices').at(-1)!.args[0]).toMatchObject({ q: 'Daily', ids: ['j_62'] });
  expect(await picker.inputValue()).toBe('j_62');
  expect(errors).toEqual([]);
  await page.close();
});

test('calendar: a busy day shows its count and the first chips; the day panel pages it', async () => {
  const backend = createMockBackend();
  const names = Array.from({ length: 250 }, (_, i) => `Job ${String(i).padStart(3, '0')}`);
  const busyMonth = (month: string) => {
    const base = backend.original('calendarView', month) as {
      days: { date: string; entries: unknown[]; total: number; counts: Record<string, number>; chips: unknown[]; jobs: number }[];
    };
    const day = base.days.find((d) => d.date === `${month}-20`)!;
    day.entries = names
      .slice(0, 3)
      .map((n, i) => ({ job_id: `j_busy${i}`, job_name: n, at: `${month}-20T14:0${i}:00Z`, kind: 'scheduled' }));
    day.total = 250;
    day.counts = { scheduled: 250 };
    // 250 jobs once each: a chip for each of the first three, the other 247 jobs counted.
    day.chips = dayChips(day.entries as Parameters<typeof dayChips>[0]);
    day.jobs = 250;
    // In the viewer's zone (the browser's is this process's): the page uses the boot's month as is.
    return { ...base, time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  };
  backend.override('calendarView', busyMonth);
  backend.override('calendarDay', (date: string, _tz: string, page = 1) => {
    const items = names.map((n, i) => ({
      job_id: 'j_daily1',
      job_name: n,
      at: `${date}T14:${String(Math.floor(i / 5)).padStart(2, '0')}:00Z`,
      kind: 'scheduled',
      paused: false,
    }));
    return {
      items: items.slice((page - 1) * 100, page * 100),
      total: 250,
      page,
      page_size: 100,
      date,
      time_zone: 'America/New_York',
      run_count: 0,
    };
  });
  const { page, errors } = await open('calendar', [960, 680], backend, { now: '2026-01-14T15:00:00Z', calendar: busyMonth('2026-01') });
  await page.getByRole('grid').waitFor();
  // The boot answered the first month in the viewer's zone: no call before the day is chosen.
  expect(backend.callLog.map((c) => c.fn)).toEqual([]);
  await page.locator('#d-2026-01-20').getByText('+247 more').waitFor();
  await page.locator('#d-2026-01-20').click();
  const panel = page.getByRole('complementary', { name: 'Selected day' });
  await panel.getByText('Showing 100 of 250').waitFor();
  expect(await panel.locator('li').count()).toBe(100);
  await panel.getByRole('button', { name: 'Show more' }).click();
  await panel.getByText('Showing 200 of 250').waitFor();
  await panel.getByRole('button', { name: 'Show more' }).click();
  await panel.getByText('Job 249').waitFor();
  expect(await panel.getByRole('button', { name: 'Show more' }).count()).toBe(0);
  expect(calls(backend, 'calendarDay').map((c) => c.args[2])).toEqual([1, 2, 3]);
  await expectAccessible(page);
  expect(errors).toEqual([]);
  await page.close();
});

test('monitor: the daily limits with the projected day and the jobs deferred to the reset', async () => {
  const backend = createMockBackend();
  backend.override('monitorView', () => ({
    ...(backend.original('monitorView') as object),
    limits: {
      youtube_units: {
        used_today: 9_400,
        projected_today: 10_600,
        planned_today: 9_950,
        daily_budget: 10_000,
        project_limit: 10_000,
        resets_at: '2026-01-15T08:00:00Z',
        deferred_jobs: [{ job_id: 'j_shorts', job_name: 'Shorts tracker', priority: 2, units: 650 }],
        deferred_total: 1,
      },
      trigger_runtime: {
        used_ms_24h: 40 * 60_000,
        projected_ms_24h: 95 * 60_000,
        consumer_limit_ms: 90 * 60_000,
        workspace_limit_ms: 6 * 3_600_000,
      },
      triggers: { used: 2, limit: 20 },
    },
  }));
  const { page, errors } = await open('sidebar', [300, 900], backend);
  await page.getByRole('tab', { name: 'Monitor' }).click();
  const limits = page.getByTestId('limits');
  await limits.getByText('10,600 of 10,000').waitFor();
  await limits.getByText(/1 lowest-priority job\(s\) wait for the reset so the budget holds: Shorts tracker \(priority 2\)/).waitFor();
  await limits.getByText('95 min').waitFor();
  await limits.getByText(/90 min a day for a consumer account, 6 h for Workspace/).waitFor();
  await limits.getByText('2 of 20').waitFor();
  await expectAccessible(page);
  expect(errors).toEqual([]);
  await page.close();
});
