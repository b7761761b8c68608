/**
 * A queue of byte chunks produced while a git process runs, consumed as its standard input
 * ({@link GitRunOptions.input} accepts any `AsyncIterable<Uint8Array>`).
 */
export interface ChunkQueue extends AsyncIterable<Uint8Array> {
  push(chunk: Uint8Array): void;
  /** No more chunks: the consumer's iteration ends once the queue is drained. */
  end(): void;
  /** Ends the iteration with an error (the git process is then killed). */
  fail(error: Error): void;
}

/** Creates an unbounded {@link ChunkQueue} with a single consumer. */
export function createChunkQueue(): ChunkQueue {
  const chunks: Uint8Array[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  return {
    push(chunk) {
      if (ended) throw new Error('push after end');
      chunks.push(chunk);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    fail(error) {
      failure = error;
      ended = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (failure !== undefined) throw failure;
        const chunk = chunks.shift();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}
