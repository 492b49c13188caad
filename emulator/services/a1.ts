/** A1 notation helpers (1-based rows and columns). */
export interface GridRange {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function toA1(r: GridRange): string {
  const start = `${columnLetters(r.col)}${r.row}`;
  if (r.numRows === 1 && r.numCols === 1) return start;
  return `${start}:${columnLetters(r.col + r.numCols - 1)}${r.row + r.numRows - 1}`;
}

const PART = /^\$?([A-Za-z]{0,3})\$?(\d*)$/;

/** Parses 'A1', 'A1:C5', 'A:C', '2:4', 'A2:C' (open-ended) against a sheet size; returns null when invalid. */
export function parseA1(a1: string, maxRows: number, maxCols: number): GridRange | null {
  const ref = a1.includes('!') ? a1.slice(a1.lastIndexOf('!') + 1) : a1;
  const [startText, endText] = ref.split(':');
  if (startText === undefined || ref.split(':').length > 2) return null;
  const start = PART.exec(startText.trim());
  const end = endText === undefined ? start : PART.exec(endText.trim());
  if (!start || !end) return null;
  const [, c1 = '', r1 = ''] = start;
  const [, c2 = '', r2 = ''] = end;
  if (!c1 && !r1) return null;
  if (endText === undefined && (!c1 || !r1)) return null;
  const col1 = c1 ? columnIndex(c1) : 1;
  const col2 = c2 ? columnIndex(c2) : c1 && !c2 && endText !== undefined && r2 ? col1 : maxCols;
  const row1 = r1 ? Number(r1) : 1;
  const row2 = r2 ? Number(r2) : maxRows;
  if (row1 < 1 || col1 < 1) return null;
  const row = Math.min(row1, row2);
  const col = Math.min(col1, col2);
  return { row, col, numRows: Math.abs(row2 - row1) + 1, numCols: Math.abs(col2 - col1) + 1 };
}
