#!/usr/bin/env bash
# The packages as users get them: packs every publishable package of the workspace (run after
# `pnpm build`), then, in scratch directories outside the repository,
#   1. installs the library tarballs into a new npm project (their runtime dependencies come from
#      the registry), type-checks an import of each against their .d.ts, imports them, and runs
#      one conversion with @srcgit/dist-git-converter on a generated source-git/dist-git pair;
#   2. installs the CLI tarball into a temporary global prefix with `npm i -g --offline` (it is
#      bundled: nothing may come from the registry), and runs `srcgit --version` (also through
#      `npx`) and `srcgit update-dist-git` on another generated pair.
# Exits non-zero naming the step that failed. Usage: bash scripts/check-packed-install.sh
set -euo pipefail
exec </dev/null
cd "$(dirname "$0")/.."
repo=$PWD

die() {
  printf 'check-packed-install: %s\n' "$*" >&2
  exit 1
}
step() { printf '\n--> %s\n' "$*"; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/srcgit-packed-install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
case "$scratch/" in "$repo"/*) die "the scratch directory $scratch is inside the repository" ;; esac

# The conversions below must not see the caller's git settings or identity.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^GIT_' || true)
export GIT_CONFIG_NOSYSTEM=1
home=$scratch/home
mkdir -p "$home"
git config --file "$home/.gitconfig" user.name 'Packed Install'
git config --file "$home/.gitconfig" user.email 'packed-install@example.org'
git config --file "$home/.gitconfig" init.defaultBranch main
# git in a scratch repository: the scratch home, never the caller's configuration.
sgit() { HOME=$home git "$@"; }

step "pack every publishable package"
tarballs=$scratch/tarballs
mkdir -p "$tarballs"
publishable=()
for dir in packages/* apps/*; do
  [ -f "$dir/package.json" ] || continue
  [ "$(node -p "require('./$dir/package.json').private === true")" = true ] && continue
  # every file the manifest points at (bin, exports) must be built
  node -e '
    const manifest = require(`./${process.argv[1]}/package.json`);
    const targets = [...Object.values(manifest.bin ?? {}), ...JSON.stringify(manifest.exports ?? {}).match(/\.\/dist\/[^"]+/g) ?? []];
    const missing = targets.filter((target) => !require("node:fs").existsSync(`${process.argv[1]}/${target}`));
    if (missing.length > 0) { console.error(`${process.argv[1]}: ${missing.join(", ")} not built`); process.exit(1); }' "$dir" \
    || die "run 'pnpm build' first"
  (cd "$dir" && pnpm pack --pack-destination "$tarballs" >/dev/null) || die "pnpm pack failed in $dir"
  publishable+=("$dir")
done
ls "$tarballs"
tarball() { # tarball NAME: the packed file of package NAME (@srcgit/core → srcgit-core-<version>.tgz)
  local file
  file=$(ls "$tarballs/$(printf '%s' "$1" | sed 's|^@||; s|/|-|')"-[0-9]*.tgz 2>/dev/null | head -n 1)
  [ -n "$file" ] || die "no tarball for $1 in $tarballs"
  printf '%s' "$file"
}

step "no workspace-only fields in the packed manifests"
for file in "$tarballs"/*.tgz; do
  tar -xzOf "$file" package/package.json | node -e '
    const manifest = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
    const problems = [];
    for (const [name, range] of Object.entries(ranges))
      if (/^(workspace|catalog|link|file):/.test(range)) problems.push(`${name}: "${range}" cannot be installed`);
      else if (!name.startsWith("@srcgit/") && name !== "@types/node" && !range.startsWith("^"))
        problems.push(`${name}: "${range}" is not a caret range`);
    for (const field of ["devDependencies", "scripts", "private"])
      if (field in manifest) problems.push(`carries "${field}"`);
    for (const field of ["repository", "homepage", "bugs", "license", "engines"])
      if (!(field in manifest)) problems.push(`has no "${field}"`);
    if (problems.length > 0) {
      console.error(`${manifest.name}: ${problems.join("; ")}`);
      process.exit(1);
    }' || die "$(basename "$file") has a manifest users could not install as published"
done

# make_pair DIR: a tiny source-git repository in DIR/src (upstream 1.0 tagged, the commit adding
# .distro/ that names the dist-git commit it was made from, one downstream commit) and its
# dist-git repository in DIR/rpms.
make_pair() {
  local dir=$1
  mkdir -p "$dir/src" "$dir/rpms"
  cat >"$dir/hello.spec" <<'SPEC'
Name:           hello
Version:        1.0
Release:        1%{?dist}
Summary:        Says hello
License:        MIT
Source0:        hello-%{version}.tar.gz
BuildArch:      noarch

%description
Says hello.

%prep
%autosetup -p1

%changelog
* Mon Jan 01 2024 Packed Install <packed-install@example.org> - 1.0-1
- Initial package
SPEC
  (
    cd "$dir/rpms"
    sgit init -q
    cp ../hello.spec hello.spec
    printf 'SHA512 (hello-1.0.tar.gz) = 0123\n' >sources
    sgit add hello.spec sources
    sgit commit -q -m 'Initial dist-git commit'
  )
  (
    cd "$dir/src"
    sgit init -q
    printf 'hello\n' >hello.txt
    sgit add hello.txt
    sgit commit -q -m 'upstream release 1.0'
    sgit tag 1.0
    mkdir .distro
    cp ../hello.spec .distro/hello.spec
    cat >.distro/source-git.yaml <<'YAML'
upstream_ref: '1.0'
downstream_package_name: hello
specfile_path: .distro/hello.spec
patch_generation_ignore_paths:
- .distro
files_to_sync:
- src: .distro/
  dest: .
  delete: true
  filters:
  - protect .git*
  - protect sources
  - exclude source-git.yaml
YAML
    sgit add .distro
    sgit commit -q -m 'Initialize as a source-git repository' \
      -m "From-dist-git-commit: $(sgit -C ../rpms rev-parse HEAD)"
    printf 'hello, world\n' >hello.txt
    sgit commit -q -am 'Greet the world'
  )
}

# expect_converted DIR: dist-git in DIR/rpms has the patch of 'Greet the world' and its Patch tag.
expect_converted() {
  local rpms=$1/rpms
  [ -f "$rpms/0001-Greet-the-world.patch" ] || die "no 0001-Greet-the-world.patch in dist-git: $(ls "$rpms")"
  grep -q '^Patch0*1: *0001-Greet-the-world.patch' "$rpms/hello.spec" || die "hello.spec has no Patch tag for it"
  [ -z "$(sgit -C "$rpms" status --porcelain)" ] || die "dist-git is not committed: $(sgit -C "$rpms" status --porcelain)"
  sgit -C "$rpms" log -1 --format=%B | grep -q '^From-source-git-commit: ' || die "the dist-git commit has no From-source-git-commit trailer"
}

step "the libraries in a new npm project"
project=$scratch/project
mkdir -p "$project"
printf '{ "name": "packed-install-check", "private": true, "type": "module" }\n' >"$project/package.json"
library_tarballs=()
for dir in "${publishable[@]}"; do
  name=$(node -p "require('./$dir/package.json').name")
  [ "$(node -p "require('./$dir/package.json').bin !== undefined")" = true ] && continue
  library_tarballs+=("$(tarball "$name")")
done
node_types=$(node -p "require('./node_modules/@types/node/package.json').version")
(cd "$project" && npm install --no-fund --no-audit --loglevel=error "${library_tarballs[@]}" "@types/node@$node_types") \
  || die "npm install of the library tarballs failed"

cat >"$project/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "es2022",
    "strict": true,
    "noEmit": true,
    "types": ["node"]
  },
  "files": ["convert.ts"]
}
JSON
cat >"$project/convert.ts" <<'TS'
import { checkSyncStatus, updateDistGit } from '@srcgit/dist-git-converter';
import { CoreError } from '@srcgit/core';
import { createGitLabForge } from '@srcgit/gitlab-adapter';

const [sourceGitDir, distGitDir] = process.argv.slice(2);
if (sourceGitDir === undefined || distGitDir === undefined) throw new Error('usage: convert.ts SOURCE_GIT DIST_GIT');
if (typeof CoreError !== 'function' || typeof createGitLabForge !== 'function') throw new Error('an export is missing');
const result = await updateDistGit({ sourceGitDir, distGitDir, message: 'Update from source-git', checkSyncStatus });
if (result.outcome !== 'committed') throw new Error(`expected a commit, got ${result.outcome}`);
console.log(`converted: ${result.plan.files.map((file) => `${file.path} (${file.change})`).join(', ')}`);
TS
step "type-check an import of each library against its .d.ts"
(cd "$project" && node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json) || die "the packed .d.ts files do not type-check"
# convert.ts has no type annotations: the same text runs as JavaScript.
cp "$project/convert.ts" "$project/convert.mjs"
step "run one conversion with the installed converter"
make_pair "$scratch/library"
(cd "$project" && HOME=$home node convert.mjs "$scratch/library/src" "$scratch/library/rpms") \
  || die "the conversion with the installed @srcgit/dist-git-converter failed"
expect_converted "$scratch/library"

step "the CLI in a temporary global prefix, offline"
prefix=$scratch/prefix
cli=$(tarball @srcgit/cli)
# An empty npm cache as well: a dependency that npm happens to have cached would hide a missing one.
npm install --global --prefix "$prefix" --offline --cache "$scratch/empty-npm-cache" --no-fund --no-audit \
  --loglevel=error "$cli" \
  || die "npm i -g --offline of the CLI tarball failed: it must install with nothing from the registry"
[ -x "$prefix/bin/srcgit" ] || die "npm installed no srcgit binary in $prefix/bin"
expected_version=$(node -p "require('./apps/cli/package.json').version")
version=$(cd "$scratch" && "$prefix/bin/srcgit" --version) || die "srcgit --version failed"
[ "$version" = "$expected_version" ] || die "srcgit --version printed '$version', expected '$expected_version'"
echo "srcgit --version: $version"
version=$(cd "$scratch" && npm exec --yes --offline --cache "$scratch/empty-npm-cache" --package "$cli" -- srcgit --version) \
  || die "npx of the CLI tarball failed"
[ "$version" = "$expected_version" ] || die "npx srcgit --version printed '$version', expected '$expected_version'"
echo "npx srcgit --version: $version"
make_pair "$scratch/cli"
(cd "$scratch/cli" && HOME=$home "$prefix/bin/srcgit" update-dist-git -m 'Update from source-git' src rpms) \
  || die "srcgit update-dist-git failed"
expect_converted "$scratch/cli"

printf '\ncheck-packed-install: %s packed, installed outside the workspace, and converted\n' \
  "$(printf '%s ' "${publishable[@]}" | sed 's/ $//')"
