/**
 * Spreadsheets / SheetTab over SpreadsheetApp. Each port method is one Apps Script call (writeValues:
 * the number formats when given, the values, and — unless the caller says the block is within the grid —
 * a grid size check, extended only when the block reaches past the sheet).
 * Writes are buffered by Apps Script; flush() commits them (SpreadsheetApp.flush()) when any were made.
 *
 * Text stays text: cells whose number format is '@' (plain text) are written as they are — Sheets
 * stores them literally, formulas included — and the formats are set before the values in the same
 * method. In any other cell a string that Sheets would read as a formula or strip (leading =, +, -, @
 * or ') gets a leading apostrophe, which Sheets consumes and which forces literal text.
 */
import { SpreadsheetAccessError, TabExistsError, type SheetTab, type Spreadsheets } from '../ports';

type GasSpreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type GasSheet = GoogleAppsScript.Spreadsheet.Sheet;

const FORMULA_LIKE = /^[=+\-@']/;

/** The value to hand to setValues so that a string is stored as that literal string. */
export function literalCell(value: unknown, numberFormat: string | undefined): unknown {
  if (typeof value !== 'string' || numberFormat === '@') return value;
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

function wrapSheet(
  sheet: GasSheet,
  spreadsheetId: () => string,
  name: string,
  wrote: () => void,
  onForget: (forget: () => void) => void,
): SheetTab {
  // The grid size, read once and kept up to date by this wrapper's own inserts and deletes: a block
  // write then costs no size calls after the first. Only valid while no other execution can write
  // the tab: the hidden tabs are written under the script lock, and between two locked phases of one
  // execution (a tick's claim and record) another execution may append to or trim them. So the size
  // is forgotten at every flush, which ends every locked section (withLock); a write after it reads
  // the size again. (A stale size made an append insert rows in the middle of another execution's
  // rows, or write past a grid that a trim had shrunk.)
  let grid: { rows: number; cols: number } | null = null;
  onForget(() => {
    grid = null;
  });
  const size = (): { rows: number; cols: number } => (grid ??= { rows: sheet.getMaxRows(), cols: sheet.getMaxColumns() });
  const growGrid = (lastRow: number, lastCol: number): void => {
    const g = size();
    if (lastRow > g.rows) {
      sheet.insertRowsAfter(g.rows, lastRow - g.rows);
      g.rows = lastRow;
    }
    if (lastCol > g.cols) {
      sheet.insertColumnsAfter(g.cols, lastCol - g.cols);
      g.cols = lastCol;
    }
  };
  return {
    name,
    get spreadsheetId() {
      return spreadsheetId(); // asked rarely: not worth a call per tab opened
    },
    lastRow: () => sheet.getLastRow(),
    lastColumn: () => sheet.getLastColumn(),
    gridRows: () => size().rows,
    readValues(row, col, numRows, numCols) {
      if (numRows <= 0 || numCols <= 0) return [];
      return sheet.getRange(row, col, numRows, numCols).getValues();
    },
    writeValues(row, col, values, numberFormats, options) {
      const numRows = values.length;
      const numCols = values[0]?.length ?? 0;
      if (numRows === 0 || numCols === 0) return;
      wrote();
      if (!options?.withinGrid) growGrid(row + numRows - 1, col + numCols - 1);
      const range = sheet.getRange(row, col, numRows, numCols);
      if (numberFormats && !options?.formatsInPlace) range.setNumberFormats(numberFormats);
      range.setValues(values.map((r, i) => r.map((v, j) => literalCell(v, numberFormats?.[i]?.[j]))));
    },
    setNumberFormats(row, col, numberFormats) {
      const numRows = numberFormats.length;
      const numCols = numberFormats[0]?.length ?? 0;
      if (numRows === 0 || numCols === 0) return;
      wrote();
      sheet.getRange(row, col, numRows, numCols).setNumberFormats(numberFormats);
    },
    clearFrom(fromRow) {
      const last = sheet.getLastRow();
      if (last < fromRow) return;
      wrote();
      sheet.getRange(fromRow, 1, last - fromRow + 1, Math.max(1, sheet.getLastColumn())).clearContent();
    },
    deleteRows: (fromRow, count) => {
      wrote();
      sheet.deleteRows(fromRow, count);
      if (grid) grid.rows -= count;
    },
    insertRowsAfter: (afterRow, count) => {
      if (count <= 0) return;
      wrote();
      sheet.insertRowsAfter(afterRow, count);
      if (grid) grid.rows += count;
    },
    setFrozenRows: (count) => {
      wrote();
      sheet.setFrozenRows(count);
    },
  };
}

export function createSpreadsheets(): Spreadsheets {
  let active: GasSpreadsheet | null = null;
  const opened = new Map<string, GasSpreadsheet>();
  const activeSpreadsheet = (): GasSpreadsheet => (active ??= SpreadsheetApp.getActiveSpreadsheet());

  const open = (spreadsheetId: string | null): { ss: GasSpreadsheet; id: () => string } => {
    if (!spreadsheetId) {
      const ss = activeSpreadsheet();
      return { ss, id: () => ss.getId() };
    }
    let ss = opened.get(spreadsheetId);
    if (!ss) {
      try {
        ss = SpreadsheetApp.openById(spreadsheetId);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new SpreadsheetAccessError(
          `spreadsheet ${spreadsheetId} cannot be opened (${why}); check the id and that the script's account can edit it`,
          spreadsheetId,
        );
      }
      opened.set(spreadsheetId, ss);
    }
    return { ss, id: () => spreadsheetId };
  };

  // One execution asks for the same facts repeatedly (tab keys, mail links, the logs' tabs): each is
  // fetched once. A tab that is not found is not remembered (it may be created next).
  let activeId: string | null = null;
  // Whether this execution wrote since its last flush: flush() costs a call only when it has work.
  let dirty = false;
  const markDirty = (): void => {
    dirty = true;
  };
  let activeUrl: string | null = null;
  let activeZone: string | null = null;
  const tabs = new Map<string, SheetTab>();
  // Each tab wrapper's "forget the cached grid size" (run at every flush).
  const forgetSizes: (() => void)[] = [];
  const remember = (forget: () => void): void => {
    forgetSizes.push(forget);
  };
  // Tab names are unique ignoring case ("Shared" and "shared" are one tab: insertSheet refuses the
  // second), but getSheetByName is observed to match case-sensitively: a miss is retried against
  // the names of all tabs, so the tab found is the one Sheets would refuse to create again.
  const tabKey = (spreadsheetId: string | null, tabName: string): string => `${spreadsheetId ?? ''}\n${tabName.toLowerCase()}`;
  const findSheet = (ss: GasSpreadsheet, tabName: string): { sheet: GasSheet; name: string } | null => {
    const exact = ss.getSheetByName(tabName);
    if (exact) return { sheet: exact, name: tabName };
    const wanted = tabName.toLowerCase();
    const sheet = ss.getSheets().find((s) => s.getName().toLowerCase() === wanted);
    return sheet ? { sheet, name: sheet.getName() } : null;
  };

  return {
    activeSpreadsheetId: () => (activeId ??= activeSpreadsheet().getId()),
    activeSpreadsheetUrl: () => (activeUrl ??= activeSpreadsheet().getUrl()),
    spreadsheetTimeZone: () => (activeZone ??= activeSpreadsheet().getSpreadsheetTimeZone()),
    getTab(spreadsheetId, tabName) {
      const key = tabKey(spreadsheetId || null, tabName);
      const known = tabs.get(key);
      if (known) return known;
      const { ss, id } = open(spreadsheetId);
      const found = findSheet(ss, tabName);
      if (!found) return null;
      const tab = wrapSheet(found.sheet, id, found.name, markDirty, remember);
      tabs.set(key, tab);
      return tab;
    },
    createTab(spreadsheetId, tabName, options) {
      const { ss, id } = open(spreadsheetId);
      let sheet: GasSheet;
      try {
        sheet = ss.insertSheet(tabName);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        // Permanent: retrying cannot create a name Sheets already holds (in any case).
        if (/already exists/i.test(why))
          throw new TabExistsError(`tab "${tabName}" cannot be created: ${why} (tab names ignore case)`, tabName);
        throw err;
      }
      markDirty();
      if (options?.hidden) sheet.hideSheet();
      const tab = wrapSheet(sheet, id, tabName, markDirty, remember);
      tabs.set(tabKey(spreadsheetId || null, tabName), tab);
      return tab;
    },
    listTabs(spreadsheetId) {
      const { ss } = open(spreadsheetId);
      return ss.getSheets().map((s) => ({ name: s.getName(), hidden: s.isSheetHidden() }));
    },
    flush() {
      for (const forget of forgetSizes) forget();
      if (!dirty) return;
      SpreadsheetApp.flush();
      dirty = false;
    },
  };
}
