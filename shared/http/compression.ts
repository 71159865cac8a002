import { promisify } from 'node:util';
import { deflate, deflateSync, gzip, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';

/** Smaller answers go as they are: the bytes saved would not pay for the work (hono's threshold too). */
const THRESHOLD = 1024;
/** Larger bodies are compressed on libuv's thread pool rather than on the event loop. */
const SYNC_LIMIT = 64 * 1024;
/** The types this app renders in memory (pages, JSON documents): read whole, compressed in one call. */
const IN_MEMORY = /^\s*(?:text\/html|application\/(?:[a-z0-9.+-]+\+)?json)\s*(?:;|$)/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

export type Encoding = 'gzip' | 'deflate';
/**
 * Bodies up to SYNC_LIMIT at zlib's fastest level (as nginx's default): a page is a few per cent
 * larger than at level 6, in a third of the time; larger ones at the default level, off the loop.
 */
const FAST = { level: 1 };
const compressors = {
  gzip: { sync: (body: Uint8Array) => gzipSync(body, FAST), async: promisify(gzip) },
  deflate: { sync: (body: Uint8Array) => deflateSync(body, FAST), async: promisify(deflate) },
} as const;

/**
 * gzip or deflate when the client asks (Accept-Encoding). Pages and JSON documents are rendered
 * in memory, so they are read whole and compressed in one zlib call, and small ones are sent as
 * they are; a stream through `CompressionStream` per answer (hono's `compress`) cost more CPU than
 * rendering the page. Any other compressible type still streams through hono's `compress`.
 */
export function compressResponses(): MiddlewareHandler {
  const streaming = compress({ threshold: THRESHOLD });
  return async (c, next) => {
    await next();
    const res = c.res;
    // hono's compress only looks at the answer once `next` is done: it is handed the answer as it is.
    if (!IN_MEMORY.test(res.headers.get('Content-Type') ?? '')) return streaming(c, async () => {});
    if (
      c.req.method === 'HEAD' ||
      res.status === 204 ||
      res.status === 206 ||
      res.status === 304 ||
      res.headers.has('Content-Encoding') ||
      res.headers.has('Transfer-Encoding') ||
      NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '')
    )
      return;
    const vary = res.headers.get('Vary');
    if (vary !== '*' && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? ''))
      res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const type = requestedEncoding(c);
    if (!type) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    let sent: Uint8Array = body;
    const compressed = await encoded(body, type);
    if (compressed) {
      sent = compressed;
      headers.set('Content-Encoding', type);
      headers.delete('Content-Length');
      const etag = headers.get('ETag');
      if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
    }
    // Cleared first: assigning over an answer makes hono copy it through a stream once more.
    c.res = undefined as never;
    c.res = new Response(sent.byteLength > 0 ? sent : null, {
      status: res.status,
      statusText: res.statusText,
      headers,
    });
  };
}

/** The encoding a compressible answer to this request goes in (Accept-Encoding), if any. */
export const requestedEncoding = (c: Context): Encoding | undefined =>
  acceptedEncoding(c.req.header('Accept-Encoding'));

/** `body` in `encoding`, or undefined when it is too small to be worth it (it goes as it is). */
export function encoded(body: Uint8Array, encoding: Encoding): Uint8Array | Promise<Uint8Array> | undefined {
  if (body.byteLength < THRESHOLD) return undefined;
  const compressor = compressors[encoding];
  return body.byteLength <= SYNC_LIMIT ? compressor.sync(body) : compressor.async(body);
}

/** gzip when the client takes it, else deflate; neither when refused (q=0) or not asked for. */
function acceptedEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const q: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    if (name) q[name] = weight === undefined ? 1 : Number(weight);
  }
  const of = (encoding: Encoding) => q[encoding] ?? q['*'] ?? 0;
  if (of('gzip') > 0 && of('gzip') >= of('deflate')) return 'gzip';
  return of('deflate') > 0 ? 'deflate' : undefined;
}
