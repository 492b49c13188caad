/**
 * The target tab: opened (or created with a frozen header row) and checked once per execution, its key
 * column read once, and all changes written as ONE block. Spreadsheet calls per execution are a small
 * constant (getTab, lastRow, lastColumn, header read, key read, at most one read of the rows the block
 * rewrites, insertRowsAfter, the block write, clearFrom for overwrite) whatever the number of videos.
 * A run that only refreshes statistics opens the tab with `topRows`: one read gives the header, the
 * keys and the values of the newest rows, and the write back skips the grid and format calls.
 *
 * Row order (documented for users):
 * - upsert: new videos go at the top, under the header, newest first; the batches of a run cut over
 *   several executions are placed below the rows the same run inserted before, so a first sync reads
 *   newest to oldest. Existing rows are updated where they are.
 * - append: new videos are added at the bottom, oldest first within each execution's batch.
 * - overwrite: the table is replaced, newest first (a run cut over several executions replaces the
 *   table in its first execution and adds below it in the next ones).
 */
import type { Column, HeaderRow, OutputMode } from '../domain/catalogue';
import { COLUMN_HEADERS, COLUMNS } from '../domain/catalogue';
import type { SheetTab, Spreadsheets } from '../ports';
import { formatRow, videoIdFromUrl } from './columns';

export class TableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableError';
  }
}

export interface OpenTable {
  tab: SheetTab;
  columns: readonly Column[];
  /** Last row with content (1 = header only). */
  lastRow: number;
  /** Video id -> row number, from the key column (video_id, else url). Empty when there is none. */
  keys: Map<string, number>;
  /** Video ids in row order (top first). */
  keyOrder: string[];
  hasKeyColumn: boolean;
  created: boolean;
  /** Opened with `topRows`: `keys` covers only the top rows, whose values are in `rows` (from row 2). */
  top: { rows: unknown[][] } | null;
}

function describeTab(tabName: string, sheetId: string): string {
  return sheetId ? `tab '${tabName}' of spreadsheet ${sheetId}` : `tab '${tabName}'`;
}

/**
 * Opens the tab, creating it with the header when missing; throws TableError when its header differs.
 * With `topRows` (a refresh of existing rows, nothing to add) only the header and that many rows are
 * read, in one call, and a missing tab is not created (null: nothing to refresh).
 */
export function openTable(
  sheets: Spreadsheets,
  sheetId: string,
  tabName: string,
  columns: readonly Column[],
  topRows?: number,
  headerRow: HeaderRow = 'keys',
): OpenTable | null {
  let tab = sheets.getTab(sheetId || null, tabName);
  let created = false;
  let lastRow = 0;
  if (topRows !== undefined) return tab ? openTop(tab, columns, topRows, describeTab(tabName, sheetId)) : null;
  if (!tab) {
    tab = sheets.createTab(sheetId || null, tabName);
    created = true;
  } else {
    lastRow = tab.lastRow();
  }
  if (lastRow === 0) {
    tab.writeValues(1, 1, [columns.map((c) => (headerRow === 'labels' ? COLUMN_HEADERS[c] : c))], [columns.map(() => '@')]);
    tab.setFrozenRows(1);
    lastRow = 1;
  } else {
    checkHeader(tab, columns, describeTab(tabName, sheetId));
  }
  const keyIndex = columns.indexOf('video_id') >= 0 ? columns.indexOf('video_id') : columns.indexOf('url');
  const keys = new Map<string, number>();
  const keyOrder: string[] = [];
  if (keyIndex >= 0 && lastRow >= 2) {
    const values = tab.readValues(2, keyIndex + 1, lastRow - 1, 1);
    const byUrl = columns[keyIndex] === 'url';
    values.forEach((row, i) => {
      const raw = String(row[0] ?? '').trim();
      const id = byUrl ? videoIdFromUrl(raw) : raw;
      if (!id || keys.has(id)) return;
      keys.set(id, i + 2);
      keyOrder.push(id);
    });
  }
  return { tab, columns, lastRow, keys, keyOrder, hasKeyColumn: keyIndex >= 0, created, top: null };
}

/** The header and the top `count` rows in one read (full width: the header check sees stray columns). */
function openTop(tab: SheetTab, columns: readonly Column[], count: number, where: string): OpenTable {
  const lastRow = tab.lastRow();
  const empty: OpenTable = { tab, columns, lastRow, keys: new Map(), keyOrder: [], hasKeyColumn: false, created: false, top: { rows: [] } };
  if (lastRow === 0) return empty;
  const width = Math.max(tab.lastColumn(), columns.length);
  const block = tab.readValues(1, 1, Math.min(lastRow, 1 + count), width);
  checkHeaderRow(block[0] ?? [], columns, where);
  const keyIndex = columns.indexOf('video_id') >= 0 ? columns.indexOf('video_id') : columns.indexOf('url');
  const rows = block.slice(1).map((r) => r.slice(0, columns.length));
  const keys = new Map<string, number>();
  const keyOrder: string[] = [];
  if (keyIndex >= 0) {
    const byUrl = columns[keyIndex] === 'url';
    rows.forEach((row, i) => {
      const raw = String(row[keyIndex] ?? '').trim();
      const id = byUrl ? videoIdFromUrl(raw) : raw;
      if (!id || keys.has(id)) return;
      keys.set(id, i + 2);
      keyOrder.push(id);
    });
  }
  return { ...empty, keys, keyOrder, hasKeyColumn: keyIndex >= 0, top: { rows } };
}

