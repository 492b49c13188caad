/**
 * The job store: the hidden tab `_y2s_jobs` of the bound spreadsheet, one row per job.
 *
 *   A id | B definition (JobRecord JSON) | C state (JobState JSON) | D journal (log rows not yet
 *   known to be appended) | E sync (SyncState JSON: watermarks and checkpoint)
 *
 * Script Properties (500 KB) hold a few hundred job-sized records at most; a sheet holds millions of
 * cells, so the job count no longer decides whether the scheduler can record a run. Columns A–D are
 * read in one getValues by an execution that needs jobs; E, the largest and only needed to run a job,
 * is read per run. Changes are staged and written with one setValues per block of adjacent rows, so a
 * change costs calls in proportion to the rows it touches, never to the rows stored.
 *
 * A row's journal travels in the same setValues as the state it describes: an execution killed after
 * that write and before the log append leaves the rows in the journal, and the next execution that
 * holds the lock appends them (see journal.ts). A deleted job leaves a tombstone row (id and journal
 * only) until its journal is known to be appended; then a new job may take the row.
 */
import { RESERVED_TAB_PREFIX } from '../domain/job';
import type { SheetTab, Spreadsheets } from '../ports';
import { AppError } from './contract';

export const JOBS_TAB = `${RESERVED_TAB_PREFIX}jobs`;
export const JOB_TABLE_COLUMNS = ['id', 'definition', 'state', 'journal', 'sync'] as const;
export type JobColumn = (typeof JOB_TABLE_COLUMNS)[number];
const COLUMN_INDEX: Record<JobColumn, number> = { id: 0, definition: 1, state: 2, journal: 3, sync: 4 };
/** Columns read with the table (the sync column is read per job run). */
const HEAD_COLUMNS = 4;

/** Google Sheets: a cell holds at most 50,000 characters. */
export const CELL_LIMIT_CHARS = 50_000;
/**
 * Jobs one spreadsheet's scheduler holds. The figures in docs/operations.md (busy tick, payloads,
 * planning) are measured up to here; past it the tick's read of the table eats into the run budget.
 */
export const MAX_JOBS = 10_000;

interface Row {
  /** 1-based sheet row. */
  sheetRow: number;
  /** id, definition, state, journal as stored or staged. */
  cells: string[];
  /** The sync cell once read (undefined: not read yet). */
  sync?: string;
}

export class JobTable {
  private tab: SheetTab | null = null;
  private readonly rows: Row[] = [];
  private readonly byId = new Map<string, Row>();
  private lastSheetRow = 1;
  /** The last row with content when the table was read: rows up to it exist in the grid, formatted. */
  private loadedLastRow = 1;
  /** Blank rows (freed tombstones) a new job may take, in sheet order. */
  private readonly blankRows: Row[] = [];
  /** Changed cells per row: column index → new text. */
  private readonly staged = new Map<Row, Map<number, string>>();

  private constructor(
    private readonly spreadsheets: Spreadsheets,
    private readonly journalDone: (journal: string) => boolean,
  ) {}

  /**
   * Reads columns A–D of every row in one getValues (plus opening the tab). `journalDone(text)` says
   * whether a journal is known to be appended (it is then cleared with the row's next write).
   */
  static load(spreadsheets: Spreadsheets, journalDone: (journal: string) => boolean = () => false): JobTable {
    const table = new JobTable(spreadsheets, journalDone);
    const tab = spreadsheets.getTab(null, JOBS_TAB);
    if (!tab) return table;
    table.tab = tab;
    const last = tab.lastRow();
    table.lastSheetRow = Math.max(1, last);
    table.loadedLastRow = table.lastSheetRow;
    if (last < 2) return table;
    const values = tab.readValues(2, 1, last - 1, HEAD_COLUMNS);
    values.forEach((raw, i) => {
      const cells = [0, 1, 2, 3].map((c) => cellString(raw[c]));
      const row: Row = { sheetRow: i + 2, cells };
      table.rows.push(row);
      if (!cells[0]) table.blankRows.push(row);
      else if (!table.byId.has(cells[0])) table.byId.set(cells[0], row);
    });
    return table;
  }

