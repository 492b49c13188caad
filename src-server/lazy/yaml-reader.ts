/**
 * The YAML parser, built apart from Code.js into the project file build/yaml-reader.html (an Apps
 * Script project holds only .gs and .html files). gas/yaml.ts reads and evaluates it when an import
 * of YAML asks, so the ~95 KB library is parsed by that execution only, not by every one.
 * The build wraps this module as `var LAZY_MODULE = (() => { ... })();`.
 */
import { parse } from 'yaml';

export function parseYaml(text: string): unknown {
  return parse(text);
}
