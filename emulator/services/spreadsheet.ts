/** SpreadsheetApp: spreadsheets, sheets, ranges (values typed as Sheets types them), and the Ui. */
import { parseA1, toA1, type GridRange } from './a1';
import { GasException, MESSAGES } from './errors';
import type { Scope } from './execution';
import { enumOf, registerType } from './registry';
import {
  cellIsEmpty,
  lastColumnOf,
  lastRowOf,
  typeInput,
  displayOf,
  type Cell,
  type SheetData,
  type SpreadsheetData,
} from './spreadsheet-store';
import type { HtmlOutputFake } from './html';

type GasRange = GoogleAppsScript.Spreadsheet.Range;
type GasSheet = GoogleAppsScript.Spreadsheet.Sheet;
type GasSpreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
const gas = <T>(v: object): T => v as unknown as T;

export const MAX_CELLS_PER_SPREADSHEET = 10_000_000;

function describeArg(v: unknown): string {
  if (Array.isArray(v)) return Array.isArray(v[0]) ? 'Object[][]' : `${v.length && typeof v[0] === 'number' ? 'number' : 'Object'}[]`;
  if (v === null || v === undefined) return 'null';
  return typeof v === 'object' ? 'Object' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'Boolean' : 'String';
}

function int(v: unknown, name: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new GasException(`Invalid argument: ${name}`);
  return Math.trunc(n);
}

// ------------------------------------------------------------------ buffered access (sheet-writes.ts)

/** The spreadsheet as this execution sees it: the shared state under its own pending writes. */
function viewOf(scope: Scope, ssId: string): SpreadsheetData {
  const ss = scope.world.sheetWrites.view(scope.exec.id, ssId);
  if (!ss) throw new GasException(`Unexpected error while getting the method or property openById on object SpreadsheetApp.`);
  return ss;
}

/** A sheet of that view by id; a sheet deleted meanwhile (wording modelled). */
function sheetIn(ss: SpreadsheetData, sheetId: number): SheetData {
  const sheet = ss.sheets.find((s) => s.id === sheetId);
  if (!sheet) throw new GasException('The sheet no longer exists.');
  return sheet;
}

/** Buffers a write of one spreadsheet (applied to this execution's view now, to the shared one at commit). */
function writeSpreadsheet(scope: Scope, ssId: string, op: (ss: SpreadsheetData) => void): void {
  scope.world.sheetWrites.write(scope.exec.id, ssId, op);
}

/** Buffers a write of one sheet; replayed on a spreadsheet that no longer has the sheet, it does nothing. */
function writeSheet(scope: Scope, ssId: string, sheetId: number, op: (sheet: SheetData, ss: SpreadsheetData) => void): void {
  writeSpreadsheet(scope, ssId, (ss) => {
    const sheet = ss.sheets.find((s) => s.id === sheetId);
    if (sheet) op(sheet, ss);
  });
}

/** Sets one cell (0-based) to `update(old)`; cells are replaced, never changed in place (views share them). */
function writeCell(sheet: SheetData, ri: number, ci: number, update: (old: Cell | undefined) => Cell | undefined): void {
  const rows = sheet.rows;
  while (rows.length <= ri) rows.push([]);
  const row = (rows[ri] ??= []);
  const next = update(row[ci]);
  if (next === undefined) {
    if (ci < row.length) row[ci] = undefined;
  } else {
    while (row.length < ci) row.push(undefined);
    row[ci] = next;
  }
}

// ------------------------------------------------------------------ Range

export class RangeFake implements Pick<
  GasRange,
  | 'getValues'
  | 'setValues'
  | 'getValue'
  | 'setValue'
  | 'getDisplayValues'
  | 'getDisplayValue'
  | 'getFormulas'
  | 'getFormula'
  | 'setFormula'
  | 'setNumberFormat'
  | 'setNumberFormats'
  | 'getNumberFormats'
  | 'getNumberFormat'
  | 'clearContent'
  | 'clear'
  | 'getRow'
  | 'getColumn'
  | 'getNumRows'
  | 'getNumColumns'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getA1Notation'
  | 'offset'
  | 'getSheet'