  /** Ids of live jobs (rows with a definition), in sheet order. */
  jobIds(): string[] {
    const out: string[] = [];
    for (const [id, row] of this.byId) if (row.cells[1]) out.push(id);
    return out;
  }

  /** Ids of every row with an id (live jobs and tombstones). */
  rowIds(): string[] {
    return [...this.byId.keys()];
  }

  /** Whether a row (live job or tombstone) carries this id. */
  hasRow(id: string): boolean {
    return this.byId.has(id);
  }

  has(id: string): boolean {
    return !!this.byId.get(id)?.cells[1];
  }

  count(): number {
    let n = 0;
    for (const row of this.byId.values()) if (row.cells[1]) n++;
    return n;
  }

  get(id: string, column: Exclude<JobColumn, 'sync' | 'id'>): string {
    return this.byId.get(id)?.cells[COLUMN_INDEX[column]] ?? '';
  }

  /** The sync cell; read from the sheet on first use (one call per job). */
  sync(id: string): string {
    const row = this.byId.get(id);
    if (!row) return '';
    if (row.sync === undefined) {
      const value =
        this.tab && row.sheetRow <= this.lastSheetRow ? this.tab.readValues(row.sheetRow, COLUMN_INDEX.sync + 1, 1, 1)[0]?.[0] : '';
      row.sync = cellString(value);
    }
    return row.sync;
  }

  /** Stages a cell; a new id takes a free row (a reclaimable tombstone or blank) or a new one at the end. */
  set(id: string, column: Exclude<JobColumn, 'id'>, text: string): void {
    const row = this.byId.get(id) ?? this.newRow(id);
    const index = COLUMN_INDEX[column];
    if (column === 'sync') row.sync = text;
    else row.cells[index] = text;
    let changes = this.staged.get(row);
    if (!changes) {
      changes = new Map();
      this.staged.set(row, changes);
    }
    changes.set(index, text);
    // A journal already appended is cleared with the row's next write (it would be read for nothing).
    const journal = row.cells[COLUMN_INDEX.journal];
    if (column !== 'journal' && journal && !changes.has(COLUMN_INDEX.journal) && this.journalDone(journal)) {
      row.cells[COLUMN_INDEX.journal] = '';
      changes.set(COLUMN_INDEX.journal, '');
    }
  }

  /** Removes a job: its row keeps only the id and the journal (a tombstone) until that is appended. */
  remove(id: string): void {
    if (!this.byId.has(id)) return;
    this.set(id, 'definition', '');
    this.set(id, 'state', '');
    this.set(id, 'sync', '');
  }

  /** Frees a tombstone whose journal is known to be appended: the row is blanked for reuse. */
  free(id: string): void {
    const row = this.byId.get(id);
    if (!row || row.cells[1]) return;
    for (const column of ['definition', 'state', 'journal', 'sync'] as const) this.set(id, column, '');
    row.cells[0] = '';
    this.staged.get(row)!.set(COLUMN_INDEX.id, '');
    this.byId.delete(id);
    this.blankRows.push(row);
  }

  /** Whether this execution staged a change to the row of `id`. */
  isStaged(id: string): boolean {
    const row = this.byId.get(id);
    return !!row && this.staged.has(row);
  }

  hasChanges(): boolean {
    return this.staged.size > 0;
  }

  /** Refuses (413, nothing written) a change with a cell over the Sheets limit or a table past MAX_JOBS. */
  checkBudget(): void {
    for (const [row, changes] of this.staged) {
      for (const [index, text] of changes) {
        if (text.length > CELL_LIMIT_CHARS) {
          throw new AppError(
            413,
            'store_full',
            `The ${JOB_TABLE_COLUMNS[index]} of job ${row.cells[0] || '(new)'} would take ${text.length.toLocaleString('en-US')} characters, ` +
              `over the ${CELL_LIMIT_CHARS.toLocaleString('en-US')} a spreadsheet cell holds; make the job smaller (fewer channels, shorter description or tags). Nothing was saved.`,
            { column: JOB_TABLE_COLUMNS[index], chars: text.length, limit_chars: CELL_LIMIT_CHARS },
          );
        }
      }
    }
  }

