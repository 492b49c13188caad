/**
 * Worker-thread executions. Each execution runs its fresh vm context inside a worker; every service
 * call crosses synchronously to the state owner (this thread): the worker posts the call on its
 * MessagePort and blocks in Atomics.wait; this thread answers on the same port and notifies, and the
 * worker picks the answer up with receiveMessageOnPort. A call that must wait (a held lock) is simply
 * answered later, so only the worker blocks, never this thread.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { SandboxOutcome, WireResult } from '../sandbox';
import { GasException, MESSAGES, WouldBlock } from '../services/errors';
import type { Execution } from '../services/execution';
import { allTypes } from '../services/registry';
import type { Runtime } from '../runtime';
import { workerSource } from './bundle';

export interface ServiceCallInfo {
  executionId: number;
  fn: string;
  /** 'SpreadsheetApp.Range.getValues' (or the method name when the handle is unknown). */
  name: string;
  method: string;
  args: unknown[];
}

interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  args: unknown[];
}
interface LogMessage {
  type: 'log';
  line: string;
}
interface DoneMessage {
  type: 'done';
  outcome: SandboxOutcome;
}
type FromWorker = CallMessage | LogMessage | DoneMessage;

interface Slot {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  busy: boolean;
}

export class WorkerPool {
  readonly #idle: Slot[] = [];
  readonly #all = new Set<Slot>();

  constructor(private readonly runtime: Runtime) {}

  #spawn(): Slot {
    const { port1, port2 } = new MessageChannel();
    const signalBuffer = new SharedArrayBuffer(4);
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: {
        port: port2,
        signal: signalBuffer,
        clock: this.runtime.clock.buffer,
        types: allTypes(),
        source: this.runtime.code.source,
        timeoutMs: this.runtime.timeoutMs,
        timeZone: this.runtime.world.config.scriptTimeZone,
      },
      transferList: [port2],
    });
    const slot: Slot = { worker, port: port1, signal: new Int32Array(signalBuffer), busy: false };
    worker.on('error', () => this.#all.delete(slot));
    this.#all.add(slot);
    return slot;
  }

  run(exec: Execution, args: unknown[], beforeCall?: (call: ServiceCallInfo) => Promise<void> | void): Promise<SandboxOutcome> {
    const slot = this.#idle.pop() ?? this.#spawn();
    slot.busy = true;
    slot.worker.ref();
    const host = this.runtime.host;
    const globals = host.globalsFor(exec);
    const wireArgs = args.map((a) => host.encode(a, exec));
    // Calls are answered strictly in order, one at a time per execution.
    let queue = Promise.resolve();

    return new Promise<SandboxOutcome>((resolve) => {
      const answer = (result: WireResult) => {
        slot.port.postMessage(result);
        Atomics.store(slot.signal, 0, 1);
        Atomics.notify(slot.signal, 0);
      };
      const onCall = async (msg: CallMessage): Promise<void> => {
        const target = exec.handles.get(msg.id);
        if (beforeCall) {
          const typeName = target ? ((host.encode(target, exec) as { t?: string }).t ?? '') : '';
          await beforeCall({
            executionId: exec.id,
            fn: exec.fn,
            name: typeName ? `${typeName}.${msg.method}` : msg.method,
            method: msg.method,
            args: msg.args,
          });
        }
        try {
          answer(host.invoke(exec, msg.id, msg.method, msg.args));
        } catch (err) {
          if (!(err instanceof WouldBlock)) throw err;
          answer(await this.#wait(exec, err));
        }
      };
      const onMessage = (msg: FromWorker) => {
        if (msg.type === 'call') queue = queue.then(() => onCall(msg)).catch((err: unknown) => answer({ e: host.wireError(err, exec) }));
        else if (msg.type === 'log') exec.logs.push(msg.line);
        else {
          slot.port.off('message', onMessage);
          slot.worker.off('exit', onExit);
          slot.busy = false;
          slot.worker.unref();
          this.#idle.push(slot);
          resolve(msg.outcome);
        }
      };
      const onExit = () => {
        this.#all.delete(slot);
        resolve({ ok: false, error: { name: 'Error', message: 'The execution worker stopped unexpectedly.' }, timedOut: false });
      };
      slot.port.on('message', onMessage);
      slot.worker.once('exit', onExit);
      slot.worker.postMessage({ type: 'run', fn: exec.fn, args: wireArgs, globals });
    });
  }

  /** Parks a lock request until the lock is granted or the virtual deadline passes. */
  async #wait(exec: Execution, block: WouldBlock): Promise<WireResult> {
    const world = this.runtime.world;
    const startedMs = world.clock.nowMs();
    const granted = await world.locks.wait(block.scope, exec.id, startedMs + block.timeoutMs);
    exec.elapsedMs += world.clock.nowMs() - startedMs;
    try {
      this.runtime.host.checkLimits(exec);
    } catch (err) {
      if (granted) world.locks.release(block.scope, exec.id);
      return { e: this.runtime.host.wireError(err, exec) };
    }
    if (granted) return { v: block.onTimeout === 'false' ? true : undefined };
    if (block.onTimeout === 'false') return { v: false };
    return { e: this.runtime.host.wireError(new GasException(MESSAGES.lockTimeout), exec) };
  }

  async close(): Promise<void> {
    const slots = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
