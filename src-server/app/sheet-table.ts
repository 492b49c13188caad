/**
 * A log kept in a hidden tab of the bound spreadsheet: a header row, then one row per record, newest
 * at the bottom. Reads are one getValues per execution; appends are one setValues per batch; rotation
 * deletes the oldest rows in one call once the table exceeds its retention by a slack (so a full table
 * does not pay a delete on every append).
 */
import type { SheetTab, Spreadsheets } from '../ports';

export interface TableCodec<T> {
  columns: readonly string[];
  /** Columns written as plain text ('@'), so Sheets never turns an ISO string into a date or formula. */
  textColumns: ReadonlySet<string>;
  toRow(record: T): unknown[];
  fromRow(row: unknown[]): T | null;
}

/** Rows beyond the retention that are tolerated before a trim (10 %, at least 20). */
export function rotationSlack(keep: number): number {
  return Math.max(20, Math.ceil(keep / 10));
}

/**
 * Where a log tab ends: its last row with content (the header counts) and its grid's rows. Kept in a
 * property after each append (under the lock, like the append itself): while the tab's end is still
 * the remembered one, the next append needs no grid check and no formats (the rows below the data
 * carry them).
 */
export interface TableEnd {
  last: number;
  grid: number;
}

/** Rows added to a full grid at a time, so that growing is rare. */
export const GRID_GROWTH_ROWS = 500;

export class SheetTable<T> {
  private tab: SheetTab | null = null;
  /** True when this execution created the tab (a remembered end then belongs to a deleted tab). */
  private created = false;
  private rows: T[] | null = null;

  constructor(
    private readonly spreadsheets: Spreadsheets,
    readonly tabName: string,
    private readonly codec: TableCodec<T>,
  ) {}

  private open(create: boolean): SheetTab | null {
    if (this.tab) return this.tab;
    const existing = this.spreadsheets.getTab(null, this.tabName);
    if (existing) {
      this.tab = existing;
      return existing;
    }
    if (!create) return null;
    const tab = this.spreadsheets.createTab(null, this.tabName, { hidden: true });
    tab.writeValues(1, 1, [[...this.codec.columns]]);
    tab.setFrozenRows(1);
    this.tab = tab;
    this.created = true;
    return tab;
  }

  /** Every record, oldest first (one read per execution). */
  readAll(): T[] {
    if (this.rows) return this.rows;
    const tab = this.open(false);
    const out: T[] = [];
    if (tab) {
      const last = tab.lastRow();
      if (last > 1) {
        for (const row of tab.readValues(2, 1, last - 1, this.codec.columns.length)) {
          const record = this.codec.fromRow(row);
          if (record) out.push(record);
        }
      }
    }
    this.rows = out;
    return out;
  }

  /** The newest `count` records (one read of the tail), oldest first. */
  tail(count: number): T[] {
    const tab = this.open(false);
    if (!tab || count <= 0) return [];
    const last = tab.lastRow();
    if (last < 2) return [];
    const n = Math.min(count, last - 1);
    const out: T[] = [];
    for (const row of tab.readValues(last - n + 1, 1, n, this.codec.columns.length)) {
      const record = this.codec.fromRow(row);
      if (record) out.push(record);
    }
    return out;
  }

  /**
   * Appends in one write, then trims to the newest `keep` rows when past the slack. With `known` (the
   * end remembered after the last append, still the tab's end) the write needs no grid check and no
   * formats. Returns the end after the append, to remember.
   */
  append(records: readonly T[], keep: number, known: TableEnd | null = null): TableEnd | null {
    if (records.length === 0) return known;
    const tab = this.open(true);
    if (!tab) return known;
    // The end is always read (one call): the hidden tabs can be edited by hand, and a remembered end
    // that is wrong would write over rows. The remembered grid and formats hold while the end matches.
    const last = Math.max(1, tab.lastRow());
    const end = known && !this.created && known.last === last ? known : null;
    let grid = end ? end.grid : tab.gridRows();
    const values = records.map((r) => this.codec.toRow(r));
    const rowFormat = this.codec.columns.map((c) => (this.codec.textColumns.has(c) ? '@' : '0'));
    const formats = values.map(() => rowFormat);
    // The rows below the data carry the columns' formats (set when the grid grew, or once now for
    // a tab whose end was not remembered), so an append is one write.
    if (!end && grid > last + records.length)
      tab.setNumberFormats(
        last + records.length + 1,
        1,
        Array.from({ length: grid - last - records.length }, () => rowFormat),
      );
    if (last + records.length > grid) {
      const more = Math.max(GRID_GROWTH_ROWS, last + records.length - grid);
      tab.insertRowsAfter(grid, more);
      tab.setNumberFormats(
        grid + 1,
        1,
        Array.from({ length: more }, () => rowFormat),
      );
      grid += more;
    }
    // The first append without a remembered end lets the adapter check the columns and set the formats.
    tab.writeValues(last + 1, 1, values, formats, end ? { withinGrid: true, formatsInPlace: true } : undefined);
    let dataRows = last - 1 + records.length;
    if (dataRows > keep + rotationSlack(keep)) {
      try {
        tab.deleteRows(2, dataRows - keep);
        grid -= dataRows - keep;
        dataRows = keep;
      } catch {
        // The rows are written: a failed trim must not make the caller write them again. The next
        // append trims (the table only stays over its limit until then).
      }
    }
    if (this.rows) {
      this.rows.push(...records);
      if (this.rows.length > keep + rotationSlack(keep)) this.rows.splice(0, this.rows.length - keep);
    }
    return { last: dataRows + 1, grid };
  }
}

/** A cell as text: dates (from any realm) as ISO, empty as ''. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const time = (value as Date).getTime();
    return Number.isNaN(time) ? '' : new Date(time).toISOString();
  }
  return String(value);
}

export function cellNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(cellText(value));
  return Number.isFinite(n) ? n : 0;
}

export function cellTextOrNull(value: unknown): string | null {
  const text = cellText(value);
  return text === '' ? null : text;
}
