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
}

interface ParsedOptions {
  readonly options: ReadonlyMap<string, string>;
  readonly repeated: readonly { readonly flag: string; readonly value: string }[];
  readonly positional: readonly string[];
}

const DIRECTIVE = /^%(autosetup|autopatch|patch)(\d*)$/;
const PATCH_MACRO = /%\{?[?!]*(?:PATCH\d+|P:\d+|patches)(?![A-Za-z0-9_])/;
const NUMBER = /^\d+$/;
const OPTIONS = {
  autosetup: { withArgument: 'abnSp', flags: 'cCDTvN' },
  autopatch: { withArgument: 'pmM', flags: 'vq' },
  patch: { withArgument: 'PpbzFdo', flags: 'REZs' },
} as const;

/**
 * The patch applications of `%prep`, for `init` (converter-spec §5.2/§5.3): `%autosetup [-pN]
 * [-S backend]` (every declared patch in number order, none with `-N`), `%autopatch [-pN] [-m min]
 * [-M max] [numbers…]`, `%patchN [-pM]`, `%patch N`, `%patch -P N [-pM]`, `%patch -PN` — each with
 * its `-p` level and the `%if` blocks around it. Other uses of patches (`patch -p1 < %{PATCH3}`,
 * `%{patches}`) are listed as unsupported, and declared patches that are never applied as
 * `unapplied`.
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

  for (const line of document.lines) {
    if (line.section.keyword !== 'prep' || (line.kind !== 'text' && line.kind !== 'macro-definition'))
      continue;
    const tokens = logicalText(document, line).trim().split(/\s+/);
    const directive = DIRECTIVE.exec(tokens[0] ?? '');
    if (directive === null) {
      if (PATCH_MACRO.test(line.text)) {
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
    const apply = (number: number, backend: string | undefined = undefined): void => {
      applications.push({
        number,
        entry: byNumber.get(number),
        directive: kind,
        lineIndex: line.index,
        stripLevel,
        backend,
        conditions: line.conditions,
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
      const listed = parsed.positional;
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
      const values = [
        ...(attached === '' ? [] : [attached]),
        ...parsed.repeated.filter((option) => option.flag === 'P').map((option) => option.value),
        ...parsed.positional,
      ];
      if (values.some((value) => !NUMBER.test(value))) {
        unsupportedLine('%patch arguments must be patch numbers');
        continue;
      }
      // A bare `%patch` is `%patch0` (rpm before 4.20).
      for (const value of values.length === 0 ? ['0'] : values) apply(Number.parseInt(value, 10));
    }
  }

  const applied = new Set(applications.map((application) => application.number));
  return {
    applications,
    usesAutosetup,
    unsupported,
    unapplied: entries.filter((entry) => !applied.has(entry.number)),
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
function parseOptions(tokens: readonly string[], withArgument: string, flags: string): ParsedOptions {
  const options = new Map<string, string>();
  const repeated: { flag: string; value: string }[] = [];
  const positional: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    if (token === '') continue;
    if (!token.startsWith('-') || token === '-') {
      positional.push(token);
      continue;
    }
    for (let at = 1; at < token.length; at++) {
      const flag = token[at] as string;
      if (withArgument.includes(flag)) {
        const value = at + 1 < token.length ? token.slice(at + 1) : (tokens[++index] ?? '');
        options.set(flag, value);
        repeated.push({ flag, value });
        break;
      }
      if (flags.includes(flag)) options.set(flag, '');
    }
  }
  return { options, repeated, positional };
}
