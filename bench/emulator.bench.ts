/**
 * What one execution of build/Code.js costs in the local runtime, which is what Apps Script pays on
 * every trigger, web request and sidebar call (each starts from a fresh global scope and parses the
 * whole bundle): the bundle's size, its compile time, a fresh-context execution of an idle entry
 * point (onOpen), and the service calls that execution makes. Builds build/ when it is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './run';
import { createRuntime } from '../emulator';

const BUILD_DIR = join(__dirname, '..', 'build');

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timeMs(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

export default async function bench(): Promise<BenchRow[]> {
  const codePath = join(BUILD_DIR, 'Code.js');
  if (!existsSync(codePath)) {
    const { buildAll } = (await import('../scripts/build')) as { buildAll: () => Promise<unknown> };
    await buildAll();
  }
  const source = readFileSync(codePath, 'utf8');
  const bytes = Buffer.byteLength(source, 'utf8');
  const rows: BenchRow[] = [
    { name: 'Code.js size', value: bytes, unit: 'bytes', goal: 'small: parsed on every execution' },
    { name: 'Code.js size (gzip, for information)', value: gzipSync(source).length, unit: 'bytes' },
  ];

  // Compiling without V8's code cache, as a cold Apps Script execution would (a fresh Script each time).
  rows.push({ name: 'compile Code.js (median of 10)', value: timeMs(() => void new vm.Script(source, { filename: `Code-${Math.random()}.js` }), 10), unit: 'ms' });

  const rt = createRuntime({ buildDir: BUILD_DIR, start: '2026-01-05T12:00:00Z' });
  rt.run('onOpen', { authMode: 'LIMITED' }); // warm-up: the compiled script is shared, contexts are not
  let last = rt.run('onOpen', { authMode: 'LIMITED' });
  rows.push({
    name: 'onOpen in a fresh context (median of 20, real time)',
    value: timeMs(() => void (last = rt.run('onOpen', { authMode: 'LIMITED' })), 20),
    unit: 'ms',
  });
  if (!last.ok) rows.push({ name: 'onOpen failed', value: `${last.error?.name}: ${last.error?.message}`, unit: '' });
  const calls = Object.values(last.calls).reduce((a, b) => a + b, 0);
  rows.push({ name: 'onOpen: service calls', value: calls, unit: 'calls' });
  for (const [name, n] of Object.entries(last.calls).sort()) rows.push({ name: `onOpen: ${name}`, value: n, unit: 'calls' });
  rows.push({ name: 'onOpen: modelled service latency', value: last.elapsedMs, unit: 'ms (virtual)' });
  return rows;
}
