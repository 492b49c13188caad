/** ScriptLock over LockService.getScriptLock() (one lock object per execution, fetched on first use). */
import type { ScriptLock } from '../ports';

export function createScriptLock(): ScriptLock {
  let lock: GoogleAppsScript.Lock.Lock | null = null;
  const get = (): GoogleAppsScript.Lock.Lock => (lock ??= LockService.getScriptLock());
  return {
    tryLock: (timeoutMs) => get().tryLock(timeoutMs),
    release: () => {
      if (lock) lock.releaseLock();
    },
  };
}
