/** Read-modify-write of shared state happens under the script lock, held briefly. */
import type { ScriptLock, Spreadsheets } from '../ports';
import { AppError } from './contract';

/** How long a use case waits for the lock before answering busy. */
export const LOCK_WAIT_MS = 10_000;

/**
 * What a locked section needs: the lock, and the spreadsheets whose writes it must commit before
 * release (absent for sections that write no sheet, such as the API's rate-limit counters).
 */
export interface LockDeps {
  lock: ScriptLock;
  spreadsheets?: Pick<Spreadsheets, 'flush'>;
}

/**
 * Runs `work` holding the script lock. Sheet writes made under the lock are flushed before it is
 * released through the Spreadsheets port's flush() (the platform's lock reference asks for a flush
 * before release), so the next holder reads them: spreadsheet writes are buffered, and a history append placed by lastRow() would otherwise land on
 * rows not yet committed. The flush runs even when `work` throws (what it wrote stays written).
 */
export function withLock<T>(deps: LockDeps, work: () => T, waitMs = LOCK_WAIT_MS): T {
  const { lock, spreadsheets } = deps;
  if (!lock.tryLock(waitMs)) {
    throw new AppError(503, 'busy', 'The scheduler is busy (another execution holds the lock); try again in a few seconds.');
  }
  try {
    return work();
  } finally {
    try {
      spreadsheets?.flush();
    } finally {
      lock.release();
    }
  }
}
