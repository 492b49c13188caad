/**
 * Several editors, one trigger owner, through the built bundle in the local runtime, with triggers
 * firing late (seeded) and overlapping on worker threads as they do in Apps Script. An owner and an
 * editor each open the spreadsheet and the sidebar, edit jobs and run things for three emulated days:
 * one heartbeat across users, only the owner's triggers tick, every occurrence runs exactly once and
 * within the lateness bound, no trigger repairs; then the owner disappears and the editor takes over.
 */
import type { ExecutionResult, Runtime } from '../../../emulator';
import { LATE_TIMING_DEFAULTS } from '../../../emulator/services/script-app';
import { auditRows, buildTestBundle, newRuntime, removeBundle, runRows, type RunRow } from './harness';

jest.setTimeout(240_000);

const OWNER = 'owner@example.com';
const EDITOR = 'editor@example.com';
const HOUR = 3_600_000;

let dir: string;
beforeAll(async () => {
  dir = await buildTestBundle();
});
afterAll(() => removeBundle(dir));

/** A google.script.run call as `user`; the RPC envelope's data (or its error, thrown). */
function rpc<T = Record<string, unknown>>(rt: Runtime, user: string, fn: string, ...args: unknown[]): T {
  const result = rt.asUser(user, () => rt.scriptRun<{ ok: boolean; data?: T; error?: { message: string } }>(fn, ...args));
  if (!result.ok) throw new Error(`${fn}: ${result.error?.message}`);
  if (!result.value!.ok) throw new Error(`${fn}: ${result.value!.error!.message}`);
  return result.value!.data as T;
}

const heartbeats = (rt: Runtime) => rt.triggers.filter((t) => t.handler === 'tick' && t.schedule === 'everyMinutes');
const repairWarnings = (warnings: string[]) => warnings.filter((w) => /reinstalled|repaired|duplicate/i.test(w));

function overlapping(results: ExecutionResult[]): number {
  const sorted = [...results].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  let n = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.startedAt < sorted[i - 1]!.finishedAt) n++;
  return n;
}

/** Scheduled runs of a job: exactly once per occurrence, consecutive occurrences `periodMs` apart. */
function expectEachOccurrenceOnce(rows: RunRow[], jobId: string, periodMs: number, count: number, untilMs: number): void {
  const scheduled = rows.filter((r) => r.job_id === jobId && r.trigger === 'schedule' && Date.parse(r.scheduled_for) <= untilMs);
  const instants = scheduled.map((r) => Date.parse(r.scheduled_for)).sort((a, b) => a - b);
  expect(new Set(instants).size).toBe(instants.length);
  expect(instants.length).toBe(count);
  for (let i = 1; i < instants.length; i++) expect(instants[i]! - instants[i - 1]!).toBe(periodMs);
  expect(scheduled.filter((r) => r.status !== 'succeeded')).toEqual([]);
}

