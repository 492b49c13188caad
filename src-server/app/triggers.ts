/**
 * The project's triggers: exactly one heartbeat (`tick` every N minutes) and at most one precise
 * one-off trigger at the next due instant. Apps Script cannot tell an at() trigger from an
 * everyMinutes() one, so the project records the ids it created (meta:triggers) and treats any other
 * `tick` trigger as a duplicate to remove.
 *
 * One owner. getProjectTriggers() lists only the current user's triggers, the 20-trigger limit is per
 * user and a trigger runs as the user who created it, so the triggers belong to one user recorded with
 * them (`owner`). Only the owner's executions create or delete them; any other user's execution leaves
 * them alone (it cannot even see them). A tick fired by a trigger whose id is not recorded (another
 * user's leftover, a stale one-off) deletes that trigger and exits. An editor takes over explicitly.
 */
import type { TriggerInfo, Triggers } from '../ports';
import { TICK_HANDLER } from './deps';
import { KEYS, type PropertySnapshot } from './store';

export interface TriggerRecord {
  heartbeat: { id: string; minutes: number } | null;
  precise: { id: string; at: string } | null;
  /** The user whose triggers these are (null: not installed yet, or recorded before owners were). */
  owner?: string | null;
  /** When the owner took over or first installed (the heartbeat is judged from here until it beats). */
  since?: string | null;
}

/** A heartbeat that has not ticked for this many intervals is dead: an editor is offered the take-over. */
export const DEAD_AFTER_INTERVALS = 3;

/** The precise trigger is never armed closer than this to now (Apps Script fires at() within ~1 min). */
export const MIN_PRECISE_DELAY_MS = 60_000;

export function readTriggerRecord(snapshot: PropertySnapshot): TriggerRecord {
  return snapshot.json<TriggerRecord>(KEYS.triggers) ?? { heartbeat: null, precise: null };
}

export function parseTriggerRecord(raw: string | null): TriggerRecord {
  if (!raw) return { heartbeat: null, precise: null };
  try {
    return JSON.parse(raw) as TriggerRecord;
  } catch {
    return { heartbeat: null, precise: null };
  }
}

export interface TriggerPlan {
  heartbeatMinutes: number;
  /** The next due instant, or null when nothing is scheduled. */
  nextDue: Date | null;
  now: Date;
  /** The user this execution runs as ('' when Apps Script does not reveal it). */
  user: string;
}

/** Who may touch the triggers in this execution. */
export type Ownership =
  | { kind: 'owner' }
  /** No owner recorded and this user may become it (first install, or the creator of recorded legacy triggers). */
  | { kind: 'claim' }
  | { kind: 'other'; owner: string | null; reason: string };

/**
 * Ownership without listing triggers when the record says enough. A record without an owner but with
 * trigger ids (written before owners were recorded) belongs to whoever can see those ids: `listed`.
 */
export function ownershipOf(record: TriggerRecord, user: string, listed: () => TriggerInfo[]): Ownership {
  if (!user) return { kind: 'other', owner: record.owner ?? null, reason: 'Apps Script did not reveal who runs this execution' };
  if (record.owner)
    return record.owner === user ? { kind: 'owner' } : { kind: 'other', owner: record.owner, reason: `Scheduling runs as ${record.owner}` };
  if (!record.heartbeat && !record.precise) return { kind: 'claim' };
  const ids = new Set([record.heartbeat?.id, record.precise?.id].filter(Boolean));
  if (listed().some((t) => ids.has(t.id))) return { kind: 'claim' };
  return { kind: 'other', owner: null, reason: 'The triggers were installed by another user (not recorded); the next tick records who' };
}

/**
 * Brings the triggers to exactly: one heartbeat with the right interval and (when something is due)
 * one precise trigger. Returns what was repaired or re-armed, in words. One list() call, then only the
 * deletes and creates that are needed.
 */
