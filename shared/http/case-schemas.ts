/**
 * The office's and the units' view of cases in the OpenAPI contract: paging, a case and its
 * summary, its history and clocks, notices and the webhooks' payloads. Only the routes behind a key
 * and the API document use them, so they load with those routes, not at a cold start (issue 11).
 * Response objects are closed (`z.strictObject`), as in schemas.ts.
 */
import { z } from '@hono/zod-openapi';
import { NOTICE_KINDS } from '../domain/case';
import { CASE_STATUSES, CHANNELS, LEVELS } from '../domain/case-state';
import { GRADES } from '../domain/deadlines';
import { FOLLOW_UP_RESULTS } from '../domain/follow-up';
import { NOT_RATED, SATISFACTION_LEVELS, SOLVED_ANSWERS, SURVEY_CHANNELS } from '../domain/survey-outcome';
import { FlagsSchema, Timestamp } from './schemas';

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
