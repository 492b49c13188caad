/**
 * One trigger owner: triggers are per user on the platform (getProjectTriggers lists the current
 * user's only), so only the recorded owner's executions touch them; other users' ticks remove
 * themselves; an editor can take over, audited. Each user gets their own trigger list here.
 */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { DEAD_AFTER_INTERVALS, ownershipOf, type TriggerRecord } from '../../../src-server/app/triggers';
import { createFakeWorld, FakeTriggers, resetCalls, type FakeWorld } from './fakes';

const OWNER = 'owner@example.com';
const EDITOR = 'editor@example.com';
const daily = { name: 'Daily Sync', channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos' };

/** A user's own trigger list; ids carry the user, as Apps Script's trigger ids are unique across users. */
class UserTriggers extends FakeTriggers {
  constructor(
    private readonly email: string,
    count: (name: string) => void,
  ) {
    super(count);
  }
  override createHeartbeat(handler: string, everyMinutes: number) {
    return this.#tag(super.createHeartbeat(handler, everyMinutes));
  }
  override createAt(handler: string, at: Date) {
    return this.#tag(super.createAt(handler, at));
  }
  #tag<T extends { id: string }>(info: T): T {
    const item = this.items.find((i) => i.id === info.id)!;
    item.id = `${this.email}:${info.id}`;
    return { ...info, id: item.id };
  }
}

function setup() {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 30);
  const perUser = new Map<string, FakeTriggers>([[OWNER, world.triggers]]);
  const triggersOf = (email: string): FakeTriggers => {
    let t = perUser.get(email);
    if (!t) perUser.set(email, (t = new UserTriggers(email, (name) => (world.calls[name] = (world.calls[name] ?? 0) + 1))));
    return t;
  };
  /** One execution running as `email` (a fresh app, that user's triggers and identity). */
  const as = (email: string) =>
    createSchedulerApp({ ...world.deps, triggers: triggersOf(email), identity: { ...world.deps.identity, userEmail: () => email } });
  const actor = (email: string): Actor => ({ kind: 'user', email });
  return { world, as, triggersOf, actor };
}

const ticks = (t: FakeTriggers) => t.items.filter((i) => i.handler === 'tick');
const record = (world: FakeWorld) => JSON.parse(world.properties.data['meta:triggers']!) as TriggerRecord & { owner: string };

