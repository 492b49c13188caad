/** Utilities: formatDate (Java SimpleDateFormat patterns, any IANA zone or GMT±hh:mm), digests, HMAC, base64, blobs, sleep. */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { GasException } from './errors';
import type { Scope } from './execution';
import { enumOf, registerType } from './registry';

// ------------------------------------------------------------------ formatDate

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
  offsetMinutes: number;
  shortName: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const nameFormatters = new Map<string, Intl.DateTimeFormat>();

function fixedOffset(tz: string): number | null {
  if (/^(GMT|UTC|Z)$/i.test(tz)) return 0;
  const m = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function zoned(date: Date, tz: string): ZonedParts {
  const ms = date.getTime();
  const fixed = fixedOffset(tz);
  if (fixed !== null) {
    const d = new Date(ms + fixed * 60000);
    const sign = fixed < 0 ? '-' : '+';
    const abs = Math.abs(fixed);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
      weekday: d.getUTCDay(),
      offsetMinutes: fixed,
      shortName: fixed === 0 ? (/^UTC$/i.test(tz) ? 'UTC' : 'GMT') : `GMT${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`,
    };
  }
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new GasException(`Invalid argument: timeZone (${tz})`);
    }
    formatters.set(tz, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const y = parts.year ?? 1970,
    mo = parts.month ?? 1,
    d = parts.day ?? 1,
    h = parts.hour ?? 0,
    mi = parts.minute ?? 0,
    s = parts.second ?? 0;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const offsetMinutes = Math.round((asUtc - (ms - (((ms % 1000) + 1000) % 1000))) / 60000);
  let nf = nameFormatters.get(tz);
  if (!nf) {
    nf = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' });
    nameFormatters.set(tz, nf);
  }
  const shortName = nf.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return {
    year: y,
    month: mo,
    day: d,
    hour: h,
    minute: mi,
    second: s,
    ms: ((ms % 1000) + 1000) % 1000,
    weekday: new Date(Date.UTC(y, mo - 1, d)).getUTCDay(),
    offsetMinutes,
    shortName,
  };
}

function pad(n: number, width: number): string {
  return String(Math.abs(n)).padStart(width, '0');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function offsetText(minutes: number, style: 'Z' | 'X' | 'XX' | 'XXX'): string {
  if (style !== 'Z' && minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const h = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const m = pad(Math.abs(minutes) % 60, 2);
  if (style === 'X') return `${sign}${h}`;
  if (style === 'XXX') return `${sign}${h}:${m}`;
  return `${sign}${h}${m}`;
}

/** Formats like Java's SimpleDateFormat in the given zone (what Utilities.formatDate does). */
export function formatDate(date: Date, timeZone: string, pattern: string): string {
  const z = zoned(date, timeZone);
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      out += pattern.slice(i + 1, end < 0 ? pattern.length : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    i += n;
    switch (ch) {
      case 'y':
      case 'Y':
        out += n === 2 ? pad(z.year % 100, 2) : pad(z.year, n);
        break;
      case 'M':
      case 'L':
        out += n >= 4 ? MONTHS[z.month - 1] : n === 3 ? MONTHS[z.month - 1]!.slice(0, 3) : pad(z.month, n);
        break;
      case 'd':
        out += pad(z.day, n);
        break;
      case 'E':
        out += n >= 4 ? DAYS[z.weekday] : DAYS[z.weekday]!.slice(0, 3);
        break;
      case 'u':
        out += pad(z.weekday === 0 ? 7 : z.weekday, n);
        break;
      case 'H':
        out += pad(z.hour, n);
        break;
      case 'k':
        out += pad(z.hour === 0 ? 24 : z.hour, n);
        break;
      case 'h':
        out += pad(z.hour % 12 === 0 ? 12 : z.hour % 12, n);
        break;
      case 'K':
        out += pad(z.hour % 12, n);
        break;
      case 'm':
        out += pad(z.minute, n);
        break;
      case 's':
        out += pad(z.second, n);
        break;
      case 'S':
        out += pad(z.ms, 3).slice(0, Math.max(n, 3)).padEnd(n, '0');
        break;
      case 'a':
        out += z.hour < 12 ? 'AM' : 'PM';
        break;
      case 'z':
        out += z.shortName;
        break;
      case 'Z':
        out += offsetText(z.offsetMinutes, 'Z');
        break;
      case 'X':
        out += offsetText(z.offsetMinutes, n === 1 ? 'X' : n === 2 ? 'XX' : 'XXX');
        break;
      case 'D': {
        const start = Date.UTC(z.year, 0, 1);
        out += pad(Math.floor((Date.UTC(z.year, z.month - 1, z.day) - start) / 86400000) + 1, n);
        break;
      }
      default:
        throw new GasException(`Illegal pattern character '${ch}'`);
    }
  }
  return out;
}

// ------------------------------------------------------------------ bytes

/** Java bytes are signed: Apps Script returns byte arrays with values in -128..127. */
export function toSignedBytes(buf: Buffer): number[] {
  const out = new Array<number>(buf.length);
  for (let i = 0; i < buf.length; i++) out[i] = (buf[i]! << 24) >> 24;
  return out;
}

/**
 * A script's number array as Java's byte[]. Apps Script converts each element to a signed Java byte
 * (-128..127); a number outside that range (e.g. 200 from an unsigned 0..255 array) or not an integer
 * fails the conversion, so the call matches no signature of the method. Source: the Utilities reference
 * types these parameters `Byte[]`, and every byte array Utilities returns is signed
 * (https://developers.google.com/apps-script/reference/utilities/utilities#computeDigest(DigestAlgorithm,String));
 * Java's byte range is -128..127. The message is Apps Script's usual wording for arguments that
 * convert to no overload (wording modelled for this case; the Diagnostics self-test checks it).
 * The emulator used to mask with `& 0xff`, which hid unsigned arrays that fail on Google.
 */
export function toBytes(data: readonly unknown[], method: string): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (typeof b !== 'number' || !Number.isInteger(b) || b < -128 || b > 127) {
      throw new GasException(`The parameters (number[]) don't match the method signature for ${method}.`);
    }
    out[i] = b & 0xff;
  }
  return out;
}

