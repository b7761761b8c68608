/**
 * The conversion child process (`dist/conversion-child.js`): runs one conversion the worker sent
 * over IPC ({@link ConversionRequest}), reports its progress, answers with the result or the
 * error, and exits. The worker kills it (and the git processes it started) at the conversion's
 * time and memory limits, so a hostile merge request can never stop the worker itself.
 *
 * It builds what cannot cross a process boundary itself: the git runner (with the bot identity
 * the worker sent, over the allow-listed environment the worker started it with) and the clock.
 */
import { withGitIdentity } from '@srcgit/core/internal';
import { createGitRunner, updateDistGit, updateSourceGit } from '@srcgit/dist-git-converter';
import { isConversionRequest, toWireError } from './conversion-protocol';
import type { ConversionReply, ConversionRequest } from './conversion-protocol';

process.once('message', (message: unknown) => void serve(message));

async function serve(message: unknown): Promise<void> {
  try {
    if (!isConversionRequest(message)) throw new Error('the conversion child received no conversion request');
    await send({ type: 'result', result: toPlainData(await convert(message)) });
  } catch (error) {
    await send({ type: 'error', error: toWireError(error) });
  }
  process.disconnect();
}

function convert(request: ConversionRequest): Promise<unknown> {
  const git = withGitIdentity(createGitRunner(), request.identity);
  const { clockIso, ...options } = request.options;
  const clock = (): Date => new Date(clockIso);
  switch (request.kind) {
    case 'updateDistGit':
      return updateDistGit({
        ...(options as Omit<typeof request.options, 'clockIso'>),
        git,
        now: clock,
        onProgress: (progress) => void send({ type: 'progress', progress }),
      });
    case 'updateSourceGit':
      return updateSourceGit({ ...(options as Omit<typeof request.options, 'clockIso'>), git, clock });
  }
}

/** The result as JSON has it (lazy properties such as the plan's `specDiff` are read here). */
function toPlainData(result: unknown): unknown {
  return JSON.parse(JSON.stringify(result)) as unknown;
}

function send(reply: ConversionReply): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(reply, undefined, {}, () => resolve());
  });
}
