/**
 * @module
 * The lossless model of an RPM spec file: every physical line keeps its exact bytes (text and line
 * ending), and carries what rpm would see in it — its section, the `%if` nesting around it, and
 * the preamble tag or list entry it holds. `renderSpec` gives back the input byte for byte.
 */

/** Line ending of one physical line; `''` only for a last line without a newline. */
export type SpecEol = '' | '\n' | '\r\n';

/** What a physical line is, as rpm reads it. */
export type SpecLineKind =
  /** empty or only blanks */
  | 'blank'
  /** first non-blank character is `#` */
  | 'comment'
  /** a preamble tag such as `Name: x`, `Patch0003: y.patch` (only in `%package` preambles) */
  | 'tag'
  /** a section header such as `%prep`, `%package -n foo`, `%patchlist` */
  | 'section'
  /** `%if`, `%ifarch`, `%ifnarch`, `%ifos`, `%ifnos`, `%elif…`, `%else`, `%endif` */
  | 'conditional'
  /** `%global` / `%define` */
  | 'macro-definition'
  /** a file name line in `%patchlist` / `%sourcelist` */
  | 'list-entry'
  /** a physical line that rpm joins to the line above (macro body, unbalanced `%{`/`%(`/`%[`) */
  | 'continuation'
  /** anything else (scripts, descriptions, changelog, other macro calls) */
  | 'text';

/** Keyword of a conditional line (lower case, without `%`). */
export type SpecConditionalKeyword =
  'if' | 'ifarch' | 'ifnarch' | 'ifos' | 'ifnos' | 'elif' | 'elifarch' | 'elifos' | 'else' | 'endif';

/** One open `%if…` around a line, outermost first in {@link SpecLine.conditions}. */
export interface SpecCondition {
  /** 0-based index of the opening `%if…` line. */
  readonly lineIndex: number;
  readonly keyword: 'if' | 'ifarch' | 'ifnarch' | 'ifos' | 'ifnos';
  /** The condition as written after the keyword (trimmed). */
  readonly expression: string;
  /** The `%else`/`%elif…` branch the line is in; undefined in the first branch. */
  readonly branch: SpecConditionBranch | undefined;
}

export interface SpecConditionBranch {
  readonly lineIndex: number;
  readonly keyword: 'else' | 'elif' | 'elifarch' | 'elifos';
  readonly expression: string;
}

/** A preamble tag line, split so that it can be re-assembled exactly. */
export interface SpecTag {
  /** The tag name as written, with its number: `Patch0007`, `Source`, `BuildRequires`. */
  readonly name: string;
  /** The name without a `Source`/`Patch` number: `Patch`, `Source`, `BuildRequires`. */
  readonly baseName: string;
  /** Digits written after `Source`/`Patch` (`'0007'`); `''` when none. */
  readonly digits: string;
  /** The number of a `SourceN`/`PatchN` tag; undefined when unnumbered or another tag. */
  readonly number: number | undefined;
  /** A qualifier in parentheses such as `(post)`, or `''`. */
  readonly qualifier: string;
  /** Everything between the name (and qualifier) and the value: blanks, `:`, blanks. */
  readonly separator: string;
  /** The value as written, up to the end of the line (may carry trailing blanks). */
  readonly value: string;
}

/** A section of the spec: the main preamble, or everything from one section header to the next. */
export interface SpecSection {
  /** `preamble` for the main preamble, else the keyword of the header in lower case (`package`, `prep`, `patchlist`, …). */
  readonly keyword: string;
  /** The arguments written after the keyword (`-n libcurl`), trimmed; `''` for the main preamble. */
  readonly arguments: string;
  /** 0-based index of the header line; undefined for the main preamble. */
  readonly headerLineIndex: number | undefined;
  /** 0-based index of the first line of the section (the header line, or 0). */
  readonly startLineIndex: number;
  /** 0-based index one past the last line of the section. */
  readonly endLineIndex: number;
  /** True for a tag section: the main preamble or a `%package` preamble. */
  readonly isPreamble: boolean;
  readonly isMainPreamble: boolean;
}

/** One physical line of a spec with what rpm sees in it. */
export interface SpecLine {
  /** 0-based position in {@link SpecDocument.lines}. */
  readonly index: number;
  /** The line without its line ending. */
  readonly text: string;
  readonly eol: SpecEol;
  readonly kind: SpecLineKind;
  readonly section: SpecSection;
  /** The `%if…` blocks around the line, outermost first (for a conditional line: those around it). */
  readonly conditions: readonly SpecCondition[];
  /** Set for `tag` lines. */
  readonly tag: SpecTag | undefined;
  /** Set for `conditional` lines. */
  readonly conditional: SpecConditionalKeyword | undefined;
  /** For a `continuation` line: index of the line it continues (the first line of the group). */
  readonly continues: number | undefined;
}

/** Something rpm would reject; the model still renders the input unchanged. */
export interface SpecProblem {
  /** 0-based index of the line the problem is reported at. */
  readonly lineIndex: number;
  readonly message: string;
}

/** A parsed spec. Immutable: editing functions return new documents or new text. */
export interface SpecDocument {
  readonly lines: readonly SpecLine[];
  readonly sections: readonly SpecSection[];
  /** The line ending most lines use (`\r\n` only when it outnumbers `\n`); used for inserted lines. */
  readonly eol: '\n' | '\r\n';
  /**
   * Macros defined in the file (`%global`/`%define` without parameters, later definitions win)
   * and the main preamble's `name`, `version`, `release`, `epoch`, `summary`, `license`, `url`.
   */
  readonly macros: ReadonlyMap<string, string>;
  readonly problems: readonly SpecProblem[];
}
