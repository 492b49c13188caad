/**
 * Spreadsheet data owned by the runtime: spreadsheets by id, sheets, sparse cells. Writes are typed as
 * Sheets types user input (see `typeInput`); tests read values, formulas, formats and hidden state here.
 */
import { formatDate } from './utilities';

export type CellValue = string | number | boolean | Date;

export interface Cell {
  v: CellValue;
  /** Formula text ('=...') when the cell holds a formula. */
  f?: string;
  /** Number format; absent means 'General'. '@' is plain text. */
  nf?: string;
}

export interface SheetData {
  id: number;
  name: string;
  hidden: boolean;
  frozenRows: number;
  maxRows: number;
  maxCols: number;
  /** rows[r][c], 0-based; missing entries are empty cells. */
  rows: (Cell | undefined)[][];
}

export interface SpreadsheetData {
  id: string;
  name: string;
  timeZone: string;
  sheets: SheetData[];
  activeSheetId: number;
  nextSheetId: number;
}

export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLS = 26;
/** Value a formula shows: the emulator does not evaluate formulas. */
export const FORMULA_RESULT = '#ERROR!';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER_RE = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/**
 * How Sheets stores a value written with setValue(s)/appendRow: Dates stay dates, '=' starts a formula,
 * '+', '-' and '@' starting a non-number are formula input too, a leading apostrophe forces text (and is
 * dropped), numeric and boolean text become numbers/booleans unless the cell is formatted as plain text ('@').
 */
export function typeInput(input: unknown, numberFormat: string | undefined): Cell | undefined {
  if (input === null || input === undefined || input === '') return numberFormat ? { v: '', nf: numberFormat } : undefined;
  const withFormat = (cell: Cell): Cell => (numberFormat ? { ...cell, nf: numberFormat } : cell);
  if (input instanceof Date) return withFormat({ v: new Date(input.getTime()) });
  if (typeof input === 'number') return withFormat({ v: Number.isFinite(input) ? input : '#NUM!' });
  if (typeof input === 'boolean') return withFormat({ v: input });
  const s = typeof input === 'string' ? input : String(input);
  if (numberFormat === '@') return withFormat({ v: s });
  if (s.startsWith("'")) return withFormat({ v: s.slice(1) });
  const trimmed = s.trim();
  if (NUMBER_RE.test(trimmed)) return withFormat({ v: Number(trimmed) });
  if (GROUPED_NUMBER_RE.test(trimmed)) return withFormat({ v: Number(trimmed.replace(/,/g, '')) });
  if (/^(true|false)$/i.test(trimmed)) return withFormat({ v: trimmed.toLowerCase() === 'true' });
  if (s.startsWith('=') && s.length > 1) return withFormat({ v: FORMULA_RESULT, f: s });
  if (/^[+\-@]/.test(s) && s.length > 1) return withFormat({ v: FORMULA_RESULT, f: `=${s}` });
  return withFormat({ v: s });
}

export function cellIsEmpty(cell: Cell | undefined): boolean {
  return !cell || (cell.v === '' && !cell.f);
}

export class SpreadsheetStore {
  readonly byId = new Map<string, SpreadsheetData>();
  #counter = 0;

  constructor(private readonly defaultTimeZone: string) {}

  create(name = 'Untitled spreadsheet', options: { id?: string; timeZone?: string; sheetNames?: string[] } = {}): SpreadsheetData {
    this.#counter += 1;
    const id = options.id ?? `1EmU${String(this.#counter).padStart(4, '0')}${'x'.repeat(36)}`;
    const ss: SpreadsheetData = {
      id,
      name,
      timeZone: options.timeZone ?? this.defaultTimeZone,
      sheets: [],
      activeSheetId: 0,
      nextSheetId: 0,
    };
    for (const sheetName of options.sheetNames ?? ['Sheet1']) this.addSheet(ss, sheetName);
    ss.activeSheetId = ss.sheets[0]?.id ?? 0;
    this.byId.set(id, ss);
    return ss;
  }

  addSheet(ss: SpreadsheetData, name: string, index = ss.sheets.length): SheetData {
    // The first sheet has gid 0 as in Sheets; later ones count up.
    const sheet: SheetData = {
      id: ss.nextSheetId,
      name,
      hidden: false,
      frozenRows: 0,
      maxRows: DEFAULT_ROWS,
      maxCols: DEFAULT_COLS,
      rows: [],
    };
    ss.nextSheetId += 1;
    ss.sheets.splice(index, 0, sheet);
    return sheet;
  }

  get(id: string): SpreadsheetData | undefined {
    return this.byId.get(id);
  }

  list(): SpreadsheetData[] {
    return [...this.byId.values()];
  }

  sheet(spreadsheetId: string, sheetName: string): SheetData | undefined {
    return this.byId.get(spreadsheetId)?.sheets.find((s) => s.name === sheetName);
  }

