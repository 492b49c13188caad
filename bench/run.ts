/**
 * Benchmark harness: runs every bench/*.bench.ts (or those whose name contains argv[2]) and prints
 * one table. Figures are printed, never asserted: the machines are shared and noisy.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchRow {
  name: string;
  value: number | string;
  unit: string;
  goal?: string;
}

export type Bench = () => Promise<BenchRow[]>;

function format(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toFixed(value < 10 ? 2 : 1);
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
    .sort();
  const rows: { suite: string; row: BenchRow }[] = [];
  for (const file of files) {
    const suite = file.replace(/\.bench\.ts$/, '');
    const mod = (await import(join(__dirname, file))) as { default: Bench };
    for (const row of await mod.default()) rows.push({ suite, row });
  }
  const table = rows.map(({ suite, row }) => [suite, row.name, format(row.value), row.unit, row.goal ?? '']);
  const header = ['suite', 'measure', 'value', 'unit', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
