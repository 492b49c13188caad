/**
 * Spreadsheet reads and writes cost a base plus their volume (cells and text), so a design that reads a
 * large table on every execution shows its cost in the modelled time (emulator/latency.ts).
 */
import { DEFAULT_LATENCY, VOLUME, volumeLatency, zeroLatency } from '../../emulator';
import { scriptRuntime } from './helpers';

const READ_BASE = DEFAULT_LATENCY['SpreadsheetApp.Range.*']!;
const WRITE_BASE = DEFAULT_LATENCY['SpreadsheetApp.Range.setValues']!;

// A 10,000 × 4 table of 100-character cells, filled by the host (no modelled cost), read by the script.
const CODE = `
  function sheet() { return SpreadsheetApp.getActive().getSheets()[0]; }
  function readRows(n) { var r = sheet().getRange(1, 1, n, 4); var t0 = Date.now(); r.getValues(); return Date.now() - t0; }
  function writeRows(n, text) {
    var values = []; for (var i = 0; i < n; i++) values.push([text, text, text, text]);
    var r = sheet().getRange(1, 1, n, 4); var t0 = Date.now(); r.setValues(values); return Date.now() - t0;
  }
  function formatRows(n) { var r = sheet().getRange(1, 1, n, 4); var t0 = Date.now(); r.setNumberFormat('@'); return Date.now() - t0; }
  function clearRows(n) { var r = sheet().getRange(1, 1, n, 4); var t0 = Date.now(); r.clearContent(); return Date.now() - t0; }
`;
const TEXT = 'x'.repeat(100);

function filled(options: Parameters<typeof scriptRuntime>[1] = {}) {
  const rt = scriptRuntime(CODE, options);
  const sheet = rt.spreadsheets.sheet(rt.spreadsheetId, 'Sheet1')!;
  sheet.maxRows = 10_000;
  sheet.rows = Array.from({ length: 10_000 }, () => Array.from({ length: 4 }, () => ({ v: TEXT })));
  return rt;
}

describe('volume latency of Spreadsheet reads and writes', () => {
  it('a read costs its base plus its cells and bytes: 10,000 rows cost what they move, one row about the base', () => {
    const rt = filled();
    const one = rt.run<number>('readRows', 1).value!;
    const all = rt.run<number>('readRows', 10_000).value!;
    expect(one).toBe(READ_BASE + volumeLatency(DEFAULT_LATENCY, { kind: 'read', cells: 4, bytes: 400 }));
    expect(one).toBeLessThan(READ_BASE + 5);
    // 40,000 cells × 250 ms per 1,000 + 4 MB × 1,000 ms per MB.
    expect(all).toBe(READ_BASE + 10_000 + 4_000);
  });

  it('a write costs its base plus the cells and text it sends; a fill (number format, clear) costs per cell of the range', () => {
    const rt = filled();
    expect(rt.run<number>('writeRows', 10_000, TEXT).value).toBe(WRITE_BASE + 12_000 + 4_000);
    expect(rt.run<number>('writeRows', 10_000, '').value).toBe(WRITE_BASE + 12_000);
    expect(rt.run<number>('formatRows', 10_000).value).toBe(DEFAULT_LATENCY['SpreadsheetApp.Range.setNumberFormat']! + 12_000 + 40);
    expect(rt.run<number>('clearRows', 10_000).value).toBe(DEFAULT_LATENCY['SpreadsheetApp.Range.clearContent']! + 12_000);
  });

  it('a write the 6-minute limit cuts off never happens', () => {
    const rt = filled({ latency: { [VOLUME.writePerMB]: 400_000 } });
    const r = rt.run('writeRows', 10_000, 'y'.repeat(100));
    expect(r.killed).toBe(true);
    expect(rt.spreadsheets.values(rt.spreadsheetId, 'Sheet1')[0]![0]).toBe(TEXT);
  });

  it('zeroLatency() and { "*": 0 } keep every call free, volume included', () => {
    for (const latency of [zeroLatency(), { '*': 0 }]) {
      const rt = filled({ latency });
      expect(rt.run<number>('readRows', 10_000).value).toBe(0);
      expect(rt.run<number>('writeRows', 10_000, TEXT).value).toBe(0);
    }
  });
});
