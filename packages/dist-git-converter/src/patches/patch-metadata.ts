import { parseDocument } from 'yaml';
import { parseYamlTree, type YamlTreeNode } from '../config/yaml-tree';
import { ConverterError } from '../converter-error';
import { decodeLiteralBlock } from './decode-literal-block';
import { parseTrailers } from './parse-trailers';

/** The metadata of one downstream commit (docs/converter-behaviour.md §2.7), from either dialect. */
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
    // trimEnd, not /\s+$/: a regular expression takes quadratic time on a long inner run of blanks.
    status: status === undefined || status.trim() === '' ? undefined : status.trimEnd(),
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

/** The legacy scan parses at most this many bytes of YAML per byte of message, plus the slack. */
export const LEGACY_SCAN_BYTES_PER_BYTE = 8;
/** Bytes of YAML the legacy scan may parse on top of its share per byte of message. */
export const LEGACY_SCAN_SLACK_BYTES = 65_536;
/** Bytes of YAML the legacy scan parses at most, whatever the message's size. */
export const LEGACY_SCAN_MAX_BYTES = 262_144;

/**
 * Reads legacy YAML metadata (docs/converter-behaviour.md §2.7.3): the first tail of the message (from line
 * i on, i = 0, 1, …) that parses as a YAML mapping. Values follow the fixed profile (as for
 * trailers); `location_in_specfile` and other keys are ignored.
 *
 * packit parses every tail, which is quadratic; tails that cannot be mappings are not parsed here
 * (see {@link skippableTails}), and the YAML parsed in all is bounded by
 * {@link LEGACY_SCAN_BYTES_PER_BYTE} × the message's size + {@link LEGACY_SCAN_SLACK_BYTES}, at
 * most {@link LEGACY_SCAN_MAX_BYTES}: the scan is linear in the message's size.
 *
 * @throws ConverterError `PATCH_METADATA_INVALID` for a value of the wrong type, or when the scan
 *   would parse more YAML than its bound (naming the commit and the bound).
 */
export function readYamlMetadata(commit: MetadataCommit): PatchMetadata {
  const { message } = commit;
  const lines = message.split('\n');
  const skippable = skippableTails(lines);
  const budget = Math.min(
    LEGACY_SCAN_BYTES_PER_BYTE * message.length + LEGACY_SCAN_SLACK_BYTES,
    LEGACY_SCAN_MAX_BYTES,
  );
  let parsedBytes = 0;
  let offset = 0;
  for (let index = 0; index < lines.length; offset += (lines[index] as string).length + 1, index++) {
    if (!mayStartMapping(lines[index] as string) || skippable(index)) continue;
    const tail = message.slice(offset);
    parsedBytes += tail.length;
    if (parsedBytes > budget) {
      throw new ConverterError(
        'PATCH_METADATA_INVALID',
        `${commitName(commit)}: looking for legacy YAML metadata (packit's patch_name:, description:, … at the end of the message) would parse more than ${budget} bytes of YAML (the bound is ${LEGACY_SCAN_BYTES_PER_BYTE} × the message's ${message.length} bytes + ${LEGACY_SCAN_SLACK_BYTES}, at most ${LEGACY_SCAN_MAX_BYTES}); write the metadata as trailers (Patch-name:, Patch-status:, …) or shorten the message`,
        { data: { sha: commit.sha, limit: budget, messageBytes: message.length } },
      );
    }
    const parsed = parseYamlTree(tail);
    if (!parsed.ok || parsed.root.kind !== 'map') continue;
    return legacyMetadata(commit, new Map(parsed.root.entries));
  }
  return NO_METADATA;
}

/** A column-0 line of plain text: a letter or digit first, no `:`, `{` or carriage return. */
const BARRIER = /^[A-Za-z0-9][^:{\r]*$/;
/** A column-0 `key:` line whose key is a plain word: its key text is exactly the word. */
const PLAIN_KEY = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(?: |$)/;

/**
 * Which tails (by first line) cannot be YAML mappings, decided in one pass over the lines:
 *
 * - In a block mapping (at any indentation) a barrier line ({@link BARRIER}) is a YAML error:
 *   multi-line scalars and flow collections must be indented there, block scalars end before it.
 *   So a tail starting above the last barrier is a mapping only if a flow mapping holds the
 *   barrier line: it needs a `{` above the barrier.
 * - A tail whose first line starts with a letter or digit is a block mapping at column 0 or no
 *   mapping; every column-0 `key:` line of it is a key of that mapping, so two equal
 *   {@link PLAIN_KEY} keys make it a duplicate-key error.
 */
function skippableTails(lines: readonly string[]): (index: number) => boolean {
  let barrier = -1;
  let lastDuplicateStart = -1;
  const keysBelow = new Set<string>();
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index] as string;
    if (barrier === -1 && BARRIER.test(line)) barrier = index;
    const key = PLAIN_KEY.exec(line)?.[1];
    if (key === undefined) continue;
    if (lastDuplicateStart === -1 && keysBelow.has(key)) lastDuplicateStart = index;
    keysBelow.add(key);
  }
  let lastBraceAbove = -1;
  for (let index = barrier - 1; index >= 0; index--) {
    if ((lines[index] as string).includes('{')) {
      lastBraceAbove = index;
      break;
    }
  }
  return (index) => {
    if (index < barrier && lastBraceAbove < index) return true;
    return index <= lastDuplicateStart && /^[A-Za-z0-9]/.test(lines[index] as string);
  };
}

function legacyMetadata(commit: MetadataCommit, entries: ReadonlyMap<string, YamlTreeNode>): PatchMetadata {
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
    status: description === undefined || description.trim() === '' ? undefined : description.trimEnd(),
    presentInSpec: flag('present_in_specfile'),
    ignore: flag('ignore'),
    noPrefix: flag('no_prefix'),
    squashCommits: flag('squash_commits'),
    hasMetadata: true,
  };
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
