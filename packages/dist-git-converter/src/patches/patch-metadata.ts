import { parseDocument } from 'yaml';
import { parseYamlTree, type YamlTreeNode } from '../config/yaml-tree';
import { ConverterError } from '../converter-error';
import { decodeLiteralBlock } from './decode-literal-block';
import { parseTrailers } from './parse-trailers';

/** The metadata of one downstream commit (converter-spec §2.7), from either dialect. */
export interface PatchMetadata {
  /** `Patch-name` / `patch_name`. */
  readonly name: string | undefined;
  /** `Patch-id` / `patch_id`. */
  readonly id: number | undefined;
  /** `Patch-status` / `description`: explicit comment text. */
  readonly status: string | undefined;
  /** `Patch-present-in-specfile` / `present_in_specfile`. */
  readonly presentInSpec: boolean;
  /** `Ignore-patch` / `ignore`. */
  readonly ignore: boolean;
  /** `No-prefix` / `no_prefix`. */
  readonly noPrefix: boolean;
  /** Legacy `squash_commits`. */
  readonly squashCommits: boolean;
  /**
   * Trailer dialect: the message has at least one of the six tokens. YAML dialect: some tail of
   * the message parses as a YAML mapping (packit's notion of "has metadata").
   */
  readonly hasMetadata: boolean;
}

/** The six trailer tokens srcgit reads (matched case-sensitively, as packit does). */
export const PATCH_METADATA_TOKENS = [
  'Patch-name',
  'Patch-id',
  'Patch-status',
  'Patch-present-in-specfile',
  'Ignore-patch',
  'No-prefix',
] as const;

type Token = (typeof PATCH_METADATA_TOKENS)[number];

const NO_METADATA: PatchMetadata = {
  name: undefined,
  id: undefined,
  status: undefined,
  presentInSpec: false,
  ignore: false,
  noPrefix: false,
  squashCommits: false,
  hasMetadata: false,
};

/** The commit a metadata error is about. */
export interface MetadataCommit {
  readonly sha: string;
  readonly subject: string;
  readonly message: string;
}

/**
 * Reads the patch metadata trailers of a commit message (git's trailer rules, then the fixed
 * profile's value rules, Q9/E41): names are kept as text, ids are decimal, booleans are
 * `true`/`false` in any case, `Patch-status` may be a YAML block scalar (`|` + indented lines).
 * A token given twice: the last one wins.
 *
 * @throws ConverterError `PATCH_METADATA_INVALID` naming the commit, the trailer, what was
 *   expected and what was found.
 */
export function readTrailerMetadata(commit: MetadataCommit): PatchMetadata {
  const values = new Map<Token, string>();
  for (const trailer of parseTrailers(commit.message)) {
    const token = PATCH_METADATA_TOKENS.find((candidate) => candidate === trailer.token);
    if (token !== undefined) values.set(token, trailer.value);
  }
  if (values.size === 0) return NO_METADATA;
  const text = (token: Token): string | undefined => {
    const raw = values.get(token);
    return raw === undefined ? undefined : trailerValueText(commit, token, raw);
  };
  const flag = (token: Token): boolean => {
    const value = text(token);
    return value === undefined ? false : parseBoolean(commit, token, value);
  };
  const idText = text('Patch-id');
  const status = text('Patch-status');
  return {
    name: text('Patch-name'),
    id: idText === undefined ? undefined : parseId(commit, 'Patch-id', idText),
    status: status === undefined || status.trim() === '' ? undefined : status.replace(/\s+$/, ''),
    presentInSpec: flag('Patch-present-in-specfile'),
    ignore: flag('Ignore-patch'),
    noPrefix: flag('No-prefix'),
    squashCommits: false,
    hasMetadata: true,
  };
}

/** Whether a commit message has any of the six metadata trailers (decides the dialect, §2.7.1). */
export function hasMetadataTrailers(message: string): boolean {
  return parseTrailers(message).some((trailer) =>
    (PATCH_METADATA_TOKENS as readonly string[]).includes(trailer.token),
  );
}

type LegacyKey =
  | 'patch_name'
  | 'description'
  | 'present_in_specfile'
  | 'ignore'
  | 'squash_commits'
  | 'patch_id'
  | 'no_prefix';

