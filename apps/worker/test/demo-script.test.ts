/**
 * `pnpm demo` (scripts/demo.ts, run after the build as the root script does): it must show the
 * bot's main job and exit 0, cleaning up after itself.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('pnpm demo', () => {
  it(
    'opens a source-git MR and prints the dist-git MR, its patch file and the notes, then exits 0',
    { timeout: 180_000 },
    async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
        timeout: 170_000,
      });
      expect(stdout).toMatch(
        /=== The dist-git MR the bot opened: http:\/\/127\.0\.0\.1:\d+\/rpms\/beer\/-\/merge_requests\/1/,
      );
      expect(stdout).toContain('from srcgit-bot/beer:c10s-src-1 into rpms/beer:c10s');
      expect(stdout).toContain('=== 0001-Pour-pale-ale-by-default.patch');
      expect(stdout).toContain('+Patch0001:      0001-Pour-pale-ale-by-default.patch');
      expect(stdout).toMatch(/=== The bot's note on the source-git MR\n\[Dist-git MR #1\]/);
      expect(stdout).toContain('Done. Cleaning up.');
    },
  );
});
