/**
 * The project's triggers: exactly one heartbeat (`tick` every N minutes) and at most one precise
 * one-off trigger at the next due instant. Apps Script cannot tell an at() trigger from an
 * everyMinutes() one, so the project records the ids it created (meta:triggers) and treats any other
 * `tick` trigger as a duplicate to remove.
 */
import type { TriggerInfo, Triggers } from '../ports';
import { TICK_HANDLER } from './deps';
import { KEYS, type PropertySnapshot } from './store';

export interface TriggerRecord {
  heartbeat: { id: string; minutes: number } | null;
  precise: { id: string; at: string } | null;
}

/** The precise trigger is never armed closer than this to now (Apps Script fires at() within ~1 min). */
export const MIN_PRECISE_DELAY_MS = 60_000;

export function readTriggerRecord(snapshot: PropertySnapshot): TriggerRecord {
  return snapshot.json<TriggerRecord>(KEYS.triggers) ?? { heartbeat: null, precise: null };
}

export interface TriggerPlan {
  heartbeatMinutes: number;
  /** The next due instant, or null when nothing is scheduled. */
  nextDue: Date | null;
  now: Date;
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
): { actions: string[]; record: TriggerRecord; present: TriggerInfo[] } {
  const record = readTriggerRecord(snapshot);
  const actions: string[] = [];
  const listed = triggers.list().filter((t) => t.handler === TICK_HANDLER);
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
  const next: TriggerRecord = { heartbeat: null, precise: null };
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

export function preciseInstant(nextDue: Date, now: Date): Date {
  return new Date(Math.max(nextDue.getTime(), now.getTime() + MIN_PRECISE_DELAY_MS));
}
