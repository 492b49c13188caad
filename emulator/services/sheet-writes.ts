/**
 * Buffered spreadsheet writes, per execution.
 *
 * Apps Script bundles spreadsheet writes and applies them later: "Spreadsheet operations are sometimes
 * bundled together to improve performance ... you may want to make sure that all pending changes are
 * made right away" (SpreadsheetApp.flush(),
 * https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#flush), and
 * Lock.releaseLock() says to call SpreadsheetApp.flush() before releasing a lock "to commit all pending
 * changes to the spreadsheet" (https://developers.google.com/apps-script/reference/lock/lock#releaseLock).
 * When the pending changes reach the spreadsheet is not specified; the emulator takes the strictest
 * reading: an execution's writes reach the spreadsheet (become visible to other executions) only at
 * flush() or when the execution ends; until then only the execution itself reads them.
 *
 * Model: the first write of an execution to a spreadsheet gives it a private copy (its view); each
 * write is applied to the view and kept as an operation; commit replays the operations, in order, on
 * the shared spreadsheet. Operations recompute positions when replayed, so appendRow stays atomic as
 * Sheets documents it ("This operation is atomic", Sheet.appendRow). When another execution commits
 * meanwhile, the view is rebuilt from the shared state plus the pending operations, so reads see
 * other executions' committed writes under this execution's own.
 * Operations that return what only the server knows (insertSheet's new sheet, deleteSheet, create)
 * first commit what is pending and then apply at once.
 */
import type { SheetData, SpreadsheetData, SpreadsheetStore } from './spreadsheet-store';

/** One write, replayable on any copy of the spreadsheet. It must tolerate a changed grid. */
export type SheetOp = (ss: SpreadsheetData) => void;

interface Draft {
  data: SpreadsheetData;
  ops: SheetOp[];
  /** The shared spreadsheet's version the view was built from. */
  base: number;
}

/** A copy whose sheets and rows may be changed without touching `ss` (cells are never mutated in place). */
export function copySpreadsheet(ss: SpreadsheetData): SpreadsheetData {
  return { ...ss, sheets: ss.sheets.map(copySheet) };
}

function copySheet(s: SheetData): SheetData {
  return { ...s, rows: s.rows.map((row) => (row ? row.slice() : row)) };
}

export class SheetWriteBuffers {
  /** Pending writes by execution id, then spreadsheet id. */
  readonly #byExec = new Map<number, Map<string, Draft>>();
  readonly #versions = new Map<string, number>();

  constructor(private readonly store: SpreadsheetStore) {}

  #version(ssId: string): number {
    return this.#versions.get(ssId) ?? 0;
  }

  /** Marks a shared spreadsheet as changed (views built on an older state are rebuilt). */
  changed(ssId: string): void {
    this.#versions.set(ssId, this.#version(ssId) + 1);
  }

  #fresh(draft: Draft, shared: SpreadsheetData): Draft {
    if (draft.base === this.#version(shared.id)) return draft;
    draft.data = copySpreadsheet(shared);
    for (const op of draft.ops) op(draft.data);
    draft.base = this.#version(shared.id);
    return draft;
  }

  /** What execution `execId` reads: the shared spreadsheet, under its own pending writes. */
  view(execId: number, ssId: string): SpreadsheetData | undefined {
    const shared = this.store.get(ssId);
    if (!shared) return undefined;
    const draft = this.#byExec.get(execId)?.get(ssId);
    return draft ? this.#fresh(draft, shared).data : shared;
  }

  /** Applies `op` to the execution's view now (it may throw: nothing is kept) and keeps it for the commit. */
  write(execId: number, ssId: string, op: SheetOp): void {
    const shared = this.store.get(ssId);
    if (!shared) return;
    let drafts = this.#byExec.get(execId);
    if (!drafts) this.#byExec.set(execId, (drafts = new Map()));
    let draft = drafts.get(ssId);
    if (!draft) drafts.set(ssId, (draft = { data: copySpreadsheet(shared), ops: [], base: this.#version(ssId) }));
    this.#fresh(draft, shared);
    op(draft.data);
    draft.ops.push(op);
  }

  /** Number of writes the execution has not committed yet. */
  pending(execId: number): number {
    let n = 0;
    for (const d of this.#byExec.get(execId)?.values() ?? []) n += d.ops.length;
    return n;
  }

  /**
   * Replays the execution's pending writes on the shared spreadsheets (flush(), or the end of the
   * execution). A write the shared state no longer allows (its sheet was deleted meanwhile) is dropped.
   */
  commit(execId: number): void {
    const drafts = this.#byExec.get(execId);
    if (!drafts) return;
    this.#byExec.delete(execId);
    for (const [ssId, draft] of drafts) {
      const shared = this.store.get(ssId);
      if (!shared || draft.ops.length === 0) continue;
      for (const op of draft.ops) {
        try {
          op(shared);
        } catch {
          // The grid changed under the write (another execution deleted its sheet): nothing to apply.
        }
      }
      this.changed(ssId);
    }
  }
}
