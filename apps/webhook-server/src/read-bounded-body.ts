/**
 * @module
 * Reads a request body without ever holding more than a set number of bytes.
 */

/** What {@link readBoundedBody} got: the bytes, or the news that there were too many. */
export type BoundedBody =
  | { readonly kind: 'read'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'too-large';
      /** The `Content-Length` that announced too many bytes, or `null` when counting found them. */
      readonly announced: number | null;
    };

function announcedLength(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

function concatenate(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads `request`'s body, at most `maxBytes` of it: a `Content-Length` above the limit is refused
 * without reading a byte; otherwise the stream is read chunk by chunk with a counter and abandoned
 * (cancelled) as soon as the count passes the limit — whatever `Content-Length` claimed, or with
 * chunked transfer encoding. Memory stays bounded by the limit plus one chunk.
 *
 * @example
 * const body = await readBoundedBody(c.req.raw, 5 * 1024 * 1024);
 * if (body.kind === 'too-large') return c.text('Too large', 413);
 */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<BoundedBody> {
  const announced = announcedLength(request.headers.get('content-length'));
  if (announced !== null && announced > maxBytes) return { kind: 'too-large', announced };
  const stream: ReadableStream<Uint8Array> | null = request.body;
  if (stream === null) return { kind: 'read', bytes: new Uint8Array(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel('body larger than the limit').catch(() => undefined);
      return { kind: 'too-large', announced: null };
    }
    chunks.push(value);
  }
  return { kind: 'read', bytes: concatenate(chunks, total) };
}
