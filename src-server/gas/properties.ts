/** PropertyStore over the script's Script Properties; the service object is fetched on first use. */
import type { PropertyStore } from '../ports';

export function createScriptPropertyStore(): PropertyStore {
  let props: GoogleAppsScript.Properties.Properties | null = null;
  const store = (): GoogleAppsScript.Properties.Properties => (props ??= PropertiesService.getScriptProperties());
  return {
    getAll: () => store().getProperties(),
    get: (key) => store().getProperty(key),
    setMany: (values) => {
      store().setProperties(values, false);
    },
    deleteMany: (keys) => {
      const s = store();
      for (const key of keys) s.deleteProperty(key);
    },
  };
}
