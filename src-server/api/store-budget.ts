/**
 * Writes of the API's own coordination data (key records, the token secret) checked against the
 * Script Properties budget first, so that a full store answers with a clear store_full error naming
 * the limit instead of the platform's exception; a write the platform still refuses (another
 * execution filled the store in between) gets the same answer.
 */
import { AppError } from '../app/contract';
import { formatKb } from '../app/bytes';
import { entryBytes, STORE_LIMIT_BYTES, storeUsage, VALUE_LIMIT_BYTES } from '../app/store';
import type { PropertyStore } from '../ports';

/** The platform's exception when a write would take the store past its budget. */
export function isPlatformStoreFull(err: unknown): boolean {
  const message = err && typeof err === 'object' ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' && /exceeded the property storage quota/i.test(message);
}

/** Bytes the store would grow by if `values` were written over `current`. */
function growth(current: Record<string, string>, values: Record<string, string>): number {
  let delta = 0;
  for (const [key, value] of Object.entries(values)) {
    const before = Object.prototype.hasOwnProperty.call(current, key) ? entryBytes(key, current[key]!) : 0;
    delta += entryBytes(key, value) - before;
  }
  return delta;
}

/** Whether `values` fit in the store as it is now (one getAll). */
export function fitsInStore(properties: PropertyStore, values: Record<string, string>): boolean {
  const current = properties.getAll();
  for (const [key, value] of Object.entries(values)) if (entryBytes(key, value) > VALUE_LIMIT_BYTES) return false;
  const needed = growth(current, values);
  return needed <= 0 || storeUsage(current).used_bytes + needed <= STORE_LIMIT_BYTES;
}

function storeFull(what: string, room: { used: number; needed: number } | null): AppError {
  const numbers = room ? `; ${formatKb(Math.max(0, STORE_LIMIT_BYTES - room.used))} left, ${formatKb(room.needed)} needed` : '';
  return new AppError(
    413,
    'store_full',
    `No room for ${what}: the script properties store is full (its limit is ${formatKb(STORE_LIMIT_BYTES)}${numbers}). ` +
      'Delete unused jobs to make room. Nothing was saved.',
    { limit_bytes: STORE_LIMIT_BYTES, ...(room ? { used_bytes: room.used, needed_bytes: room.needed } : {}) },
  );
}

/** Writes `values` in one setMany when they fit; else throws store_full (413) and writes nothing. */
export function writeWithinBudget(properties: PropertyStore, values: Record<string, string>, what: string): void {
  const current = properties.getAll();
  const needed = growth(current, values);
  const used = storeUsage(current).used_bytes;
  if (needed > 0 && used + needed > STORE_LIMIT_BYTES) throw storeFull(what, { used, needed });
  try {
    properties.setMany(values);
  } catch (err) {
    if (isPlatformStoreFull(err)) throw storeFull(what, null);
    throw err;
  }
}