function checkHeader(tab: SheetTab, columns: readonly Column[], where: string): void {
  const width = Math.max(tab.lastColumn(), columns.length);
  checkHeaderRow(tab.readValues(1, 1, 1, width)[0] ?? [], columns, where);
}

const LABELS = new Set<string>(Object.values(COLUMN_HEADERS));

function checkHeaderRow(row: readonly unknown[], columns: readonly Column[], where: string): void {
  const header = row.map((v) => String(v ?? '').trim());
  const ours = header.slice(0, columns.length);
  // Cells after the job's columns may hold the user's own columns, but not one of ours.
  // Each column is recognised by its key or its label (the job's header_row decides only what a new tab gets).
  const isOurs = (h: string) => (COLUMNS as readonly string[]).includes(h) || LABELS.has(h);
  const strayOurs = header.slice(columns.length).filter(isOurs);
  const matches = ours.every((h, i) => h === columns[i] || h === COLUMN_HEADERS[columns[i]!]) && strayOurs.length === 0;
  if (!matches) {
    const found = header.filter((h) => h !== '').join(', ') || '(empty)';
    throw new TableError(
      `${where}: the header row is "${found}" but the job writes "${columns.join(', ')}"; nothing was written. ` +
        `Restore the header, change the job's columns to match, or target another tab.`,
    );
  }
}

export interface RowWrite {
  id: string;
  values: unknown[];
}

export interface WriteRequest {
  mode: OutputMode;
  /** Rows of videos not in the tab, in the order they should appear. */
  newRows: RowWrite[];
  /** Existing rows to rewrite (upsert), by row number. */
  updates: Map<number, (existing: readonly unknown[]) => unknown[]>;
  /** overwrite: this execution starts the run, so the table is replaced. */
  replace: boolean;
  /** upsert: rows the same run inserted at the top in earlier executions. */
  insertedEarlier: number;
}

export interface WriteResult {
  added: number;
  updated: number;
  /** upsert: rows inserted at the top by this write. */
  inserted: number;
}

/** Applies one execution's changes with one block write (plus at most one read and one insert). */
export function writeTable(table: OpenTable, req: WriteRequest): WriteResult {
  const { tab, columns } = table;
  const formats = formatRow(columns);
  const block = (rows: unknown[][]): string[][] => rows.map(() => formats);
  const n = req.newRows.length;

  if (req.mode === 'overwrite' && req.replace) {
    const rows = req.newRows.map((r) => r.values);
    if (rows.length > 0) tab.writeValues(2, 1, rows, block(rows));
    if (table.lastRow > 1 + rows.length) tab.clearFrom(2 + rows.length);
    return { added: n, updated: 0, inserted: 0 };
  }
  if (req.mode !== 'upsert') {
    const rows = req.newRows.map((r) => r.values);
    if (rows.length > 0) tab.writeValues(table.lastRow + 1, 1, rows, block(rows));
    return { added: n, updated: 0, inserted: 0 };
  }

  // upsert: new rows go after row p; rows below p shift down by n. The block covers the new rows and
  // every updated row, and whatever lies between them is rewritten with the values read back.
  const p = 1 + Math.min(Math.max(0, req.insertedEarlier), table.lastRow - 1);
  const post = (row: number): number => (row <= p ? row : row + n);
  const updatedRows = [...req.updates.keys()].filter((r) => r >= 2 && r <= table.lastRow);
  if (n === 0 && updatedRows.length === 0) return { added: 0, updated: 0, inserted: 0 };
  const starts = updatedRows.map(post);
  if (n > 0) starts.push(p + 1);
  const ends = updatedRows.map(post);
  if (n > 0) ends.push(p + n);
  const start = Math.min(...starts);
  const end = Math.max(...ends);
  // Existing rows inside the block, in pre-insert coordinates: [start, end - n].
  const preStart = start;
  const preEnd = end - n;
  // Rows read when the tab was opened (a refresh) are not read again.
  const cached = table.top && preEnd - 1 <= table.top.rows.length ? table.top.rows.slice(preStart - 2, preEnd - 1) : null;
  const existing = preEnd >= preStart ? (cached ?? tab.readValues(preStart, 1, preEnd - preStart + 1, columns.length)) : [];
  const rows: unknown[][] = [];
  for (let r = start; r <= end; r++) {
    if (n > 0 && r > p && r <= p + n) {
      rows.push(req.newRows[r - p - 1]!.values);
      continue;
    }
    const pre = r <= p ? r : r - n;
    const current = existing[pre - preStart] ?? [];
    const update = req.updates.get(pre);
    rows.push(update ? update(current) : columns.map((_, i) => current[i] ?? ''));
  }
  if (n > 0) tab.insertRowsAfter(p, n);
  // The block lies within rows that exist (the n new ones were just inserted): no grid check. Rows only
  // rewritten keep their number formats, so formats are written only along with new rows.
  tab.writeValues(start, 1, rows, block(rows), { withinGrid: true, formatsInPlace: n === 0 });
  return { added: n, updated: updatedRows.length, inserted: n };
}
