import type {
  SpecCondition,
  SpecConditionalKeyword,
  SpecDocument,
  SpecEol,
  SpecLine,
  SpecLineKind,
  SpecProblem,
  SpecTag,
} from './spec-document';

/** Section keywords rpm recognises at the start of a line (rpm ≥ 4.18, case-insensitive). */
const SECTION_KEYWORDS: ReadonlySet<string> = new Set([
  'package',
  'description',
  'prep',
  'generate_buildrequires',
  'conf',
  'build',
  'install',
  'check',
  'clean',
  'files',
  'changelog',
  'patchlist',
  'sourcelist',
  'pre',
  'post',
  'preun',
  'postun',
  'pretrans',
  'posttrans',
  'preuntrans',
  'postuntrans',
  'verifyscript',
  'trigger',
  'triggerin',
  'triggerun',
  'triggerprein',
  'triggerpostun',
  'filetriggerin',
  'filetriggerun',
  'filetriggerpostun',
  'transfiletriggerin',
  'transfiletriggerun',
  'transfiletriggerpostun',
  'sepolicy',
  'end',
]);

/** Main-preamble tags rpm also defines as macros (`%{name}`, `%{version}`, …). */
const TAG_MACROS: ReadonlySet<string> = new Set([
  'name',
  'version',
  'release',
  'epoch',
  'summary',
  'license',
  'url',
]);

const SECTION_HEADER = /^%([A-Za-z_]+)(?=[ \t\v\f\r]|$)/;
/** rpm's ISMACROWITHARG: the keyword followed by a blank (or the end of the text). */
const CONDITIONAL_WITH_ARGUMENT = /^%(ifarch|ifnarch|ifos|ifnos|if|elifarch|elifos|elif)(?=[ \t]|$)/;
/** rpm's ISMACRO: the keyword not followed by a letter. */
const CONDITIONAL_WITHOUT_ARGUMENT = /^%(else|endif)(?![A-Za-z])/;
const MACRO_DEFINITION =
  /^[ \t]*%(?:global|define)[ \t]+([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?[ \t]*([\s\S]*)$/;
const DEFINITION_START = /^[ \t]*%(?:global|define)(?=[ \t])/;
const TAG = /^([A-Za-z][A-Za-z0-9]*)(\([^)]*\))?([ \t]*:[ \t]*)([\s\S]*)$/;
const NUMBERED_TAG = /^(source|patch)(\d*)$/i;

interface RawLine {
  readonly text: string;
  readonly eol: SpecEol;
}

interface MutableSection {
  keyword: string;
  arguments: string;
  headerLineIndex: number | undefined;
  startLineIndex: number;
  endLineIndex: number;
  isPreamble: boolean;
  isMainPreamble: boolean;
}

/**
 * Parses spec text into a lossless {@link SpecDocument}. Never throws: whatever rpm would reject
 * (an `%if` without `%endif`, an unclosed `%{`) is listed in `problems`, and the text still
 * renders back unchanged.
 *
 * @example
 * const doc = parseSpec('Name: beer\nPatch1: a.patch\n');
 * doc.lines[1]?.tag?.number // 1
 */
export function parseSpec(text: string): SpecDocument {
  const raw = splitLines(text);
  const problems: SpecProblem[] = [];
  const continues = findContinuations(raw, problems);
  const sections = findSections(raw, continues);
  const lines: SpecLine[] = [];
  const macros = new Map<string, string>();
  const tagMacros = new Map<string, string>();
  let stack: readonly SpecCondition[] = [];
  let sectionIndex = 0;
  let crlf = 0;
  let lf = 0;

  for (let index = 0; index < raw.length; index++) {
    const { text: lineText, eol } = raw[index] as RawLine;
    if (eol === '\r\n') crlf++;
    else if (eol === '\n') lf++;
    while (
      sectionIndex + 1 < sections.length &&
      (sections[sectionIndex + 1] as MutableSection).startLineIndex <= index
    )
      sectionIndex++;
    const section = sections[sectionIndex] as MutableSection;
    const head = continues[index];
    const line = (
      kind: SpecLineKind,
      conditions: readonly SpecCondition[],
      tag: SpecTag | undefined = undefined,
      conditional: SpecConditionalKeyword | undefined = undefined,
    ): SpecLine => ({
      index,
      text: lineText,
      eol,
      kind,
      section,
      conditions,
      tag,
      conditional,
      continues: head,
    });

    if (head !== undefined) {
      lines.push(line('continuation', stack));
      continue;
    }
    if (section.headerLineIndex === index) {
      lines.push(line('section', stack));
      continue;
    }

    const start = firstNonSpace(lineText);
    const directive = lineText.charCodeAt(start) === 37; // '%'
    const conditional = directive ? matchConditional(lineText.slice(start), eol) : undefined;
    if (conditional !== undefined) {
      const { keyword, expression } = conditional;
      let conditions = stack;
      if (
        keyword === 'if' ||
        keyword === 'ifarch' ||
        keyword === 'ifnarch' ||
        keyword === 'ifos' ||
        keyword === 'ifnos'
      ) {
        stack = [...stack, { lineIndex: index, keyword, expression, branch: undefined }];
      } else {
        const top = stack.at(-1);
        if (top === undefined) {
          problems.push({ lineIndex: index, message: `%${keyword} without a matching %if` });
        } else {
          conditions = stack.slice(0, -1);
          if (keyword === 'endif') {
            stack = conditions;
          } else {
            if (top.branch?.keyword === 'else') {
              problems.push({
                lineIndex: index,
                message: `%${keyword} after %else (opened at line ${top.lineIndex + 1})`,
              });
            }
            stack = [...conditions, { ...top, branch: { lineIndex: index, keyword, expression } }];
          }
        }
      }
      lines.push(line('conditional', conditions, undefined, keyword));
      continue;
    }

    let kind: SpecLineKind;
    let tag: SpecTag | undefined;
    const definition = directive ? MACRO_DEFINITION.exec(lineText) : null;
    if (definition !== null) {
      kind = 'macro-definition';
      const [, name, parameters, body] = definition;
      if (name !== undefined && parameters === undefined) {
        macros.set(name, definitionBody(body ?? '', raw, continues, index));
      }
    } else if (start === lineText.length) {
      kind = 'blank';
    } else if (lineText.charCodeAt(start) === 35) {
      kind = 'comment'; // '#'
    } else if (section.isPreamble && (tag = parseTag(lineText)) !== undefined) {
      kind = 'tag';
      const macroName = tag.baseName.toLowerCase();
      if (section.isMainPreamble && TAG_MACROS.has(macroName) && !tagMacros.has(macroName)) {
        tagMacros.set(macroName, tag.value.trim());
      }
    } else if (section.keyword === 'patchlist' || section.keyword === 'sourcelist') {
      kind = 'list-entry';
    } else {
      kind = 'text';
    }
    lines.push(line(kind, stack, tag));
  }

  for (const open of stack) {
    problems.push({ lineIndex: open.lineIndex, message: `%${open.keyword} without a matching %endif` });
  }
  problems.sort((a, b) => a.lineIndex - b.lineIndex);

  for (const [name, value] of tagMacros) if (!macros.has(name)) macros.set(name, value);
  return {
    lines,
    sections,
    eol: crlf > lf ? '\r\n' : '\n',
    macros,
    problems,
  };
}

/** Index of the first character that is not a blank (space, tab, \\v, \\f, \\r); the length when none. */
function firstNonSpace(text: string): number {
  let index = 0;
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9 && code !== 11 && code !== 12 && code !== 13) break;
  }
  return index;
}

