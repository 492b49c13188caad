/**
 * Exports from the job manager in Chromium, against the built bundle in the local runtime, in the three
 * situations a dialog can be in: a page that may download (the file arrives), a frame sandboxed without
 * allow-downloads that the page can see (the UI knows the download is refused and shows the file), and
 * a frame whose ancestors it cannot inspect, as in Google's dialogs (the download is tried and silently
 * refused; the UI says it cannot tell and offers the file). In each, Copy and "Write to a new tab" work.
 * Also the Diagnostics dialog: the self-test runs through the bundle and reports every check passing.
 */
import type { Frame, Page } from 'playwright-core';
import { createRuntime, type Runtime } from '../../emulator';
import { injectShim } from '../../emulator/workspace/shim';
import { builtHtml, launchChromium, openSurface, ROOT, seriousAxeViolations, type LaunchedBrowser } from './support/browser';
import { join } from 'node:path';

jest.setTimeout(120_000);

let chromium: LaunchedBrowser;
let rt: Runtime;

beforeAll(async () => {
  chromium = await launchChromium();
  rt = createRuntime({ buildDir: join(ROOT, 'build') });
  for (const name of ['Daily Sync', 'Weekly =SUM(A1)']) {
    const created = rt.run<{ ok: boolean }>('createJob', {
      name,
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '09:00',
      target_tab_name: 'Videos',
    });
    expect(created.value?.ok).toBe(true);
  }
});
afterAll(async () => {
  await chromium?.close();
});

/** google.script.run answered by the runtime, as the local workspace does it. */
const scriptRun = (fn: string, args: unknown[]) => {
  const r = rt.run(fn, ...args);
  return { ok: r.ok, value: r.value, error: r.error ?? null };
};

