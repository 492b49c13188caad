/** Read-modify-write of shared state happens under the script lock, held briefly. */
import type { ScriptLock } from '../ports';
import { AppError } from './contract';

/** How long a use case waits for the lock before answering busy. */
export const LOCK_WAIT_MS = 10_000;

export function withLock<T>(lock: ScriptLock, work: () => T, waitMs = LOCK_WAIT_MS): T {
  if (!lock.tryLock(waitMs)) {
    throw new AppError(503, 'busy', 'The scheduler is busy (another execution holds the lock); try again in a few seconds.');
  }
  try {
    return work();
  } finally {
    lock.release();
  }
}