> {
  constructor(
    private readonly ssId: string,
    private readonly sheetId: number,
    private readonly g: GridRange,
    private readonly scope: Scope,
  ) {}

  /** The spreadsheet and sheet as this execution sees them (its pending writes included). */
  private get ss(): SpreadsheetData {
    return viewOf(this.scope, this.ssId);
  }
  private get sheet(): SheetData {
    return sheetIn(this.ss, this.sheetId);
  }

  #cells<T>(pick: (cell: Cell | undefined) => T): T[][] {
    const sheet = this.sheet;
    const out: T[][] = [];
    for (let r = 0; r < this.g.numRows; r++) {
      const row = sheet.rows[this.g.row - 1 + r];
      const line = new Array<T>(this.g.numCols);
      for (let c = 0; c < this.g.numCols; c++) line[c] = pick(row?.[this.g.col - 1 + c]);
      out.push(line);
    }
    return out;
  }

  /** Buffers a write of this range's cells: `update(old, r, c)` gives each cell's new content. */
  #write(update: (old: Cell | undefined, r: number, c: number) => Cell | undefined): void {
    const g = this.g;
    writeSheet(this.scope, this.ssId, this.sheetId, (sheet) => {
      for (let r = 0; r < g.numRows; r++)
        for (let c = 0; c < g.numCols; c++) writeCell(sheet, g.row - 1 + r, g.col - 1 + c, (old) => update(old, r, c));
    });
  }

  getValues(): unknown[][] {
    return this.#cells((c) => (c ? c.v : ''));
  }
  getValue(): unknown {
    const row = this.sheet.rows[this.g.row - 1];
    return row?.[this.g.col - 1]?.v ?? '';
  }
  getDisplayValues(): string[][] {
    const tz = this.ss.timeZone;
    return this.#cells((c) => displayOf(c, tz));
  }
  getDisplayValue(): string {
    return displayOf(this.sheet.rows[this.g.row - 1]?.[this.g.col - 1], this.ss.timeZone);
  }
  getFormulas(): string[][] {
    return this.#cells((c) => c?.f ?? '');
  }
  getFormula(): string {
    return this.sheet.rows[this.g.row - 1]?.[this.g.col - 1]?.f ?? '';
  }
  getNumberFormats(): string[][] {
    return this.#cells((c) => c?.nf ?? 'General');
  }
  getNumberFormat(): string {
    return this.sheet.rows[this.g.row - 1]?.[this.g.col - 1]?.nf ?? 'General';
  }

  setValues(values: unknown[][]): GasRange {
    if (!Array.isArray(values) || !values.every((row) => Array.isArray(row))) {
      throw new GasException(
        `The parameters (${describeArg(values)}) don't match the method signature for SpreadsheetApp.Range.setValues.`,
      );
    }
    if (values.length !== this.g.numRows) throw new GasException(MESSAGES.rowsMismatch(values.length, this.g.numRows));
    for (const row of values) {
      if (row.length !== this.g.numCols) throw new GasException(MESSAGES.columnsMismatch(row.length, this.g.numCols));
    }
    const copy = values.map((row) => row.map((v) => (v instanceof Date ? new Date(v.getTime()) : v)));
    this.#write((old, r, c) => typeInput(copy[r]![c], old?.nf));
    return gas(this);
  }
  setValue(value: unknown): GasRange {
    const v = value instanceof Date ? new Date(value.getTime()) : value;
    this.#write((old) => typeInput(v, old?.nf));
    return gas(this);
  }
  setFormula(formula: string): GasRange {
    return this.setValue(String(formula).startsWith('=') ? formula : `=${formula}`);
  }
  setNumberFormat(numberFormat: string): GasRange {
    const nf = String(numberFormat);
    this.#write((old) => ({ ...(old ?? { v: '' }), nf }));
    return gas(this);
  }
  setNumberFormats(numberFormats: string[][]): GasRange {
    if (!Array.isArray(numberFormats) || numberFormats.length !== this.g.numRows) {
      throw new GasException(MESSAGES.rowsMismatch(Array.isArray(numberFormats) ? numberFormats.length : 0, this.g.numRows));
    }
    for (const row of numberFormats) {
      if (!Array.isArray(row) || row.length !== this.g.numCols)
        throw new GasException(MESSAGES.columnsMismatch(Array.isArray(row) ? row.length : 0, this.g.numCols));
    }
    const formats = numberFormats.map((row) => row.map(String));
    this.#write((old, r, c) => ({ ...(old ?? { v: '' }), nf: formats[r]![c]! }));
    return gas(this);
  }
  clearContent(): GasRange {
    this.#write((old) => (old?.nf ? { v: '', nf: old.nf } : undefined));
    return gas(this);
  }
  clear(): GasRange {
    this.#write(() => undefined);
    return gas(this);
  }
  getRow(): number {
    return this.g.row;
  }
  getColumn(): number {
    return this.g.col;
  }
  getNumRows(): number {
    return this.g.numRows;
  }
  getNumColumns(): number {
    return this.g.numCols;
  }
  getLastRow(): number {
    return this.g.row + this.g.numRows - 1;
  }
  getLastColumn(): number {
    return this.g.col + this.g.numCols - 1;
  }
  getA1Notation(): string {
    return toA1(this.g);
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): GasRange {
    const g: GridRange = {
      row: this.g.row + int(rowOffset, 'rowOffset'),
      col: this.g.col + int(columnOffset, 'columnOffset'),
      numRows: numRows === undefined ? this.g.numRows : int(numRows, 'numRows'),
      numCols: numColumns === undefined ? this.g.numCols : int(numColumns, 'numColumns'),
    };
    return gas(new RangeFake(this.ssId, this.sheetId, checkGrid(this.sheet, g), this.scope));
  }
  getSheet(): GasSheet {
    return gas(new SheetFake(this.ssId, this.sheetId, this.scope));
  }
}
registerType(RangeFake, 'SpreadsheetApp.Range');

