/**
 * `updateDistGit` on bad input and on failures while writing: a clear error naming what is wrong,
 * and no trace in dist-git (HEAD, refs, index bytes, status and every file as before).
 */
import * as nodeFs from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beerConfig, createBeerFixture, vectorDate, type BeerFixture } from '@srcgit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { isConverterError } from '../src/converter-error';
import type { ConverterFs } from '../src/dist-git/converter-fs';
import type { UpdateDistGitOptions } from '../src/update-dist-git';
import { repositoryState } from './support/dist-git-state';
import { convertBeerFixture } from './support/convert-beer-fixture';

const convert = convertBeerFixture;

/** Runs the conversion, expects a ConverterError with `code`, and dist-git exactly as before. */
async function expectCleanFailure(
  fixture: BeerFixture,
  code: string,
  message: string | RegExp,
  options: Partial<UpdateDistGitOptions> = {},
): Promise<void> {
  const before = await repositoryState(fixture.distGit.dir);
  const error = await convert(fixture, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isConverterError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  if (typeof message === 'string') expect((error as Error).message).toContain(message);
  else expect((error as Error).message).toMatch(message);
  expect(await repositoryState(fixture.distGit.dir)).toEqual(before);
}

/** A change dist-git does not have yet, so that a conversion has something to write. */
async function addChanges(fixture: BeerFixture): Promise<void> {
  await fixture.sourceGit.commit('Switch to Amarillo hops', {
    date: vectorDate(1),
    files: { hops: 'Amarillo\n' },
  });
  await fixture.sourceGit.commit('Add smoke test', {
    date: vectorDate(2),
    files: { '.distro/tests/smoke.sh': { content: '#!/bin/sh\ntrue\n', executable: true } },
  });
}

/**
 * node:fs whose first operation matching `shouldFail` fails, as a full disk or a directory made
 * read-only by another process would; later operations (the rollback) succeed unless `always`.
 */
function failingFs(matches: (operation: string, path: string) => boolean, always = false): ConverterFs {
  let failed = false;
  const shouldFail = (operation: string, path: string): boolean => {
    if ((failed && !always) || !matches(operation, path)) return false;
    failed = true;
    return true;
  };
  const promises = new Proxy(nodeFs.promises, {
    get(target, property: string) {
      const original = Reflect.get(target, property) as unknown;
      if (typeof original !== 'function') return original;
      return (...args: unknown[]) => {
        const path = typeof args[0] === 'string' ? args[0] : '';
        const destination = typeof args[1] === 'string' ? args[1] : '';
        if (shouldFail(property, path) || (property === 'rename' && shouldFail('rename-to', destination))) {
          return Promise.reject(
            Object.assign(new Error(`EROFS: read-only file system, ${property} '${path}'`), {
              code: 'EROFS',
            }),
          );
        }
        return (original as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { promises };
}

describe('updateDistGit on bad input', () => {
  it('refuses a malformed source-git.yaml, naming the file', async () => {
    const f = await createBeerFixture({ config: 'downstream_package_name: beer\nfiles_to_sync: [\n' });
    await expectCleanFailure(f, 'CONFIG_INVALID', '.distro/source-git.yaml');
  });

  it('refuses an upstream_ref that does not exist in source-git', async () => {
    const f = await createBeerFixture({ upstreamRef: '9.9.9' });
    await addChanges(f);
    await expectCleanFailure(f, 'UPSTREAM_REF_UNKNOWN', '9.9.9');
  });

  it('refuses a spec without its tag section', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit('Break the spec', {
      date: vectorDate(1),
      files: { '.distro/beer.spec': '%description\nNo preamble at all.\n\n%prep\n%autosetup\n' },
    });
    await f.sourceGit.commit('Switch to Amarillo hops', {
      date: vectorDate(2),
      files: { hops: 'Amarillo\n' },
    });
    await expectCleanFailure(f, 'SPEC_INVALID', 'beer.spec');
  });

  it('converts a commit message that is not UTF-8 the way git re-encodes it (no mojibake, no crash)', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.write({ hops: 'Amarillo\n' });
    await f.sourceGit.git(['add', 'hops']);
    // A Latin-1 "é": git treats the message as Latin-1 and prints it as UTF-8.
    await f.sourceGit.git(['commit', '--quiet', '-F', '-'], {
      input: Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from(' hops\n')]),
      env: { GIT_AUTHOR_DATE: vectorDate(1), GIT_COMMITTER_DATE: vectorDate(1) },
    });
    const result = await convert(f);

    expect(result.plan.patches.map((patch) => patch.fileName)).toEqual(['0001-Caf-hops.patch']);
    const patch = await readFile(join(f.distGit.dir, '0001-Caf-hops.patch'), 'utf8');
    expect(patch).toContain('Subject: [PATCH] =?UTF-8?q?Caf=C3=A9=20hops?=\n');
    const spec = await readFile(join(f.distGit.dir, 'beer.spec'));
    expect(new TextDecoder('utf-8', { fatal: true }).decode(spec)).toContain(
      '# Café hops\nPatch1:         0001-Caf-hops.patch\n',
    );
  });

  it('refuses a Patch-name with a directory in it', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit('Nested\n\nPatch-name: patches/x.patch\n', {
      date: vectorDate(1),
      files: { hops: 'Amarillo\n' },
    });
    await expectCleanFailure(f, 'PATCH_NAME_INVALID', 'patches/x.patch');
  });

  it('refuses a Patch-name that would overwrite the spec', async () => {
    const f = await createBeerFixture();
    await f.sourceGit.commit('Sneaky\n\nPatch-name: beer.spec\n', {
      date: vectorDate(1),
      files: { hops: 'A\n' },
    });
    await expectCleanFailure(f, 'PATCH_NAME_CONFLICT', 'beer.spec');
  });

  it('refuses a dist-git with changed, untracked or ignored files, naming them', async () => {
    const f = await createBeerFixture();
    await addChanges(f);
    await f.distGit.write({ 'beer.spec': 'changed\n' });
    await expectCleanFailure(f, 'DIST_GIT_DIRTY', /not pristine \(changed: beer\.spec\)/);
    await f.distGit.git(['checkout', '--', 'beer.spec']);
    await f.distGit.write({ 'notes.txt': 'x\n', 'beerware-0.1.0.tar.gz': 'archive\n' });
    await expectCleanFailure(
      f,
      'DIST_GIT_DIRTY',
      /untracked or ignored: beerware-0\.1\.0\.tar\.gz, notes\.txt\)\. Use 'git reset --hard HEAD'/,
    );
  });

  it('refuses a dist-git directory that is not the root of its repository', async () => {
    const f = await createBeerFixture();
    await addChanges(f);
    await f.distGit.write({ 'tests/README': 'x\n' });
    await f.distGit.git(['add', 'tests/README']);
    await f.distGit.git(['commit', '--quiet', '-m', 'Add tests/README']);
    const before = await repositoryState(f.distGit.dir);
    const error = await convert(f, { distGitDir: join(f.distGit.dir, 'tests') }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((error as { code?: string }).code).toBe('GIT_FAILED');
    expect((error as Error).message).toMatch(
      /tests is not the root of a git repository .*not a git repository/,
    );
    expect(await repositoryState(f.distGit.dir)).toEqual(before);
  });

  it('refuses a files_to_sync path outside the repository', async () => {
    const f = await createBeerFixture({
      config: beerConfig().replace('- src: .distro/\n', '- src: ../../etc/\n'),
    });
    await expectCleanFailure(f, 'CONFIG_INVALID', /illegal path|outside|\.\.\/\.\.\/etc/);
  });
});

describe('updateDistGit when writing fails', () => {
  it('restores the working tree when moving a file into place fails', async () => {
    const f = await createBeerFixture();
    await addChanges(f);
    await expectCleanFailure(f, 'DIST_GIT_WRITE_FAILED', 'nothing was changed', {
      fs: failingFs((operation, path) => operation === 'rename-to' && path.endsWith('/beer.spec')),
    });
  });

  it('restores the working tree without a message too', async () => {
    const f = await createBeerFixture();
    await addChanges(f);
    await expectCleanFailure(f, 'DIST_GIT_WRITE_FAILED', 'tests/smoke.sh', {
      message: undefined,
      fs: failingFs((operation, path) => operation === 'rename-to' && path.endsWith('/tests/smoke.sh')),
    });
  });

  it('restores the index and the working tree when the branch cannot be moved (another git holds its lock)', async () => {
    const f = await createBeerFixture();
    await addChanges(f);
    const lock = join(f.distGit.dir, '.git/refs/heads/main.lock');
    await writeFile(lock, '');
    await expectCleanFailure(f, 'GIT_FAILED', /could not move dist-git HEAD .*main\.lock/s);
    await rm(lock);
    // The next run, with the lock gone, commits normally.
    expect((await convert(f)).outcome).toBe('committed');
  });

  it('moves the branch back when the index cannot be written after the commit (another git holds its lock)', async () => {
    const f = await createBeerFixture();
    await addChanges(f);
    await writeFile(join(f.distGit.dir, '.git/index.lock'), '');
    await expectCleanFailure(f, 'GIT_FAILED', /could not update the dist-git index .*index\.lock/s);
  });

  it('writes nothing in a dry run', async () => {
    const f = await createBeerFixture();
    await addChanges(f);
    const before = await repositoryState(f.distGit.dir);
    const result = await convert(f, { dryRun: true });
    expect(result.outcome).toBe('planned');
    expect(result.plan.files.map((file) => `${file.change} ${file.path} ${file.modeAfter ?? ''}`)).toEqual([
      'added 0001-Switch-to-Amarillo-hops.patch 100644',
      'changed beer.spec 100644',
      'added tests/smoke.sh 100755',
    ]);
    expect(result.plan.specDiff).toContain('+Patch1:         0001-Switch-to-Amarillo-hops.patch\n');
    expect(result.plan.commitMessage).toBe(
      `Update from source-git\n\nFrom-source-git-commit: ${await f.sourceGit.revParse('HEAD')}\n`,
    );
    expect(await repositoryState(f.distGit.dir)).toEqual(before);
  });
});
