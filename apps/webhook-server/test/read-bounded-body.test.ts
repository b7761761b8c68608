import { describe, expect, it } from 'vitest';
import { readBoundedBody } from '../src/read-bounded-body';

/** A request whose body is `chunks` chunks of `size` bytes, produced on demand; counts what was pulled. */
function streamingRequest(chunks: number, size: number, headers: Record<string, string> = {}) {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks) {
          controller.close();
          return;
        }
        pulled += 1;
        controller.enqueue(new Uint8Array(size).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request('http://localhost/', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  });
  return { request, pulled: () => pulled, cancelled: () => cancelled };
}

describe('readBoundedBody', () => {
  it('reads a body up to the limit', async () => {
    const { request } = streamingRequest(4, 256);
    const result = await readBoundedBody(request, 1024);
    expect(result.kind).toBe('read');
    expect(result.kind === 'read' ? result.bytes.byteLength : -1).toBe(1024);
  });

  it('refuses a Content-Length over the limit without reading a byte', async () => {
    const { request, pulled } = streamingRequest(10, 1024, { 'Content-Length': '10240' });
    await expect(readBoundedBody(request, 4096)).resolves.toEqual({ kind: 'too-large', announced: 10_240 });
    expect(pulled()).toBe(0);
  });

  it('stops reading a longer stream at the limit, whatever Content-Length claimed', async () => {
    // 1 GiB on offer, announced as 100 bytes: only what passes the 4 KiB limit is ever pulled.
    const { request, pulled, cancelled } = streamingRequest(1 << 20, 1024, { 'Content-Length': '100' });
    await expect(readBoundedBody(request, 4096)).resolves.toEqual({ kind: 'too-large', announced: null });
    expect(pulled()).toBeLessThanOrEqual(6);
    expect(cancelled()).toBe(true);
  });

  it('reads an absent body as empty', async () => {
    const request = new Request('http://localhost/', { method: 'POST' });
    const result = await readBoundedBody(request, 10);
    expect(result).toEqual({ kind: 'read', bytes: new Uint8Array(0) });
  });
});
