/**
 * Spreadsheets / SheetTab over SpreadsheetApp. Each port method is one Apps Script call (writeValues:
 * the number formats, the values, and a grid extension only when the block reaches past the sheet).
 *
 * Text stays text: cells whose number format is '@' (plain text) are written as they are — Sheets
 * stores them literally, formulas included — and the formats are set before the values in the same
 * method. In any other cell a string that Sheets would read as a formula or strip (leading =, +, -, @
 * or ') gets a leading apostrophe, which Sheets consumes and which forces literal text.
 */
import { SpreadsheetAccessError, type SheetTab, type Spreadsheets } from '../ports';

type GasSpreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type GasSheet = GoogleAppsScript.Spreadsheet.Sheet;

const FORMULA_LIKE = /^[=+\-@']/;

/** The value to hand to setValues so that a string is stored as that literal string. */
export function literalCell(value: unknown, numberFormat: string | undefined): unknown {
  if (typeof value !== 'string' || numberFormat === '@') return value;
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

function wrapSheet(sheet: GasSheet, spreadsheetId: () => string, name: string): SheetTab {
  return {
    name,
    get spreadsheetId() {
      return spreadsheetId(); // asked rarely: not worth a call per tab opened
    },
    lastRow: () => sheet.getLastRow(),
    lastColumn: () => sheet.getLastColumn(),
    readValues(row, col, numRows, numCols) {
      if (numRows <= 0 || numCols <= 0) return [];
      return sheet.getRange(row, col, numRows, numCols).getValues();
    },
    writeValues(row, col, values, numberFormats) {
      const numRows = values.length;
      const numCols = values[0]?.length ?? 0;
      if (numRows === 0 || numCols === 0) return;
      const maxRows = sheet.getMaxRows();
      if (row + numRows - 1 > maxRows) sheet.insertRowsAfter(maxRows, row + numRows - 1 - maxRows);
      const maxCols = sheet.getMaxColumns();
      if (col + numCols - 1 > maxCols) sheet.insertColumnsAfter(maxCols, col + numCols - 1 - maxCols);
      const range = sheet.getRange(row, col, numRows, numCols);
      if (numberFormats) range.setNumberFormats(numberFormats);
      range.setValues(values.map((r, i) => r.map((v, j) => literalCell(v, numberFormats?.[i]?.[j]))));
    },
    clearFrom(fromRow) {
      const last = sheet.getLastRow();
      if (last < fromRow) return;
      sheet.getRange(fromRow, 1, last - fromRow + 1, Math.max(1, sheet.getLastColumn())).clearContent();
    },
    deleteRows: (fromRow, count) => sheet.deleteRows(fromRow, count),
    insertRowsAfter: (afterRow, count) => {
      if (count > 0) sheet.insertRowsAfter(afterRow, count);
    },
    setFrozenRows: (count) => sheet.setFrozenRows(count),
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
        throw new SpreadsheetAccessError(`spreadsheet ${spreadsheetId} cannot be opened (${why}); check the id and that the script's account can edit it`, spreadsheetId);
      }
      opened.set(spreadsheetId, ss);
    }
    return { ss, id: () => spreadsheetId };
  };

  return {
    activeSpreadsheetId: () => activeSpreadsheet().getId(),
    activeSpreadsheetUrl: () => activeSpreadsheet().getUrl(),
    getTab(spreadsheetId, tabName) {
      const { ss, id } = open(spreadsheetId);
      const sheet = ss.getSheetByName(tabName);
      return sheet ? wrapSheet(sheet, id, tabName) : null;
    },
    createTab(spreadsheetId, tabName, options) {
      const { ss, id } = open(spreadsheetId);
      const sheet = ss.insertSheet(tabName);
      if (options?.hidden) sheet.hideSheet();
      return wrapSheet(sheet, id, tabName);
    },
    listTabs(spreadsheetId) {
      const { ss } = open(spreadsheetId);
      return ss.getSheets().map((s) => ({ name: s.getName(), hidden: s.isSheetHidden() }));
    },
  };
}
