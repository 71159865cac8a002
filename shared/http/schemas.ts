/**
 * The pieces of the OpenAPI contract that every route shares: formats, the problem document and
 * the error answers, headers, a case's flags. The office's and units' views of cases, paging and
 * notices are in case-schemas.ts, loaded with their routes. Response objects are closed
 * (`z.strictObject`, documented as `additionalProperties: false`): a field the document does not
 * list is a bug the contract test catches.
 */
import { z } from '@hono/zod-openapi';
import { SATISFACTION_LEVELS, SOLVED_ANSWERS } from '../domain/survey-outcome';
import { PROBLEM_TYPES, type ProblemSlug, problemType } from './problem';

// Formats ---------------------------------------------------------------------------------------

/** An instant as the API writes it: ISO 8601 in UTC. */
export const Timestamp = z.iso.datetime().meta({ example: '2026-11-23T02:00:00.000Z' });

// The survey -----------------------------------------------------------------------------------

/** The enterprise's answer, as posted to `/survey/{token}` (and recorded by the office's phone callback). */
export const surveyAnswerSchema = z.object({
  solved: z.enum(SOLVED_ANSWERS),
  satisfaction: z.enum(SATISFACTION_LEVELS),
  comment: z.string().trim().max(500).optional(),
});

// Problems --------------------------------------------------------------------------------------

const SLUGS = Object.keys(PROBLEM_TYPES) as ProblemSlug[];

export const FieldErrorSchema = z
  .strictObject({
    field: z.string().meta({
      description: 'dotted path of the field: `enterprise.creditCode` in the body, `query.limit`, `param.id`',
      example: 'enterprise.creditCode',
    }),
    code: z.string().meta({
      description:
        'stable reason: `required`, `invalid_type`, `too_short`, `too_long`, `too_small`, `too_big`, ' +
        '`not_in_list`, `invalid`, `taken`, `mobile`, `cadre_required`, `credit_code_length`, ' +
        '`credit_code_character`, `credit_code_check`',
      example: 'credit_code_check',
    }),
    message: z.string().meta({ example: 'the check character should be 3, not Y' }),
    params: z
      .strictObject({
        min: z.number().optional().meta({ description: 'the least length or value allowed' }),
        max: z.number().optional().meta({ description: 'the greatest length or value allowed' }),
        allowed: z.array(z.string()).optional().meta({ description: 'the values allowed' }),
        kind: z
          .enum(['length', 'character', 'check'])
          .optional()
          .meta({ description: 'what is wrong with a credit code' }),
        length: z.number().int().optional().meta({ description: 'the length of the credit code sent' }),
        position: z.number().int().optional().meta({ description: '1-based position of a bad character' }),
        character: z.string().optional().meta({ description: 'the bad character' }),
        expected: z.string().optional().meta({ description: 'the check character the code should end with' }),
        actual: z.string().optional().meta({ description: 'the check character sent' }),
      })
      .optional()
      .meta({ description: 'what the rule needs, for clients that word the message themselves' }),
  })
  .meta({ id: 'FieldError', description: 'one problem with one field' });

