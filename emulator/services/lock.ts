/**
 * LockService with real mutual exclusion between overlapping executions. A lock belongs to the
 * execution that acquired it (Apps Script releases it when the execution ends). In-process executions
 * cannot wait for another one (the state owner is busy running them), so there a held lock times out
 * at once after the virtual timeout; worker executions really wait until release or the virtual deadline.
 */
import { GasException, MESSAGES, WouldBlock } from './errors';
import type { Scope } from './execution';
import { registerType } from './registry';

/** Apps Script refuses lock timeouts above 5 minutes. */
export const LOCK_MAX_TIMEOUT_MS = 300_000;

interface Waiter {
  execId: number;
  deadlineMs: number;
  resolve: (granted: boolean) => void;
}

export class LockTable {
  readonly holders = new Map<string, number>();
  readonly #waiters = new Map<string, Waiter[]>();

  tryAcquire(scope: string, execId: number): boolean {
    const holder = this.holders.get(scope);
    if (holder !== undefined && holder !== execId) return false;
    this.holders.set(scope, execId);
    return true;
  }

  holds(scope: string, execId: number): boolean {
    return this.holders.get(scope) === execId;
  }

  release(scope: string, execId: number): void {
    if (this.holders.get(scope) !== execId) return;
    this.holders.delete(scope);
    const queue = this.#waiters.get(scope);
    const next = queue?.shift();
    if (next) {
      this.holders.set(scope, next.execId);
      next.resolve(true);
    }
  }

  releaseAll(execId: number): void {
    for (const [scope, holder] of [...this.holders]) if (holder === execId) this.release(scope, execId);
    for (const [, queue] of this.#waiters) {
      for (const w of queue.filter((q) => q.execId === execId)) {
        queue.splice(queue.indexOf(w), 1);
        w.resolve(false);
      }
    }
  }

  /** Parks an execution until the lock is granted (true) or the virtual deadline passes (false). */
  wait(scope: string, execId: number, deadlineMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const queue = this.#waiters.get(scope) ?? [];
      queue.push({ execId, deadlineMs, resolve });
      this.#waiters.set(scope, queue);
    });
  }

  /** Called whenever the clock moves: waiters whose deadline has passed give up. */
  expire(nowMs: number): void {
    for (const [, queue] of this.#waiters) {
      for (const w of queue.filter((q) => q.deadlineMs <= nowMs)) {
        queue.splice(queue.indexOf(w), 1);
        w.resolve(false);
      }
    }
  }

  waiting(): number {
    let n = 0;
    for (const [, q] of this.#waiters) n += q.length;
    return n;
  }
}

function checkTimeout(ms: unknown): number {
  const t = Number(ms);
  if (!Number.isFinite(t) || t < 0) throw new GasException('Invalid argument: timeoutInMillis');
  if (t > LOCK_MAX_TIMEOUT_MS) throw new GasException(`Invalid argument: timeoutInMillis (at most ${LOCK_MAX_TIMEOUT_MS})`);
  return t;
}

export class LockFake implements GoogleAppsScript.Lock.Lock {
  constructor(
    private readonly lockScope: string,
    private readonly scope: Scope,
  ) {}

  #acquire(timeoutMs: number, onTimeout: 'throw' | 'false'): boolean {
    const { world, exec } = this.scope;
    if (world.locks.tryAcquire(this.lockScope, exec.id)) return true;
    if (exec.canBlock && timeoutMs > 0) throw new WouldBlock(this.lockScope, timeoutMs, onTimeout);
    // Nobody else can run while this execution holds the state owner: the wait simply times out.
    this.scope.spend(timeoutMs);
    if (onTimeout === 'throw') throw new GasException(MESSAGES.lockTimeout);
    return false;
  }

  tryLock(timeoutInMillis: number): boolean {
    return this.#acquire(checkTimeout(timeoutInMillis), 'false');
  }
  waitLock(timeoutInMillis: number): void {
    this.#acquire(checkTimeout(timeoutInMillis), 'throw');
  }
  releaseLock(): void {
    this.scope.world.locks.release(this.lockScope, this.scope.exec.id);
  }
  hasLock(): boolean {
    return this.scope.world.locks.holds(this.lockScope, this.scope.exec.id);
  }
}
registerType(LockFake, 'LockService.Lock');

export class LockServiceFake implements Pick<GoogleAppsScript.Lock.LockService, 'getScriptLock' | 'getUserLock' | 'getDocumentLock'> {
  constructor(private readonly scope: Scope) {}

  getScriptLock(): GoogleAppsScript.Lock.Lock {
    return new LockFake('script', this.scope);
  }
  getUserLock(): GoogleAppsScript.Lock.Lock {
    return new LockFake(`user:${this.scope.exec.user}`, this.scope);
  }
  getDocumentLock(): GoogleAppsScript.Lock.Lock {
    return new LockFake(`document:${this.scope.world.config.activeSpreadsheetId}`, this.scope);
  }
}
registerType(LockServiceFake, 'LockService');
