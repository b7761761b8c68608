import { findPatchEntries } from './find-patch-entries';
import type { SpecPatchEntry } from './find-patch-entries';
import type { SpecCondition, SpecDocument, SpecLine } from './spec-document';

/** The `%prep` directive that applies a patch. */
export type PrepDirective = 'autosetup' | 'autopatch' | 'patch';

/** One patch application in `%prep`, in the order rpm runs them. */
export interface PrepPatchApplication {
  readonly number: number;
  /** The declared entry with that number; undefined when the spec declares none. */
  readonly entry: SpecPatchEntry | undefined;
  readonly directive: PrepDirective;
  /** 0-based index of the directive's line. */
  readonly lineIndex: number;
  /** The `-p` level; undefined when the directive gives none. */
  readonly stripLevel: number | undefined;
  /** For `%autosetup`: the `-S` backend (`patch` when not given). Undefined for the others. */
  readonly backend: string | undefined;
  /** The `%if…` blocks around the directive, outermost first. */
  readonly conditions: readonly SpecCondition[];
  /**
   * For `%patch`: where the number is written in the line's text (`%patch3`, `-P3`, `-P 3`,
   * `%patch 3`), so that it can be rewritten in place; undefined for a bare `%patch`, a number on
   * a continuation line, and the other directives.
   */
  readonly numberSpan: PrepNumberSpan | undefined;
}

/** Character offsets `[start, end)` in a line's text. */
export interface PrepNumberSpan {
  readonly start: number;
  readonly end: number;
}

/** A `%prep` line that applies patches in a way the converter does not model. */
export interface PrepUnsupported {
  readonly lineIndex: number;
  readonly text: string;
  readonly reason: string;
}

export interface PrepReport {
  readonly applications: readonly PrepPatchApplication[];
  /** True when `%prep` calls `%autosetup` (with or without `-N`). */
  readonly usesAutosetup: boolean;
  readonly unsupported: readonly PrepUnsupported[];
  /** Declared patches that no modelled directive applies. */
  readonly unapplied: readonly SpecPatchEntry[];
  /**
   * True when a `%prep` line passes `%{patches}` (every declared patch, in number order) to a
   * command — a loop, `git am %{patches}` —: every declared patch counts as applied.
   */
  readonly appliesAllPatches: boolean;
  /** Numbers named by `%{PATCHn}` / `%{P:n}` in the unsupported lines (`patch -p1 < %{PATCH3}`). */
  readonly referencedNumbers: readonly number[];
}

/** A word of a `%prep` line and where it starts in the logical line. */
interface Token {
  readonly text: string;
  readonly start: number;
}

interface ParsedOptions {
  readonly options: ReadonlyMap<string, string>;
  readonly repeated: readonly { readonly flag: string; readonly value: string; readonly start: number }[];
  readonly positional: readonly Token[];
}

