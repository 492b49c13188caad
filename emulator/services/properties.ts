/** PropertiesService: script, user and document stores with Apps Script's size limits. No transactions: last write wins per key. */
import { GasException, MESSAGES } from './errors';
import type { Scope } from './execution';
import { registerType } from './registry';

/**
 * "Quotas for Google Services" (https://developers.google.com/apps-script/guides/services/quotas):
 * "Properties value size 9 KB / val", "Properties total storage 500 KB / property store". The page does
 * not say whether the key counts toward the 9 KB; measurements (tanaikech, "Report: Specification of
 * Properties Service", 2023) found that the store's total counts keys and values. The fake counts
 * key + value UTF-8 bytes for both limits, so it is never more permissive than the documented 9 KB.
 * Errors: "Argument too large: value" and the storage-quota message (MESSAGES).
 */
export const PROPERTY_VALUE_LIMIT_BYTES = 9 * 1024;
export const PROPERTY_STORE_LIMIT_BYTES = 500 * 1024;

export type PropertyStoreName = 'script' | 'user' | 'document';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function entrySize(key: string, value: string): number {
  return bytes(key) + bytes(value);
}

function storeSize(store: Map<string, string>): number {
  let total = 0;
  for (const [k, v] of store) total += entrySize(k, v);
  return total;
}

function checkKey(key: unknown): string {
  if (key === null || key === undefined || key === '') throw new GasException('Invalid argument: key');
  return String(key);
}

/** Applies a batch of writes only when every entry and the resulting store fit. */
function writeAll(store: Map<string, string>, entries: [string, string][], deleteAllOthers: boolean): void {
  for (const [k, v] of entries)
    if (entrySize(k, v) > PROPERTY_VALUE_LIMIT_BYTES) throw new GasException(MESSAGES.argumentTooLarge('value'));
  const next = deleteAllOthers ? new Map<string, string>() : new Map(store);
  for (const [k, v] of entries) next.set(k, v);
  if (storeSize(next) > PROPERTY_STORE_LIMIT_BYTES) throw new GasException(MESSAGES.propertyStoreFull);
  if (deleteAllOthers) store.clear();
  for (const [k, v] of next) store.set(k, v);
}

export class PropertiesFake implements GoogleAppsScript.Properties.Properties {
  constructor(private readonly store: Map<string, string>) {}

  getProperty(key: string): string | null {
    return this.store.get(checkKey(key)) ?? null;
  }
  getProperties(): { [key: string]: string } {
    return Object.fromEntries(this.store);
  }
  getKeys(): string[] {
    return [...this.store.keys()];
  }
  setProperty(key: string, value: string): GoogleAppsScript.Properties.Properties {
    if (value === undefined) throw new GasException('Invalid argument: value');
    writeAll(this.store, [[checkKey(key), String(value)]], false);
    return this;
  }
  setProperties(properties: { [key: string]: string }, deleteAllOthers?: boolean): GoogleAppsScript.Properties.Properties {
    if (properties === null || typeof properties !== 'object') throw new GasException('Invalid argument: properties');
    const entries = Object.entries(properties).map(([k, v]): [string, string] => [checkKey(k), String(v)]);
    writeAll(this.store, entries, deleteAllOthers === true);
    return this;
  }
  deleteProperty(key: string): GoogleAppsScript.Properties.Properties {
    this.store.delete(checkKey(key));
    return this;
  }
  deleteAllProperties(): GoogleAppsScript.Properties.Properties {
    this.store.clear();
    return this;
  }
}
registerType(PropertiesFake, 'PropertiesService.Properties');

export class PropertiesServiceFake implements Pick<
  GoogleAppsScript.Properties.PropertiesService,
  'getScriptProperties' | 'getUserProperties' | 'getDocumentProperties'
> {
  constructor(private readonly scope: Scope) {}

  getScriptProperties(): GoogleAppsScript.Properties.Properties {
    return new PropertiesFake(this.scope.world.properties.script);
  }
  getUserProperties(): GoogleAppsScript.Properties.Properties {
    return new PropertiesFake(this.scope.world.userStores(this.scope.exec.user).properties);
  }
  getDocumentProperties(): GoogleAppsScript.Properties.Properties {
    return new PropertiesFake(this.scope.world.properties.document);
  }
}
registerType(PropertiesServiceFake, 'PropertiesService');
