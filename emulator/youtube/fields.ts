/**
 * The `fields` parameter (partial responses), loosely: `a,b/c,items(id,snippet/title)`.
 * A name not in the object is skipped; '*' keeps everything at its level.
 */
export type FieldTree = Map<string, FieldTree | true>;

export class FieldsSyntaxError extends Error {}

export function parseFields(spec: string): FieldTree {
  let pos = 0;
  const text = spec.replace(/\s+/g, '');

  function parseList(): FieldTree {
    const tree: FieldTree = new Map();
    for (;;) {
      parseItem(tree);
      if (text[pos] === ',') {
        pos += 1;
        continue;
      }
      return tree;
    }
  }

  function parseName(): string {
    const match = /^[A-Za-z0-9_*]+/.exec(text.slice(pos));
    if (!match) throw new FieldsSyntaxError(`Invalid field selection at ${pos}: ${spec}`);
    pos += match[0].length;
    return match[0];
  }

  function parseItem(into: FieldTree): void {
    const names = [parseName()];
    while (text[pos] === '/') {
      pos += 1;
      names.push(parseName());
    }
    let leaf: FieldTree | true = true;
    if (text[pos] === '(') {
      pos += 1;
      leaf = parseList();
      if (text[pos] !== ')') throw new FieldsSyntaxError(`Invalid field selection: missing ')' in ${spec}`);
      pos += 1;
    }
    let node = into;
    names.forEach((name, i) => {
      if (i === names.length - 1) {
        const existing = node.get(name);
        node.set(name, existing instanceof Map && leaf instanceof Map ? merge(existing, leaf) : existing === true ? true : leaf);
        return;
      }
      let next = node.get(name);
      if (next === true) return;
      if (!next) {
        next = new Map();
        node.set(name, next);
      }
      node = next;
    });
  }

  const tree = parseList();
  if (pos !== text.length) throw new FieldsSyntaxError(`Invalid field selection: ${spec}`);
  return tree;
}

function merge(a: FieldTree, b: FieldTree): FieldTree {
  for (const [k, v] of b) a.set(k, v);
  return a;
}

export function applyFields<T>(value: T, tree: FieldTree): T {
  if (tree.has('*')) return value;
  if (Array.isArray(value)) return value.map((v) => applyFields(v, tree)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const [key, sub] of tree) {
    if (!(key in source)) continue;
    out[key] = sub === true ? source[key] : applyFields(source[key], sub);
  }
  return out as T;
}
