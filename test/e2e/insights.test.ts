/**
 * Schedule intelligence in the local workspace against the real bundle: the wizard's "Suggest a
 * schedule" on the demo channel @weeklyshow (explanation, accessible heatmap, the schedule put in the
 * form), the same suggestion through the web API, then the job running on it for a week of virtual
 * time: freshness in the sidebar's monitor and in GET /jobs/stats, anomalies in GET /jobs/health.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { main } from '../../emulator/server/cli';
import { parseArgs } from '../../emulator/server/args';
import { launchChromium, seriousAxeViolations, type LaunchedBrowser } from './support/browser';
import { clickMenu, surfaceFrameOf } from './support/workspace-page';

jest.setTimeout(240_000);

const KEY = 'y2s_k_0000e2e1_insightsWriteKeySecret000001';
let chromium: LaunchedBrowser;
let url: string;
let stop: () => Promise<void>;
let page: Page;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'y2s-e2e-insights-'));
  const running = await main(
    parseArgs(['--port', '0', '--speed', '0', '--fresh', '--no-build', '--state', join(dir, 'state.json'), '--api-key', KEY]),
    () => undefined,
  );
  url = running.server.url;
  stop = async () => {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  chromium = await launchChromium();
  page = await chromium.browser.newPage();
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${url}/`);
});
afterAll(async () => {
  await chromium?.close();
  await stop?.();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(path: string): Promise<any> {
  const sep = path.includes('?') ? '&' : '?';
  return (await fetch(`${url}/exec/api/v1${path}${sep}key=${KEY}`)).json();
}

const menu = (item: string): Promise<void> => clickMenu(page, item);

const surfaceFrame = (title: string): Promise<Frame> => surfaceFrameOf(page, title);

test("the wizard suggests a schedule from @weeklyshow's uploads, with a heatmap, and puts it in the form", async () => {
  await menu('New job…');
  const wizard = await surfaceFrame('New job');
  await wizard.getByLabel('Job name').fill('Weekly Show');
  await wizard.getByLabel('Channels').fill('@weeklyshow');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await wizard.getByText('Step 2 of 5: Schedule').waitFor({ timeout: 30_000 });
  await wizard.getByLabel('Time zone').selectOption('America/New_York');
  await wizard.getByLabel('New videos in the sheet within').selectOption('120');
  await wizard.getByRole('button', { name: 'Suggest a schedule' }).click();
  const explanation = wizard.getByTestId('suggest-explanation');
  await explanation.waitFor({ timeout: 30_000 });
  expect(await explanation.textContent()).toMatch(
    /^@weeklyshow uploads mostly Tue and Thu 16:00–18:00 New York time; syncing Tue and Thu at 1[78]:\d\d gets (9\d|100) % of videos within 2 h for 4 units a week/,
  );

  const heatmap = wizard.getByRole('table', { name: /Uploads by day and hour, America\/New_York time/ });
  expect(await heatmap.getByRole('rowheader').allTextContents()).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
  expect(await heatmap.getByRole('columnheader').count()).toBe(25);
  const tuesday16 = heatmap.getByRole('cell', { name: /^Tuesday 16:00–17:00: \d+ uploads$/ });
  expect(Number(await tuesday16.textContent())).toBeGreaterThan(5);
  expect(await heatmap.getByRole('cell', { name: 'Monday 16:00–17:00: 0 uploads' }).textContent()).toBe('');
  await page.mouse.move(0, 0); // a hovered button's shade is not what is checked here
  const violations = await seriousAxeViolations(wizard);
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);

  await wizard.getByRole('button', { name: 'Use this schedule' }).click();
  expect(await wizard.getByRole('radio', { name: 'weekly' }).isChecked()).toBe(true);
  expect(await wizard.getByRole('checkbox', { name: 'TUE' }).isChecked()).toBe(true);
  expect(await wizard.getByRole('checkbox', { name: 'THU' }).isChecked()).toBe(true);
  expect(await wizard.getByRole('checkbox', { name: 'MON' }).isChecked()).toBe(false);
  expect(await wizard.getByLabel('Times').inputValue()).toMatch(/^1[78]:\d\d$/);

  for (const step of ['Step 3 of 5: Output', 'Step 4 of 5: Settings', 'Step 5 of 5: Review']) {
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText(step).waitFor({ timeout: 30_000 });
  }
  await wizard.getByRole('button', { name: 'Create job' }).click();
  await wizard.getByText('Job created').waitFor({ timeout: 30_000 });
  await wizard.getByText(/Every Tuesday and Thursday at 1[78]:\d\d \(America\/New_York\)/).waitFor();
  await wizard.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
});

test('the web API gives the same kind of suggestion for the demo channels, cheaper than hourly syncing', async () => {
  const answer = await api('/schedule/suggest?channels=@weeklyshow,@midchannel&timezone=America/New_York&target_delay_minutes=120');
  expect(answer.ok).toBe(true);
  const s = answer.data;
  expect(s.channels.map((c: { channel: string; source: string }) => [c.channel, c.source])).toEqual([
    ['@weeklyshow', 'cache'],
    ['@midchannel', 'youtube'],
  ]);
  expect(s.met_share).toBeGreaterThanOrEqual(0.9);
  expect(s.expected_daily_units).toBeLessThan(s.hourly.expected_daily_units);
  expect(s.heatmap).toHaveLength(7);
  const bad = await api('/schedule/suggest?channels=@weeklyshow&target_delay_minutes=5');
  expect(bad.error).toMatchObject({ status: 422, code: 'validation_failed' });
});

test('a week of runs: freshness in the monitor and the stats, anomalies reported by health', async () => {
  await menu('Open scheduler'); // opening the sidebar installs the triggers
  const sidebar = await surfaceFrame('YouTube2Sheets');
  await sidebar.getByText('Weekly Show').first().waitFor({ timeout: 30_000 });
  const advanced = await (
    await fetch(`${url}/__emulator/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '2026-01-16T12:00:00Z' }),
    })
  ).json();
  expect(advanced.executions.length).toBeGreaterThan(0);

  const stats = await api('/jobs/stats');
  const mine = stats.data.per_job.find((j: { job_name: string }) => j.job_name === 'Weekly Show');
  expect(mine.freshness.samples).toBeGreaterThanOrEqual(2);
  expect(mine.freshness.p90_minutes).toBeLessThanOrEqual(130);
  const health = await api('/jobs/health');
  expect(Array.isArray(health.data.anomalies)).toBe(true);

  await sidebar.getByRole('tab', { name: 'Monitor' }).click();
  const board = sidebar.getByTestId('monitor-freshness');
  await board.waitFor({ timeout: 30_000 });
  expect(await board.textContent()).toMatch(/Weekly Show.*p90 \d+ (min|h)/);
  await sidebar.getByRole('heading', { name: 'Anomalies' }).waitFor();
});
