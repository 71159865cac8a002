import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { actorOf } from '../../app/access';
import { decideCaseExtension, recordPhoneSurvey, triageCase } from '../../app/case-actions';
import { listCases } from '../../app/case-list';
import { caseSummary, internalView, maskedNotice, officeCaseView } from '../../app/case-view';
import { NotFoundError } from '../../app/errors';
import { listFollowUps, previousMonth, recordFollowUpResult, sampleFollowUps } from '../../app/follow-up';
import { changeUnit, createUnit, issueKeyTo, keysOf, revokeKey } from '../../app/people';
import { CASE_FLAGS } from '../../domain/case';
import { CASE_STATUSES, LEVELS } from '../../domain/case-state';
import { FOLLOW_UP_RESULTS, MONTH_PATTERN } from '../../domain/follow-up';
import {
  CaseIdParam,
  CaseListSchema,
  CaseSchema,
  CaseSummarySchema,
  FollowUpSchema,
  OutboxEntrySchema,
  PAGING,
  PageQuery,
} from '../case-schemas';
import type { AppEnv } from '../env';
import { requireMediaType, requireRole } from '../middleware';
import {
  BODY_PROBLEMS,
  json,
  jsonBody,
  keyProblems,
  problems,
  surveyAnswerSchema,
  Timestamp,
} from '../schemas';
import { validationHook } from '../validation';

export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens');
/** A triage decision (研判交办): for one case, or for every case of a common problem. */
export const TriageBody = z.object({
  level: z.enum(LEVELS),
  unitId: slug.optional().meta({ description: 'required unless level is on_spot' }),
  note: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .meta({ description: 'required for on_spot: how it was solved' }),
});

const UNIT_KINDS = ['department', 'task_force', 'government', 'leader'] as const;

const unitFields = {
  id: z.string().meta({ example: 'power-supply' }),
  kind: z.enum(UNIT_KINDS),
  zh: z.string().meta({ example: '县供电公司' }),
  en: z.string().meta({ example: 'County Power Supply Company' }),
  active: z.boolean(),
  webhookUrl: z.string().optional().meta({ description: 'where its notices are pushed (see `webhooks`)' }),
  createdAt: Timestamp,
};
const UnitSchema = z.strictObject(unitFields).meta({ id: 'Unit' });

const keyFields = {
  id: z.string().meta({
    description: 'SHA-256 of the key; the key itself is never stored',
    example: '5f0c0e6a3b9d4c1e8f7a2b6d9e0c4a1b3d5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a',
  }),
  prefix: z
    .string()
    .meta({ description: 'the first characters of the key, to recognise it', example: 'zq_unit_Ab3d' }),
  label: z.string().meta({ example: '对接系统' }),
  role: z.enum(['office', 'unit', 'cadre']),
  unitId: z.string().optional(),
  cadreId: z.string().optional(),
  createdAt: Timestamp,
  revokedAt: Timestamp.optional(),
};
const KeySchema = z.strictObject(keyFields).meta({ id: 'ApiKey' });

const ChinaDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date as YYYY-MM-DD')
  .refine(
    (date) =>
      !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) &&
      new Date(`${date}T00:00:00Z`).toISOString().startsWith(date),
    'not a calendar date',
  );

/** The ledger's filters (问题台账), shared by the list and the exports. */
export const LedgerFilterQuery = {
  status: z
    .enum([...CASE_STATUSES, 'open'])
    .optional()
    .meta({ description: '`open`: every status a case can still leave' }),
  flag: z.enum(CASE_FLAGS).optional(),
  unitId: slug.optional(),
  township: slug.optional(),
  category: slug.optional(),
  level: z.enum(LEVELS).optional(),
  filedFrom: ChinaDate.optional().meta({ description: 'first date of filing (China time), included' }),
  filedTo: ChinaDate.optional().meta({ description: 'last date of filing (China time), included' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "part of the enterprise's name or credit code, or of the case number" }),
  order: z
    .enum(['asc', 'desc'])
    .optional()
    .meta({ description: 'by filing time; default asc (oldest first)' }),
};

const Month = z.string().regex(MONTH_PATTERN, 'a month as YYYY-MM').meta({ example: '2026-10' });

const FollowUpSampleSchema = z
  .strictObject({ month: z.string().meta({ example: '2026-10' }), caseIds: z.array(z.string()) })
  .meta({ id: 'FollowUpSample' });

/** The office's decision on an extension request. */
export const ExtensionDecisionBody = z.object({
  decision: z.enum(['grant', 'refuse']),
  days: z.number().int().min(1).max(90).optional().meta({ description: 'grant fewer days than asked' }),
  note: z.string().trim().max(1000).optional(),
});