export const ProblemSchema = z
  .strictObject({
    type: z.enum(SLUGS.map(problemType) as [string, ...string[]]).meta({
      description: `The kind of problem:\n\n${SLUGS.map(
        (slug) =>
          `- \`${problemType(slug)}\` (${PROBLEM_TYPES[slug].status}): ${PROBLEM_TYPES[slug].description}`,
      ).join('\n')}`,
      example: problemType('validation'),
    }),
    title: z
      .string()
      .meta({ description: 'the same for every problem of a type', example: 'Invalid request' }),
    status: z.number().int().min(400).max(599).meta({ example: 422 }),
    detail: z.string().optional().meta({ description: 'what went wrong this time, in plain words' }),
    errors: z.array(FieldErrorSchema).optional().meta({ description: 'one entry per invalid field' }),
  })
  .meta({
    id: 'Problem',
    description: 'An RFC 9457 problem document (`application/problem+json`), as every error is answered',
  });

// Headers ---------------------------------------------------------------------------------------

export const HEADERS = {
  'WWW-Authenticate': z
    .string()
    .meta({ description: 'the authentication scheme to use', example: 'Bearer realm="zhuqi"' }),
  'Retry-After': z.string().regex(/^\d+$/).optional().meta({
    description: 'seconds to wait before sending the request again (not sent by the gateway throttling)',
    example: '30',
  }),
  'Idempotent-Replayed': z.enum(['true']).optional().meta({
    description: '`true` when the request repeated an earlier one and this is the first answer again',
  }),
  Location: z
    .string()
    .meta({ description: 'the URL of the resource', example: '/api/v1/cases/YL-2026-000123' }),
} as const;

/** The headers a response declares, by name. */
export const headers = (...names: (keyof typeof HEADERS)[]) =>
  z.object(Object.fromEntries(names.map((name) => [name, HEADERS[name]])));
type Headers = ReturnType<typeof headers>;

// Responses -------------------------------------------------------------------------------------

/** A JSON response of an OpenAPI route. */
export const json = <T extends z.ZodType>(
  schema: T,
  description: string,
  extra: { headers?: Headers } = {},
) => ({
  description,
  ...(extra.headers ? { headers: extra.headers } : {}),
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T, example?: z.input<T>) => ({
  required: true,
  content: { 'application/json': { schema, ...(example ? { example } : {}) } },
});

/** The problem-document response of an OpenAPI route. */
export const problem = (description: string, extra: { headers?: Headers } = {}) => ({
  description,
  ...(extra.headers ? { headers: extra.headers } : {}),
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** Headers that come with a problem of this status. */
const PROBLEM_HEADERS: Partial<Record<ErrorStatus, (keyof typeof HEADERS)[]>> = {
  401: ['WWW-Authenticate'],
  429: ['Retry-After'],
};

/** What API Gateway answers when the stage's throttling refuses a request (on AWS, any route). */
const ThrottledSchema = z.strictObject({ message: z.string().meta({ example: 'Too Many Requests' }) }).meta({
  id: 'Throttled',
  description: "API Gateway's own answer when the stage's request rate is exceeded",
});
const THROTTLED =
  'On AWS, the stage throttling of the HTTP API may refuse any request (application/json, `Throttled`).';

/**
 * The error answers of an operation, each a problem document, plus what any operation may
 * answer: 429 from the gateway's throttling on AWS, and 500. Spread the shared sets
 * (keyProblems, BODY_PROBLEMS) and add the operation's own.
 */
export function problems(...sets: Partial<Record<ErrorStatus, string>>[]) {
  const merged: Partial<Record<ErrorStatus, string>> = Object.assign({}, ...sets);
  const responses: Record<number, ReturnType<typeof problem>> = {};
  for (const [status, description] of Object.entries(merged)) {
    const names = PROBLEM_HEADERS[Number(status) as ErrorStatus];
    responses[Number(status)] = problem(description!, names ? { headers: headers(...names) } : {});
  }
  const limited = responses[429];
  responses[429] = {
    description: limited ? `${limited.description}. ${THROTTLED}` : THROTTLED,
    ...(limited?.headers ? { headers: limited.headers } : {}),
    content: { ...limited?.content, 'application/json': { schema: ThrottledSchema } },
  } as ReturnType<typeof problem>;
  responses[500] = problem('the server failed; the error has been logged');
  return responses;
}

/** Adds the HTML page a browser gets (routes outside /api that also serve people). */
export function orPage<R extends { content: Record<string, unknown> }>(response: R, page: string): R {
  return {
    ...response,
    content: { ...response.content, 'text/html': { schema: z.string().meta({ description: page }) } },
  };
}

/** What routes behind an API key answer besides their own errors. */
export const keyProblems = (role: 'office' | 'unit') => ({
  401: 'no API key, or an unknown or revoked one',
  403: `the key is not ${role === 'office' ? 'an office' : 'a unit'} key`,
  429: 'too many unknown or revoked API keys from this client address',
});

/** What routes taking a JSON body answer besides their own errors. */
export const BODY_PROBLEMS = {
  400: 'the body is not well-formed JSON',
  413: 'the body is larger than the limit',
  415: 'the body is not sent as application/json',
} as const;

// Cases -----------------------------------------------------------------------------------------

export const FlagsSchema = z
  .strictObject({
    overdue: z.boolean().meta({ description: '超期: a deadline passed without the answer expected' }),
    escalated: z.boolean().meta({ description: '已升级: brought to the supervising leader' }),
    reopened: z.boolean().meta({ description: '回头看: reopened after a negative survey' }),
  })
  .meta({ id: 'CaseFlags' });