/**
 * Reads legacy YAML metadata (converter-spec §2.7.3): the first tail of the message (from line
 * i on, i = 0, 1, …) that parses as a YAML mapping. Values follow the fixed profile (as for
 * trailers); `location_in_specfile` and other keys are ignored.
 *
 * @throws ConverterError `PATCH_METADATA_INVALID` for a value of the wrong type.
 */
export function readYamlMetadata(commit: MetadataCommit): PatchMetadata {
  const lines = commit.message.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (!mayStartMapping(lines[index] as string)) continue;
    const parsed = parseYamlTree(lines.slice(index).join('\n'));
    if (!parsed.ok || parsed.root.kind !== 'map') continue;
    const entries = new Map(parsed.root.entries);
    const scalar = (key: LegacyKey): string | undefined => {
      const node = entries.get(key);
      if (node === undefined || node.kind === 'null') return undefined;
      if (node.kind === 'scalar') return node.text;
      throw invalid(commit, key, 'a single value', describeNode(node));
    };
    const flag = (key: LegacyKey): boolean => {
      const value = scalar(key);
      return value === undefined ? false : parseBoolean(commit, key, value);
    };
    const idText = scalar('patch_id');
    const description = scalar('description');
    return {
      name: scalar('patch_name'),
      id: idText === undefined ? undefined : parseId(commit, 'patch_id', idText),
      status:
        description === undefined || description.trim() === '' ? undefined : description.replace(/\s+$/, ''),
      presentInSpec: flag('present_in_specfile'),
      ignore: flag('ignore'),
      noPrefix: flag('no_prefix'),
      squashCommits: flag('squash_commits'),
      hasMetadata: true,
    };
  }
  return NO_METADATA;
}

/**
 * A tail can only be a YAML mapping if its first line can start one: a `key:` line, or YAML
 * syntax (flow mapping, explicit key, tag, anchor, document marker, directive). Blank and comment
 * lines give the same result as the next line, which is tried anyway.
 */
function mayStartMapping(line: string): boolean {
  const trimmed = line.trimStart();
  if (trimmed === '' || trimmed.startsWith('#')) return false;
  return line.includes(':') || /^[{?!&%]|^---/.test(trimmed);
}

/** A trailer value as text: YAML block scalars and quoted strings are decoded, others unfolded. */
function trailerValueText(commit: MetadataCommit, token: Token, raw: string): string {
  if (!/^[|>"']/.test(raw)) return unfold(raw);
  const literal = decodeLiteralBlock(raw);
  if (literal !== undefined) return literal;
  const document = parseDocument(`value: ${raw}\n`, { schema: 'failsafe' });
  const value: unknown = document.errors.length === 0 ? document.get('value') : undefined;
  if (typeof value !== 'string') {
    // An unbalanced quote is text that happens to start with one.
    if (/^["']/.test(raw)) return unfold(raw);
    const reason = document.errors[0]?.message.split('\n')[0] ?? 'not a text value';
    throw new ConverterError(
      'PATCH_METADATA_INVALID',
      `${commitName(commit)}: the ${token} trailer is not valid YAML text (${reason}): ${JSON.stringify(raw)}`,
      { data: { sha: commit.sha, token, value: raw } },
    );
  }
  return value;
}

function unfold(value: string): string {
  return value.replace(/\n[ \t\r\n]*/g, ' ').trim();
}

function parseBoolean(commit: MetadataCommit, key: string, value: string): boolean {
  const lower = value.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalid(commit, key, 'true or false', JSON.stringify(value));
}

function parseId(commit: MetadataCommit, key: string, value: string): number {
  const trimmed = value.trim();
  if (/^[0-9]{1,9}$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  throw invalid(commit, key, 'a whole number (decimal, e.g. 10)', JSON.stringify(value));
}

function invalid(commit: MetadataCommit, key: string, expected: string, found: string): ConverterError {
  return new ConverterError(
    'PATCH_METADATA_INVALID',
    `${commitName(commit)}: ${key} must be ${expected}, found ${found}`,
    { data: { sha: commit.sha, key, found } },
  );
}

/** `commit 1a2b3c4d ("Subject")`, how errors name a commit. */
export function commitName(commit: { readonly sha: string; readonly subject: string }): string {
  return `commit ${commit.sha.slice(0, 12)} ("${commit.subject}")`;
}

function describeNode(node: YamlTreeNode): string {
  return node.kind === 'map' ? 'a mapping' : node.kind === 'seq' ? 'a list' : 'nothing';
}
