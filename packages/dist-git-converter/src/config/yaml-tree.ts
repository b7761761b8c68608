import {
  type Document,
  type Node as YamlAstNode,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
} from 'yaml';

/** Where a node starts in the file (1-based). */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A YAML value with its source text kept: scalars stay strings (the caller decides what is a
 * boolean or a number, converter-spec Q9), nulls are explicit, and every node knows its line.
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
    uniqueKeys: true,
  });
  const positionOf = (offset: number | undefined): YamlPosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  const error = document.errors[0];
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
    return { ok: true, root: convert(document.contents, document, positionOf, 0) };
  } catch (caught) {
    if (caught instanceof YamlTreeError) return { ok: false, problem: caught.problem };
    throw caught;
  }
}

class YamlTreeError extends Error {
  constructor(readonly problem: YamlSyntaxProblem) {
    super(problem.message);
  }
}

const MAX_ALIAS_DEPTH = 50;

function convert(
  node: YamlAstNode | null,
  document: Document,
  positionOf: (offset: number | undefined) => YamlPosition,
  depth: number,
): YamlTreeNode {
  if (node === null) return { kind: 'null', position: positionOf(undefined) };
  const position = positionOf(node.range?.[0]);
  if (depth > MAX_ALIAS_DEPTH) {
    throw new YamlTreeError({ message: 'aliases nest too deeply (a recursive anchor?)', position });
  }
  if (isAlias(node)) {
    const target = node.resolve(document);
    if (target === undefined) {
      throw new YamlTreeError({ message: `unknown alias *${node.source}`, position });
    }
    return convert(target, document, positionOf, depth + 1);
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
      items: node.items.map((item) => convert(item as YamlAstNode | null, document, positionOf, depth)),
      position,
    };
  }
  if (isMap(node)) {
    const own: [string, YamlTreeNode][] = [];
    const merged: [string, YamlTreeNode][] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlAstNode | null;
      const key = convert(keyNode, document, positionOf, depth);
      if (key.kind !== 'scalar' && key.kind !== 'null') {
        throw new YamlTreeError({ message: 'mapping keys must be plain text', position: key.position });
      }
      const keyText = key.kind === 'null' ? '' : key.text;
      const value = convert(pair.value as YamlAstNode | null, document, positionOf, depth);
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
