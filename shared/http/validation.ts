import type { Hook } from '@hono/zod-openapi';
import { ValidationError } from '../app/errors';
import { type FieldError, toFieldErrors } from '../domain/filing';
import type { AppEnv } from './env';

/** A request header is malformed: the request itself is wrong (400), not the data it carries. */
export class MalformedHeaderError extends Error {
  override name = 'MalformedHeaderError';
  constructor(readonly errors: FieldError[]) {
    super(`malformed header: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
  }
}

/**
 * Every schema failure of every route becomes one problem document naming the fields: 422 for
 * the body, the query and the path, 400 for a malformed header.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every input type
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (!result.success) {
    // zod-validator passes the raw input as `data` on failure too; its types leave it out.
    const found = toFieldErrors(result.error, (result as { data?: unknown }).data);
    const errors =
      result.target === 'json' ? found : found.map((e) => ({ ...e, field: `${result.target}.${e.field}` }));
    if (result.target === 'header') throw new MalformedHeaderError(errors);
    throw new ValidationError(errors);
  }
};