  /** Values as getValues would return them (whole used range), for tests. */
  values(spreadsheetId: string, sheetName: string): CellValue[][] {
    return readUsed(this.#mustSheet(spreadsheetId, sheetName), (c) => (c ? c.v : ''));
  }

  formulas(spreadsheetId: string, sheetName: string): string[][] {
    return readUsed(this.#mustSheet(spreadsheetId, sheetName), (c) => c?.f ?? '');
  }

  /** What getDisplayValues would show (dates in the spreadsheet's zone), for tests. */
  displayValues(spreadsheetId: string, sheetName: string): string[][] {
    const zone = this.byId.get(spreadsheetId)?.timeZone ?? this.defaultTimeZone;
    return readUsed(this.#mustSheet(spreadsheetId, sheetName), (c) => displayOf(c, zone));
  }

  numberFormats(spreadsheetId: string, sheetName: string): string[][] {
    return readUsed(this.#mustSheet(spreadsheetId, sheetName), (c) => c?.nf ?? 'General');
  }

  #mustSheet(spreadsheetId: string, sheetName: string): SheetData {
    const sheet = this.sheet(spreadsheetId, sheetName);
    if (!sheet) throw new Error(`No sheet "${sheetName}" in spreadsheet ${spreadsheetId}`);
    return sheet;
  }

  toJSON(): SpreadsheetData[] {
    return this.list();
  }

  restore(data: SpreadsheetJSON[]): void {
    this.byId.clear();
    for (const ss of data) {
      const sheets = ss.sheets.map((s) => ({
        ...s,
        rows: s.rows.map((row) => (row ?? []).map((c) => (c ? reviveCell(c) : undefined))),
      }));
      this.byId.set(ss.id, { ...ss, sheets });
      this.#counter += 1;
    }
  }
}

export type SpreadsheetJSON = Omit<SpreadsheetData, 'sheets'> & {
  sheets: (Omit<SheetData, 'rows'> & { rows: ((JSONCell | null | undefined)[] | null)[] })[];
};
export type JSONCell = { v: string | number | boolean | { date: string }; f?: string; nf?: string } | Cell;

/** Cells serialise with dates as { date: ISO } so that snapshots are plain JSON. */
export function cellToJSON(cell: Cell): JSONCell {
  return cell.v instanceof Date ? { ...cell, v: { date: cell.v.toISOString() } } : cell;
}

function reviveCell(c: JSONCell): Cell {
  const v = c.v as unknown;
  if (v && typeof v === 'object' && !(v instanceof Date) && 'date' in v)
    return { ...c, v: new Date(String((v as { date: string }).date)) } as Cell;
  return c as Cell;
}

export function lastRowOf(sheet: SheetData): number {
  for (let r = sheet.rows.length - 1; r >= 0; r--) {
    const row = sheet.rows[r];
    if (row && row.some((c) => !cellIsEmpty(c))) return r + 1;
  }
  return 0;
}

export function lastColumnOf(sheet: SheetData): number {
  let last = 0;
  for (const row of sheet.rows) {
    if (!row) continue;
    for (let c = row.length - 1; c >= last; c--) {
      if (!cellIsEmpty(row[c])) {
        last = c + 1;
        break;
      }
    }
  }
  return last;
}

function readUsed<T>(sheet: SheetData, pick: (c: Cell | undefined) => T): T[][] {
  const rows = lastRowOf(sheet);
  const cols = lastColumnOf(sheet);
  const out: T[][] = [];
  for (let r = 0; r < rows; r++) {
    const row = sheet.rows[r];
    const line: T[] = [];
    for (let c = 0; c < cols; c++) line.push(pick(row?.[c]));
    out.push(line);
  }
  return out;
}

/**
 * What the cell shows: dates in the spreadsheet's time zone (its own setting, not the script's:
 * https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#getSpreadsheetTimeZone()),
 * numbers by their format.
 */
export function displayOf(cell: Cell | undefined, timeZone: string): string {
  if (!cell) return '';
  const v: CellValue = cell.v;
  if (v instanceof Date)
    return formatDate(v, timeZone, cell.nf && /[yd]/.test(cell.nf) ? javaPatternFromSheets(cell.nf) : 'M/d/yyyy H:mm:ss');
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    const nf = cell.nf ?? 'General';
    const fixed = /^[#,]*0(?:\.(0+))?(%?)$/.exec(nf.replace(/#,##/, ''));
    if (fixed) {
      const digits = fixed[1]?.length ?? 0;
      const n = fixed[2] ? v * 100 : v;
      const text = nf.includes(',')
        ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
        : n.toFixed(digits);
      return text + (fixed[2] ?? '');
    }
    return String(v);
  }
  return String(v);
}

/** Sheets date formats ('yyyy-mm-dd hh:mm') differ from Java's only in minutes vs months. */
function javaPatternFromSheets(nf: string): string {
  const java = nf
    .replace(/(h+[^a-z]*)mm/gi, '$1%%MIN%%')
    .replace(/m/g, 'M')
    .replace(/%%MIN%%/g, 'mm');
  // Sheets' "hh" is the 24-hour clock unless the format has AM/PM; Java's "hh" is 1-12.
  return /am\/pm|a\/p/i.test(nf) ? java.replace(/AM\/PM|A\/P/gi, 'a') : java.replace(/h/g, 'H');
}