describe('one trigger owner', () => {
  test('the first authorised user installs and owns; an editor opening the sidebar or editing jobs creates and deletes nothing', () => {
    const { world, as, triggersOf, actor } = setup();
    as(OWNER).sidebarView();
    expect(ticks(triggersOf(OWNER))).toHaveLength(1);
    expect(record(world).owner).toBe(OWNER);

    resetCalls(world.calls);
    const view = as(EDITOR).sidebarView();
    as(EDITOR).createJob(daily, actor(EDITOR));
    as(EDITOR).health();
    expect(Object.keys(world.calls).filter((k) => k.startsWith('triggers.'))).toEqual([]);
    expect(ticks(triggersOf(EDITOR))).toEqual([]);
    expect(view.scheduler).toMatchObject({ owner: OWNER, you: EDITOR, you_are_owner: false, take_over_suggested: false });
    expect(view.health.warnings.filter((w) => /reinstalled|repaired/i.test(w))).toEqual([]);
    // The job the editor created runs on the owner's precise trigger.
    expect(ticks(triggersOf(OWNER)).filter((t) => t.kind === 'clock-at')).toHaveLength(0);
    as(OWNER).sidebarView();
    expect(
      ticks(triggersOf(OWNER))
        .map((t) => t.kind)
        .sort(),
    ).toEqual(['clock-at', 'clock-every-minutes']);
  });

  test('a tick fired by a trigger that is not recorded deletes it and stops, writing nothing', () => {
    const { world, as, triggersOf } = setup();
    as(OWNER).sidebarView();
    const stray = triggersOf(EDITOR).createHeartbeat('tick', 5); // left from before owners were recorded
    const before = { ...world.properties.data };
    resetCalls(world.calls);
    const result = as(EDITOR).tick({ triggerUid: stray.id });
    expect(result).toEqual({ ran: 0, next_wake_at: null });
    expect(ticks(triggersOf(EDITOR))).toEqual([]);
    expect(world.properties.data).toEqual(before);
    expect(world.calls).toEqual({ 'properties.get': 1, 'triggers.delete': 1 });
    expect(world.logs.some((l) => l.includes(`not one of the scheduler's (owner ${OWNER})`))).toBe(true);
  });

  test("take-over: the editor owns the triggers, it is audited, and the previous owner's heartbeat removes itself when it fires", () => {
    const { world, as, triggersOf, actor } = setup();
    as(OWNER).createJob(daily, actor(OWNER));
    const oldHeartbeat = record(world).heartbeat!.id;
    const done = as(EDITOR).takeOverScheduling(actor(EDITOR));
    expect(done).toMatchObject({ owner: EDITOR, previous_owner: OWNER, reason: 'explicit' });
    expect(done.repaired).toEqual(expect.arrayContaining(['installed the heartbeat trigger (every 5 min)', 'armed the precise trigger']));
    expect(record(world).owner).toBe(EDITOR);
    expect(ticks(triggersOf(EDITOR))).toHaveLength(2);
    const audit = as(EDITOR)
      .audit({})
      .items.find((a) => a.action === 'scheduler.take_over')!;
    expect(audit.actor).toContain(EDITOR);
    expect(JSON.parse(audit.changes)).toMatchObject({ from: OWNER, to: EDITOR, reason: 'explicit' });
    // The old owner's heartbeat fires (as the old owner): it is no longer recorded, so it deletes itself.
    expect(as(OWNER).tick({ triggerUid: oldHeartbeat })).toEqual({ ran: 0, next_wake_at: null });
    expect(ticks(triggersOf(OWNER)).some((t) => t.id === oldHeartbeat)).toBe(false);
    // The old owner opening the sidebar no longer installs anything.
    const view = as(OWNER).sidebarView();
    expect(view.scheduler).toMatchObject({ owner: EDITOR, you_are_owner: false });
    expect(ticks(triggersOf(OWNER)).filter((t) => t.kind === 'clock-every-minutes')).toEqual([]);
    expect(() => as(EDITOR).takeOverScheduling(actor(EDITOR))).toThrow('Scheduling already runs as you (editor@example.com).');
  });

  test(`a heartbeat silent for ${DEAD_AFTER_INTERVALS} intervals is dead: the editor is offered the take-over; a beating one is alive`, () => {
    const { world, as, actor } = setup();
    as(OWNER).createJob(daily, actor(OWNER));
    const heartbeat = record(world).heartbeat!.id;
    for (let i = 0; i < 6; i++) {
      world.clock.advance(5 * 60_000);
      as(OWNER).tick({ triggerUid: heartbeat });
    }
    expect(as(EDITOR).sidebarView().scheduler).toMatchObject({
      heartbeat_dead: false,
      take_over_suggested: false,
      last_heartbeat_at: '2026-01-05T12:30:00.000Z',
    });
    world.clock.advance(DEAD_AFTER_INTERVALS * 5 * 60_000 + 1);
    const view = as(EDITOR).sidebarView();
    expect(view.scheduler).toMatchObject({ heartbeat_dead: true, take_over_suggested: true });
    expect(
      view.health.warnings.some((w) =>
        w.startsWith(`Scheduling runs as ${OWNER}, whose heartbeat has not ticked since 2026-01-05T12:30:00.000Z`),
      ),
    ).toBe(true);
    expect(as(EDITOR).takeOverScheduling(actor(EDITOR)).reason).toBe('heartbeat_dead');
  });

  test('triggers recorded before owners were: the tick of a recorded trigger claims them for the user it runs as', () => {
    const { world, as, triggersOf } = setup();
    as(OWNER).sidebarView();
    const legacy = { heartbeat: record(world).heartbeat, precise: null };
    world.properties.data['meta:triggers'] = JSON.stringify(legacy);
    // The editor cannot see them: it does not touch them.
    as(EDITOR).sidebarView();
    expect(ticks(triggersOf(EDITOR))).toEqual([]);
    expect(record(world).owner).toBeUndefined();
    as(OWNER).tick({ triggerUid: legacy.heartbeat!.id });
    expect(record(world).owner).toBe(OWNER);
    expect(ownershipOf(record(world), EDITOR, () => [])).toEqual({ kind: 'other', owner: OWNER, reason: `Scheduling runs as ${OWNER}` });
  });

  test('when Apps Script does not reveal the user, nothing is installed and the take-over is refused', () => {
    const { world, as, actor } = setup();
    resetCalls(world.calls);
    const view = as('').sidebarView();
    expect(Object.keys(world.calls).filter((k) => k.startsWith('triggers.'))).toEqual([]);
    expect(view.scheduler).toMatchObject({ owner: null, you: '', take_over_suggested: false });
    expect(() => as('').takeOverScheduling(actor(''))).toThrow('Apps Script did not reveal your account');
  });
});
