import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessLevel } from './access-level';
import { ZERO_SHA } from './git-store';
import type { SimContext } from './sim-context';
import type { SimUser } from './sim-model';

/** Path of the simulator's internal endpoint the repositories' pre-receive hook asks. */
export const PUSH_POLICY_PATH = '/-/internal/allowed';

/**
 * Installs the pre-receive hook of a project repository. Like GitLab's hooks calling its
 * `/internal/allowed` API, it sends the ref updates of a push (with whether each is a force push,
 * which only the hook can tell while the pushed objects are in quarantine) to the simulator and
 * refuses the push when the simulator says so.
 */
export async function installPushPolicyHook(ctx: SimContext, repoDir: string): Promise<void> {
  const script = `#!/bin/sh
# GitLab simulator: ask whether this push is allowed (GitLab's /internal/allowed).
command -v curl >/dev/null 2>&1 || exit 0
changes=""
while read old new ref; do
  forced=false
  if [ "$old" != "${ZERO_SHA}" ] && [ "$new" != "${ZERO_SHA}" ]; then
    git merge-base --is-ancestor "$old" "$new" 2>/dev/null || forced=true
  fi
  changes="$changes$old $new $ref $forced
"
done
answer=$(printf '%s' "$changes" | curl -s -w '\\n%{http_code}' --data-binary @- -H "X-Sim-Repository: $(pwd)" '${ctx.baseUrl}${PUSH_POLICY_PATH}')
status=$(printf '%s\\n' "$answer" | tail -n 1)
if [ "$status" != "200" ]; then
  printf 'GitLab: %s\\n' "$(printf '%s\\n' "$answer" | sed '$d')" >&2
  exit 1
fi
`;
  const path = join(repoDir, 'hooks', 'pre-receive');
  await writeFile(path, script);
  await chmod(path, 0o755);
}

/** One ref update of a push as the hook reports it. */
interface RefChange {
  readonly before: string;
  readonly after: string;
  readonly ref: string;
  readonly forced: boolean;
}

/**
 * GitLab's protected-branch rules for a push by `user`: the default branch is protected — only
 * Maintainers and Owners push to it, nobody force-pushes to it or deletes it. Returns the message
 * GitLab shows, or `undefined` when the push is allowed.
 */
export function refusePush(
  ctx: SimContext,
  repoDir: string,
  user: SimUser | undefined,
  changes: readonly RefChange[],
): string | undefined {
  const project = [...ctx.state.projects.values()].find((candidate) => candidate.repoDir === repoDir);
  if (project === undefined || user === undefined) return undefined;
  const protectedRef = `refs/heads/${project.defaultBranch}`;
  for (const change of changes) {
    if (change.ref !== protectedRef || project.emptyRepo) continue;
    if (change.after === ZERO_SHA) return 'You can only delete protected branches using the web interface.';
    if (change.forced) return 'You are not allowed to force push code to a protected branch on this project.';
    if (ctx.state.projectAccess(user, project) < AccessLevel.maintainer) {
      return 'You are not allowed to push code to protected branches on this project.';
    }
  }
  return undefined;
}

/** Answers the pre-receive hook: 200 to allow, 403 with GitLab's message to refuse. */
export function createPushPolicyHandler(
  ctx: SimContext,
  pusherOf: (repoDir: string) => SimUser | undefined,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const repoDir = String(request.headers['x-sim-repository'] ?? '');
      const changes = Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const [before = '', after = '', ref = '', forced = ''] = line.split(' ');
          return { before, after, ref, forced: forced === 'true' };
        });
      const refusal = refusePush(ctx, repoDir, pusherOf(repoDir), changes);
      response.writeHead(refusal === undefined ? 200 : 403, { 'Content-Type': 'text/plain' });
      response.end(refusal ?? 'allowed');
    });
  };
}
