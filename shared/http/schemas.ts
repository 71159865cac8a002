/**
 * The pieces of the OpenAPI contract that every route shares: formats, the problem document and
 * the error answers, headers, paging, and the case and notice schemas the office, the units and
 * the webhooks all use. Response objects are closed (`z.strictObject`, documented as
 * `additionalProperties: false`): a field the document does not list is a bug the contract test
 * catches.
 */
import { z } from '@hono/zod-openapi';
import { NOTICE_KINDS } from '../domain/case';
import { CASE_STATUSES, CHANNELS, LEVELS } from '../domain/case-state';
import { GRADES } from '../domain/deadlines';
import { FOLLOW_UP_RESULTS } from '../domain/follow-up';
import { NOT_RATED, SATISFACTION_LEVELS, SOLVED_ANSWERS, SURVEY_CHANNELS } from '../domain/survey-outcome';
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

// Paging ----------------------------------------------------------------------------------------

export const PAGING =
  'Paged: at most `limit` items (default 50) come back, with a `cursor` when there are more. ' +
  'Send that `cursor` back, with the same filters, for the next page. The last page has no `cursor`.';

export const PageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'the most items to answer, 1 to 200 (default 50)', example: 50 }),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .meta({ description: 'the `cursor` of the page before, unchanged; absent for the first page' }),
};

/** A page of items, with the cursor of the next page when there is one. */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .strictObject({
      items: z.array(item),
      cursor: z
        .string()
        .optional()
        .meta({ description: 'send it as `cursor` for the next page; absent on the last page' }),
    })
    .meta({ id });

// Cases -----------------------------------------------------------------------------------------

export const FlagsSchema = z
  .strictObject({
    overdue: z.boolean().meta({ description: '超期: a deadline passed without the answer expected' }),
    escalated: z.boolean().meta({ description: '已升级: brought to the supervising leader' }),
    reopened: z.boolean().meta({ description: '回头看: reopened after a negative survey' }),
  })
  .meta({ id: 'CaseFlags' });

const ClockSchema = z
  .strictObject({
    id: z.enum(['triage', 'progress', 'resolve']),
    startedAt: Timestamp,
    warnAt: Timestamp.meta({ description: 'the yellow warning (黄牌) is issued then' }),
    dueAt: Timestamp,
    escalateAt: Timestamp.meta({ description: 'still late then: escalated to the supervising leader' }),
    beyondCalendar: z
      .boolean()
      .meta({ description: 'a day counted lies in a year whose official holidays are not configured' }),
    grade: z.enum(GRADES).meta({ description: 'the highest supervision grade issued' }),
    metAt: Timestamp.optional().meta({ description: 'when the answer expected came' }),
  })
  .meta({ id: 'Clock', description: 'one running deadline of the 13710 policy' });

export const FollowUpSchema = z
  .strictObject({
    month: z
      .string()
      .meta({ description: 'the month (China time, YYYY-MM) the case closed in', example: '2026-10' }),
    sampledAt: Timestamp,
    result: z.enum(FOLLOW_UP_RESULTS).optional(),
    note: z.string().optional(),
    recordedAt: Timestamp.optional(),
    by: z.string().optional().meta({ description: 'the prefix of the office key that recorded the result' }),
  })
  .meta({ id: 'FollowUp', description: '回头看: the follow-up check of a closed case sampled at random' });

export const CaseSummarySchema = z
  .strictObject({
    id: z.string().meta({ example: 'k7q2m4x9a3b5c6d8e2f4' }),
    caseNo: z.string().meta({ example: 'YL-2026-000123' }),
    status: z.enum(CASE_STATUSES),
    flags: FlagsSchema,
    title: z.string(),
    category: z.string(),
    township: z.string(),
    enterpriseName: z.string(),
    level: z.enum(LEVELS).optional(),
    unitId: z.string().optional(),
    nextDue: z
      .strictObject({
        clock: z.enum(['triage', 'progress', 'resolve']),
        dueAt: Timestamp,
        grade: z.enum(GRADES),
      })
      .optional()
      .meta({ description: 'the running deadline that falls first' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'CaseSummary' });

export const CaseListSchema = pageOf(CaseSummarySchema, 'CaseList');

export const RecipientSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('unit'), unitId: z.string() }),
    z.strictObject({ kind: z.literal('office') }),
    z.strictObject({ kind: z.literal('enterprise'), mobile: z.string() }),
  ])
  .meta({ id: 'Recipient', description: 'who a notice is for' });

