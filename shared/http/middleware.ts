import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ForbiddenError, UnauthenticatedError } from '../app/errors';
import { sha256 } from '../app/secrets';
import type { Role } from '../store/access-repository';
import type { AppEnv } from './env';

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

/** Refuses a request body of another media type with 415, before anything reads it. */
export function requireMediaType(...accepted: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = mediaType(c.req.header('Content-Type'));
    if (!accepted.includes(type)) {
      throw new HTTPException(415, {
        message: `send the body as ${accepted.join(' or ')}${type ? `, not ${type}` : ' (no Content-Type was given)'}`,
      });
    }
    await next();
  };
}

/** 413 for a body larger than the configured limit, whether or not it announces its length. */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HTTPException(413, { message: `the request body is larger than ${maxBytes} bytes` });
    },
  });
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
    const record = await c.var.services.access.findApiKey(sha256(match[1]!));
    if (!record || record.revokedAt)
      throw new UnauthenticatedError('the API key is unknown or has been revoked');
    if (record.role !== role)
      throw new ForbiddenError(`this route is for ${role} keys; the key sent is a ${record.role} key`);
    c.set('principal', {
      role: record.role,
      keyPrefix: record.prefix,
      ...(record.unitId ? { unitId: record.unitId } : {}),
    });
    await next();
  };
}
