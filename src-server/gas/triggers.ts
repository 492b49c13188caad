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
  return {
    list: () => ScriptApp.getProjectTriggers().map(info),
    createHeartbeat: (handler, everyMinutes) => {
      const t = ScriptApp.newTrigger(handler).timeBased().everyMinutes(everyMinutes).create();
      return { ...info(t), kind: 'clock-every-minutes', everyMinutes };
    },
    createAt: (handler, at) => {
      const t = ScriptApp.newTrigger(handler).timeBased().at(at).create();
      return { ...info(t), kind: 'clock-at', at: at.toISOString() };
    },
    delete: (id) => {
      for (const t of ScriptApp.getProjectTriggers()) {
        if (t.getUniqueId() === id) {
          ScriptApp.deleteTrigger(t);
          return;
        }
      }
    },
  };
}