function splitLines(text: string): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      lines.push({ text: text.slice(start), eol: '' });
      break;
    }
    if (newline > start && text.charCodeAt(newline - 1) === 13) {
      lines.push({ text: text.slice(start, newline - 1), eol: '\r\n' });
    } else {
      lines.push({ text: text.slice(start, newline), eol: '\n' });
    }
    start = newline + 1;
  }
  return lines;
}

/**
 * Groups physical lines the way rpm reads them (`copyNextLineFromOFI`): a line continues while a
 * `%{`, `%(` or `%[` is open or it ends with a backslash. Returns, per line, the index of the
 * group's first line when the line is hidden inside that group: inside an open macro, or in the
 * body of a `%global`/`%define`. Lines joined only by a trailing backslash elsewhere (a shell
 * command, a tag) stay separate lines, as rpm splits them again after expansion.
 */
function findContinuations(raw: readonly RawLine[], problems: SpecProblem[]): (number | undefined)[] {
  const continues: (number | undefined)[] = [];
  const state = { braces: 0, parens: 0, brackets: 0, backslash: false };
  let head = 0;
  let headIsDefinition = false;
  let insideMacro = false;
  for (let index = 0; index < raw.length; index++) {
    const line = raw[index] as RawLine;
    const startsGroup = index === 0 || (!insideMacro && !state.backslash);
    if (startsGroup) {
      head = index;
      headIsDefinition = DEFINITION_START.test(line.text);
      continues.push(undefined);
    } else {
      continues.push(headIsDefinition || insideMacro ? head : undefined);
    }
    scanContinuation(line.text, line.eol, state);
    insideMacro = state.braces > 0 || state.parens > 0 || state.brackets > 0;
    if ((insideMacro || state.backslash) && index === raw.length - 1) {
      problems.push({ lineIndex: head, message: 'unclosed macro or bad line continuation' });
    }
  }
  return continues;
}

