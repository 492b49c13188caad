/**
 * An adversarial scheduler for overlapping executions in the local runtime: every execution is held at
 * its first service call named `callName` until no execution can make progress without the gate opening
 * (each one is held there, parked on a lock, or finished). Code that reads and then writes shared
 * state without the script lock is caught with every execution between its read and its write; code
 * that holds the lock makes the others wait at the lock, and the gate opens for them in turn.
 */
import type { Runtime, ServiceCallInfo } from '../../emulator';

export interface Interleaving {
  beforeCall(call: ServiceCallInfo): Promise<void>;
  /** Wraps an execution's promise so that its end counts toward opening the gate. */
  track<T>(execution: Promise<T>): Promise<T>;
  /** Whether the gate had to open (false: no execution ever reached `callName`). */
  readonly opened: boolean;
  /** How many executions were held at the gate at once. */
  readonly maxHeld: number;
  stop(): void;
}

export function interleaveAt(rt: Runtime, callName: string, executions: number): Interleaving {
  let held = 0;
  let maxHeld = 0;
  let finished = 0;
  let opened = false;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const seen = new Set<number>();
  const check = (): void => {
    if (!opened && held + finished + rt.world.locks.waiting() >= executions) {
      opened = true;
      open();
    }
  };
  // Parking on a lock is not signalled to the test: poll for it.
  const poll = setInterval(check, 5);
  return {
    async beforeCall(call) {
      if (opened || call.name !== callName || seen.has(call.executionId)) return;
      seen.add(call.executionId);
      held++;
      maxHeld = Math.max(maxHeld, held);
      check();
      await gate;
      held--;
    },
    track<T>(execution: Promise<T>): Promise<T> {
      return execution.finally(() => {
        finished++;
        check();
      });
    },
    get opened() {
      return opened;
    },
    get maxHeld() {
      return maxHeld;
    },
    stop: () => clearInterval(poll),
  };
}
