/**
 * Work the simulator does after an API call has returned (fork imports, webhook deliveries,
 * self-running pipelines), tracked so that tests can wait until everything has settled.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly failures: unknown[] = [];
  private closed = false;

  /** Runs `task` after `delayMs` (0: on the next turn of the event loop). */
  schedule(delayMs: number, task: () => Promise<void> | void): void {
    if (this.closed) return;
    let release = (): void => undefined;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.pending.add(done);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void (async () => {
        try {
          if (!this.closed) await task();
        } catch (error) {
          this.failures.push(error);
        } finally {
          this.pending.delete(done);
          release();
        }
      })();
    }, delayMs);
    this.timers.set(timer, () => {
      this.pending.delete(done);
      release();
    });
  }

  /** Resolves when nothing is pending any more; rejects if background work failed meanwhile. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failures.length > 0) {
      const failures = this.failures.splice(0);
      throw new AggregateError(failures, `GitLab simulator background work failed: ${String(failures[0])}`);
    }
  }

  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** Cancels everything not yet started. */
  close(): void {
    this.closed = true;
    for (const [timer, cancel] of this.timers) {
      clearTimeout(timer);
      cancel();
    }
    this.timers.clear();
  }
}