const DIRECTIVE = /^%(autosetup|autopatch|patch)(\d*)$/;
const PATCH_MACRO = /%\{?[?!]*(?:PATCH\d+|P:\d+|patches)(?![A-Za-z0-9_])/;
const ALL_PATCHES_MACRO = /%\{?[?!]*patches(?![A-Za-z0-9_])/;
const NUMBERED_PATCH_MACRO = /%\{?[?!]*(?:PATCH|P:)(\d+)(?![A-Za-z0-9_])/g;
const NUMBER = /^\d+$/;
const OPTIONS = {
  autosetup: { withArgument: 'abnSp', flags: 'cCDTvN' },
  autopatch: { withArgument: 'pmM', flags: 'vq' },
  patch: { withArgument: 'PpbzFdo', flags: 'REZs' },
} as const;

/**
 * The patch applications of `%prep`, for `init` (docs/converter-behaviour.md §5.2/§5.3): `%autosetup [-pN]
 * [-S backend]` (every declared patch in number order, none with `-N`), `%autopatch [-pN] [-m min]
 * [-M max] [numbers…]`, `%patchN [-pM]`, `%patch N`, `%patch -P N [-pM]`, `%patch -PN` — each with
 * its `-p` level and the `%if` blocks around it. Other uses of patches (`patch -p1 < %{PATCH3}`,
 * `%{patches}`) are listed as unsupported, and declared patches that are never applied as
 * `unapplied`; `%{patches}` also sets `appliesAllPatches`, and `%{PATCHn}` numbers are listed in
 * `referencedNumbers`.
 *
 * @example
 * readPrep(parseSpec('Name: x\nPatch1: a.patch\n%prep\n%autosetup -p1\n')).applications[0]?.stripLevel // 1
 */
export function readPrep(document: SpecDocument): PrepReport {
  const entries = findPatchEntries(document);
  const byNumber = new Map<number, SpecPatchEntry>();
  for (const entry of entries) if (!byNumber.has(entry.number)) byNumber.set(entry.number, entry);
  const inOrder = [...byNumber.values()].sort((a, b) => a.number - b.number);
  const applications: PrepPatchApplication[] = [];
  const unsupported: PrepUnsupported[] = [];
  let usesAutosetup = false;
  let appliesAllPatches = false;
  const referencedNumbers: number[] = [];

  for (const line of document.lines) {
    if (line.section.keyword !== 'prep' || (line.kind !== 'text' && line.kind !== 'macro-definition'))
      continue;
    const tokens = [...logicalText(document, line).matchAll(/\S+/g)].map((match): Token => ({
      text: match[0],
      start: match.index,
    }));
    const directive = DIRECTIVE.exec(tokens[0]?.text ?? '');
    if (directive === null) {
      if (PATCH_MACRO.test(line.text)) {
        if (ALL_PATCHES_MACRO.test(line.text)) appliesAllPatches = true;
        for (const match of line.text.matchAll(NUMBERED_PATCH_MACRO))
          referencedNumbers.push(Number.parseInt(match[1] as string, 10));
        unsupported.push({
          lineIndex: line.index,
          text: line.text,
          reason: 'applies a patch outside %autosetup, %autopatch and %patch',
        });
      }
      continue;
    }
    const kind = directive[1] as PrepDirective;
    const attached = directive[2] ?? '';
    if (kind !== 'patch' && attached !== '') continue;
    const parsed = parseOptions(tokens.slice(1), OPTIONS[kind].withArgument, OPTIONS[kind].flags);
    const strip = parsed.options.get('p');
    const stripLevel = strip !== undefined && NUMBER.test(strip) ? Number.parseInt(strip, 10) : undefined;
    const apply = (
      number: number,
      backend: string | undefined = undefined,
      written: Token | undefined = undefined,
    ): void => {
      const end = written === undefined ? 0 : written.start + written.text.length;
      applications.push({
        number,
        entry: byNumber.get(number),
        directive: kind,
        lineIndex: line.index,
        stripLevel,
        backend,
        conditions: line.conditions,
        numberSpan:
          written === undefined || end > line.text.length ? undefined : { start: written.start, end },
      });
    };
    const unsupportedLine = (reason: string): void => {
      unsupported.push({ lineIndex: line.index, text: line.text, reason });
    };

    if (strip !== undefined && stripLevel === undefined) {
      unsupportedLine(`-p expects a number, found "${strip}"`);
      continue;
    }
    if (kind === 'autosetup') {
      usesAutosetup = true;
      if (parsed.options.has('N')) continue;
      const backend = parsed.options.get('S') ?? 'patch';
      for (const entry of inOrder) apply(entry.number, backend);
    } else if (kind === 'autopatch') {
      const bounds = [parsed.options.get('m'), parsed.options.get('M')];
      const listed = parsed.positional.map((token) => token.text);
      if (
        [...bounds.filter((value) => value !== undefined), ...listed].some(
          (value) => !NUMBER.test(value ?? ''),
        )
      ) {
        unsupportedLine('%autopatch arguments must be patch numbers');
        continue;
      }
      if (listed.length > 0) {
        for (const value of listed) apply(Number.parseInt(value, 10));
      } else {
        const min = bounds[0] === undefined ? Number.NEGATIVE_INFINITY : Number.parseInt(bounds[0], 10);
        const max = bounds[1] === undefined ? Number.POSITIVE_INFINITY : Number.parseInt(bounds[1], 10);
        for (const entry of inOrder) if (entry.number >= min && entry.number <= max) apply(entry.number);
      }
    } else {
      const head = tokens[0] as Token;
      const values: Token[] = [
        ...(attached === '' ? [] : [{ text: attached, start: head.start + '%patch'.length }]),
        ...parsed.repeated
          .filter((option) => option.flag === 'P')
          .map((option) => ({ text: option.value, start: option.start })),
        ...parsed.positional,
      ];
      if (values.some((value) => !NUMBER.test(value.text))) {
        unsupportedLine('%patch arguments must be patch numbers');
        continue;
      }
      // A bare `%patch` is `%patch0` (rpm before 4.20).
      if (values.length === 0) apply(0);
      for (const value of values) apply(Number.parseInt(value.text, 10), undefined, value);
    }
  }

  const applied = new Set(applications.map((application) => application.number));
  return {
    applications,
    usesAutosetup,
    unsupported,
    unapplied: entries.filter((entry) => !applied.has(entry.number)),
    appliesAllPatches,
    referencedNumbers,
  };
}

/** The line with the lines that a trailing backslash joins to it. */
function logicalText(document: SpecDocument, line: SpecLine): string {
  let text = line.text;
  for (let index = line.index + 1; text.endsWith('\\'); index++) {
    const next = document.lines[index];
    if (next === undefined) break;
    text = `${text.slice(0, -1)} ${next.text}`;
  }
  return text;
}

/** getopt-style parsing: `-p1`, `-p 1`, grouped flags (`-cT`), and positional arguments. */
function parseOptions(tokens: readonly Token[], withArgument: string, flags: string): ParsedOptions {
  const options = new Map<string, string>();
  const repeated: { flag: string; value: string; start: number }[] = [];
  const positional: Token[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const { text: token, start } = tokens[index] as Token;
    if (!token.startsWith('-') || token === '-') {
      positional.push(tokens[index] as Token);
      continue;
    }
    for (let at = 1; at < token.length; at++) {
      const flag = token[at] as string;
      if (withArgument.includes(flag)) {
        const separate = at + 1 >= token.length ? tokens[++index] : undefined;
        const value = separate === undefined ? token.slice(at + 1) : separate.text;
        options.set(flag, value);
        repeated.push({ flag, value, start: separate === undefined ? start + at + 1 : separate.start });
        break;
      }
      if (flags.includes(flag)) options.set(flag, '');
    }
  }
  return { options, repeated, positional };
}
