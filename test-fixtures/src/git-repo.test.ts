import { describe, expect, it } from 'vitest';
import { createGitRepo } from './git-repo';

describe('createGitRepo', () => {
  it('produces the same commit shas on every run (fixed identity and dates)', async () => {
    const build = async () => {
      const repo = await createGitRepo();
      await repo.commit('upstream release 0.1.0', {
        files: { README: 'Best upstream project ever!\n', hops: 'Cascade\n' },
      });
      return repo.commit('Switch to Amarillo hops', { files: { hops: 'Amarillo\n' } });
    };
    const [first, second] = [await build(), await build()];
    expect(first).toBe(second);
    expect(first).toMatch(/^[0-9a-f]{40}$/);
  });

  it('records authors, dates, deletions and symlinks', async () => {
    const repo = await createGitRepo();
    await repo.commit('one', { files: { a: 'a\n', link: { symlink: 'a' } } });
    await repo.commit('two', {
      files: { a: null },
      author: { name: 'Engin Eer', email: 'eer@redhat.com' },
      date: '2024-03-01T10:00:00+02:00',
    });
    expect((await repo.git(['log', '-1', '--format=%an <%ae> %aI %cn'])).trim()).toBe(
      'Engin Eer <eer@redhat.com> 2024-03-01T10:00:00+02:00 C O Mitter',
    );
    expect((await repo.git(['ls-files', '-s'])).trim()).toMatch(/^120000 [0-9a-f]{40} 0\tlink$/);
  });
});