const NoticeKindSchema = z.enum(NOTICE_KINDS).meta({
  id: 'NoticeKind',
  description:
    'assignment: 交办单; warning: yellow warning (黄牌) before a deadline; overdue: red notice (督办单) at it; ' +
    'escalation: to the supervising leader; survey: the satisfaction survey link; ' +
    "extension_decision: the office's answer to an extension request; " +
    'filed: the filing confirmation to the enterprise with its tracking link (where SMS is configured)',
});

const ActorSchema = z.strictObject({
  kind: z.enum(['enterprise', 'cadre', 'office', 'unit', 'system']),
  id: z
    .string()
    .optional()
    .meta({ description: 'unit id, cadre name, or (to the office only) the prefix of the office key' }),
  name: z.string().optional().meta({
    description:
      "who acted, by name: to the office the person (their key's label); to a unit, the office's or a unit's name",
  }),
});

const HistoryEntrySchema = z
  .strictObject({
    at: Timestamp,
    actor: ActorSchema,
    action: z.string().meta({
      description:
        'startTriage, assign, solveOnSpot, triageNote, returnCase, accept, reportProgress, requestExtension, ' +
        'extend, refuseExtension, resolve, supervise:yellow, supervise:red, escalate, survey, reopen, ' +
        'reopenForTriage, close, followUpSampled, followUp; to the office also viewContact (a unit saw the full contact data)',
      example: 'assign',
    }),
    from: z.enum(CASE_STATUSES).optional(),
    to: z.enum(CASE_STATUSES).optional(),
    note: z.string().optional().meta({ description: 'what the actor wrote' }),
    public: z.boolean().meta({ description: 'shown on the tracking link' }),
    data: z
      .strictObject({
        level: z.enum(LEVELS).optional(),
        unitId: z.string().optional(),
        days: z.number().int().optional(),
        clock: z.enum(['triage', 'progress', 'resolve']).optional(),
        dueAt: Timestamp.optional(),
        solved: z.enum(SOLVED_ANSWERS).optional(),
        satisfaction: z.enum(SATISFACTION_LEVELS).optional(),
        comment: z.string().optional(),
        channel: z.enum(SURVEY_CHANNELS).optional(),
        recordedBy: z.string().optional(),
        month: z.string().optional(),
        result: z.enum(FOLLOW_UP_RESULTS).optional(),
      })
      .optional()
      .meta({
        description: 'details of the action: the level and unit chosen, extension days, a survey answer…',
      }),
  })
  .meta({ id: 'HistoryEntry' });