export function reconcileTriggers(
  triggers: Triggers,
  snapshot: PropertySnapshot,
  plan: TriggerPlan,
): { actions: string[]; record: TriggerRecord; present: TriggerInfo[]; skipped?: string } {
  const record = readTriggerRecord(snapshot);
  const actions: string[] = [];
  let listedAll: TriggerInfo[] | null = null;
  const listAll = (): TriggerInfo[] => (listedAll ??= triggers.list());
  const ownership = ownershipOf(record, plan.user, listAll);
  // Another user's triggers: invisible to this execution, and not its to change.
  if (ownership.kind === 'other') return { actions, record, present: [], skipped: ownership.reason };
  const listed = listAll().filter((t) => t.handler === TICK_HANDLER);
  const present = [...listed];
  const remove = (t: TriggerInfo, why: string): void => {
    triggers.delete(t.id);
    present.splice(present.indexOf(t), 1);
    actions.push(why);
  };

  // Heartbeat: keep the recorded one if it still exists with the right interval.
  let heartbeat = listed.find((t) => record.heartbeat && t.id === record.heartbeat.id) ?? null;
  if (heartbeat && record.heartbeat && record.heartbeat.minutes !== plan.heartbeatMinutes) {
    remove(heartbeat, `heartbeat interval changed to ${plan.heartbeatMinutes} min`);
    heartbeat = null;
  }
  // Precise: keep the recorded one only while it is still in the future and at the wanted instant.
  const wantedAt = plan.nextDue ? preciseInstant(plan.nextDue, plan.now) : null;
  let precise = listed.find((t) => record.precise && t.id === record.precise.id) ?? null;
  if (precise && (!wantedAt || !record.precise || record.precise.at !== wantedAt.toISOString())) {
    remove(precise, wantedAt ? 're-armed the precise trigger' : 'removed the precise trigger (nothing due)');
    precise = null;
  }
  // Anything else calling tick is a duplicate (or a stale one-off trigger that already fired).
  for (const t of listed) {
    if (t === heartbeat || t === precise) continue;
    if (!present.includes(t)) continue;
    remove(t, t.kind === 'clock-every-minutes' ? 'removed a duplicate heartbeat trigger' : 'removed a stale tick trigger');
  }
  const next: TriggerRecord = {
    heartbeat: null,
    precise: null,
    owner: plan.user,
    since: record.owner ? (record.since ?? null) : plan.now.toISOString(),
  };
  if (!heartbeat) {
    const created = triggers.createHeartbeat(TICK_HANDLER, plan.heartbeatMinutes);
    present.push(created);
    next.heartbeat = { id: created.id, minutes: plan.heartbeatMinutes };
    actions.push(
      record.heartbeat
        ? `reinstalled the missing heartbeat trigger (every ${plan.heartbeatMinutes} min)`
        : `installed the heartbeat trigger (every ${plan.heartbeatMinutes} min)`,
    );
  } else {
    next.heartbeat = { id: heartbeat.id, minutes: plan.heartbeatMinutes };
  }
  if (wantedAt && !precise) {
    const created = triggers.createAt(TICK_HANDLER, wantedAt);
    present.push(created);
    next.precise = { id: created.id, at: wantedAt.toISOString() };
    if (!actions.includes('re-armed the precise trigger')) actions.push('armed the precise trigger');
  } else if (precise && record.precise) {
    next.precise = record.precise;
  }
  snapshot.setJson(KEYS.triggers, next);
  return { actions, record: next, present };
}

/**
 * Whether an action of reconcileTriggers fixed something that went wrong (a heartbeat that vanished, a
 * duplicate), as opposed to routine upkeep: first install, interval change, moving or clearing the
 * precise trigger, dropping a one-off trigger that already fired. Health warns about the former only.
 */
export function isTriggerRepair(action: string): boolean {
  return action.startsWith('reinstalled the missing heartbeat') || action.startsWith('removed a duplicate heartbeat');
}

/**
 * A tick fired by a trigger: is it one of the owner's recorded triggers? One property read, no
 * Session call (trigger ids are unique across users). The recorded heartbeat also stamps meta:beat
 * (unlocked: only heartbeat ticks write that key), which tells editors the owner's schedule is alive.
 * A trigger that is not recorded — another user's leftover after a take-over, a duplicate, a one-off
 * that lost its place — deletes itself: it runs as its creator, who alone can see and delete it.
 */
export function checkFiringTrigger(
  deps: { properties: { get(key: string): string | null; setMany(values: Record<string, string>): void }; triggers: Triggers },
  triggerUid: string,
  now: Date,
): { run: boolean; record: TriggerRecord; removed: boolean } {
  const record = parseTriggerRecord(deps.properties.get(KEYS.triggers));
  if (record.heartbeat?.id === triggerUid) {
    deps.properties.setMany({ [KEYS.beat]: now.toISOString() });
    return { run: true, record, removed: false };
  }
  if (record.precise?.id === triggerUid) return { run: true, record, removed: false };
  deps.triggers.delete(triggerUid);
  return { run: false, record, removed: true };
}

export interface SchedulerOwnerStatus {
  owner: string | null;
  since: string | null;
  /** The owner's last heartbeat tick (meta:beat). */
  last_heartbeat_at: string | null;
  /** No heartbeat tick for DEAD_AFTER_INTERVALS intervals (counted from the last beat, else from `since`). */
  heartbeat_dead: boolean;
}

export function ownerStatus(record: TriggerRecord, beat: string | null, now: Date, heartbeatMinutes: number): SchedulerOwnerStatus {
  const from = [beat, record.since ?? null]
    .filter((v): v is string => !!v)
    .map((v) => Date.parse(v))
    .filter((ms) => !Number.isNaN(ms));
  const last = from.length > 0 ? Math.max(...from) : NaN;
  const dead = !!record.owner && !Number.isNaN(last) && now.getTime() - last > DEAD_AFTER_INTERVALS * heartbeatMinutes * 60_000;
  return { owner: record.owner ?? null, since: record.since ?? null, last_heartbeat_at: beat, heartbeat_dead: dead };
}

export function preciseInstant(nextDue: Date, now: Date): Date {
  return new Date(Math.max(nextDue.getTime(), now.getTime() + MIN_PRECISE_DELAY_MS));
}
