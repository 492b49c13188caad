/** One execution's bookkeeping on the state owner's side, and the scope handed to every fake. */
import type { World } from './world';

export type ExecutionKind = 'run' | 'trigger' | 'web' | 'scriptRun' | 'load' | 'simpleTrigger';

/**
 * ScriptApp.AuthMode of an execution. Simple triggers (onOpen, onInstall) run LIMITED: no service
 * that needs authorization (emulator/services/auth.ts); everything else the emulator runs is FULL.
 */
export type AuthMode = 'FULL' | 'LIMITED';

/** Apps Script kills an execution after 6 minutes. */
export const EXECUTION_LIMIT_MS = 6 * 60 * 1000;
/** Triggers guide, "Simple triggers" restrictions: "They cannot run for longer than 30 seconds." */
export const SIMPLE_TRIGGER_LIMIT_MS = 30 * 1000;

export class Execution {
  readonly calls: Record<string, number> = {};
  readonly logs: string[] = [];
  elapsedMs = 0;
  killed = false;
  killMessage: string | null = null;
  /** Service calls made so far (answered or refused). */
  callCount = 0;
  /**
   * Fault injection (Runtime.killAt): the platform kills this execution as it is about to make its
   * `killAtCall`-th service call (1-based), as the 6-minute limit does; null: never.
   */
  killAtCall: number | null = null;
  readonly handles = new Map<number, object>();
  readonly #ids = new Map<object, number>();
  #nextHandle = 1;
  /** The user the execution runs as (Session, user stores, triggers it sees); set by the runtime. */
  user = '';
  authMode: AuthMode = 'FULL';

  constructor(
    readonly id: number,
    readonly kind: ExecutionKind,
    readonly fn: string,
    readonly startedAtMs: number,
    /** Worker executions may wait (locks); in-process ones cannot, the state owner is busy running them. */
    readonly canBlock: boolean,
    readonly triggerUid: string | null = null,
  ) {}

  /** 30 s for simple triggers, 6 minutes for everything else. */
  get limitMs(): number {
    return this.kind === 'simpleTrigger' ? SIMPLE_TRIGGER_LIMIT_MS : EXECUTION_LIMIT_MS;
  }

  handleOf(obj: object): number {
    let id = this.#ids.get(obj);
    if (id === undefined) {
      id = this.#nextHandle++;
      this.#ids.set(obj, id);
      this.handles.set(id, obj);
    }
    return id;
  }
}

/** What a fake sees: the shared state, its execution, and a way to let virtual time pass. */
export interface Scope {
  readonly world: World;
  readonly exec: Execution;
  /** Lets `ms` of virtual time pass inside this execution (sleep, waiting); may kill it. */
  spend(ms: number): void;
}
