import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  CaseConflictError,
  ForbiddenError,
  IdempotencyKeyReuseError,
  InvalidTransitionError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../app/errors';
import type { FieldError } from '../domain/filing';
import { wantsPage } from './middleware';

/** RFC 9457 problem details, as every error of the API is answered. */
export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:zhuqi:problem:validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), code: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'one entry per invalid field' }),
  })
  .meta({ id: 'Problem' });

export interface Problem {
  type: string;
  title: string;
  status: ContentfulStatusCode;
  detail?: string;
  errors?: FieldError[];
}

export function problemResponse(
  c: Context,
  problem: Problem,
  headers: Record<string, string> = {},
): Response {
  return c.body(JSON.stringify(problem), problem.status, {
    'Content-Type': 'application/problem+json',
    ...headers,
  });
}

const problem = (slug: string, title: string, status: ContentfulStatusCode, detail?: string): Problem => ({
  type: `urn:zhuqi:problem:${slug}`,
  title,
  status,
  ...(detail ? { detail } : {}),
});

/** Maps an error raised anywhere below a route to the problem document it answers with. */
export function problemFor(error: unknown): Problem | undefined {
  if (error instanceof ValidationError) {
    return { ...problem('validation', 'Invalid request', 422, error.message), errors: error.errors };
  }
  if (error instanceof IdempotencyKeyReuseError)
    return problem('idempotency-key-reused', 'Idempotency-Key reused', 422, error.message);
  if (error instanceof CaseConflictError)
    return problem('conflict', 'Conflicting update', 409, error.message);
  if (error instanceof InvalidTransitionError)
    return problem('invalid-state', 'Not allowed in the current state', 409, error.message);
  if (error instanceof NotFoundError) return problem('not-found', 'Not found', 404, error.message);
  if (error instanceof UnauthenticatedError)
    return problem('unauthenticated', 'Authentication required', 401, error.message);
  if (error instanceof ForbiddenError) return problem('forbidden', 'Forbidden', 403, error.message);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const slug = { 400: 'bad-request', 413: 'payload-too-large', 415: 'unsupported-media-type' }[
      status as number
    ];
    return problem(slug ?? 'http', error.message || 'Request failed', status, error.message || undefined);
  }
  return undefined;
}

export const notFoundProblem = problem('not-found', 'Not found', 404, 'no such resource');
export const internalProblem = problem(
  'internal',
  'Internal error',
  500,
  'the server failed; the error has been logged',
);

/**
 * A refusal on a page route: the page to a browser (which asks for text/html), the problem
 * document to every other client.
 */
export function refusal(
  c: Context,
  problem: Problem,
  page: () => Response | Promise<Response>,
): Response | Promise<Response> {
  return wantsPage(c) ? page() : problemResponse(c, problem);
}
