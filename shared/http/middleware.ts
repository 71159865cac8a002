import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { admit, countFailure, refuseWhenExhausted } from '../app/abuse-limits';
import { callerOf } from '../app/access';
import { ForbiddenError, UnauthenticatedError } from '../app/errors';
import { sha256 } from '../app/secrets';
import type { Role } from '../store/access-repository';
import type { AppEnv } from './env';

export const JSON_MEDIA_TYPE = 'application/json';
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
export const MULTIPART_MEDIA_TYPE = 'multipart/form-data';

/** The media type of a Content-Type header, without parameters, lower case ('' when absent). */
export const mediaTypeOf = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

/** `application/json` and the structured-syntax suffix `application/…+json` (RFC 6839), nothing looser. */
export const isJsonMediaType = (type: string) =>
  type === JSON_MEDIA_TYPE || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type);

const acceptable = (type: string, accepted: readonly string[]) =>
  accepted.includes(type) || (accepted.includes(JSON_MEDIA_TYPE) && isJsonMediaType(type));

/** Refuses a request body of another media type with 415, before anything reads it. */
export function requireMediaType(...accepted: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = mediaTypeOf(c.req.header('Content-Type'));
    if (!acceptable(type, accepted)) {
      throw new HTTPException(415, {
        message: `send the body as ${accepted.join(' or ')}${type ? '' : ' (no Content-Type was given)'}`,
      });
    }
    await next();
  };
}

/**
 * Reads a JSON or form body (the route's media type gate has run). Anything that is not a
 * well-formed body of its type is a 400 whose message quotes nothing of what was sent.
 */
export async function readBody(
  c: Context<AppEnv>,
): Promise<{ json: boolean; fields: Record<string, unknown> }> {
  const json = isJsonMediaType(mediaTypeOf(c.req.header('Content-Type')));
  let fields: unknown;
  try {
    fields = json ? await c.req.json() : await c.req.parseBody();
  } catch {
    throw new HTTPException(400, {
      message: json ? 'the body is not well-formed JSON' : 'the body is not a well-formed form',
    });
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new HTTPException(400, { message: 'the body must be a JSON object' });
  return { json, fields: fields as Record<string, unknown> };
}

/** Whether the client is a browser that wants a page (forms, links), rather than a program. */
export const wantsPage = (c: Context) =>
  !c.req.path.startsWith('/api/') && (c.req.header('Accept') ?? '').includes('text/html');

/** 413 for a body larger than the configured limit, whether or not it announces its length. */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = () => {
    throw new HTTPException(413, { message: `the request body is larger than ${maxBytes} bytes` });
  };
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return (c, next) => {
    // A body that announces its length is judged by it, as hono's bodyLimit does, but without
    // asking for the request's body stream first: on Node that made a web Request and stream of
    // every request, which the JSON body is then read through (@hono/node-server reads it directly).
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number.parseInt(length, 10) > maxBytes ? tooLarge() : next();
    return counted(c, next);
  };
}

/**
 * Lets in callers with an API key of the given role (`Authorization: Bearer …`). No key, an
 * unknown or a revoked one is 401; a valid key of another role is 403.
 */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('send an API key as "Authorization: Bearer <key>"');
    const address = clientAddress(c);
    await refuseWhenExhausted(c.var.services, 'failedSignInsPerAddress', address);
    const record = await c.var.services.access.findApiKey(sha256(match[1]!));
    if (!record || record.revokedAt) {
      await countFailure(c.var.services, 'failedSignInsPerAddress', address);
      throw new UnauthenticatedError('the API key is unknown or has been revoked');
    }
    if (record.role !== role)
      throw new ForbiddenError(`this route is for ${role} keys; the key sent is a ${record.role} key`);
    c.set('principal', callerOf(record));
    await next();
  };
}

/**
 * The client's address: API Gateway's `sourceIp` on Lambda, the socket's peer in the embedded
 * runtime (behind a proxy, that is the proxy). Requests made in-process have none.
 */
export function clientAddress(c: Context): string {
  const env = c.env as
    | {
        requestContext?: { http?: { sourceIp?: string } };
        incoming?: { socket?: { remoteAddress?: string } };
      }
    | undefined;
  // hono/aws-lambda hands the event's requestContext to the app as `c.env.requestContext`.
  return env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * A look-up by a secret (a tracking key, a survey token): refused while the client's failed
 * look-ups have reached their limit, and counted when it finds nothing.
 */
export async function lookUpBySecret<T>(
  c: Context<AppEnv>,
  find: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const address = clientAddress(c);
  await refuseWhenExhausted(c.var.services, 'failedLookupsPerAddress', address);
  const found = await find();
  if (found === undefined) await countFailure(c.var.services, 'failedLookupsPerAddress', address);
  return found;
}

/** The abuse limits of a new filing: per client address and per credit code. */
export const admitFiling = (c: Context<AppEnv>, creditCode: string) => async () => {
  await admit(c.var.services, 'filingsPerAddress', clientAddress(c));
  await admit(c.var.services, 'filingsPerCreditCode', creditCode);
};
