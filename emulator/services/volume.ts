/**
 * How much a Spreadsheet read or write moves, for the volume part of its latency (latency.ts): the
 * range's rows × columns and the UTF-8 bytes of the values. Writes are measured from their arguments
 * before they apply (a write the 6-minute limit cuts off never happens); reads from what they return.
 */
import type { Volume } from '../latency';
import { RangeFake, SheetFake } from './spreadsheet';
import { lastColumnOf, lastRowOf } from './spreadsheet-store';

/** Range reads: the cells of the range, and the values handed back. */
const RANGE_READS = new Set([
  'getValues',
  'getDisplayValues',
  'getFormulas',
  'getNumberFormats',
  'getValue',
  'getDisplayValue',
  'getFormula',
  'getNumberFormat',
]);
/** Range writes whose argument is the whole grid of values. */
const RANGE_GRID_WRITES = new Set(['setValues', 'setNumberFormats']);
/** Range writes of one value (or none) applied to every cell of the range. */
const RANGE_FILL_WRITES = new Set(['setValue', 'setFormula', 'setNumberFormat', 'clearContent', 'clear']);

/** UTF-8 bytes of one cell value as it crosses the wire. */
export function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'boolean') return 1;
  return 8; // numbers and dates
}

function gridVolume(kind: Volume['kind'], grid: unknown): Volume {
  if (!Array.isArray(grid)) return { kind, cells: 1, bytes: valueBytes(grid) };
  let cells = 0;
  let bytes = 0;
  for (const row of grid) {
    if (!Array.isArray(row)) {
      cells++;
      bytes += valueBytes(row);
      continue;
    }
    cells += row.length;
    for (const v of row) bytes += valueBytes(v);
  }
  return { kind, cells, bytes };
}

/** The volume of a write, from its target and arguments; null for calls that move no cells. */
export function writeVolume(target: object, method: string, args: unknown[]): Volume | null {
  if (target instanceof RangeFake) {
    if (RANGE_GRID_WRITES.has(method)) return gridVolume('write', args[0]);
    if (RANGE_FILL_WRITES.has(method)) {
      const cells = target.getNumRows() * target.getNumColumns();
      const one = method === 'clearContent' || method === 'clear' ? 0 : valueBytes(args[0]);
      return { kind: 'write', cells, bytes: one * cells };
    }
    return null;
  }
  if (target instanceof SheetFake) {
    if (method === 'appendRow') return gridVolume('write', [args[0]]);
    if (method === 'clear' || method === 'clearContents') {
      const data = target._data;
      return { kind: 'write', cells: lastRowOf(data) * lastColumnOf(data), bytes: 0 };
    }
  }
  return null;
}

/** The volume of a read, from what it returned; null for calls that read no cells. */
export function readVolume(target: object, method: string, result: unknown): Volume | null {
  if (target instanceof RangeFake && RANGE_READS.has(method)) return gridVolume('read', result);
  return null;
}