  /**
   * Writes the staged cells: one setValues per block of adjacent rows over the columns they change.
   * Creates the hidden tab on first use. Returns the number of setValues calls.
   */
  commit(): number {
    if (this.staged.size === 0) return 0;
    this.checkBudget();
    const tab = this.open();
    let calls = 0;
    for (const block of writeBlocks(this.staged)) {
      const values = block.rows.map((row) => {
        const out: string[] = [];
        for (let c = block.firstColumn; c <= block.lastColumn; c++)
          out.push(c === COLUMN_INDEX.sync ? (row.sync ?? '') : (row.cells[c] ?? ''));
        return out;
      });
      const formats = values.map((r) => r.map(() => '@'));
      // Rows that existed are rewritten: inside the grid, their cells formatted when first written
      // (a JSON text is never read as a number, date or formula anyway).
      const rewrite = block.rows.every((r) => r.sheetRow <= this.loadedLastRow);
      tab.writeValues(
        block.rows[0]!.sheetRow,
        block.firstColumn + 1,
        values,
        formats,
        rewrite ? { withinGrid: true, formatsInPlace: true } : undefined,
      );
      calls++;
    }
    this.staged.clear();
    return calls;
  }

  private open(): SheetTab {
    if (this.tab) return this.tab;
    const existing = this.spreadsheets.getTab(null, JOBS_TAB);
    if (existing) {
      this.tab = existing;
      return existing;
    }
    const tab = this.spreadsheets.createTab(null, JOBS_TAB, { hidden: true });
    tab.writeValues(1, 1, [[...JOB_TABLE_COLUMNS]]);
    tab.setFrozenRows(1);
    this.tab = tab;
    return tab;
  }

  private newRow(id: string): Row {
    // Reuse a blank row (a freed tombstone) that this change leaves alone.
    const index = this.blankRows.findIndex((r) => !this.staged.has(r));
    const reused = index >= 0 ? this.blankRows.splice(index, 1)[0]! : null;
    if (reused?.cells[0]) this.byId.delete(reused.cells[0]);
    if (!reused) this.lastSheetRow += 1;
    const row: Row = reused ?? { sheetRow: this.lastSheetRow, cells: [], sync: '' };
    if (!reused) this.rows.push(row);
    row.cells = [id, '', '', ''];
    row.sync = '';
    this.byId.set(id, row);
    // Every cell is written anew (a freed row's cells are blank, but its blanking may not be written yet).
    this.staged.set(
      row,
      new Map<number, string>(
        reused
          ? [
              [0, id],
              [1, ''],
              [2, ''],
              [3, ''],
              [4, ''],
            ]
          : [[0, id]],
      ),
    );
    return row;
  }
}

interface WriteBlock {
  rows: Row[];
  firstColumn: number;
  lastColumn: number;
}

/**
 * Groups changed rows into blocks of consecutive sheet rows that change the same column span, so one
 * setValues writes each block. A block covers only changed rows: cells in between are never rewritten
 * (the sync cells of rows not read would be unknown).
 */
export function writeBlocks(staged: ReadonlyMap<Row, ReadonlyMap<number, string>>): WriteBlock[] {
  const entries = [...staged.entries()]
    .map(([row, changes]) => {
      const columns = [...changes.keys()];
      return { row, first: Math.min(...columns), last: Math.max(...columns) };
    })
    .sort((a, b) => a.row.sheetRow - b.row.sheetRow);
  const blocks: WriteBlock[] = [];
  for (const e of entries) {
    const prev = blocks[blocks.length - 1];
    const prevRow = prev?.rows[prev.rows.length - 1];
    // A row whose sync cell is unknown cannot join a block that writes the sync column.
    const syncKnown = (rows: Row[]) => rows.every((r) => r.sync !== undefined);
    if (prev && prevRow && e.row.sheetRow === prevRow.sheetRow + 1) {
      const first = Math.min(prev.firstColumn, e.first);
      const last = Math.max(prev.lastColumn, e.last);
      const touchesSync = last >= COLUMN_INDEX.sync;
      if (!touchesSync || syncKnown([...prev.rows, e.row])) {
        prev.rows.push(e.row);
        prev.firstColumn = first;
        prev.lastColumn = last;
        continue;
      }
    }
    blocks.push({ rows: [e.row], firstColumn: e.first, lastColumn: e.last });
  }
  return blocks;
}

function cellString(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}
