/**
 * The Crypto port over Apps Script's Utilities. Byte arrays come back signed (-128..127), as
 * Utilities returns them; callers normalise with `& 0xff` when they format bytes. Byte arrays handed
 * to Utilities must be signed too: Apps Script converts them to Java's byte[] and refuses 128..255.
 */
import type { Crypto } from '../ports';

/** The port's bytes (-128..127 or 0..255) as the signed Java bytes Utilities accepts. */
export function toSignedBytes(bytes: readonly number[]): number[] {
  return bytes.map((b, i) => {
    if (!Number.isInteger(b) || b < -128 || b > 255) throw new RangeError(`byte ${i} is ${b}: expected an integer in -128..255`);
    return b > 127 ? b - 256 : b;
  });
}

/** base64url without padding (JWT and key formats use the unpadded form). */
function stripPadding(encoded: string): string {
  return encoded.replace(/=+$/, '');
}

function addPadding(encoded: string): string {
  const rest = encoded.length % 4;
  return rest === 0 ? encoded : encoded + '='.repeat(4 - rest);
}

export function createGasCrypto(): Crypto {
  const utf8 = Utilities.Charset.UTF_8;
  return {
    hmacSha256: (key, message) => Utilities.computeHmacSha256Signature(message, key, utf8),
    sha256: (message) => Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, message, utf8),
    uuid: () => Utilities.getUuid(),
    base64UrlEncode: (data) =>
      stripPadding(
        typeof data === 'string' ? Utilities.base64EncodeWebSafe(data, utf8) : Utilities.base64EncodeWebSafe(toSignedBytes(data)),
      ),
    base64UrlDecodeToString: (encoded) =>
      Utilities.newBlob(Utilities.base64DecodeWebSafe(addPadding(encoded), utf8)).getDataAsString('UTF-8'),
    // Apps Script has no CSPRNG API; Utilities.getUuid() is a random (v4) UUID from the platform.
    // Hashing two fresh UUIDs per 32 bytes gives ~244 bits of platform randomness per block.
    randomBytes: (count) => {
      const out: number[] = [];
      while (out.length < count) {
        const block = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, Utilities.getUuid() + Utilities.getUuid(), utf8);
        for (const b of block) out.push(b & 0xff);
      }
      return out.slice(0, count);
    },
  };
}
