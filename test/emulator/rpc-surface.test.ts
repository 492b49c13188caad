/**
 * Every server function the sidebar can call (the exports of src-server/rpc.ts, whose types the client
 * imports) exists as a global of build/Code.js: a new export that main.ts forgets would type-check on
 * the client and fail at run time with "Unknown server function".
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRuntime } from '../../emulator';

const RPC_SOURCE = readFileSync(resolve(__dirname, '../../src-server/rpc.ts'), 'utf8');

function rpcExports(): string[] {
  return [...RPC_SOURCE.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]!).sort();
}

it('each export of rpc.ts is a global of the bundle, callable by google.script.run', () => {
  const exports = rpcExports();
  expect(exports.length).toBeGreaterThan(20);
  const globals = new Set(createRuntime().functions());
  expect(exports.filter((name) => !globals.has(name))).toEqual([]);
});