test('owner and editor for three emulated days with late, overlapping ticks; then the editor takes over from a dead owner', async () => {
  const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z', editors: [EDITOR], triggerTiming: { seed: 20260105 } });
  try {
    // Opening the spreadsheet runs onOpen as a simple trigger (LIMITED): the menu, no triggers.
    for (const user of [OWNER, EDITOR]) {
      const opened = rt.openSpreadsheet(user);
      expect(opened.ok).toBe(true);
      expect(opened.calls['ScriptApp.getProjectTriggers'] ?? 0).toBe(0);
    }
    expect(rt.ui.menu('YouTube2Sheets')?.items.length).toBeGreaterThan(0);
    expect(rt.triggers).toEqual([]);

    // The owner's first authorised action (the sidebar) installs the schedule; the editor's installs nothing.
    expect(rpc(rt, OWNER, 'sidebarView').scheduler).toMatchObject({ owner: OWNER, you_are_owner: true });
    const editorView = rpc<{ scheduler: Record<string, unknown>; health: { warnings: string[] } }>(rt, EDITOR, 'sidebarView');
    expect(editorView.scheduler).toMatchObject({ owner: OWNER, you: EDITOR, you_are_owner: false, take_over_suggested: false });
    expect(heartbeats(rt).map((t) => t.owner)).toEqual([OWNER]);

    type Saved = { job: { id: string } };
    const daily = rpc<Saved>(rt, OWNER, 'createJob', {
      name: 'Owner daily',
      channels: ['@midchannel'],
      schedule_type: 'daily',
      schedule_value: '09:00',
      timezone: 'UTC',
      target_tab_name: 'Daily',
    }).job.id;
    const hourly = rpc<Saved>(rt, EDITOR, 'createJob', {
      name: 'Editor hourly',
      channels: ['@tinycooking'],
      schedule_type: 'interval',
      schedule_value: '1h',
      target_tab_name: 'Hourly',
    }).job.id;
    const often = rpc<Saved>(rt, EDITOR, 'createJob', {
      name: 'Editor often',
      channels: ['@retrotech'],
      schedule_type: 'interval',
      schedule_value: '20m',
      target_tab_name: 'Often',
    }).job.id;
    expect(rt.triggers.every((t) => t.owner === OWNER)).toBe(true); // the editor's job re-armed the owner's precise trigger only

    const start = rt.clock.nowMs();
    const fired: ExecutionResult[] = [];
    for (let hour = 1; hour <= 72; hour++) {
      // Day 2: YouTube is slow for a while, so runs last minutes and ticks overlap them.
      if (hour === 30) rt.youtube.injectFault({ kind: 'slow', latencyMs: 90_000, times: 3 });
      fired.push(...(await rt.advanceToAsync(new Date(start + hour * HOUR))));
      if (hour % 5 === 0) {
        const view = rpc<{ health: { warnings: string[] } }>(rt, EDITOR, 'sidebarView');
        expect(repairWarnings(view.health.warnings)).toEqual([]);
      }
      if (hour % 9 === 0)
        expect(repairWarnings(rpc<{ health: { warnings: string[] } }>(rt, OWNER, 'sidebarView').health.warnings)).toEqual([]);
      if (hour === 20) rpc(rt, EDITOR, 'patchJob', hourly, { name: 'Editor hourly (renamed)' }, null);
      if (hour === 41) rpc(rt, OWNER, 'runJobNow', daily);
      if (hour === 50) rt.asUser(EDITOR, () => rt.run('openJobManager')); // an authorised menu action by the editor
      // Exactly one heartbeat across users, the owner's.
      expect(heartbeats(rt).map((t) => t.owner)).toEqual([OWNER]);
    }

    // Let the last occurrences' late triggers fire (still the owner's).
    const end = rt.clock.nowMs();
    fired.push(...(await rt.advanceToAsync(new Date(end + 20 * 60_000))));

    // Only the owner's triggers ran ticks, all of them fine.
    expect(fired.length).toBeGreaterThan(72 * 12 * 0.9);
    expect(fired.filter((r) => r.user !== OWNER)).toEqual([]);
    expect(fired.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    // Late and overlapping, as in Apps Script.
    expect(overlapping(fired)).toBeGreaterThan(0);

    // Exactly once per occurrence, despite late and overlapping ticks.
    const rows = runRows(rt);
    expectEachOccurrenceOnce(rows, hourly, HOUR, 72, end);
    expectEachOccurrenceOnce(rows, often, 20 * 60_000, 72 * 3, end);
    expectEachOccurrenceOnce(rows, daily, 24 * HOUR, 3, end);
    // Bounded lateness: a one-off trigger's delay, or the heartbeat's period plus its drift, plus the work queued ahead.
    const bound = LATE_TIMING_DEFAULTS.oneOffMaxLateMs + 5 * 60_000 + 6 * 60_000;
    for (const r of rows.filter((x) => x.trigger === 'schedule'))
      expect(Date.parse(r.started_at) - Date.parse(r.scheduled_for)).toBeLessThanOrEqual(bound);
    expect(rt.mail).toEqual([]);

    // The owner leaves: their triggers stop (account removed). After three silent intervals the editor is offered the take-over.
    rt.world.triggers.list.splice(0, rt.world.triggers.list.length, ...rt.world.triggers.list.filter((t) => t.owner !== OWNER));
    await rt.advanceToAsync(new Date(rt.clock.nowMs() + 16 * 60_000));
    const offered = rpc<{ scheduler: Record<string, unknown> }>(rt, EDITOR, 'sidebarView').scheduler;
    expect(offered).toMatchObject({ owner: OWNER, heartbeat_dead: true, take_over_suggested: true });
    const taken = rpc<{ owner: string; previous_owner: string; reason: string }>(rt, EDITOR, 'takeOverScheduling');
    expect(taken).toMatchObject({ owner: EDITOR, previous_owner: OWNER, reason: 'heartbeat_dead' });
    const audit = auditRows(rt).filter((a) => a.action === 'scheduler.take_over');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toContain(EDITOR);
    expect(JSON.parse(audit[0]!.changes)).toMatchObject({ from: OWNER, to: EDITOR, reason: 'heartbeat_dead' });

    // A day under the new owner: one heartbeat (the editor's), ticks run as the editor, runs continue.
    const before = runRows(rt).length;
    const after = await rt.advanceToAsync(new Date(rt.clock.nowMs() + 24 * HOUR));
    expect(heartbeats(rt).map((t) => t.owner)).toEqual([EDITOR]);
    expect(after.filter((r) => r.user !== EDITOR)).toEqual([]);
    expect(runRows(rt).length).toBeGreaterThan(before + 24 * 3);
    expect(rpc<{ scheduler: Record<string, unknown> }>(rt, OWNER, 'sidebarView').scheduler).toMatchObject({
      owner: EDITOR,
      you_are_owner: false,
      heartbeat_dead: false,
    });
    expect(repairWarnings(rpc<{ health: { warnings: string[] } }>(rt, EDITOR, 'sidebarView').health.warnings)).toEqual([]);
  } finally {
    await rt.close();
  }
});

test('an explicit take-over from the menu while the owner is alive: confirmed, audited, the old heartbeat removes itself', async () => {
  const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z', editors: [EDITOR], triggerTiming: { seed: 3 } });
  try {
    rpc(rt, OWNER, 'createJob', {
      name: 'Hourly',
      channels: ['@tinycooking'],
      schedule_type: 'interval',
      schedule_value: '1h',
      target_tab_name: 'Hourly',
    });
    await rt.advanceToAsync(new Date(rt.clock.nowMs() + HOUR));
    rt.ui.respond('YES');
    const menu = rt.asUser(EDITOR, () => rt.run('takeOverSchedulingNow'));
    expect(menu.ok).toBe(true);
    expect((rt.ui.last('alert') as { message?: string } | undefined)?.message).toBe(`Scheduling now runs as ${EDITOR}.`);
    expect(JSON.parse(auditRows(rt).find((a) => a.action === 'scheduler.take_over')!.changes)).toMatchObject({
      from: OWNER,
      to: EDITOR,
      reason: 'explicit',
    });
    // Until the old owner's heartbeat fires it still exists (invisible to the editor); then it deletes itself.
    const fired = await rt.advanceToAsync(new Date(rt.clock.nowMs() + 10 * 60_000));
    expect(fired.some((r) => r.user === OWNER)).toBe(true);
    expect(heartbeats(rt).map((t) => t.owner)).toEqual([EDITOR]);
    expect(rt.triggers.filter((t) => t.owner === OWNER && t.handler === 'tick' && t.schedule === 'everyMinutes')).toEqual([]);
    // Declining the confirmation changes nothing.
    rt.ui.respond('NO');
    rt.asUser(OWNER, () => rt.run('takeOverSchedulingNow'));
    expect(auditRows(rt).filter((a) => a.action === 'scheduler.take_over')).toHaveLength(1);
  } finally {
    await rt.close();
  }
});
