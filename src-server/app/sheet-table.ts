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

export class SheetTable<T> {
  private tab: SheetTab | null = null;
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

  /** Appends in one write, then trims to the newest `keep` rows when past the slack. */
  append(records: readonly T[], keep: number): void {
    if (records.length === 0) return;
    const tab = this.open(true);
    if (!tab) return;
    const last = Math.max(1, tab.lastRow());
    const values = records.map((r) => this.codec.toRow(r));
    const formats = values.map(() => this.codec.columns.map((c) => (this.codec.textColumns.has(c) ? '@' : '0')));
    tab.writeValues(last + 1, 1, values, formats);
    const dataRows = last - 1 + records.length;
    if (dataRows > keep + rotationSlack(keep)) {
      try {
        tab.deleteRows(2, dataRows - keep);
      } catch {
        // The rows are written: a failed trim must not make the caller write them again. The next
        // append trims (the table only stays over its limit until then).
      }
    }
    if (this.rows) {
      this.rows.push(...records);
      if (this.rows.length > keep + rotationSlack(keep)) this.rows.splice(0, this.rows.length - keep);
    }
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
