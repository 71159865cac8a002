import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';
import { type Encoding, encoded, requestedEncoding } from './compression';

interface Rendered {
  html: Uint8Array;
  /** The page in each encoding asked for so far; null when it is too small to be compressed. */
  encodings: Partial<Record<Encoding, Uint8Array | null>>;
}

/**
 * A page that keeps what it rendered, compressed, by the props it was rendered from: the same
 * props render the same page, so a page is rendered and compressed once while what it shows stays
 * the same, and anything that changes it (a new version of the case, the other language, the
 * unit's new name) makes a new key. For pages read again and again without change (a tracking
 * link reloaded); at most `max` pages are kept, the least recently used go first. The answers stay
 * private (`privacyHeaders`): this memory is the server's own.
 */
export function renderedPage<Props>(render: (props: Props) => Child, max: number) {
  const kept = new Map<string, Rendered>();
  return async (c: Context, props: Props): Promise<Response> => {
    const key = JSON.stringify(props);
    let page = kept.get(key);
    if (page) kept.delete(key);
    else {
      const html = await resolveCallback(
        render(props) as never,
        HtmlEscapedCallbackPhase.Stringify,
        false,
        {},
      );
      page = { html: Buffer.from(html), encodings: {} };
      if (kept.size >= max) kept.delete(kept.keys().next().value!);
    }
    kept.set(key, page);
    const headers: Record<string, string> = {
      'Content-Type': 'text/html; charset=UTF-8',
      Vary: 'Accept-Encoding',
    };
    const encoding = requestedEncoding(c);
    let body = page.html;
    if (encoding) {
      let compressed = page.encodings[encoding];
      if (compressed === undefined)
        compressed = page.encodings[encoding] = (await encoded(body, encoding)) ?? null;
      if (compressed) {
        body = compressed;
        headers['Content-Encoding'] = encoding;
      }
    }
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  };
}