function checkGrid(sheet: SheetData, g: GridRange): GridRange {
  if (g.row < 1) throw new GasException('The starting row of the range is too small.');
  if (g.col < 1) throw new GasException('The starting column of the range is too small.');
  if (g.numRows < 1) throw new GasException('The number of rows in the range must be at least 1.');
  if (g.numCols < 1) throw new GasException('The number of columns in the range must be at least 1.');
  if (g.row + g.numRows - 1 > sheet.maxRows || g.col + g.numCols - 1 > sheet.maxCols) {
    throw new GasException('The coordinates of the range are outside the dimensions of the sheet.');
  }
  return g;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ Sheet

export class SheetFake implements Pick<
  GasSheet,
  | 'getName'
  | 'setName'
  | 'getSheetId'
  | 'getIndex'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'getRange'
  | 'getDataRange'
  | 'appendRow'
  | 'insertRowsAfter'
  | 'insertRowsBefore'
  | 'insertColumnsAfter'
  | 'insertColumnsBefore'
  | 'deleteRows'
  | 'clear'
  | 'clearContents'
  | 'hideSheet'
  | 'showSheet'
  | 'isSheetHidden'
  | 'setFrozenRows'
  | 'getFrozenRows'
  | 'activate'
  | 'getParent'
> {
  constructor(
    readonly _ssId: string,
    readonly _sheetId: number,
    private readonly scope: Scope,
  ) {}

  private get ss(): SpreadsheetData {
    return viewOf(this.scope, this._ssId);
  }
  /** This sheet as the execution sees it (read only: writes go through #write). */
  get _data(): SheetData {
    return sheetIn(this.ss, this._sheetId);
  }
  #write(op: (sheet: SheetData, ss: SpreadsheetData) => void): void {
    writeSheet(this.scope, this._ssId, this._sheetId, op);
  }

  getName(): string {
    return this._data.name;
  }
  setName(name: string): GasSheet {
    const n = String(name);
    // Tab names are unique ignoring case, as insertSheet (see there for the source).
    if (this.ss.sheets.some((s) => s.id !== this._sheetId && s.name.toLowerCase() === n.toLowerCase())) {
      throw new GasException(`A sheet with the name "${n}" already exists. Please enter another name.`);
    }
    this.#write((sheet) => (sheet.name = n));
    return gas(this);
  }
  getSheetId(): number {
    return this._sheetId;
  }
  getIndex(): number {
    return this.ss.sheets.findIndex((s) => s.id === this._sheetId) + 1;
  }
  getLastRow(): number {
    return lastRowOf(this._data);
  }
  getLastColumn(): number {
    return lastColumnOf(this._data);
  }
  getMaxRows(): number {
    return this._data.maxRows;
  }
  getMaxColumns(): number {
    return this._data.maxCols;
  }
  getRange(a1OrRow: string | number, column?: number, numRows?: number, numColumns?: number): GasRange {
    const data = this._data;
    let g: GridRange | null;
    if (typeof a1OrRow === 'string' && column === undefined) {
      g = parseA1(a1OrRow, data.maxRows, data.maxCols);
      if (!g) throw new GasException('Range not found');
    } else {
      if (column === undefined)
        throw new GasException(
          `The parameters (${describeArg(a1OrRow)}) don't match the method signature for SpreadsheetApp.Sheet.getRange.`,
        );
      g = {
        row: int(a1OrRow, 'row'),
        col: int(column, 'column'),
        numRows: numRows === undefined ? 1 : int(numRows, 'numRows'),
        numCols: numColumns === undefined ? 1 : int(numColumns, 'numColumns'),
      };
    }
    return gas(new RangeFake(this._ssId, this._sheetId, checkGrid(data, g), this.scope));
  }
  getDataRange(): GasRange {
    const data = this._data;
    const g = { row: 1, col: 1, numRows: Math.max(1, lastRowOf(data)), numCols: Math.max(1, lastColumnOf(data)) };
    return gas(new RangeFake(this._ssId, this._sheetId, g, this.scope));
  }
  appendRow(rowContents: unknown[]): GasSheet {
    if (!Array.isArray(rowContents))
      throw new GasException(
        `The parameters (${describeArg(rowContents)}) don't match the method signature for SpreadsheetApp.Sheet.appendRow.`,
      );
    const values = rowContents.map((v) => (v instanceof Date ? new Date(v.getTime()) : v));
    // The row is found when the write is applied: appendRow is atomic in Sheets ("This operation is
    // atomic; it prevents issues where a user asks for the last row, and then writes to that row",
    // https://developers.google.com/apps-script/reference/spreadsheet/sheet#appendRow(Object)).
    this.#write((sheet) => {
      const r = lastRowOf(sheet) + 1;
      if (r > sheet.maxRows) sheet.maxRows = r;
      if (values.length > sheet.maxCols) sheet.maxCols = values.length;
      values.forEach((v, c) => writeCell(sheet, r - 1, c, (old) => typeInput(v, old?.nf)));
    });
    return gas(this);
  }
  insertRowsAfter(afterPosition: number, howMany: number): GasSheet {
    this.#insertRows(int(afterPosition, 'afterPosition'), int(howMany, 'howMany'));
    return gas(this);
  }
  insertRowsBefore(beforePosition: number, howMany: number): GasSheet {
    this.#insertRows(int(beforePosition, 'beforePosition') - 1, int(howMany, 'howMany'));
    return gas(this);
  }
  #insertRows(after: number, n: number): void {
    if (after < 0 || after > this._data.maxRows || n < 1) throw new GasException('Those rows are out of bounds.');
    this.#write((sheet) => {
      const rows = sheet.rows;
      if (after < rows.length) rows.splice(after, 0, ...Array.from({ length: n }, () => [] as (Cell | undefined)[]));
      sheet.maxRows += n;
    });
  }
  insertColumnsAfter(afterPosition: number, howMany: number): GasSheet {
    this.#insertColumns(int(afterPosition, 'afterPosition'), int(howMany, 'howMany'));
    return gas(this);
  }
  insertColumnsBefore(beforePosition: number, howMany: number): GasSheet {
    this.#insertColumns(int(beforePosition, 'beforePosition') - 1, int(howMany, 'howMany'));
    return gas(this);
  }
  #insertColumns(after: number, n: number): void {
    // Same bounds rule as rows (the platform's message for columns is modelled on the rows' one).
    if (after < 0 || after > this._data.maxCols || n < 1) throw new GasException('Those columns are out of bounds.');
    this.#write((sheet) => {
      for (const row of sheet.rows) {
        if (row && after < row.length) row.splice(after, 0, ...Array.from({ length: n }, (): Cell | undefined => undefined));
      }
      sheet.maxCols += n;
    });
  }
  deleteRows(rowPosition: number, howMany: number): void {
    const start = int(rowPosition, 'rowPosition');
    const n = int(howMany, 'howMany');
    const data = this._data;
    if (start < 1 || n < 1 || start + n - 1 > data.maxRows) throw new GasException('Those rows are out of bounds.');
    if (n >= data.maxRows - data.frozenRows && start <= data.frozenRows + 1) {
      throw new GasException('Sorry, it is not possible to delete all non-frozen rows.');
    }
    this.#write((sheet) => {
      const count = Math.max(0, Math.min(n, sheet.maxRows - start + 1));
      sheet.rows.splice(start - 1, count);
      sheet.maxRows -= count;
    });
  }
  clear(): GasSheet {
    this.#write((sheet) => (sheet.rows = []));
    return gas(this);
  }
  clearContents(): GasSheet {
    this.#write((sheet) => {
      sheet.rows = sheet.rows.map((row) => row?.map((c) => (c?.nf ? { v: '', nf: c.nf } : undefined)));
    });
    return gas(this);
  }
  hideSheet(): GasSheet {
    const visible = this.ss.sheets.filter((s) => !s.hidden);
    if (!this._data.hidden && visible.length <= 1)
      throw new GasException('Sorry, it is not possible to hide all the sheets in a document.');
    this.#write((sheet) => (sheet.hidden = true));
    return gas(this);
  }
  showSheet(): GasSheet {
    this.#write((sheet) => (sheet.hidden = false));
    return gas(this);
  }
  isSheetHidden(): boolean {
    return this._data.hidden;
  }
  setFrozenRows(rows: number): void {
    const n = int(rows, 'rows');
    if (n < 0 || n >= this._data.maxRows) throw new GasException('Those rows are out of bounds.');
    this.#write((sheet) => (sheet.frozenRows = n));
  }
  getFrozenRows(): number {
    return this._data.frozenRows;
  }
  activate(): GasSheet {
    this.#write((sheet, ss) => {
      ss.activeSheetId = sheet.id;
      sheet.hidden = false;
    });
    return gas(this);
  }
  getParent(): GasSpreadsheet {
    return gas(new SpreadsheetFake(this._ssId, this.scope));
  }
}
registerType(SheetFake, 'SpreadsheetApp.Sheet');

