import type { Hook } from '@hono/zod-openapi';
import { ValidationError } from '../app/errors';
import { toFieldErrors } from '../domain/filing';
import type { AppEnv } from './env';

/** Every schema failure of every route becomes one 422 problem document naming the fields. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every input type
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (!result.success) {
    // zod-validator passes the raw input as `data` on failure too; its types leave it out.
    const errors = toFieldErrors(result.error, (result as { data?: unknown }).data);
    throw new ValidationError(
      result.target === 'json' ? errors : errors.map((e) => ({ ...e, field: `${result.target}.${e.field}` })),
    );
  }
};
