/**
 * Platform semantics through the built bundle (build/Code.js) in the emulator: tab names that differ
 * only by case, signed byte arrays, YouTube errors without `details`, and the spreadsheet's own zone.
 */
import { createRuntime, type Runtime } from '../../../emulator';
import { DEFAULT_COLUMNS } from '../../../src-server/domain/catalogue';

type Result<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
interface Saved {
  job: { id: string; config: { timezone: string; target_tab_name: string } };
  warnings: { message: string }[];
}
interface Run {
  status: string;
  error: string | null;
  videos_added: number;
}

const JOB = { name: 'Daily Sync', channels: ['@tinycooking'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos' };

function data<T>(rt: Runtime, fn: string, ...args: unknown[]): T {
  const r = rt.run<Result<T>>(fn, ...args);
  if (!r.ok) throw new Error(`${fn}: ${r.error?.message}`);
  if (!r.value!.ok) throw new Error(`${fn}: ${r.value!.error.code}: ${r.value!.error.message}`);
  return r.value!.data;
}

describe('tab names differing only by case (built bundle)', () => {
  it('two jobs writing "Shared" and "shared" share one tab: warned, both runs succeed, nothing failed or mailed', () => {
    const rt = createRuntime();
    const first = data<Saved>(rt, 'createJob', { ...JOB, name: 'First', target_tab_name: 'Shared' });
    const second = data<Saved>(rt, 'createJob', { ...JOB, name: 'Second', channels: ['@retrotech'], target_tab_name: 'shared' });
    expect(second.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /^“shared” and “Shared” are the same tab \(Google Sheets ignores case in tab names\): this job and First both write it\./,
      ),
    ]);
    const a = data<Run>(rt, 'runJobNow', first.job.id);
    const b = data<Run>(rt, 'runJobNow', second.job.id);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    const tabs = rt.spreadsheets
      .get(rt.spreadsheetId)!
      .sheets.map((s) => s.name)
      .filter((n) => !n.startsWith('_'));
    expect(tabs.filter((n) => n.toLowerCase() === 'shared')).toEqual(['Shared']);
    expect(rt.spreadsheets.values(rt.spreadsheetId, 'Shared').length - 1).toBe(a.videos_added + b.videos_added);
    expect(rt.mail).toEqual([]);
  });
});

describe('byte arrays are signed (built bundle)', () => {
  it('API keys created in the sidebar (random bytes 0..255 encoded by Utilities) work: no conversion error', () => {
    const rt = createRuntime();
    for (let i = 0; i < 8; i++) {
      const r = rt.scriptRun<Result<{ secret: string }>>('createApiKey', `key ${i}`, 'read');
      expect(r.ok).toBe(true);
      const made = r.value!;
      if (!made.ok) throw new Error(made.error.message);
      const { response } = rt.webRequest({ method: 'GET', pathInfo: 'api/v1/jobs', query: { key: made.data.secret } });
      expect((response!.json as { ok: boolean }).ok).toBe(true);
    }
  });
});

describe('YouTube errors without details (built bundle)', () => {
  it.each([true, false])('details %s: a missing UUSH playlist (404) falls back to the uploads playlist and succeeds', (details) => {
    const rt = createRuntime();
    rt.youtube.errorDetails = details;
    const job = data<Saved>(rt, 'createJob', { ...JOB, video_filter: 'shorts' });
    const run = data<Run>(rt, 'runJobNow', job.job.id);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
  });

  it.each([true, false])('details %s: quotaExceeded defers the run until the reset, it is not retried as transient', (details) => {
    const rt = createRuntime();
    const job = data<Saved>(rt, 'createJob', JOB);
    rt.youtube.injectFault({ kind: 'quotaExceeded', details });
    const run = data<Run>(rt, 'runJobNow', job.job.id);
    expect(run.status).toBe('deferred');
  });

  it.each([
    ['forbidden', 'failed'],
    ['backendError', 'failed'],
    ['rateLimit', 'failed'],
  ] as const)('%s: the same outcome with details and without', (kind, status) => {
    const outcomes = [true, false].map((details) => {
      const rt = createRuntime();
      const job = data<Saved>(rt, 'createJob', JOB);
      rt.youtube.injectFault({ kind, details, method: 'playlistItems.list' });
      const run = data<Run>(rt, 'runJobNow', job.job.id);
      const state = data<{ state: { retry_at?: string | null; consecutive_failures?: number } }>(rt, 'getJob', job.job.id);
      return { status: run.status, retrying: Boolean(state.state?.retry_at) };
    });
    expect(outcomes[0]!.status).toBe(status);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});

describe('time zones (built bundle)', () => {
  it("new jobs take the spreadsheet's zone, not the script's; published_at is a date shown in the spreadsheet's zone", () => {
    const rt = createRuntime({ scriptTimeZone: 'America/New_York', spreadsheetTimeZone: 'Asia/Tokyo' });
    const job = data<Saved>(rt, 'createJob', JOB);
    expect(job.job.config.timezone).toBe('Asia/Tokyo');
    data<Run>(rt, 'runJobNow', job.job.id);
    const col = DEFAULT_COLUMNS.indexOf('published_at');
    const raw = rt.spreadsheets.values(rt.spreadsheetId, 'Videos')[1]![col];
    expect(raw).toBeInstanceOf(Date);
    const shown = rt.spreadsheets.displayValues(rt.spreadsheetId, 'Videos')[1]![col];
    const tokyo = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Tokyo',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(raw as Date);
    expect(shown).toBe(tokyo);
  });
});