function scanContinuation(
  text: string,
  eol: SpecEol,
  state: { braces: number; parens: number; brackets: number; backslash: boolean },
): void {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    switch (text.charCodeAt(i)) {
      case 92: // backslash: escapes the next character; before the newline it continues the line
        if (i + 1 < length) i++;
        else if (eol === '\n') {
          state.backslash = true;
          return;
        } else if (eol === '\r\n') {
          state.backslash = false;
          return;
        }
        break;
      case 37: {
        // %{ %( %[ open a macro, %% is a literal percent sign
        const next = text.charCodeAt(i + 1);
        if (next === 123) state.braces++;
        else if (next === 40) state.parens++;
        else if (next === 91) state.brackets++;
        if (next === 123 || next === 40 || next === 91 || next === 37) i++;
        break;
      }
      case 123:
        if (state.braces > 0) state.braces++;
        break;
      case 125:
        if (state.braces > 0) state.braces--;
        break;
      case 40:
        if (state.parens > 0) state.parens++;
        break;
      case 41:
        if (state.parens > 0) state.parens--;
        break;
      case 91:
        if (state.brackets > 0) state.brackets++;
        break;
      case 93:
        if (state.brackets > 0) state.brackets--;
        break;
    }
  }
  if (eol !== '') state.backslash = false;
}

function findSections(raw: readonly RawLine[], continues: readonly (number | undefined)[]): MutableSection[] {
  const main: MutableSection = {
    keyword: 'preamble',
    arguments: '',
    headerLineIndex: undefined,
    startLineIndex: 0,
    endLineIndex: raw.length,
    isPreamble: true,
    isMainPreamble: true,
  };
  const sections = [main];
  for (let index = 0; index < raw.length; index++) {
    if (continues[index] !== undefined) continue;
    const text = (raw[index] as RawLine).text;
    const match = SECTION_HEADER.exec(text);
    const keyword = match?.[1]?.toLowerCase();
    if (keyword === undefined || !SECTION_KEYWORDS.has(keyword)) continue;
    (sections.at(-1) as MutableSection).endLineIndex = index;
    sections.push({
      keyword,
      arguments: text.slice((match?.[0] ?? '').length).trim(),
      headerLineIndex: index,
      startLineIndex: index,
      endLineIndex: raw.length,
      isPreamble: keyword === 'package',
      isMainPreamble: false,
    });
  }
  return sections;
}

function matchConditional(
  trimmed: string,
  eol: SpecEol,
): { keyword: SpecConditionalKeyword; expression: string } | undefined {
  const withArgument = CONDITIONAL_WITH_ARGUMENT.exec(trimmed);
  if (withArgument !== null) {
    const keyword = withArgument[1] as SpecConditionalKeyword;
    const rest = trimmed.slice(keyword.length + 1);
    // rpm needs a blank after the keyword; a bare keyword only counts at the very end of the file.
    if (rest.length === 0 && eol !== '') return undefined;
    return { keyword, expression: rest.trim() };
  }
  const withoutArgument = CONDITIONAL_WITHOUT_ARGUMENT.exec(trimmed);
  if (withoutArgument !== null) {
    const keyword = withoutArgument[1] as SpecConditionalKeyword;
    return { keyword, expression: trimmed.slice(keyword.length + 1).trim() };
  }
  return undefined;
}

function parseTag(text: string): SpecTag | undefined {
  const match = TAG.exec(text);
  if (match === null) return undefined;
  const [, name = '', qualifier = '', separator = '', value = ''] = match;
  const numbered = NUMBERED_TAG.exec(name);
  const digits = numbered?.[2] ?? '';
  return {
    name,
    baseName: numbered === null ? name : (numbered[1] ?? name),
    digits,
    number: numbered === null || digits === '' ? undefined : Number.parseInt(digits, 10),
    qualifier,
    separator,
    value,
  };
}

function definitionBody(
  first: string,
  raw: readonly RawLine[],
  continues: readonly (number | undefined)[],
  head: number,
): string {
  const parts = [first];
  for (let index = head + 1; index < raw.length && continues[index] === head; index++) {
    parts.push((raw[index] as RawLine).text);
  }
  return parts
    .map((part, i) => (i < parts.length - 1 ? part.replace(/\\$/, '') : part))
    .join('\n')
    .trim();
}