export const CaseSchema = z
  .strictObject({
    id: z.string().meta({ example: 'k7q2m4x9a3b5c6d8e2f4' }),
    caseNo: z.string().meta({ example: 'YL-2026-000123' }),
    status: z.enum(CASE_STATUSES),
    flags: FlagsSchema,
    enterprise: z.strictObject({ name: z.string(), creditCode: z.string(), township: z.string() }),
    contact: z.strictObject({ name: z.string(), mobile: z.string() }),
    category: z.string(),
    title: z.string(),
    description: z.string(),
    channel: z.enum(CHANNELS),
    cadre: z
      .strictObject({ name: z.string(), mobile: z.string().optional() })
      .optional()
      .meta({ description: 'the cadre (助企干部) who collected the problem on a visit' }),
    suggestion: z
      .strictObject({ level: z.enum(LEVELS), unitId: z.string().optional() })
      .optional()
      .meta({ description: "the routing rules' suggestion at triage" }),
    level: z.enum(LEVELS).optional(),
    unitId: z.string().optional(),
    reopenCount: z.number().int().min(0),
    clocks: z.array(ClockSchema),
    returnBy: Timestamp.optional().meta({ description: 'until when the unit may return the case' }),
    resolution: z.string().optional(),
    extension: z
      .strictObject({
        requestedAt: Timestamp,
        days: z.number().int(),
        reason: z.string(),
        status: z.enum(['pending', 'granted', 'refused']),
        decidedAt: Timestamp.optional(),
        note: z.string().optional().meta({ description: "the office's note on its decision" }),
      })
      .optional(),
    survey: z
      .strictObject({
        round: z.number().int().min(0).meta({ description: 'how often the case was reopened before' }),
        sentAt: Timestamp,
        expiresAt: Timestamp,
        answeredAt: Timestamp.optional(),
        answer: z
          .strictObject({
            solved: z.enum(SOLVED_ANSWERS),
            satisfaction: z.enum(SATISFACTION_LEVELS),
            comment: z.string().optional(),
            channel: z.enum(SURVEY_CHANNELS).optional().meta({
              description: 'online: by the link; phone: 电话回访 (absent on answers before phone callbacks)',
            }),
            recordedBy: z
              .string()
              .optional()
              .meta({ description: 'the office member who took the answer on the phone' }),
          })
          .optional(),
      })
      .optional()
      .meta({ description: 'the latest satisfaction survey (满意度回访)' }),
    rating: z.enum([...SATISFACTION_LEVELS, NOT_RATED]).optional(),
    followUp: FollowUpSchema.optional(),
    notices: z
      .array(
        z
          .strictObject({
            id: z.string(),
            kind: NoticeKindSchema,
            at: Timestamp,
            recipient: RecipientSchema,
            clock: z.enum(['triage', 'progress', 'resolve']).optional(),
            queuedAt: Timestamp.optional().meta({ description: "handed to the notifier's queue then" }),
          })
          .meta({ id: 'CaseNotice' }),
      )
      .meta({ description: 'every notice issued for the case (三单), in order' }),
    waitingFor: z.string().optional().meta({ description: 'the workflow state waiting on this case' }),
    history: z.array(HistoryEntrySchema),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int().meta({ description: 'grows with every change' }),
  })
  .meta({ id: 'Case' });

export const CaseIdParam = z.object({
  id: z.string().min(1).max(64).meta({ example: 'k7q2m4x9a3b5c6d8e2f4' }),
});

// Notices ---------------------------------------------------------------------------------------

const noticeFields = {
  id: z.string().meta({
    description: 'the same for every delivery of this notice: use it to ignore a repeat',
    example: 'k7q2m4x9a3b5c6d8e2f4:assignment:1',
  }),
  caseId: z.string().meta({ example: 'k7q2m4x9a3b5c6d8e2f4' }),
  caseNo: z.string().meta({ example: 'YL-2026-000123' }),
  issuedAt: Timestamp,
  subject: z.string().meta({ example: '交办单 YL-2026-000123' }),
  body: z.string().meta({ description: 'the text of the notice, in Chinese' }),
  link: z.string().optional().meta({ description: 'the link the recipient acts on (the survey link)' }),
  dueAt: Timestamp.optional().meta({
    description: 'the deadline the notice names (the survey’s, for its invitation)',
  }),
};

export const NoticeMessageSchema = z
  .strictObject({ ...noticeFields, kind: NoticeKindSchema, recipient: RecipientSchema })
  .meta({ id: 'NoticeMessage', description: 'a notice as the notifier delivers it' });

/** The webhook payload of one kind of notice, as a unit receives it. */
export const unitNoticeSchema = (kind: (typeof NOTICE_KINDS)[number]) =>
  z.strictObject({
    ...noticeFields,
    kind: z.literal(kind),
    recipient: z.strictObject({
      kind: z.literal('unit'),
      unitId: z.string().meta({ example: 'power-supply' }),
    }),
  });

export const OutboxEntrySchema = NoticeMessageSchema.extend({
  recordedAt: Timestamp.meta({ description: 'when the notifier first received the notice' }),
  status: z.enum(['pending', 'delivered', 'kept', 'failed', 'rejected']).meta({
    description:
      'pending: received, not sent yet; delivered: a channel took it; kept: no channel reaches the ' +
      'recipient, it waits here for the office; failed: the last attempt failed, the queue retries; ' +
      'rejected: the channel refused it for good (an SMS number or template the provider refuses)',
  }),
  channel: z.string().optional().meta({
    description: '`webhook`, `sms` (to the enterprise, where configured), or `outbox` for a kept notice',
  }),
  attempts: z.number().int().min(0),
  deliveredAt: Timestamp.optional(),
  lastError: z.string().optional(),
}).meta({ id: 'OutboxEntry' });