// ------------------------------------------------------------------ Spreadsheet

export class SpreadsheetFake implements Pick<
  GasSpreadsheet,
  | 'getId'
  | 'getUrl'
  | 'getName'
  | 'rename'
  | 'getSheets'
  | 'getSheetByName'
  | 'insertSheet'
  | 'deleteSheet'
  | 'getActiveSheet'
  | 'setActiveSheet'
  | 'getSpreadsheetTimeZone'
  | 'setSpreadsheetTimeZone'
  | 'toast'
  | 'getRange'
  | 'getNumSheets'
> {
  constructor(
    private readonly ssId: string,
    private readonly scope: Scope,
  ) {}

  private get ss(): SpreadsheetData {
    return viewOf(this.scope, this.ssId);
  }
  #sheet(s: SheetData): GasSheet {
    return gas(new SheetFake(this.ssId, s.id, this.scope));
  }
  #dataOf(sheet: unknown): SheetData {
    const data = sheet instanceof SheetFake && sheet._ssId === this.ssId ? this.ss.sheets.find((s) => s.id === sheet._sheetId) : undefined;
    if (!data) throw new GasException('Invalid argument: sheet');
    return data;
  }
  /**
   * Adding or removing a sheet answers with what only the server knows (the new sheet): the pending
   * writes of this execution are committed first, then the change applies to the shared spreadsheet
   * at once (see sheet-writes.ts).
   */
  #structural<T>(change: (shared: SpreadsheetData) => T): T {
    const writes = this.scope.world.sheetWrites;
    writes.commit(this.scope.exec.id);
    const shared = this.scope.world.spreadsheets.get(this.ssId);
    if (!shared) throw new GasException('Unexpected error while getting the method or property openById on object SpreadsheetApp.');
    const result = change(shared);
    writes.changed(this.ssId);
    return result;
  }

  getId(): string {
    return this.ssId;
  }
  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this.ssId}/edit`;
  }
  getName(): string {
    return this.ss.name;
  }
  rename(newName: string): void {
    const name = String(newName);
    writeSpreadsheet(this.scope, this.ssId, (ss) => (ss.name = name));
  }
  getSheets(): GasSheet[] {
    return this.ss.sheets.map((s) => this.#sheet(s));
  }
  getNumSheets(): number {
    return this.ss.sheets.length;
  }
  /**
   * Exact, case-sensitive match, although names are unique ignoring case (insertSheet): public Apps
   * Script projects report that getSheetByName("Oil Change Log") returns null for a tab "Oil Change
   * LOG" and add their own case-insensitive fallback over getSheets() (observed behaviour; the
   * reference, https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#getSheetByName(String),
   * does not say). It is also the stricter reading: a lookup that misses followed by an insert that
   * is refused. The Diagnostics self-test checks it on a scratch tab.
   */
  getSheetByName(name: string): GasSheet | null {
    const s = this.ss.sheets.find((x) => x.name === String(name));
    return s ? this.#sheet(s) : null;
  }
  getSheetById(id: number): GasSheet | null {
    const s = this.ss.sheets.find((x) => x.id === Number(id));
    return s ? this.#sheet(s) : null;
  }
  /**
   * Tab names are unique ignoring case: "Shared" refuses "shared". Sources: the Sheets API answers
   * addSheet with `A sheet with the name "X" already exists. Please enter another name.` (the text
   * Apps Script throws too, seen verbatim in public projects' error handling), and sheetfu's change
   * "Matching sheet names ignoring case" (https://github.com/socialpoint-labs/sheetfu/pull/26):
   * "trying to create 2 sheets with the same name but different cases fails, whether you do it from
   * the spreadsheet UI or the API".
   */
  insertSheet(sheetName?: string | number | { template?: GasSheet }, sheetIndex?: number | { template?: GasSheet }): GasSheet {
    return this.#structural((ss) => {
      let name: string;
      let index = ss.sheets.length;
      if (typeof sheetName === 'number') index = sheetName;
      if (typeof sheetName === 'string') name = sheetName;
      else {
        let n = ss.sheets.length + 1;
        while (ss.sheets.some((s) => s.name.toLowerCase() === `sheet${n}`)) n++;
        name = `Sheet${n}`;
      }
      if (typeof sheetIndex === 'number') index = sheetIndex;
      if (ss.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
        throw new GasException(`A sheet with the name "${name}" already exists. Please enter another name.`);
      }
      const cells = ss.sheets.reduce((n, s) => n + s.maxRows * s.maxCols, 0);
      if (cells + 1000 * 26 > MAX_CELLS_PER_SPREADSHEET) {
        throw new GasException('This action would increase the number of cells in the workbook above the limit of 10000000 cells.');
      }
      const data = this.scope.world.spreadsheets.addSheet(ss, name, Math.max(0, Math.min(index, ss.sheets.length)));
      ss.activeSheetId = data.id;
      return this.#sheet(data);
    });
  }
  deleteSheet(sheet: GasSheet): void {
    const id = this.#dataOf(sheet).id;
    this.#structural((ss) => {
      const data = ss.sheets.find((s) => s.id === id);
      if (!data) throw new GasException('Invalid argument: sheet');
      if (ss.sheets.length <= 1) throw new GasException("You can't remove all the sheets in a document.");
      ss.sheets.splice(ss.sheets.indexOf(data), 1);
      if (ss.activeSheetId === data.id) ss.activeSheetId = ss.sheets[0]!.id;
    });
  }
  getActiveSheet(): GasSheet {
    const ss = this.ss;
    const s = ss.sheets.find((x) => x.id === ss.activeSheetId) ?? ss.sheets[0]!;
    return this.#sheet(s);
  }
  setActiveSheet(sheet: GasSheet): GasSheet {
    const data = this.#dataOf(sheet);
    const id = data.id;
    writeSheet(this.scope, this.ssId, id, (s, ss) => {
      ss.activeSheetId = id;
      s.hidden = false;
    });
    return this.#sheet(data);
  }
  /**
   * The spreadsheet's own zone (File > Settings), separate from the script's (manifest `timeZone`,
   * Session.getScriptTimeZone()): https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#getSpreadsheetTimeZone()
   * and https://developers.google.com/apps-script/manifest#Manifest.FIELDS.timeZone. Date cells
   * display in this zone (getDisplayValues).
   */
  getSpreadsheetTimeZone(): string {
    return this.ss.timeZone;
  }
  setSpreadsheetTimeZone(timezone: string): void {
    const zone = String(timezone);
    if (!isTimeZone(zone)) throw new GasException(`Invalid argument: timezone`);
    writeSpreadsheet(this.scope, this.ssId, (ss) => (ss.timeZone = zone));
  }
  toast(msg: string, title?: string, timeoutSeconds?: number | null): void {
    this.scope.world.ui.events.push({
      kind: 'toast',
      title: title ?? '',
      message: String(msg),
      at: this.scope.world.clock.now().toISOString(),
      timeoutSeconds: timeoutSeconds ?? 5,
    });
  }
  getRange(a1Notation: string): GasRange {
    const text = String(a1Notation);
    const bang = text.lastIndexOf('!');
    const ss = this.ss;
    let data = ss.sheets.find((s) => s.id === ss.activeSheetId) ?? ss.sheets[0]!;
    if (bang >= 0) {
      const name = text
        .slice(0, bang)
        .replace(/^'(.*)'$/, '$1')
        .replace(/''/g, "'");
      const found = ss.sheets.find((s) => s.name === name);
      if (!found) throw new GasException('Range not found');
      data = found;
    }
    return new SheetFake(this.ssId, data.id, this.scope).getRange(text.slice(bang + 1));
  }
}
registerType(SpreadsheetFake, 'SpreadsheetApp.Spreadsheet');

// ------------------------------------------------------------------ Ui

export type MenuEntry = { caption: string; functionName: string } | { separator: true } | { caption: string; items: MenuEntry[] };
export interface MenuInfo {
  caption: string;
  items: MenuEntry[];
}
export type UiEvent =
  | { kind: 'sidebar'; title: string; html: string; width?: number; at: string }
  | { kind: 'modal' | 'modeless'; title: string; html: string; width?: number; height?: number; at: string }
  | { kind: 'alert'; title: string; message: string; buttons: string; response: string; at: string }
  | { kind: 'prompt'; title: string; message: string; buttons: string; response: string; text: string; at: string }
  | { kind: 'toast'; title: string; message: string; timeoutSeconds: number; at: string };

/** What the spreadsheet UI showed, and the answers tests queue for alert/prompt. */
export class UiLog {
  menus: MenuInfo[] = [];
  events: UiEvent[] = [];
  readonly responses: { button: string; text?: string }[] = [];

  /** Queues the user's answer to the next alert/prompt (default: OK, empty text). */
  respond(button: 'OK' | 'CANCEL' | 'YES' | 'NO' | 'CLOSE', text?: string): void {
    this.responses.push(text === undefined ? { button } : { button, text });
  }
  menu(caption: string): MenuInfo | undefined {
    return this.menus.find((m) => m.caption === caption);
  }
  last(kind: UiEvent['kind']): UiEvent | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i]!.kind === kind) return this.events[i];
    return undefined;
  }
}

export class MenuFake implements Pick<GoogleAppsScript.Base.Menu, 'addItem' | 'addSeparator' | 'addSubMenu' | 'addToUi'> {
  readonly _items: MenuEntry[] = [];
  constructor(
    readonly _caption: string,
    private readonly scope: Scope,
  ) {}

  addItem(caption: string, functionName: string): GoogleAppsScript.Base.Menu {
    this._items.push({ caption: String(caption), functionName: String(functionName) });
    return gas(this);
  }
  addSeparator(): GoogleAppsScript.Base.Menu {
    this._items.push({ separator: true });
    return gas(this);
  }
  addSubMenu(menu: GoogleAppsScript.Base.Menu): GoogleAppsScript.Base.Menu {
    if (!(menu instanceof MenuFake)) throw new GasException('Invalid argument: menu');
    this._items.push({ caption: menu._caption, items: [...menu._items] });
    return gas(this);
  }
  addToUi(): void {
    const ui = this.scope.world.ui;
    ui.menus = ui.menus.filter((m) => m.caption !== this._caption);
    ui.menus.push({ caption: this._caption, items: structuredClone(this._items) });
  }
}
registerType(MenuFake, 'SpreadsheetApp.Menu');

export class PromptResponseFake implements GoogleAppsScript.Base.PromptResponse {
  constructor(
    private readonly text: string,
    private readonly button: string,
  ) {}
  getResponseText(): string {
    return this.text;
  }
  getSelectedButton(): GoogleAppsScript.Base.Button {
    return this.button as unknown as GoogleAppsScript.Base.Button;
  }
}
registerType(PromptResponseFake, 'SpreadsheetApp.PromptResponse');

const BUTTON = enumOf('CLOSE', 'OK', 'CANCEL', 'YES', 'NO');
const BUTTON_SET = enumOf('OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL');

function htmlOf(output: unknown): HtmlOutputFake {
  const o = output as HtmlOutputFake | null;
  if (!o || typeof o.getContent !== 'function' || typeof o.getTitle !== 'function')
    throw new GasException('Invalid argument: userInterface');
  return o;
}

export class UiFake implements Pick<
  GoogleAppsScript.Base.Ui,
  'createMenu' | 'createAddonMenu' | 'showSidebar' | 'showModalDialog' | 'showModelessDialog' | 'alert' | 'prompt'
> {
  constructor(private readonly scope: Scope) {}

  #at(): string {
    return this.scope.world.clock.now().toISOString();
  }
  #answer(): { button: string; text: string } {
    const r = this.scope.world.ui.responses.shift();
    return { button: r?.button ?? 'OK', text: r?.text ?? '' };
  }

  createMenu(caption: string): GoogleAppsScript.Base.Menu {
    return gas(new MenuFake(String(caption), this.scope));
  }
  createAddonMenu(): GoogleAppsScript.Base.Menu {
    return gas(new MenuFake('Add-ons', this.scope));
  }
  showSidebar(userInterface: GoogleAppsScript.HTML.HtmlOutput): void {
    const html = htmlOf(userInterface);
    this.scope.world.ui.events.push({
      kind: 'sidebar',
      title: html.getTitle(),
      html: html.getContent(),
      width: html.getWidth(),
      at: this.#at(),
    });
  }
  showModalDialog(userInterface: GoogleAppsScript.HTML.HtmlOutput, title: string): void {
    const html = htmlOf(userInterface);
    this.scope.world.ui.events.push({
      kind: 'modal',
      title: String(title),
      html: html.getContent(),
      width: html.getWidth(),
      height: html.getHeight(),
      at: this.#at(),
    });
  }
  showModelessDialog(userInterface: GoogleAppsScript.HTML.HtmlOutput, title: string): void {
    const html = htmlOf(userInterface);
    this.scope.world.ui.events.push({
      kind: 'modeless',
      title: String(title),
      html: html.getContent(),
      width: html.getWidth(),
      height: html.getHeight(),
      at: this.#at(),
    });
  }
  alert(titleOrPrompt: string, promptOrButtons?: unknown, buttons?: unknown): GoogleAppsScript.Base.Button {
    const [title, message, set] =
      buttons !== undefined
        ? [String(titleOrPrompt), String(promptOrButtons), String(buttons)]
        : ['', String(titleOrPrompt), promptOrButtons === undefined ? 'OK' : String(promptOrButtons)];
    const { button } = this.#answer();
    this.scope.world.ui.events.push({ kind: 'alert', title, message, buttons: set, response: button, at: this.#at() });
    return button as unknown as GoogleAppsScript.Base.Button;
  }
  prompt(titleOrPrompt: string, promptOrButtons?: unknown, buttons?: unknown): GoogleAppsScript.Base.PromptResponse {
    const [title, message, set] =
      buttons !== undefined
        ? [String(titleOrPrompt), String(promptOrButtons), String(buttons)]
        : ['', String(titleOrPrompt), promptOrButtons === undefined ? 'OK' : String(promptOrButtons)];
    const { button, text } = this.#answer();
    this.scope.world.ui.events.push({ kind: 'prompt', title, message, buttons: set, response: button, text, at: this.#at() });
    return new PromptResponseFake(text, button);
  }
}
registerType(UiFake, 'SpreadsheetApp.Ui', { Button: BUTTON, ButtonSet: BUTTON_SET });

// ------------------------------------------------------------------ SpreadsheetApp

export class SpreadsheetAppFake implements Pick<
  GoogleAppsScript.Spreadsheet.SpreadsheetApp,
  'getActive' | 'getActiveSpreadsheet' | 'openById' | 'openByUrl' | 'getUi' | 'flush' | 'create'
> {
  constructor(private readonly scope: Scope) {}

  #open(id: string, method: string): GasSpreadsheet {
    const ss = this.scope.world.spreadsheets.get(id);
    if (!ss) throw new GasException(`Unexpected error while getting the method or property ${method} on object SpreadsheetApp.`);
    return gas(new SpreadsheetFake(ss.id, this.scope));
  }

  getActive(): GasSpreadsheet {
    return this.#open(this.scope.world.config.activeSpreadsheetId, 'getActive');
  }
  getActiveSpreadsheet(): GasSpreadsheet {
    return this.#open(this.scope.world.config.activeSpreadsheetId, 'getActiveSpreadsheet');
  }
  openById(id: string): GasSpreadsheet {
    return this.#open(String(id), 'openById');
  }
  openByUrl(url: string): GasSpreadsheet {
    const m = /\/spreadsheets\/d\/([^/?#]+)/.exec(String(url));
    if (!m?.[1]) throw new GasException('Invalid argument: url');
    return this.#open(m[1], 'openByUrl');
  }
  create(name: string): GasSpreadsheet {
    return gas(new SpreadsheetFake(this.scope.world.spreadsheets.create(String(name)).id, this.scope));
  }
  getUi(): GoogleAppsScript.Base.Ui {
    const kind = this.scope.exec.kind;
    if (kind === 'trigger' || kind === 'web') throw new GasException(MESSAGES.noUiContext('SpreadsheetApp.getUi'));
    return gas(new UiFake(this.scope));
  }
  /** Commits this execution's pending writes: other executions see them from now on (sheet-writes.ts). */
  flush(): void {
    this.scope.world.sheetWrites.commit(this.scope.exec.id);
  }
}
registerType(SpreadsheetAppFake, 'SpreadsheetApp');

export { cellIsEmpty };
