/**
 * YamlReader over the lazily loaded project file yaml-reader (see src-server/lazy/yaml-reader.ts):
 * HtmlService returns the file's text, which is evaluated once per execution, on the first parse.
 */
import type { YamlReader } from '../ports';

/** Project file holding the YAML parser, and the variable its code declares (scripts/build.ts). */
export const YAML_READER_FILE = 'yaml-reader';
export const LAZY_MODULE_GLOBAL = 'LAZY_MODULE';

type YamlModule = { parseYaml(text: string): unknown };

function loadYamlModule(): YamlModule {
  const source = HtmlService.createHtmlOutputFromFile(YAML_READER_FILE).getContent();
  // The file is our own build output, shipped with the project; evaluated in a function scope so its
  // declarations stay local.
  const module = new Function(`${source}\nreturn ${LAZY_MODULE_GLOBAL};`)() as YamlModule;
  if (!module || typeof module.parseYaml !== 'function')
    throw new Error(`The project file ${YAML_READER_FILE} does not hold the YAML reader.`);
  return module;
}

export function createYamlReader(): YamlReader {
  let module: YamlModule | null = null;
  return {
    parse: (text) => (module ??= loadYamlModule()).parseYaml(text),
  };
}
