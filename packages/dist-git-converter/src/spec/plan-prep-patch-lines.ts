import type { SpecLineEdit } from './edit-spec-lines';
import { findPatchEntries } from './find-patch-entries';
import { readPrep } from './read-prep';
import type { PrepPatchApplication } from './read-prep';
import type { SpecDocument, SpecLine, SpecSection } from './spec-document';

/** A patch the build must apply: a generated patch with its number in the spec. */
export interface PrepPatch {
  readonly fileName: string;
  readonly number: number;
}

export interface PrepPatchLinesInput {
  /** Named in warnings (the `.distro` spec the packager edits). */
  readonly specPath: string;
  /** Every generated patch, with the number of its entry in `document`. */
  readonly patches: readonly PrepPatch[];
  /**
   * Numbers that generated patches had before this conversion and no longer have (removed or
   * renumbered): an explicit `%patch` line for one of them is removed without a warning.
   */
  readonly retiredNumbers: ReadonlySet<number>;
}

export interface PrepPatchLinesPlan {
  /** Line edits for `editSpecLines` (insertions listed before deletions). */
  readonly edits: readonly SpecLineEdit[];
  /** What the packager should know: patches the build does not apply, lines removed or left. */
  readonly warnings: readonly string[];
}

/** An application site: a `%prep` line that applies `number` (original or planned). */
interface Site {
  readonly number: number;
  /** The original application; undefined for a planned line. */
  readonly application: PrepPatchApplication | undefined;
  /** For a planned line: where it goes (`slot` = original line it goes before). */
  readonly slot: number;
  /** Writes a `%patch` line like this site's for another number. */
  readonly lineFor: (number: number) => string;
}

/**
 * Makes `%prep` apply every generated patch, in the file's own style — so that a patch added to
 * the spec is also applied by rpmbuild.
 *
 * 1. An explicit `%patch` line whose every number no Patch entry declares any more is removed
 *    (rpm stops with "No patch number N" on it): the line of a patch that was dropped.
 * 2. A generated patch that `%prep` does not apply (neither `%autosetup` without `-N`, an
 *    `%autopatch` whose `-m`/`-M` range or list holds its number, a `%patch` line, `%{PATCHn}`,
 *    nor `%{patches}`) gets a line after the line that applies the closest lower number (a line
 *    removed in step 1 included, so the patches replacing dropped ones take their place; past the
 *    `%endif` of a `%prep` `%if` around it), else before the line that applies the closest higher
 *    number: a copy of that line with the number replaced (`%patch -P3 -p1`, `%patch3 -p1`,
 *    `%patch 3 -p1`, options kept) when it is a `%patch` line naming one patch, else
 *    `%patch -P<N>` with the neighbour's `-p` level (so a number outside an `%autopatch` range is
 *    applied right after that `%autopatch`).
 * 3. When `%prep` applies no patch at all in a way this models, nothing is guessed: a warning per
 *    generated patch says the build will not apply it.
 *
 * The result depends only on the spec and the numbers, so converting again gives the same bytes.
 */
export function planPrepPatchLines(document: SpecDocument, input: PrepPatchLinesInput): PrepPatchLinesPlan {
  const prep = readPrep(document);
  const declared = new Set(findPatchEntries(document).map((entry) => entry.number));
  const warnings: string[] = [];

  // 1. Lines for patches no entry declares.
  const byLine = new Map<number, PrepPatchApplication[]>();
  for (const application of prep.applications) {
    if (application.directive !== 'patch') continue;
    const onLine = byLine.get(application.lineIndex) ?? [];
    onLine.push(application);
    byLine.set(application.lineIndex, onLine);
  }
  const deletions: SpecLineEdit[] = [];
  const removedLines = new Set<number>();
  for (const [lineIndex, onLine] of byLine) {
    const undeclared = onLine.filter((application) => !declared.has(application.number));
    const written = onLine.every((application) => application.numberSpan !== undefined);
    if (undeclared.length === 0 || !written) continue;
    const text = (document.lines[lineIndex] as SpecLine).text.trim();
    if (undeclared.length < onLine.length) {
      warnings.push(
        `${input.specPath}: "${text}" in %prep applies Patch${undeclared.map((a) => a.number).join(', Patch')}, which the spec does not declare (rpm stops with "No patch number"); the line is left as it is`,
      );
      continue;
    }
    removedLines.add(lineIndex);
    deletions.push({
      start: lineIndex,
      deleteCount: logicalEnd(document, lineIndex) - lineIndex,
      insert: [],
    });
    if (!undeclared.every((application) => input.retiredNumbers.has(application.number))) {
      warnings.push(
        `${input.specPath}: "${text}" in %prep applies a patch the spec does not declare (rpm stops with "No patch number"); it is left out of the dist-git spec`,
      );
    }
  }

  // 2. Lines for generated patches %prep does not apply.
  const section = document.sections.find((candidate) => candidate.keyword === 'prep');
  // A removed line still marks a place and a style: the patches that replace a dropped one go there.
  const originals: Site[] = prep.applications.map((application) => ({
    number: application.number,
    application,
    slot: application.lineIndex,
    lineFor: lineWriter(document, application, byLine.get(application.lineIndex)?.length ?? 0),
  }));
  const applied = new Set([
    ...prep.applications
      .filter((application) => !removedLines.has(application.lineIndex))
      .map((application) => application.number),
    ...prep.referencedNumbers,
  ]);
  const slots = new Map<number, Site[]>();
  const planned: Site[] = [];
  const missing = [...input.patches]
    .filter((patch) => !prep.appliesAllPatches && !applied.has(patch.number))
    .sort((a, b) => a.number - b.number);
  for (const patch of missing) {
    const sites = [...originals, ...planned];
    const lower = closest(
      sites,
      (site) => site.number < patch.number,
      (a, b) => a.number > b.number,
    );
    const higher = closest(
      sites,
      (site) => site.number > patch.number,
      (a, b) => a.number < b.number,
    );
    const anchor = lower ?? higher;
    if (anchor === undefined || section === undefined) {
      warnings.push(
        `${input.specPath}: %prep does not apply Patch${patch.number} (${patch.fileName}), so rpmbuild builds without it: apply it in %prep (%autosetup -p1, %autopatch -p1, or "%patch -P${patch.number} -p1")`,
      );
      continue;
    }
    let slot: number;
    let position: number;
    if (anchor.application === undefined) {
      slot = anchor.slot;
      const inSlot = slots.get(slot) ?? [];
      position = inSlot.indexOf(anchor) + (anchor === lower ? 1 : 0);
    } else {
      slot =
        anchor === lower
          ? indexAfter(document, section, anchor.application.lineIndex)
          : indexBefore(document, section, anchor.application.lineIndex);
      position = anchor === lower ? (slots.get(slot)?.length ?? 0) : 0;
    }
    const site: Site = { number: patch.number, application: undefined, slot, lineFor: anchor.lineFor };
    const inSlot = slots.get(slot) ?? [];
    inSlot.splice(position, 0, site);
    slots.set(slot, inSlot);
    planned.push(site);
  }

  const insertions: SpecLineEdit[] = [...slots].map(([start, inSlot]) => ({
    start: outsideDeletions(start, deletions),
    deleteCount: 0,
    insert: inSlot.map((site) => site.lineFor(site.number)),
  }));
  return { edits: [...insertions, ...deletions], warnings };
}

