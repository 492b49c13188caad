/**
 * Keeps the dev server's runtime in a JSON file (default .local/state.json) so a restart loses nothing:
 * written atomically (temp file + rename), debounced after changes, and flushed on shutdown.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DevSession } from './session';

export interface SavedState {
  version: 1;
  savedAt: string;
  /** runtime.snapshot() */
  snapshot: unknown;
}

export function readStateFile(path: string): SavedState | null {
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as SavedState;
  if (parsed?.version !== 1 || !('snapshot' in parsed)) throw new Error(`${path}: not a state file of this emulator (version 1)`);
  return parsed;
}

export function writeStateFile(path: string, snapshot: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const saved: SavedState = { version: 1, savedAt: new Date().toISOString(), snapshot };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(saved));
  renameSync(tmp, path);
}

export interface AutoSave {
  /** Saves now if anything changed since the last save. */
  flush(): void;
  /** Final save (always: the clock may have moved without any execution), then stops listening. */
  stop(): void;
  readonly saves: number;
}

export function autoSave(
  session: DevSession,
  path: string,
  options: { debounceMs?: number; onError?: (err: unknown) => void } = {},
): AutoSave {
  let dirty = false;
  let timer: NodeJS.Timeout | null = null;
  let saves = 0;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!dirty) return;
    dirty = false;
    try {
      writeStateFile(path, session.runtime.snapshot());
      saves += 1;
    } catch (err) {
      dirty = true;
      options.onError?.(err);
    }
  };
  const off = session.on('changed', () => {
    dirty = true;
    timer ??= setTimeout(flush, options.debounceMs ?? 500);
  });
  return {
    flush,
    stop() {
      dirty = true;
      flush();
      off();
    },
    get saves() {
      return saves;
    },
  };
}