function exportBody(format: string): string {
  const r = rt.run<{ ok: boolean; data: { body: string } }>('exportJobs', format, { sort: 'name' });
  return r.value!.data.body;
}

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await chromium.browser.newPage();
  await page.setViewportSize({ width: 1100, height: 680 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** The surface inside an iframe with the given sandbox, the way Apps Script nests dialogs. */
async function openInSandbox(page: Page, surface: string, sandbox: string): Promise<Frame> {
  await page.exposeFunction('__y2sScriptRun', scriptRun);
  const inner = injectShim(builtHtml(surface), { transport: 'binding', binding: '__y2sScriptRun', surface });
  const srcdoc = inner.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  await page.setContent(
    `<!DOCTYPE html><html><body style="margin:0"><iframe title="dialog" sandbox="${sandbox}" style="width:1080px;height:660px;border:0" srcdoc="${srcdoc}"></iframe></body></html>`,
  );
  const handle = await page.waitForSelector('iframe');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('no frame');
  await frame.waitForLoadState();
  return frame;
}

/** Resolves with the download if one starts within `ms`, else null. */
function downloadWithin(page: Page, ms: number) {
  return page.waitForEvent('download', { timeout: ms }).catch(() => null);
}

async function writeTabAndCheck(root: Page | Frame, format: string) {
  await root.getByRole('button', { name: 'Write to a new tab' }).click();
  const status = root.getByText(/^Written to the new tab “Export json /);
  await status.waitFor();
  const tab = /“([^”]+)”/.exec((await status.textContent()) ?? '')![1]!;
  const lines = rt.spreadsheets.values(rt.spreadsheetId, tab).map((r) => String(r[0]));
  expect(lines).toEqual(exportBody(format).replace(/\n$/, '').split('\n'));
}

test('a page that may download: the file arrives and the UI says so; a new tab holds the same lines', async () => {
  const { page, errors } = await newPage();
  await openSurface(page, 'manager', scriptRun);
  await page.getByText('Daily Sync').first().waitFor();
  const download = downloadWithin(page, 10_000);
  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  const file = await download;
  expect(file).not.toBeNull();
  expect(file!.suggestedFilename()).toMatch(/^youtube2sheets-jobs-\d{4}-\d{2}-\d{2}\.json$/);
  await page.getByText(/^Downloaded youtube2sheets-jobs-.*\.json\.$/).waitFor();
  await writeTabAndCheck(page, 'json');
  await page.mouse.move(0, 0); // a hovered button's colours are the shared style's, not this panel's
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test('a frame sandboxed without allow-downloads: nothing downloads, the file is shown at once, Copy copies it', async () => {
  const { page, errors } = await newPage();
  const frame = await openInSandbox(page, 'manager', 'allow-scripts allow-same-origin allow-forms allow-modals');
  await frame.getByText('Daily Sync').first().waitFor();
  const download = downloadWithin(page, 2_000);
  await frame.getByRole('button', { name: 'JSON', exact: true }).click();
  await frame.getByText(/^This dialog cannot download files in your browser/).waitFor();
  expect(await download).toBeNull();

  const body = exportBody('json');
  const field = frame.getByLabel(/^Contents of youtube2sheets-jobs-.*\.json$/);
  expect(await field.inputValue()).toBe(body);
  expect(body).toContain('"Weekly =SUM(A1)"');
  // What reaches the clipboard, whichever way the surface copies (async clipboard or execCommand on the selection).
  await frame.evaluate(() => {
    const w = window as unknown as { __copied: string | null };
    w.__copied = null;
    document.addEventListener('copy', () => {
      const t = document.activeElement as HTMLTextAreaElement;
      w.__copied = t.value.slice(t.selectionStart, t.selectionEnd);
    });
    if (navigator.clipboard)
      navigator.clipboard.writeText = async (text: string) => {
        w.__copied = text;
      };
  });
  await frame.getByRole('button', { name: 'Copy', exact: true }).click();
  const said = frame.getByText(/^(Copied to the clipboard\.|The browser refused to copy)/);
  await said.waitFor();
  if ((await said.textContent())!.startsWith('Copied')) {
    expect(await frame.evaluate(() => (window as unknown as { __copied: string | null }).__copied)).toBe(body);
  } else {
    // Left selected for Ctrl+C: the selection is the whole file.
    expect(
      await frame.evaluate(() => {
        const t = document.activeElement as HTMLTextAreaElement;
        return t.value.slice(t.selectionStart, t.selectionEnd);
      }),
    ).toBe(body);
  }
  await writeTabAndCheck(frame, 'json');
  expect(errors).toEqual([]);
  await page.close();
});

test("a frame that cannot see its ancestors (Google's case): the download is tried, the UI says it cannot tell and offers the file", async () => {
  const { page, errors } = await newPage();
  // Without allow-same-origin the frame's origin is opaque: frameElement is null, as across origins.
  const frame = await openInSandbox(page, 'manager', 'allow-scripts allow-forms allow-modals');
  await frame.getByText('Daily Sync').first().waitFor();
  const download = downloadWithin(page, 2_000);
  await frame.getByRole('button', { name: 'CSV', exact: true }).click();
  await frame.getByText(/^The download of youtube2sheets-jobs-.*\.csv was started\. If your browser saved nothing/).waitFor();
  expect(await download).toBeNull(); // Chromium refused it silently
  await frame.getByRole('button', { name: 'Show the file' }).click();
  const field = frame.getByLabel(/^Contents of youtube2sheets-jobs-.*\.csv$/);
  // A textarea shows CRLF line ends as LF; Copy takes the file's own text.
  expect(await field.inputValue()).toBe(exportBody('csv').replace(/\r\n/g, '\n'));
  await frame.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await field.waitFor({ state: 'detached' });
  expect(errors).toEqual([]);
  await page.close();
});

test('Diagnostics dialog: runs the self-test through the bundle, every check passes, the report copies', async () => {
  const { page, errors } = await newPage();
  await openSurface(page, 'diagnostics', scriptRun);
  await page.getByText(/^Every check passed/).waitFor({ timeout: 30_000 });
  const rows = page.getByRole('table', { name: 'Checks' }).locator('tbody tr');
  expect(await rows.count()).toBe(11);
  expect(await page.locator('tbody .badge').allTextContents()).toEqual(Array(11).fill('Pass'));
  const report = await page.getByLabel('Report (paste it into a bug report)').inputValue();
  expect(report).toMatch(
    /^YouTube2Sheets Diagnostics — PASS \(11 pass, 0 warn, 0 fail\)\nversion: \d+\.\d+\.\d+ \(V8; YouTube v3\)\ndate: /,
  );
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByText(/^(Copied to the clipboard\.|The browser refused to copy)/).waitFor();
  await page.mouse.move(0, 0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  // No scratch tab is left behind.
  expect(
    rt.spreadsheets
      .get(rt.spreadsheetId)!
      .sheets.map((s) => s.name)
      .filter((n) => n.toLowerCase().startsWith('_y2s_diag')),
  ).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});
