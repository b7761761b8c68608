import { expandMacros } from '../spec/expand-macros';
import { parseSpec } from '../spec/parse-spec';
import type { SpecDocument } from '../spec/spec-document';

export interface MergeSpecKeepingChangelogInput {
  /** The source-git spec (`.distro/<pkg>.spec`). */
  readonly distroSpec: string;
  /** The spec at dist-git `HEAD`; undefined when dist-git has none yet. */
  readonly distGitSpec: string | undefined;
  /** Who signs a new changelog entry: `Name <email>`. Only called when an entry is written. */
  readonly packager: () => Promise<string>;
  /** Date of a new changelog entry. */
  readonly now: Date;
}

/**
 * `sync_changelog: false` (docs/converter-behaviour.md §2.6, fixed profile): every section comes from the
 * source-git spec except `%changelog`, which is dist-git's (an empty one when dist-git has none).
 *
 * A changelog entry is prepended only when the merged spec's `version-release` differs from the
 * dist-git spec's and dist-git does not use `%autochangelog`: `- Update to version <version>`
 * when the version changed, else `- Update to release <release>` (never packit's
 * "Update to version None", Q8). Running again with the same inputs therefore changes nothing.
 */
export async function mergeSpecKeepingChangelog(input: MergeSpecKeepingChangelogInput): Promise<string> {
  const distro = parseSpec(input.distroSpec);
  const distGit = input.distGitSpec === undefined ? undefined : parseSpec(input.distGitSpec);
  const eol = distro.eol;
  const distGitBody = distGit === undefined ? [] : changelogBody(distGit);

  let body = distGitBody;
  if (distGit !== undefined && !distGitBody.some((line) => /%\{?autochangelog\b/.test(line))) {
    const before = versionRelease(distGit);
    const after = versionRelease(distro);
    if (after.version !== before.version || after.release !== before.release) {
      const text =
        after.version !== before.version
          ? `- Update to version ${after.version}`
          : `- Update to release ${after.release}`;
      const header = `* ${changelogDate(input.now)} ${await input.packager()} - ${after.version}-${after.release}`;
      const entry = [header + eol, text + eol, ...(distGitBody.length > 0 ? [eol] : [])];
      body = [...entry, ...distGitBody];
    }
  }

  const changelog = distro.sections.find((section) => section.keyword === 'changelog');
  const lines = distro.lines.map((line) => line.text + line.eol);
  if (changelog === undefined) {
    const last = lines.length - 1;
    if (last >= 0 && !(lines[last] as string).endsWith('\n')) lines[last] += eol;
    return [...lines, ...(lines.length > 0 ? [eol] : []), `%changelog${eol}`, ...body].join('');
  }
  const start = (changelog.headerLineIndex ?? changelog.startLineIndex) + 1;
  const header = lines[start - 1] as string;
  const fixedHeader = header.endsWith('\n') ? header : header + eol;
  return [...lines.slice(0, start - 1), fixedHeader, ...body, ...lines.slice(changelog.endLineIndex)].join(
    '',
  );
}

/** The lines of the `%changelog` section after its header, with their line endings. */
function changelogBody(document: SpecDocument): string[] {
  const section = document.sections.find((candidate) => candidate.keyword === 'changelog');
  if (section === undefined) return [];
  return document.lines
    .slice((section.headerLineIndex ?? section.startLineIndex) + 1, section.endLineIndex)
    .map((line) => line.text + line.eol);
}

function versionRelease(document: SpecDocument): { version: string; release: string } {
  const macros = new Map(document.macros);
  for (const name of ['dist', 'autorelease']) if (!macros.has(name)) macros.set(name, '');
  const value = (name: string) =>
    expandMacros(document.macros.get(name) ?? '', macros, { where: `the spec's %{${name}}` }).trim();
  return { version: value('version'), release: value('release') };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** rpm's changelog date, `%a %b %d %Y`, in UTC. */
function changelogDate(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${DAYS[date.getUTCDay()] ?? ''} ${MONTHS[date.getUTCMonth()] ?? ''} ${day} ${date.getUTCFullYear()}`;
}