/** What a follow-up revisit found. */
export const FollowUpResultBody = z.object({
  result: z
    .enum(FOLLOW_UP_RESULTS)
    .meta({ description: 'confirmed: the solution holds; problem_found: the problem is back' }),
  note: z.string().trim().min(1).max(2000).optional(),
});

/** A new unit. */
export const NewUnitBody = z.object({
  id: slug,
  kind: z.enum(UNIT_KINDS),
  zh: z.string().trim().min(1).max(60),
  en: z.string().trim().min(1).max(120),
});

/** A change to a unit: names, activity, webhook. */
export const UnitChangeBody = z.object({
  zh: z.string().trim().min(1).max(60).optional(),
  en: z.string().trim().min(1).max(120).optional(),
  active: z.boolean().optional(),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
});

/** A key to issue: the label is the name of the person it is for. */
export const NewKeyBody = z.object({ label: z.string().trim().min(1).max(100) });

/** The campaign office's API: queues, triage, extensions, follow-up checks, units and keys, the outbox. */
export function officeApi() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireRole('office'));
  const security = [{ apiKey: [] }];
  const jsonOnly = () => [requireMediaType('application/json')];
  const KEY = keyProblems('office');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases',
      operationId: 'listOfficeCases',
      summary:
        'The ledger (问题台账): every case, filtered, by filing time, page by page; the queues are its status filters',
      description:
        'Every filter narrows the list; without any, every case ever filed. `status=triage` is the triage queue, ' +
        '`status=open&flag=overdue` the overdue one. A page may hold fewer than `limit` cases and still ' +
        `carry a \`cursor\`. A cursor only works with the query it came from.\n\n${PAGING}`,
      tags: ['office'],
      security,
      request: { query: z.object({ ...LedgerFilterQuery, ...PageQuery }) },
      responses: {
        200: json(CaseListSchema, 'cases, by filing time'),
        ...problems(KEY, {
          422: 'an invalid filter, a limit out of range, a period ending before it starts, or a cursor of another query',
        }),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const page = { ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) };
      const result = await listCases(c.var.services, filter, page);
      return c.json(
        { items: result.items.map(caseSummary), ...(result.cursor ? { cursor: result.cursor } : {}) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases/{id}',
      operationId: 'getOfficeCase',
      summary: 'A case with its clocks, notices and full history',
      tags: ['office'],
      security,
      request: { params: CaseIdParam },
      responses: {
        200: json(CaseSchema, 'the case'),
        ...problems(KEY, { 404: 'no such case', 422: 'an id longer than 64 characters' }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const record = await c.var.services.cases.get(id);
      if (!record) throw new NotFoundError(`no case ${id}`);
      return c.json((await officeCaseView(c.var.services, record)) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/triage',
      operationId: 'triageCase',
      summary:
        'Triage (研判交办): confirm or override the suggested level and unit, or record a solution on the spot',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: CaseIdParam,
        body: jsonBody(TriageBody, { level: 'department', unitId: 'power-supply' }),
      },
      responses: {
        200: json(CaseSchema, 'the case, assigned or resolved'),
        ...problems(KEY, BODY_PROBLEMS, {
          404: 'no such case',
          409: 'the case is not awaiting triage, or another decision came first',
          422: 'invalid fields, an unknown unit, or a unit of another level',
        }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const record = await triageCase(c.var.services, id, body, c.var.principal);
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/extension-decision',
      operationId: 'decideExtension',
      summary: "Grant or refuse a unit's extension request",
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: CaseIdParam,
        body: jsonBody(ExtensionDecisionBody, { decision: 'grant', days: 5, note: '同意延期' }),
      },
      responses: {
        200: json(CaseSchema, 'the case with its new deadline'),
        ...problems(KEY, BODY_PROBLEMS, {
          404: 'no such case',
          409: 'no extension request is pending',
          422: 'invalid fields',
        }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { decision, days, note } = c.req.valid('json');
      const record = await decideCaseExtension(
        c.var.services,
        id,
        { grant: decision === 'grant', ...(days ? { days } : {}), ...(note ? { note } : {}) },
        c.var.principal,
      );
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/survey',
      operationId: 'recordPhoneSurvey',
      summary: "Phone callback (电话回访): record the enterprise's survey answer given on the phone",
      description:
        'The same answer as `POST /survey/{token}`, recorded as channel `phone` under the name of the ' +
        'office member whose key sends it, with the same rules: one answer per survey, a case not solved or ' +
        'rated dissatisfied goes back to its unit (回头看), a second failure is escalated. When the enterprise ' +
        'answers online at the same moment, one answer wins and the other is refused with 409.',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: CaseIdParam,
        body: jsonBody(z.strictObject(surveyAnswerSchema.shape), {
          solved: 'yes',
          satisfaction: 'satisfied',
          comment: '电话回访：企业表示已解决',
        }),
      },
      responses: {
        200: json(CaseSchema, 'the case, closed with the rating, or reopened'),
        ...problems(KEY, BODY_PROBLEMS, {
          404: 'no such case',
          409: 'no survey is open for the case: not resolved yet, answered already, or expired',
          422: 'invalid or unknown fields',
        }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const answer = c.req.valid('json');
      const record = await recordPhoneSurvey(c.var.services, id, answer, c.var.principal);
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/follow-ups',
      operationId: 'sampleFollowUps',
      summary: "Follow-up check (回头看抽查): sample a month's closed cases at random, now",
      description:
        'Samples the cases closed in `month` (China time; default: the month before this one), as the ' +
        'monthly job does. A month already sampled answers its sample and samples nothing new.',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: { body: jsonBody(z.object({ month: Month.optional() }), { month: '2026-10' }) },
      responses: {
        200: json(FollowUpSampleSchema, "the month's sampled cases"),
        ...problems(KEY, BODY_PROBLEMS, { 422: 'not a month, or a month that has not ended yet' }),
      },
    }),
    async (c) => {
      const services = c.var.services;
      const { month = previousMonth(services.clock.now()) } = c.req.valid('json');
      const actor = actorOf(c.var.principal);
      const caseIds = await sampleFollowUps(services, month, Math.random, actor);
      return c.json({ month, caseIds }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/follow-ups',
      operationId: 'listFollowUps',
      summary: 'The cases sampled for the follow-up check of a month, with what each revisit found',
      tags: ['office'],
      security,
      request: {
        query: z.object({
          month: Month.optional().meta({ description: 'default: the month before this one (China time)' }),
        }),
      },
      responses: {
        200: json(
          z
            .strictObject({
              month: z.string().meta({ example: '2026-10' }),
              items: z.array(CaseSummarySchema.extend({ followUp: FollowUpSchema })),
            })
            .meta({ id: 'FollowUpList' }),
          'the sampled cases, oldest first',
        ),
        ...problems(KEY, { 422: 'not a month' }),
      },
    }),
    async (c) => {
      const services = c.var.services;
      const { month = previousMonth(services.clock.now()) } = c.req.valid('query');
      const sampled = await listFollowUps(services, month);
      const items = sampled.map((r) => ({ ...caseSummary(r), followUp: r.followUp! }));
      return c.json({ month, items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/follow-up',
      operationId: 'recordFollowUp',
      summary: 'Record what the follow-up check (回头看) of a sampled case found',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: CaseIdParam,
        body: jsonBody(FollowUpResultBody, { result: 'confirmed', note: '回访企业，问题未反弹' }),
      },
      responses: {
        200: json(CaseSchema, 'the case with its follow-up result'),
        ...problems(KEY, BODY_PROBLEMS, {
          404: 'no such case',
          409: 'the case was not sampled, or its result is recorded already',
          422: 'invalid fields',
        }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { result, note } = c.req.valid('json');
      const record = await recordFollowUpResult(
        c.var.services,
        id,
        { result, ...(note ? { note } : {}) },
        c.var.principal,
      );
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/units',
      operationId: 'listUnits',
      summary: 'Units (承办单位)',
      tags: ['office'],
      security,
      responses: {
        200: json(z.strictObject({ items: z.array(UnitSchema) }).meta({ id: 'UnitList' }), 'every unit'),
        ...problems(KEY),
      },
    }),
    async (c) => {
      const units = await c.var.services.access.listUnits();
      return c.json({ items: units.map(({ webhookSecret, ...unit }) => unit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/units',
      operationId: 'createUnit',
      summary: 'Add a unit',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        body: jsonBody(NewUnitBody, {
          id: 'market-regulation',
          kind: 'department',
          zh: '县市场监管局',
          en: 'County Market Regulation Bureau',
        }),
      },
      responses: {
        201: json(UnitSchema, 'the unit'),
        ...problems(KEY, BODY_PROBLEMS, { 422: 'invalid fields, or the id is taken (code `taken`)' }),
      },
    }),
    async (c) => {
      const unit = await createUnit(c.var.services, c.req.valid('json'));
      return c.json(unit, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/units/{unitId}',
      operationId: 'updateUnit',
      summary:
        'Rename, deactivate, or set the webhook of a unit (a new webhook gets a new signing secret, shown once)',
      description:
        'A `webhookUrl` makes the notifier push the notices for this unit there, signed (see `webhooks`); ' +
        '`null` removes it.',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: z.object({ unitId: slug }),
        body: jsonBody(UnitChangeBody, { webhookUrl: 'https://oa.example.gov.cn/zhuqi/notices' }),
      },
      responses: {
        200: json(
          z
            .strictObject({
              ...unitFields,
              webhookSecret: z
                .string()
                .optional()
                .meta({ description: 'the signing secret of a new webhook, in this answer only' }),
            })
            .meta({ id: 'UpdatedUnit' }),
          'the unit',
        ),
        ...problems(KEY, BODY_PROBLEMS, { 404: 'no such unit', 422: 'invalid fields' }),
      },
    }),
    async (c) => {
      const { unitId } = c.req.valid('param');
      const { unit, webhookSecret: secret } = await changeUnit(c.var.services, unitId, c.req.valid('json'));
      const { webhookSecret, ...shown } = unit;
      return c.json({ ...shown, ...(secret ? { webhookSecret: secret } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/units/{unitId}/keys',
      operationId: 'listUnitKeys',
      summary: "A unit's API keys (hashes and prefixes only)",
      tags: ['office'],
      security,
      request: { params: z.object({ unitId: slug }) },
      responses: {
        200: json(z.strictObject({ items: z.array(KeySchema) }).meta({ id: 'ApiKeyList' }), 'keys'),
        ...problems(KEY, { 404: 'no such unit', 422: 'not a unit id' }),
      },
    }),
    async (c) => {
      const { unitId } = c.req.valid('param');
      const keys = await keysOf(c.var.services, { role: 'unit', unitId });
      return c.json({ items: keys.map(({ hash, ...k }) => ({ id: hash, ...k })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/units/{unitId}/keys',
      operationId: 'issueUnitKey',
      summary: 'Issue an API key for a unit; the key is in this answer only',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: z.object({ unitId: slug }),
        body: jsonBody(NewKeyBody, { label: '对接系统' }),
      },
      responses: {
        201: json(
          z
            .strictObject({
              ...keyFields,
              key: z
                .string()
                .meta({ description: 'the key itself', example: 'zq_unit_Ab3dEf6hIj9kLm2nOp5q' }),
            })
            .meta({ id: 'IssuedApiKey' }),
          'the key; store it now, it cannot be shown again',
        ),
        ...problems(KEY, BODY_PROBLEMS, { 404: 'no such unit', 422: 'invalid fields' }),
      },
    }),
    async (c) => {
      const { unitId } = c.req.valid('param');
      const { label } = c.req.valid('json');
      const { key, record } = await issueKeyTo(c.var.services, { role: 'unit', unitId, label });
      const { hash, ...rest } = record;
      return c.json({ key, id: hash, ...rest }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/units/{unitId}/keys/{keyId}',
      operationId: 'revokeUnitKey',
      summary: 'Revoke a unit key',
      tags: ['office'],
      security,
      request: { params: z.object({ unitId: slug, keyId: z.string().regex(/^[0-9a-f]{64}$/) }) },
      responses: {
        204: { description: 'revoked' },
        ...problems(KEY, {
          404: 'no such key of this unit',
          413: 'a body (it takes none) larger than the limit',
          422: 'not a unit id or not a key id',
        }),
      },
    }),
    async (c) => {
      const { unitId, keyId } = c.req.valid('param');
      await revokeKey(c.var.services, { role: 'unit', unitId }, keyId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/outbox',
      operationId: 'listOutbox',
      summary:
        "The notifier's messages, newest first (assignment, supervision and escalation notices; survey links)",
      description:
        'The latest `limit` notices (default 100), or every notice of one case, with what became of each ' +
        'delivery. Not paged.',
      tags: ['office'],
      security,
      request: {
        query: z.object({
          caseId: z.string().max(64).optional(),
          limit: PageQuery.limit.meta({ description: 'the most notices to answer, 1 to 200 (default 100)' }),
        }),
      },
      responses: {
        200: json(z.strictObject({ items: z.array(OutboxEntrySchema) }).meta({ id: 'Outbox' }), 'notices'),
        ...problems(KEY, { 422: 'a limit out of range' }),
      },
    }),
    async (c) => {
      const { caseId, limit } = c.req.valid('query');
      const items = await c.var.services.outbox.list(limit ?? 100, caseId);
      return c.json({ items: items.map(maskedNotice) }, 200);
    },
  );

  return app;
}
