/**
 * A YAML emitter for JSON-like values (what the job export writes). Block style, two-space indent,
 * every string double-quoted: "09:00", "yes", "on", "0o17" and "<<" stay strings for YAML 1.1
 * (PyYAML) and 1.2 readers alike. Reading YAML needs a full parser; emitting our own documents needs
 * only this, so the server bundle carries no YAML library (import loads one on demand).
 */

/** A mapping key written plain: a field-name-like word no YAML 1.1 reader takes for a bool or null. */
const PLAIN_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

// Characters a YAML stream may not hold raw (outside c-printable), plus the line breaks that YAML 1.1
// reads as such (NEL, LS, PS), NBSP and the BOM: written as escapes. JSON.stringify already escapes
// C0 controls and lone surrogates.
const ESCAPE_RE = /[\u007f-\u00a0\u2028\u2029\ufeff\ufffe\uffff]/g;

/** A double-quoted YAML scalar (JSON string syntax is valid YAML double-quoted syntax). */
export function yamlString(text: string): string {
  return JSON.stringify(text).replace(ESCAPE_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function yamlKey(key: string): string {
  return PLAIN_KEY_RE.test(key) && !SPECIAL_WORDS.has(key.toLowerCase()) ? key : yamlString(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Object.is(value, -0) ? 0 : value) : 'null';
  if (typeof value === 'bigint') return String(value);
  throw new TypeError(`YAML export: cannot write a ${typeof value}`);
}

/** True when `value` is written on its key's line ("key: value"), not as an indented block. */
function isInline(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.values(value).every((v) => v === undefined);
  return true;
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isPlainObject(value)) return '{}';
  return scalar(value);
}

function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isInline(item)) out.push(`${indent}- ${inline(item)}`);
      else {
        // The item's block goes one level deeper; its first line takes the dash's place.
        const start = out.length;
        lines(item, `${indent}  `, out);
        out[start] = `${indent}- ${out[start]!.slice(indent.length + 2)}`;
      }
    }
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue; // as JSON.stringify: an absent field
      if (isInline(v)) out.push(`${indent}${yamlKey(key)}: ${inline(v)}`);
      else {
        out.push(`${indent}${yamlKey(key)}:`);
        // Sequences under a key are indented too (the style most tools write).
        lines(v, `${indent}  `, out);
      }
    }
    return;
  }
  out.push(`${indent}${scalar(value)}`);
}

/** The YAML text of a JSON-like value, ending with a newline. */
export function toYaml(value: unknown): string {
  if (isInline(value)) return `${inline(value)}\n`;
  const out: string[] = [];
  lines(value, '', out);
  return `${out.join('\n')}\n`;
}
