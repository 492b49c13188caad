/**
 * Which host objects the sandbox may see, and what it may call on them. Every fake class registers
 * itself with its Apps Script name ('SpreadsheetApp.Range'); the sandbox builds one prototype per type
 * from the method list, and the gate names each call `<type>.<method>`.
 */
import type { TypeInfo } from '../sandbox';

const GAS_TYPE = Symbol.for('emulator.gasType');
const registry = new Map<string, TypeInfo>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any[]) => object;

/** Declares a fake class as the Apps Script type `name`; its public prototype methods become callable. */
export function registerType(
  cls: AnyClass,
  name: string,
  enums?: Record<string, Record<string, string>>,
  /** Methods that also receive the object's own properties set in the script (HtmlTemplate.evaluate). */
  ownPropsFor?: string[],
): void {
  const methods: string[] = [];
  for (
    let proto = cls.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key.startsWith('_') || methods.includes(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key);
      if (desc && typeof desc.value === 'function') methods.push(key);
    }
  }
  Object.defineProperty(cls.prototype, GAS_TYPE, { value: name });
  const info: TypeInfo = { methods };
  if (enums) info.enums = enums;
  if (ownPropsFor) info.ownPropsFor = ownPropsFor;
  registry.set(name, info);
}

export function gasTypeOf(value: object): string | undefined {
  return (value as { [GAS_TYPE]?: string })[GAS_TYPE];
}

export function describeType(name: string): TypeInfo {
  const info = registry.get(name);
  if (!info) throw new Error(`emulator: unknown service type ${name}`);
  return info;
}

/** Every registered type (sent to worker threads once). */
export function allTypes(): Record<string, TypeInfo> {
  return Object.fromEntries(registry);
}

/** Builds an enum object whose values are their own names (Apps Script enums print as their name). */
export function enumOf<K extends string>(...names: K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, n])) as unknown as Record<K, string>;
}