export function toBuffer(data: unknown, charset?: string, method = 'Utilities'): Buffer {
  if (typeof data === 'string') return Buffer.from(data, charset === 'US_ASCII' ? 'latin1' : 'utf8');
  if (Array.isArray(data)) return toBytes(data, method);
  if (data instanceof BlobFake) return Buffer.from(data._bytes);
  if (data === null || data === undefined) throw new GasException('Invalid argument: value');
  return Buffer.from(String(data), 'utf8');
}

const DIGESTS: Record<string, string> = { MD2: 'md2', MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' };
const MACS: Record<string, string> = {
  HMAC_MD5: 'md5',
  HMAC_SHA_1: 'sha1',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

// ------------------------------------------------------------------ Blob

export class BlobFake implements Pick<
  GoogleAppsScript.Base.Blob,
  'getBytes' | 'getDataAsString' | 'getContentType' | 'setContentType' | 'getName' | 'setName' | 'setDataFromString' | 'copyBlob'
> {
  constructor(
    public _bytes: Buffer,
    private contentType: string | null,
    private name: string | null,
  ) {}
  getBytes(): number[] {
    return toSignedBytes(this._bytes);
  }
  getDataAsString(charset?: string): string {
    return this._bytes.toString(charset === 'US_ASCII' ? 'latin1' : 'utf8');
  }
  getContentType(): string | null {
    return this.contentType;
  }
  setContentType(contentType: string): GoogleAppsScript.Base.Blob {
    this.contentType = String(contentType);
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
  getName(): string | null {
    return this.name;
  }
  setName(name: string): GoogleAppsScript.Base.Blob {
    this.name = String(name);
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
  setDataFromString(string: string): GoogleAppsScript.Base.Blob {
    this._bytes = Buffer.from(String(string), 'utf8');
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
  copyBlob(): GoogleAppsScript.Base.Blob {
    return new BlobFake(Buffer.from(this._bytes), this.contentType, this.name) as unknown as GoogleAppsScript.Base.Blob;
  }
}
registerType(BlobFake, 'Utilities.Blob');

/** Utilities.sleep accepts at most 5 minutes. */
export const SLEEP_MAX_MS = 300_000;

export class UtilitiesFake implements Pick<
  GoogleAppsScript.Utilities.Utilities,
  | 'formatDate'
  | 'computeDigest'
  | 'computeHmacSha256Signature'
  | 'computeHmacSignature'
  | 'base64Encode'
  | 'base64Decode'
  | 'base64EncodeWebSafe'
  | 'base64DecodeWebSafe'
  | 'newBlob'
  | 'getUuid'
  | 'sleep'
  | 'formatString'
> {
  constructor(private readonly scope: Scope) {}

  formatDate(date: GoogleAppsScript.Base.Date, timeZone: string, format: string): string {
    if (!(date instanceof Date))
      throw new GasException(`The parameters (${typeof date}, String, String) don't match the method signature for Utilities.formatDate.`);
    return formatDate(date, String(timeZone), String(format));
  }
  formatString(template: string, ...args: unknown[]): string {
    let i = 0;
    return String(template).replace(/%[sdf%]/g, (m) => (m === '%%' ? '%' : String(args[i++])));
  }
  computeDigest(
    algorithm: GoogleAppsScript.Utilities.DigestAlgorithm,
    value: string | number[],
    charset?: GoogleAppsScript.Utilities.Charset,
  ): number[] {
    const alg = DIGESTS[String(algorithm)];
    if (!alg) throw new GasException('Invalid argument: algorithm');
    return toSignedBytes(
      createHash(alg)
        .update(toBuffer(value, charset as unknown as string, 'Utilities.computeDigest'))
        .digest(),
    );
  }
  computeHmacSha256Signature(value: string | number[], key: string | number[], charset?: GoogleAppsScript.Utilities.Charset): number[] {
    const m = 'Utilities.computeHmacSha256Signature';
    return toSignedBytes(
      createHmac('sha256', toBuffer(key, charset as unknown as string, m))
        .update(toBuffer(value, charset as unknown as string, m))
        .digest(),
    );
  }
  computeHmacSignature(
    algorithm: GoogleAppsScript.Utilities.MacAlgorithm,
    value: string | number[],
    key: string | number[],
    charset?: GoogleAppsScript.Utilities.Charset,
  ): number[] {
    const alg = MACS[String(algorithm)];
    if (!alg) throw new GasException('Invalid argument: algorithm');
    const m = 'Utilities.computeHmacSignature';
    return toSignedBytes(
      createHmac(alg, toBuffer(key, charset as unknown as string, m))
        .update(toBuffer(value, charset as unknown as string, m))
        .digest(),
    );
  }
  base64Encode(data: string | number[], charset?: GoogleAppsScript.Utilities.Charset): string {
    return toBuffer(data, charset as unknown as string, 'Utilities.base64Encode').toString('base64');
  }
  base64EncodeWebSafe(data: string | number[], charset?: GoogleAppsScript.Utilities.Charset): string {
    return toBuffer(data, charset as unknown as string, 'Utilities.base64EncodeWebSafe')
      .toString('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  }
  base64Decode(encoded: string): number[] {
    return toSignedBytes(decodeBase64(String(encoded), false));
  }
  base64DecodeWebSafe(encoded: string): number[] {
    return toSignedBytes(decodeBase64(String(encoded), true));
  }
  newBlob(data: string | number[], contentType?: string, name?: string): GoogleAppsScript.Base.Blob {
    return new BlobFake(
      toBuffer(data ?? '', undefined, 'Utilities.newBlob'),
      contentType ?? null,
      name ?? null,
    ) as unknown as GoogleAppsScript.Base.Blob;
  }
  getUuid(): string {
    return randomUUID();
  }
  sleep(milliseconds: number): void {
    const ms = Number(milliseconds);
    if (!Number.isFinite(ms) || ms < 0) throw new GasException('Invalid argument: milliseconds');
    if (ms > SLEEP_MAX_MS) throw new GasException(`Invalid argument: milliseconds (Utilities.sleep accepts at most ${SLEEP_MAX_MS})`);
    this.scope.spend(ms);
  }
}

function decodeBase64(text: string, webSafe: boolean): Buffer {
  const normal = webSafe ? text.replace(/-/g, '+').replace(/_/g, '/') : text;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normal.replace(/\s/g, ''))) throw new GasException('Could not decode string.');
  return Buffer.from(normal, 'base64');
}

registerType(UtilitiesFake, 'Utilities', {
  DigestAlgorithm: enumOf('MD2', 'MD5', 'SHA_1', 'SHA_256', 'SHA_384', 'SHA_512'),
  MacAlgorithm: enumOf('HMAC_MD5', 'HMAC_SHA_1', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'),
  Charset: enumOf('US_ASCII', 'UTF_8'),
  RsaAlgorithm: enumOf('RSA_SHA_1', 'RSA_SHA_256'),
});
