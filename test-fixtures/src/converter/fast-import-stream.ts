/** Collects a `git fast-import` stream in memory (for generators that write history in one process). */
export class FastImportStream {
  private readonly chunks: Buffer[] = [];
  /** A command line; the newline is added. */
  line(text: string): void {
    this.chunks.push(Buffer.from(`${text}\n`));
  }
  /** Text or bytes written as they are (e.g. a whole `M … inline` change with its data). */
  raw(content: string | Uint8Array): void {
    this.chunks.push(Buffer.from(content));
  }
  /** A `data <length>` block. */
  data(content: string | Uint8Array): void {
    const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    this.chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