/** The site `better` prefers among those `wanted` accepts; the later line among equals. */
function closest(
  sites: readonly Site[],
  wanted: (site: Site) => boolean,
  better: (a: Site, b: Site) => boolean,
): Site | undefined {
  let best: Site | undefined;
  for (const site of sites) {
    if (!wanted(site)) continue;
    if (best === undefined || better(site, best) || (site.number === best.number && site.slot >= best.slot))
      best = site;
  }
  return best;
}

/**
 * How to write a line like `application`'s for another number: the line itself with the number
 * replaced (zero-padded to the written width) when it is a `%patch` line applying one patch with
 * its number on the line; else `%patch -P<N>` with the same indentation and `-p` level.
 */
function lineWriter(
  document: SpecDocument,
  application: PrepPatchApplication,
  applicationsOnLine: number,
): (number: number) => string {
  const line = document.lines[application.lineIndex] as SpecLine;
  const span = application.numberSpan;
  if (application.directive === 'patch' && span !== undefined && applicationsOnLine === 1) {
    if (!line.text.endsWith('\\')) {
      const written = line.text.slice(span.start, span.end);
      const width = written.length > 1 && written.startsWith('0') ? written.length : 0;
      return (number) =>
        line.text.slice(0, span.start) + String(number).padStart(width, '0') + line.text.slice(span.end);
    }
  }
  const indent = /^[ \t]*/.exec(line.text)?.[0] ?? '';
  const strip = application.stripLevel === undefined ? '' : ` -p${application.stripLevel}`;
  return (number) => `${indent}%patch -P${number}${strip}`;
}

/** One past the last physical line of the logical line starting at `lineIndex`. */
function logicalEnd(document: SpecDocument, lineIndex: number): number {
  let index = lineIndex;
  const { lines } = document;
  while (
    index + 1 < lines.length &&
    ((lines[index] as SpecLine).text.endsWith('\\') || lines[index + 1]?.continues !== undefined)
  )
    index++;
  return index + 1;
}

/** How many `%if…` blocks around a line open before `section` (the rest can be stepped out of). */
function outerConditionDepth(section: SpecSection, line: SpecLine): number {
  return line.conditions.filter((condition) => condition.lineIndex < section.startLineIndex).length;
}

/** Where a line goes after the line at `lineIndex`: past its continuations and its `%prep` `%if` blocks. */
function indexAfter(document: SpecDocument, section: SpecSection, lineIndex: number): number {
  const line = document.lines[lineIndex] as SpecLine;
  const depth = outerConditionDepth(section, line);
  let end = logicalEnd(document, lineIndex);
  if (line.conditions.length > depth) {
    for (let index = end; index < section.endLineIndex; index++) {
      const candidate = document.lines[index] as SpecLine;
      if (candidate.conditional === 'endif' && candidate.conditions.length === depth) {
        end = index + 1;
        break;
      }
    }
  }
  return end;
}

/** Where a line goes before the line at `lineIndex`: before its outermost `%prep` `%if`. */
function indexBefore(document: SpecDocument, section: SpecSection, lineIndex: number): number {
  const line = document.lines[lineIndex] as SpecLine;
  const outer = line.conditions[outerConditionDepth(section, line)];
  return outer === undefined ? lineIndex : outer.lineIndex;
}

/** An insertion point inside a deleted range moves to its start (edits must not overlap). */
function outsideDeletions(start: number, deletions: readonly SpecLineEdit[]): number {
  const inside = deletions.find(
    (deletion) => start > deletion.start && start < deletion.start + deletion.deleteCount,
  );
  return inside === undefined ? start : inside.start;
}
