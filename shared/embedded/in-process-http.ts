import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The parts of a smithy HttpRequest the handler reads. */
interface SdkRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An AWS SDK request handler that hands each request straight to a Node request listener in this
 * process (dynalite's), without a socket: the embedded store pays neither loopback HTTP nor its
 * connection pool. The listener sees an ordinary request and writes an ordinary response.
 */
export function inProcessHandler(listener: RequestListener) {
  return {
    metadata: { handlerProtocol: 'in-process' },
    async handle(request: SdkRequest) {
      const body = toBuffer(request.body);
      const req = Object.assign(new EventEmitter(), {
        method: request.method,
        url: request.path,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      const response = await new Promise<{
        statusCode: number;
        headers: Record<string, string>;
        body: Uint8Array;
      }>((resolve) => {
        const headers: Record<string, string> = {};
        const res = {
          statusCode: 200,
          setHeader(name: string, value: unknown) {
            headers[name.toLowerCase()] = String(value);
          },
          end(chunk?: string | Buffer) {
            resolve({
              statusCode: res.statusCode,
              headers,
              body: chunk === undefined ? new Uint8Array() : Buffer.from(chunk),
            });
          },
        };
        listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
        if (body.length > 0) req.emit('data', body);
        req.emit('end');
      });
      return { response };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

function toBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('the in-process store handler takes string or byte bodies only');
}
