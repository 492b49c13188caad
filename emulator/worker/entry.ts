/**
 * Worker side of an overlapping execution: a fresh vm context per run whose service calls block this
 * thread (Atomics.wait) until the state owner answers on the port. Bundled by ./bundle.ts and started
 * with `eval`, so it runs the same under jest, tsx and plain node.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { compileCode, runInFreshContext, type SandboxBridge, type TypeInfo, type WireResult } from '../sandbox';

interface Data {
  port: MessagePort;
  signal: SharedArrayBuffer;
  clock: SharedArrayBuffer;
  types: Record<string, TypeInfo>;
  source: string;
  timeoutMs: number;
  timeZone: string;
}

const data = workerData as Data;
const signal = new Int32Array(data.signal);
const time = new Float64Array(data.clock);
const code = compileCode(data.source, 'Code.js');

function call(id: number, method: string, args: unknown[]): WireResult {
  Atomics.store(signal, 0, 0);
  data.port.postMessage({ type: 'call', id, method, args });
  for (;;) {
    Atomics.wait(signal, 0, 0);
    const reply = receiveMessageOnPort(data.port);
    if (reply) return reply.message as WireResult;
    Atomics.store(signal, 0, 0);
  }
}

parentPort?.on('message', (msg: { type: 'run'; fn: string; args: unknown[]; globals: Record<string, unknown> }) => {
  const bridge: SandboxBridge = {
    now: () => time[0] as number,
    call,
    describe: (type) => {
      const info = data.types[type];
      if (!info) throw new Error(`emulator: unknown service type ${type}`);
      return info;
    },
    log: (_level, line) => data.port.postMessage({ type: 'log', line }),
    timeZone: data.timeZone,
    globals: msg.globals,
  };
  const outcome = runInFreshContext(code, bridge, msg.fn, msg.args, { timeoutMs: data.timeoutMs });
  data.port.postMessage({ type: 'done', outcome });
});
