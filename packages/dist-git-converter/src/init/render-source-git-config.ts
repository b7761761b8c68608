import { stringify } from 'yaml';

/** What `init` writes into `.distro/source-git.yaml`. */
export interface InitConfigInput {
  readonly upstreamProjectUrl: string | undefined;
  readonly upstreamRef: string;
  readonly downstreamPackageName: string;
  readonly specfilePath: string;
  readonly patchIdDigits: number;
  readonly sources: readonly { readonly path: string; readonly url: string }[];
}

/**
 * The canonical `.distro/source-git.yaml` of `init` (docs/converter-behaviour.md §1.4), byte for byte in
 * PyYAML's block style: keys in packit's order, sequences not indented under their key, strings
 * quoted (single quotes) only where YAML 1.1 would read them as something else (`'1.0'`).
 */
export function renderSourceGitConfig(input: InitConfigInput): string {
  const lines: string[] = [];
  if (input.upstreamProjectUrl !== undefined)
    lines.push(`upstream_project_url: ${scalar(input.upstreamProjectUrl)}`);
  lines.push(
    `upstream_ref: ${scalar(input.upstreamRef)}`,
    `downstream_package_name: ${scalar(input.downstreamPackageName)}`,
    `specfile_path: ${scalar(input.specfilePath)}`,
    'patch_generation_ignore_paths:',
    '- .distro',
    `patch_generation_patch_id_digits: ${input.patchIdDigits}`,
    'sync_changelog: true',
    'files_to_sync:',
    '- src: .distro/',
    '  dest: .',
    '  delete: true',
    '  filters:',
    '  - protect .git*',
    '  - protect sources',
    '  - exclude source-git.yaml',
    '  - exclude .gitignore',
  );
  if (input.sources.length > 0) {
    lines.push('sources:');
    for (const source of input.sources) {
      lines.push(`- path: ${scalar(source.path)}`, `  url: ${scalar(source.url)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A string as a YAML 1.1 scalar: plain when that reads back as the same string, else single-quoted. */
function scalar(value: string): string {
  return stringify(value, { version: '1.1', singleQuote: true, lineWidth: 0 }).replace(/\n$/, '');
}
