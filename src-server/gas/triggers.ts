/**
 * Triggers over ScriptApp. Apps Script does not say whether a clock trigger is an at() or an
 * everyMinutes() one: list() reports kind 'other' for clock triggers and the app tells them apart by
 * the ids it recorded when it created them.
 */
import type { TriggerInfo, Triggers } from '../ports';

function info(t: GoogleAppsScript.Script.Trigger): TriggerInfo {
  return { id: t.getUniqueId(), handler: t.getHandlerFunction(), kind: 'other' };
}

export function createGasTriggers(): Triggers {
  // Trigger objects seen by list() or created here, by id: delete() needs the object, and listing the
  // project's triggers again for it would cost one more call per delete.
  const known = new Map<string, GoogleAppsScript.Script.Trigger>();
  const remember = (t: GoogleAppsScript.Script.Trigger): TriggerInfo => {
    const i = info(t);
    known.set(i.id, t);
    return i;
  };
  return {
    list: () => {
      known.clear();
      return ScriptApp.getProjectTriggers().map(remember);
    },
    createHeartbeat: (handler, everyMinutes) => {
      const t = ScriptApp.newTrigger(handler).timeBased().everyMinutes(everyMinutes).create();
      return { ...remember(t), kind: 'clock-every-minutes', everyMinutes };
    },
    createAt: (handler, at) => {
      const t = ScriptApp.newTrigger(handler).timeBased().at(at).create();
      return { ...remember(t), kind: 'clock-at', at: at.toISOString() };
    },
    delete: (id) => {
      const t = known.get(id) ?? ScriptApp.getProjectTriggers().find((x) => x.getUniqueId() === id);
      if (!t) return;
      ScriptApp.deleteTrigger(t);
      known.delete(id);
    },
  };
}
