/** Small byte and string helpers shared by keys and tokens. */

/** Hex of a byte array; accepts signed bytes as Apps Script's Utilities returns them. */
export function bytesToHex(bytes: readonly number[]): string {
  let out = '';
  for (const b of bytes) out += ((b & 0xff) + 0x100).toString(16).slice(1);
  return out;
}

/**
 * Compares two strings in time that depends only on the expected value's length, so a caller cannot
 * learn how many leading characters of a secret they guessed right.
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  let diff = presented.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    const a = i < presented.length ? presented.charCodeAt(i) : 0;
    diff |= a ^ expected.charCodeAt(i);
  }
  return diff === 0;
}

export { utf8Length } from '../domain/text';
