import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  CaseConflictError,
  CommonProblemConflictError,
  DuplicateFilingError,
  ForbiddenError,
  IdempotencyKeyReuseError,
  InvalidTransitionError,
  NotFoundError,
  SignInRefusedError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from '../app/errors';
import type { FieldError } from '../domain/filing';
import { wantsPage } from './middleware';
import { MalformedHeaderError } from './validation';

/**
 * Every problem type the API answers with (`urn:zhuqi:problem:<slug>`): its title, its status and
 * what it means. The OpenAPI document describes the types from this table, so a new one is
 * documented by adding it here.
 */
export const PROBLEM_TYPES = {
  'bad-request': {
    status: 400,
    title: 'Bad request',
    description: 'the body is not well-formed JSON, or a header is malformed (`detail` says which)',
  },
  unauthenticated: {
    status: 401,
    title: 'Authentication required',
    description: 'no API key was sent, or the key is unknown or revoked',
  },
  forbidden: { status: 403, title: 'Forbidden', description: 'the API key is valid but of another role' },
  'not-found': {
    status: 404,
    title: 'Not found',
    description: 'no such resource, or none this caller may see (answered alike, so nothing leaks)',
  },
  conflict: {
    status: 409,
    title: 'Conflicting update',
    description: 'somebody changed the resource at the same moment; read it again and retry',
  },
  'invalid-state': {
    status: 409,
    title: 'Not allowed in the current state',
    description: 'the case is not in a state that allows this action (`detail` says why)',
  },
  'duplicate-filing': {
    status: 409,
    title: 'Filed already',
    description:
      'the same filing came again the same day without an Idempotency-Key; it is not filed twice, and its tracking link is not repeated',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    description: 'the body is larger than the configured limit',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    description: 'the body is sent with a Content-Type the operation does not take',
  },
  validation: {
    status: 422,
    title: 'Invalid request',
    description: 'fields of the body, the query or the path are invalid; `errors` names each one',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key reused',
    description: 'the Idempotency-Key was used before with another body; a new case needs a new key',
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    description:
      'an abuse limit of this client (or credit code) is reached; `Retry-After` says when to try again',
  },
  http: {
    status: 400,
    title: 'Request failed',
    description: 'another HTTP error; `status` and `detail` say which',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'the server failed; the error has been logged',
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export const problemType = (slug: ProblemSlug) => `urn:zhuqi:problem:${slug}` as const;

/** An RFC 9457 problem document, as every error of the API is answered. */
export interface Problem {
  type: ReturnType<typeof problemType>;
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

/** The problem document of a type, with what went wrong this time. */
export function problemOf(slug: ProblemSlug, detail?: string, status?: ContentfulStatusCode): Problem {
  const { title, status: usual } = PROBLEM_TYPES[slug];
  return { type: problemType(slug), title, status: status ?? usual, ...(detail ? { detail } : {}) };
}

const HTTP_PROBLEMS: Partial<Record<number, ProblemSlug>> = {
  400: 'bad-request',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** Maps an error raised anywhere below a route to the problem document it answers with. */
export function problemFor(error: unknown): Problem | undefined {
  if (error instanceof ValidationError) {
    return { ...problemOf('validation', error.message), errors: error.errors };
  }
  if (error instanceof MalformedHeaderError) {
    return { ...problemOf('bad-request', error.message), errors: error.errors };
  }
  if (error instanceof IdempotencyKeyReuseError) return problemOf('idempotency-key-reused', error.message);
  if (error instanceof CaseConflictError || error instanceof CommonProblemConflictError)
    return problemOf('conflict', error.message);
  if (error instanceof InvalidTransitionError) return problemOf('invalid-state', error.message);
  if (error instanceof NotFoundError) return problemOf('not-found', error.message);
  if (error instanceof UnauthenticatedError) return problemOf('unauthenticated', error.message);
  if (error instanceof ForbiddenError) return problemOf('forbidden', error.message);
  if (error instanceof DuplicateFilingError) return problemOf('duplicate-filing', error.message);
  if (error instanceof TooManyRequestsError) return problemOf('too-many-requests', error.message);
  if (error instanceof SignInRefusedError) {
    return problemOf(error.reason === 'unknown' ? 'unauthenticated' : 'forbidden', error.message);
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return problemOf(HTTP_PROBLEMS[status] ?? 'http', error.message || undefined, status);
  }
  return undefined;
}

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
export const notFoundProblem = problemOf('not-found', 'no such resource');
export const internalProblem = problemOf('internal', 'the server failed; the error has been logged');
