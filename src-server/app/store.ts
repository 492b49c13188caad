/**
 * One execution's view of Script Properties (small coordination data: settings, next-due, leases of
 * the trigger record, quota, keys; job definitions and states live in the jobs tab, job-table.ts): read once (getAll), changes staged in memory, written in
 * one setMany batch (plus one deleteMany when keys go away). Before writing, the platform's budgets are
 * checked so that a change that would not fit is refused whole, with nothing written.
 */
import type { PropertyStore } from '../ports';
import { AppError } from './contract';
import { formatKb, utf8Length } from './bytes';

/** Apps Script's limits: 9 KB per property (key + value) and 500 KB per store. */
export const VALUE_LIMIT_BYTES = 9 * 1024;
export const STORE_LIMIT_BYTES = 500 * 1024;

export const KEYS = {
  job: (id: string) => `job:${id}`,
  state: (id: string) => `state:${id}`,
  sync: (id: string) => `sync:${id}`,
  settings: 'settings',
  nextDue: 'meta:next_due',
  quota: 'meta:quota',
  runtime: 'meta:runtime',
  lastTick: 'meta:last_tick',
  triggers: 'meta:triggers',
  /** The trigger owner's last heartbeat tick (ISO), written by that tick alone. */
  beat: 'meta:beat',
  /** Rows of the layout before journals (read once, then removed). */
  logSpool: 'meta:log_spool',
  /** Log rows about no stored job, journaled with the property change they record (journal.ts). */
  journal: 'meta:journal',
  /** The last commit whose log rows are known to be appended (journal.ts). */
  logMark: 'meta:log_mark',
  /** Bumped before every write of the jobs tab: an execution whose own write is the last may reuse its copy. */
  tableRev: 'meta:table_rev',
  /** Where the run-history and audit tabs end (sheet-table.ts TableEnd), kept with the mark. */
  logEnds: 'meta:log_ends',
} as const;

export function entryBytes(key: string, value: string): number {
  return utf8Length(key) + utf8Length(value);
}

export interface StoreUsage {
  used_bytes: number;
  largest_value_bytes: number;
}

export function storeUsage(values: Record<string, string>): StoreUsage {
  let used = 0;
  let largest = 0;
  for (const [key, value] of Object.entries(values)) {
    const size = entryBytes(key, value);
    used += size;
    if (size > largest) largest = size;
  }
  return { used_bytes: used, largest_value_bytes: largest };
}

export class PropertySnapshot {
  private readonly staged = new Map<string, string | null>();

  constructor(private readonly loaded: Record<string, string>) {}

  static load(store: PropertyStore): PropertySnapshot {
    return new PropertySnapshot({ ...store.getAll() });
  }

  get(key: string): string | null {
    if (this.staged.has(key)) return this.staged.get(key) ?? null;
    return Object.prototype.hasOwnProperty.call(this.loaded, key) ? (this.loaded[key] ?? null) : null;
  }

  json<T>(key: string): T | null {
    const raw = this.get(key);
    if (raw === null || raw === '') return null;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return null;
    }
  }

  set(key: string, value: string): void {
    this.staged.set(key, value);
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.staged.set(key, null);
  }

  /** Keys (current view) starting with `prefix`, in sorted order. */
  keys(prefix: string): string[] {
    const all = new Set<string>();
    for (const key of Object.keys(this.loaded)) if (key.startsWith(prefix)) all.add(key);
    for (const [key, value] of this.staged) {
      if (!key.startsWith(prefix)) continue;
      if (value === null) all.delete(key);
      else all.add(key);
    }
    return [...all].sort();
  }

  /** The whole store as it would be after commit. */
  current(): Record<string, string> {
    const out: Record<string, string> = { ...this.loaded };
    for (const [key, value] of this.staged) {
      if (value === null) delete out[key];
      else out[key] = value;
    }
    return out;
  }

  /** Keys with a staged write whose value is larger than the stored one (new keys included). */
  grownKeys(): string[] {
    const out: string[] = [];
    for (const [key, value] of this.staged) {
      if (value === null) continue;
      const before = Object.prototype.hasOwnProperty.call(this.loaded, key) ? entryBytes(key, this.loaded[key]!) : 0;
      if (entryBytes(key, value) > before) out.push(key);
    }
    return out;
  }

  /** Drops the staged change of `key`: the stored value stays. */
  revert(key: string): void {
    this.staged.delete(key);
  }

  /** The value as stored (before staged changes). */
  storedValue(key: string): string | null {
    return Object.prototype.hasOwnProperty.call(this.loaded, key) ? (this.loaded[key] ?? null) : null;
  }

  hasChanges(): boolean {
    for (const [key, value] of this.staged) {
      if ((value ?? null) !== (this.loaded[key] ?? null)) return true;
    }
    return false;
  }

  /** Throws store_full (413) when the staged change breaks a budget; nothing is written then. */
  checkBudget(): void {
    const changed: string[] = [];
    for (const [key, value] of this.staged) {
      if (value === null || value === this.loaded[key]) continue;
      changed.push(key);
      const size = entryBytes(key, value);
      if (size > VALUE_LIMIT_BYTES) {
        throw new AppError(
          413,
          'store_full',
          `${key} would take ${formatKb(size)}, over the ${formatKb(VALUE_LIMIT_BYTES)} limit per stored value; ` +
            'make the job smaller (fewer channels, shorter description or tags). Nothing was saved.',
          { key, bytes: size, limit_bytes: VALUE_LIMIT_BYTES },
        );
      }
    }
    if (changed.length === 0) return;
    const before = storeUsage(this.loaded).used_bytes;
    const after = storeUsage(this.current()).used_bytes;
    if (after > STORE_LIMIT_BYTES && after > before) {
      const room = Math.max(0, STORE_LIMIT_BYTES - before);
      throw new AppError(
        413,
        'store_full',
        `The property store is full: this change needs ${formatKb(after - before)} more but only ${formatKb(room)} ` +
          `of ${formatKb(STORE_LIMIT_BYTES)} is left. Delete unused jobs or API keys. Nothing was saved.`,
        { used_bytes: before, needed_bytes: after - before, room_bytes: room, limit_bytes: STORE_LIMIT_BYTES },
      );
    }
  }

  /** Writes staged changes in one setMany (and one deleteMany); returns whether anything was written. */
  commit(store: PropertyStore): boolean {
    this.checkBudget();
    const writes: Record<string, string> = {};
    const deletes: string[] = [];
    for (const [key, value] of this.staged) {
      if (value === null) {
        if (Object.prototype.hasOwnProperty.call(this.loaded, key)) deletes.push(key);
      } else if (value !== this.loaded[key]) writes[key] = value;
    }
    const wrote = Object.keys(writes).length > 0 || deletes.length > 0;
    if (Object.keys(writes).length > 0) store.setMany(writes);
    if (deletes.length > 0) store.deleteMany(deletes);
    for (const [key, value] of this.staged) {
      if (value === null) delete this.loaded[key];
      else this.loaded[key] = value;
    }
    this.staged.clear();
    return wrote;
  }
}
