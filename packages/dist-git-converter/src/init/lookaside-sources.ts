/** A `sources:` entry of the source-git configuration. */
export interface LookasideSource {
  readonly path: string;
  readonly url: string;
}

/**
 * The `sources:` entries for a dist-git `sources` file (docs/converter-behaviour.md §1.4), without network:
 * one per line, `<base>/<package>/<file>/<hashtype>/<hash>/<file>` for the BSD-style lines
 * (`SHA512 (file) = hash`) and `<base>/<package>/<file>/<hash>/<file>` for old md5 lines
 * (`hash  file`). `base` is the lookaside cache URL including any namespace, e.g.
 * `https://src.fedoraproject.org/repo/pkgs/rpms`. Lines of another form are skipped.
 */
export function lookasideSources(sourcesFile: string, packageName: string, base: string): LookasideSource[] {
  const root = base.replace(/\/+$/, '');
  const entries: LookasideSource[] = [];
  for (const line of sourcesFile.split('\n')) {
    const bsd = /^([A-Za-z0-9]+) \((.+)\) = ([0-9a-fA-F]+)$/.exec(line.trim());
    if (bsd !== null) {
      const [, hashType = '', file = '', hash = ''] = bsd;
      entries.push({
        path: file,
        url: `${root}/${packageName}/${file}/${hashType.toLowerCase()}/${hash}/${file}`,
      });
      continue;
    }
    const md5 = /^([0-9a-fA-F]{32})\s+(\S.*)$/.exec(line.trim());
    if (md5 !== null) {
      const [, hash = '', file = ''] = md5;
      entries.push({ path: file, url: `${root}/${packageName}/${file}/${hash}/${file}` });
    }
  }
  return entries;
}
