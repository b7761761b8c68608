import { ConverterError } from '../converter-error';
import type { SpecDocument } from './spec-document';

/**
 * Checks what the spec editor relies on and rpm requires: balanced `%if`/`%endif`, closed macros,
 * and a main preamble with a `Name` tag.
 *
 * @throws {ConverterError} `SPEC_INVALID` naming `specPath` and the line, what was expected and what was found.
 */
export function assertValidSpec(document: SpecDocument, specPath: string): void {
  const problem = document.problems[0];
  if (problem !== undefined) {
    throw new ConverterError('SPEC_INVALID', `${specPath}:${problem.lineIndex + 1}: ${problem.message}`, {
      data: { specPath, line: problem.lineIndex + 1, problem: problem.message },
    });
  }
  const main = document.sections.find((section) => section.isMainPreamble);
  const hasName = document.lines.some(
    (line) => line.kind === 'tag' && line.section === main && line.tag?.baseName.toLowerCase() === 'name',
  );
  if (!hasName) {
    const end = main?.endLineIndex ?? 0;
    const total = document.lines.length;
    const found =
      total === 0
        ? 'an empty file'
        : end === 0
          ? 'a section header on line 1'
          : `no Name tag in lines 1-${end}`;
    const line = Math.max(1, Math.min(end + 1, total));
    throw new ConverterError(
      'SPEC_INVALID',
      `${specPath}:${line}: expected a "Name:" tag in the main preamble (before the first section), found ${found}`,
      { data: { specPath, line } },
    );
  }
}
