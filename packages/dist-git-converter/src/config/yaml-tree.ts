import {
  type Document,
  type Node as YamlAstNode,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
} from 'yaml';

/** Where a node starts in the file (1-based). */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A YAML value with its source text kept: scalars stay strings (the caller decides what is a
 * boolean or a number, docs/converter-behaviour.md Q9), nulls are explicit, and every node knows its line.
 */
export type YamlTreeNode =
  | { readonly kind: 'null'; readonly position: YamlPosition }
  | {
      readonly kind: 'scalar';
      readonly text: string;
      /** True for `'…'`, `"…"` and block scalars: never a null, number or boolean. */
      readonly quoted: boolean;
      readonly position: YamlPosition;
    }
  | {
      readonly kind: 'map';
      readonly entries: readonly (readonly [key: string, value: YamlTreeNode])[];
      readonly position: YamlPosition;
    }
  | { readonly kind: 'seq'; readonly items: readonly YamlTreeNode[]; readonly position: YamlPosition };

/** A YAML syntax problem, with the position git-style tools print (`file:line:column`). */
export interface YamlSyntaxProblem {
  readonly message: string;
  readonly position: YamlPosition;
}

export type ParseYamlTreeResult =
  | { readonly ok: true; readonly root: YamlTreeNode }
  | { readonly ok: false; readonly problem: YamlSyntaxProblem };

const NULL_TEXTS = new Set(['', '~', 'null', 'Null', 'NULL']);

/**
 * Parses one YAML document into a {@link YamlTreeNode} tree with the failsafe schema (every
 * scalar is text), resolving aliases and `<<` merge keys as PyYAML's `safe_load` does. An empty
 * document is an empty mapping.
 */
export function parseYamlTree(text: string): ParseYamlTreeResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    schema: 'failsafe',
    lineCounter,
    prettyErrors: false,
    // The parser's own check compares each key with every earlier one (quadratic in the number of
    // keys); the same check with a set of keys is done below.
    uniqueKeys: false,
  });
  const positionOf = (offset: number | undefined): YamlPosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  const syntaxError = document.errors[0];
  const duplicate = firstDuplicateKey(document);
  const error =
    duplicate !== undefined && (syntaxError === undefined || duplicate.pos[0] < syntaxError.pos[0])
      ? duplicate
      : syntaxError;
  if (error !== undefined) {
    return {
      ok: false,
      problem: {
        message: firstLine(error.message).replace(/ at line \d+, column \d+:?$/, ''),
        position: positionOf(error.pos[0]),
      },
    };
  }
  if (document.contents === null) {
    return { ok: true, root: { kind: 'map', entries: [], position: { line: 1, column: 1 } } };
  }
  try {
    return { ok: true, root: convert(document.contents, document, positionOf, 0, { nodes: 0 }) };
  } catch (caught) {
    if (caught instanceof YamlTreeError) return { ok: false, problem: caught.problem };
    throw caught;
  }
}

/**
 * The parser's `uniqueKeys` rule (scalar keys with equal values, or the same node), with a set of
 * keys per mapping: linear in the number of keys. The first duplicate in document order.
 */
function firstDuplicateKey(
  document: Document,
): { message: string; pos: readonly [number, number] } | undefined {
  let found: number | undefined;
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key: unknown = pair.key;
        const value: unknown = isScalar(key) ? key.value : undefined;
        const identity =
          typeof value === 'string' ? `string:${value}` : isScalar(key) && value === null ? 'null' : key;
        if (!seen.has(identity)) {
          seen.add(identity);
          continue;
        }
        const offset = isScalar(key) || isMap(key) || isSeq(key) || isAlias(key) ? key.range?.[0] : undefined;
        if (offset !== undefined && (found === undefined || offset < found)) found = offset;
        break;
      }
    },
  });
  return found === undefined ? undefined : { message: 'Map keys must be unique', pos: [found, found] };
}

class YamlTreeError extends Error {
  constructor(readonly problem: YamlSyntaxProblem) {
    super(problem.message);
  }
}

const MAX_ALIAS_DEPTH = 50;
/** Values a document may expand to: aliases repeat a subtree (a "billion laughs" multiplies it). */
const MAX_TREE_NODES = 100_000;

function convert(
  node: YamlAstNode | null,
  document: Document,
  positionOf: (offset: number | undefined) => YamlPosition,
  depth: number,
  budget: { nodes: number },
): YamlTreeNode {
  if (node === null) return { kind: 'null', position: positionOf(undefined) };
  const position = positionOf(node.range?.[0]);
  if (++budget.nodes > MAX_TREE_NODES) {
    throw new YamlTreeError({
      message: `the document expands to more than ${MAX_TREE_NODES} values (aliases repeat too much)`,
      position,
    });
  }
  if (depth > MAX_ALIAS_DEPTH) {
    throw new YamlTreeError({ message: 'aliases nest too deeply (a recursive anchor?)', position });
  }
  if (isAlias(node)) {
    const target = node.resolve(document);
    if (target === undefined) {
      throw new YamlTreeError({ message: `unknown alias *${node.source}`, position });
    }
    return convert(target, document, positionOf, depth + 1, budget);
  }
  if (isScalar(node)) {
    const value: unknown = node.value;
    const textValue = typeof value === 'string' ? value : String(value);
    const quoted = node.type !== undefined && node.type !== 'PLAIN';
    if (!quoted && NULL_TEXTS.has(textValue)) return { kind: 'null', position };
    return { kind: 'scalar', text: textValue, quoted, position };
  }
  if (isSeq(node)) {
    return {
      kind: 'seq',
      items: node.items.map((item) =>
        convert(item as YamlAstNode | null, document, positionOf, depth, budget),
      ),
      position,
    };
  }
  if (isMap(node)) {
    const own: [string, YamlTreeNode][] = [];
    const merged: [string, YamlTreeNode][] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlAstNode | null;
      const key = convert(keyNode, document, positionOf, depth, budget);
      if (key.kind !== 'scalar' && key.kind !== 'null') {
        throw new YamlTreeError({ message: 'mapping keys must be plain text', position: key.position });
      }
      const keyText = key.kind === 'null' ? '' : key.text;
      const value = convert(pair.value as YamlAstNode | null, document, positionOf, depth, budget);
      if (key.kind === 'scalar' && !key.quoted && keyText === '<<') {
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const source of sources) {
          if (source.kind !== 'map') {
            throw new YamlTreeError({
              message: 'a << merge key needs a mapping or a list of mappings',
              position: source.position,
            });
          }
          merged.push(...source.entries.map(([k, v]): [string, YamlTreeNode] => [k, v]));
        }
        continue;
      }
      own.push([keyText, value]);
    }
    const entries = [...own];
    const seen = new Set(own.map(([key]) => key));
    for (const [key, value] of merged) {
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push([key, value]);
    }
    return { kind: 'map', entries, position };
  }
  throw new YamlTreeError({ message: 'unsupported YAML node', position });
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}
