import { z } from '@hono/zod-openapi';
import { CASE_STATUSES, LEVELS } from '../domain/case-state';
import { FOLLOW_UP_RESULTS } from '../domain/follow-up';
import { ProblemSchema } from './problem';

/** The problem-document response of an OpenAPI route. */
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const FlagsSchema = z.object({ overdue: z.boolean(), escalated: z.boolean(), reopened: z.boolean() });

const ClockSchema = z.object({
  id: z.enum(['triage', 'progress', 'resolve']),
  startedAt: z.string(),
  warnAt: z.string(),
  dueAt: z.string(),
  escalateAt: z.string(),
  beyondCalendar: z
    .boolean()
    .meta({ description: 'a day counted lies in a year whose official holidays are not configured' }),
  grade: z.enum(['none', 'yellow', 'red', 'escalated']),
  metAt: z.string().optional(),
});

export const FollowUpSchema = z
  .object({
    month: z.string().meta({ description: 'the month (China time, YYYY-MM) the case closed in' }),
    sampledAt: z.string(),
    result: z.enum(FOLLOW_UP_RESULTS).optional(),
    note: z.string().optional(),
    recordedAt: z.string().optional(),
    by: z.string().optional().meta({ description: 'the prefix of the office key that recorded the result' }),
  })
  .meta({ id: 'FollowUp', description: '回头看: the follow-up check of a closed case sampled at random' });

export const CaseSummarySchema = z
  .object({
    id: z.string(),
    caseNo: z.string(),
    status: z.enum(CASE_STATUSES),
    flags: FlagsSchema,
    title: z.string(),
    category: z.string(),
    township: z.string(),
    enterpriseName: z.string(),
    level: z.enum(LEVELS).optional(),
    unitId: z.string().optional(),
    nextDue: z.object({ clock: z.string(), dueAt: z.string(), grade: z.string() }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CaseSummary' });

export const CaseListSchema = z
  .object({ items: z.array(CaseSummarySchema), cursor: z.string().optional() })
  .meta({ id: 'CaseList' });

export const CaseSchema = z
  .looseObject({
    id: z.string(),
    caseNo: z.string(),
    status: z.enum(CASE_STATUSES),
    flags: FlagsSchema,
    enterprise: z.object({ name: z.string(), creditCode: z.string(), township: z.string() }),
    contact: z.object({ name: z.string(), mobile: z.string() }),
    category: z.string(),
    title: z.string(),
    description: z.string(),
    channel: z.string(),
    suggestion: z.object({ level: z.enum(LEVELS), unitId: z.string().optional() }).optional(),
    level: z.enum(LEVELS).optional(),
    unitId: z.string().optional(),
    reopenCount: z.number().int(),
    clocks: z.array(ClockSchema),
    returnBy: z.string().optional(),
    resolution: z.string().optional(),
    extension: z
      .object({
        requestedAt: z.string(),
        days: z.number(),
        reason: z.string(),
        status: z.enum(['pending', 'granted', 'refused']),
      })
      .optional(),
    rating: z.string().optional(),
    followUp: FollowUpSchema.optional(),
    waitingFor: z.string().optional().meta({ description: 'the workflow state waiting on this case' }),
    history: z.array(
      z.looseObject({ at: z.string(), action: z.string(), actor: z.looseObject({ kind: z.string() }) }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Case' });

export const CaseIdParam = z.object({
  id: z.string().min(1).max(64).meta({ example: 'k7q2m4x9a3b5c6d8e2f4' }),
});

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(2000).optional(),
};
