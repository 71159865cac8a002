import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { issueApiKey } from '../../app/access';
import { decideCaseExtension, recordPhoneSurvey, triageCase } from '../../app/case-actions';
import { listCases } from '../../app/case-list';
import { caseSummary, internalView } from '../../app/case-view';
import { NotFoundError, ValidationError } from '../../app/errors';
import { listFollowUps, previousMonth, recordFollowUpResult, sampleFollowUps } from '../../app/follow-up';
import { newSecret } from '../../app/secrets';
import { CASE_FLAGS } from '../../domain/case';
import { CASE_STATUSES, LEVELS } from '../../domain/case-state';
import { FOLLOW_UP_RESULTS, MONTH_PATTERN } from '../../domain/follow-up';
import { surveyAnswerSchema } from '../../domain/survey-outcome';
import type { AppEnv } from '../env';
import { requireMediaType, requireRole } from '../middleware';
import {
  CaseIdParam,
  CaseListSchema,
  CaseSchema,
  CaseSummarySchema,
  FollowUpSchema,
  json,
  jsonBody,
  PageQuery,
  problem,
} from '../schemas';
import { validationHook } from '../validation';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens');
const UNIT_KINDS = ['department', 'task_force', 'government', 'leader'] as const;

const UnitSchema = z
  .object({
    id: z.string(),
    kind: z.enum(UNIT_KINDS),
    zh: z.string(),
    en: z.string(),
    active: z.boolean(),
    webhookUrl: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'Unit' });

const KeySchema = z
  .object({
    id: z.string().meta({ description: 'SHA-256 of the key; the key itself is never stored' }),
    prefix: z.string(),
    label: z.string(),
    role: z.enum(['office', 'unit']),
    unitId: z.string().optional(),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'ApiKey' });

const OutboxEntrySchema = z
  .looseObject({
    id: z.string(),
    kind: z.string(),
    caseId: z.string(),
    caseNo: z.string(),
    recipient: z.looseObject({ kind: z.string() }),
    subject: z.string(),
    body: z.string(),
    link: z.string().optional(),
    status: z.enum(['pending', 'delivered', 'kept', 'failed']),
    recordedAt: z.string(),
  })
  .meta({ id: 'Notice' });

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
  .object({ month: z.string(), caseIds: z.array(z.string()) })
  .meta({ id: 'FollowUpSample' });

/** The campaign office's API: queues, triage, extensions, follow-up checks, units and keys, the outbox. */
export function officeApi() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireRole('office'));
  const security = [{ apiKey: [] }];
  const jsonOnly = () => [requireMediaType('application/json')];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases',
      summary:
        'The ledger (问题台账): every case, filtered, by filing time, page by page; the queues are its status filters',
      description:
        'Every filter narrows the list; without any, every case ever filed. `status=triage` is the triage queue, ' +
        '`status=open&flag=overdue` the overdue one. A page may hold fewer than `limit` cases and still ' +
        'carry a `cursor`: follow it until there is none. A cursor only works with the query it came from.',
      tags: ['office'],
      security,
      request: { query: z.object({ ...LedgerFilterQuery, ...PageQuery }) },
      responses: {
        200: json(CaseListSchema, 'cases, by filing time'),
        401: problem('no valid key'),
        403: problem('not an office key'),
        422: problem('an invalid filter, a period ending before it starts, or a cursor of another query'),
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
      summary: 'A case with its clocks, notices and full history',
      tags: ['office'],
      security,
      request: { params: CaseIdParam },
      responses: { 200: json(CaseSchema, 'the case'), 404: problem('no such case') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const record = await c.var.services.cases.get(id);
      if (!record) throw new NotFoundError(`no case ${id}`);
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/triage',
      summary:
        'Triage (研判交办): confirm or override the suggested level and unit, or record a solution on the spot',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: CaseIdParam,
        body: jsonBody(
          z.object({
            level: z.enum(LEVELS),
            unitId: slug.optional().meta({ description: 'required unless level is on_spot' }),
            note: z
              .string()
              .trim()
              .min(1)
              .max(2000)
              .optional()
              .meta({ description: 'required for on_spot: how it was solved' }),
          }),
        ),
      },
      responses: {
        200: json(CaseSchema, 'the case, assigned or resolved'),
        404: problem('no such case'),
        409: problem('the case is not awaiting triage, or another decision came first'),
        422: problem('invalid fields, an unknown unit, or a unit of another level'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const record = await triageCase(c.var.services, id, body, c.var.principal.keyPrefix);
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/extension-decision',
      summary: "Grant or refuse a unit's extension request",
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: CaseIdParam,
        body: jsonBody(
          z.object({
            decision: z.enum(['grant', 'refuse']),
            days: z
              .number()
              .int()
              .min(1)
              .max(90)
              .optional()
              .meta({ description: 'grant fewer days than asked' }),
            note: z.string().trim().max(1000).optional(),
          }),
        ),
      },
      responses: {
        200: json(CaseSchema, 'the case with its new deadline'),
        404: problem('no such case'),
        409: problem('no extension request is pending'),
        422: problem('invalid fields'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { decision, days, note } = c.req.valid('json');
      const record = await decideCaseExtension(
        c.var.services,
        id,
        { grant: decision === 'grant', ...(days ? { days } : {}), ...(note ? { note } : {}) },
        c.var.principal.keyPrefix,
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
      request: { params: CaseIdParam, body: jsonBody(z.strictObject(surveyAnswerSchema.shape)) },
      responses: {
        200: json(CaseSchema, 'the case, closed with the rating, or reopened'),
        401: problem('no valid key'),
        403: problem('not an office key'),
        404: problem('no such case'),
        409: problem('no survey is open for the case: not resolved yet, answered already, or expired'),
        413: problem('body too large'),
        415: problem('not JSON'),
        422: problem('invalid or unknown fields'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const answer = c.req.valid('json');
      const { keyPrefix, label } = c.var.principal;
      const record = await recordPhoneSurvey(c.var.services, id, answer, { keyPrefix, name: label });
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/follow-ups',
      summary: "Follow-up check (回头看抽查): sample a month's closed cases at random, now",
      description:
        'Samples the cases closed in `month` (China time; default: the month before this one), as the ' +
        'monthly job does. A month already sampled answers its sample and samples nothing new.',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: { body: jsonBody(z.object({ month: Month.optional() })) },
      responses: {
        200: json(FollowUpSampleSchema, "the month's sampled cases"),
        422: problem('not a month, or a month that has not ended yet'),
      },
    }),
    async (c) => {
      const services = c.var.services;
      const { month = previousMonth(services.clock.now()) } = c.req.valid('json');
      const actor = { kind: 'office' as const, id: c.var.principal.keyPrefix };
      const caseIds = await sampleFollowUps(services, month, Math.random, actor);
      return c.json({ month, caseIds }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/follow-ups',
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
            .object({
              month: z.string(),
              items: z.array(CaseSummarySchema.extend({ followUp: FollowUpSchema })),
            })
            .meta({ id: 'FollowUpList' }),
          'the sampled cases, oldest first',
        ),
        422: problem('not a month'),
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
      summary: 'Record what the follow-up check (回头看) of a sampled case found',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: CaseIdParam,
        body: jsonBody(
          z.object({
            result: z
              .enum(FOLLOW_UP_RESULTS)
              .meta({ description: 'confirmed: the solution holds; problem_found: the problem is back' }),
            note: z.string().trim().min(1).max(2000).optional(),
          }),
        ),
      },
      responses: {
        200: json(CaseSchema, 'the case with its follow-up result'),
        404: problem('no such case'),
        409: problem('the case was not sampled, or its result is recorded already'),
        422: problem('invalid fields'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { result, note } = c.req.valid('json');
      const record = await recordFollowUpResult(
        c.var.services,
        id,
        { result, ...(note ? { note } : {}) },
        c.var.principal.keyPrefix,
      );
      return c.json(internalView(record) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/units',
      summary: 'Units (承办单位)',
      tags: ['office'],
      security,
      responses: { 200: json(z.object({ items: z.array(UnitSchema) }), 'units') },
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
      summary: 'Add a unit',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        body: jsonBody(
          z.object({
            id: slug,
            kind: z.enum(UNIT_KINDS),
            zh: z.string().trim().min(1).max(60),
            en: z.string().trim().min(1).max(120),
          }),
        ),
      },
      responses: {
        201: json(UnitSchema, 'the unit'),
        409: problem('the id is taken'),
        422: problem('invalid fields'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const unit = { ...body, active: true, createdAt: c.var.services.clock.now().toISOString() };
      if (!(await c.var.services.access.createUnit(unit))) {
        throw new ValidationError([
          { field: 'id', code: 'taken', message: `a unit ${body.id} exists already` },
        ]);
      }
      return c.json(unit, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/units/{unitId}',
      summary:
        'Rename, deactivate, or set the webhook of a unit (a new webhook gets a new signing secret, shown once)',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: z.object({ unitId: slug }),
        body: jsonBody(
          z.object({
            zh: z.string().trim().min(1).max(60).optional(),
            en: z.string().trim().min(1).max(120).optional(),
            active: z.boolean().optional(),
            webhookUrl: z
              .url({ protocol: /^https?$/ })
              .nullable()
              .optional(),
          }),
        ),
      },
      responses: {
        200: json(UnitSchema.extend({ webhookSecret: z.string().optional() }), 'the unit'),
        404: problem('no such unit'),
      },
    }),
    async (c) => {
      const { unitId } = c.req.valid('param');
      const body = c.req.valid('json');
      const access = c.var.services.access;
      const unit = await access.getUnit(unitId);
      if (!unit) throw new NotFoundError(`no unit ${unitId}`);
      const { webhookUrl, ...rest } = body;
      const secret = webhookUrl ? newSecret(32) : undefined;
      const { webhookUrl: _url, webhookSecret: _secret, ...base } = unit;
      const updated = {
        ...base,
        ...rest,
        ...(webhookUrl === undefined && unit.webhookUrl
          ? { webhookUrl: unit.webhookUrl, webhookSecret: unit.webhookSecret }
          : {}),
        ...(webhookUrl ? { webhookUrl, webhookSecret: secret } : {}),
      };
      await access.updateUnit(updated);
      const { webhookSecret, ...shown } = updated;
      return c.json({ ...shown, ...(secret ? { webhookSecret: secret } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/units/{unitId}/keys',
      summary: "A unit's API keys (hashes and prefixes only)",
      tags: ['office'],
      security,
      request: { params: z.object({ unitId: slug }) },
      responses: { 200: json(z.object({ items: z.array(KeySchema) }), 'keys'), 404: problem('no such unit') },
    }),
    async (c) => {
      const { unitId } = c.req.valid('param');
      if (!(await c.var.services.access.getUnit(unitId))) throw new NotFoundError(`no unit ${unitId}`);
      const keys = await c.var.services.access.listApiKeys({ role: 'unit', unitId });
      return c.json({ items: keys.map(({ hash, ...k }) => ({ id: hash, ...k })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/units/{unitId}/keys',
      summary: 'Issue an API key for a unit; the key is in this answer only',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: z.object({ unitId: slug }),
        body: jsonBody(z.object({ label: z.string().trim().min(1).max(100) })),
      },
      responses: {
        201: json(KeySchema.extend({ key: z.string() }), 'the key; store it now, it cannot be shown again'),
        404: problem('no such unit'),
      },
    }),
    async (c) => {
      const { unitId } = c.req.valid('param');
      const { label } = c.req.valid('json');
      if (!(await c.var.services.access.getUnit(unitId))) throw new NotFoundError(`no unit ${unitId}`);
      const { key, record } = await issueApiKey(c.var.services, { role: 'unit', unitId, label });
      const { hash, ...rest } = record;
      return c.json({ key, id: hash, ...rest }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/units/{unitId}/keys/{keyId}',
      summary: 'Revoke a unit key',
      tags: ['office'],
      security,
      request: { params: z.object({ unitId: slug, keyId: z.string().regex(/^[0-9a-f]{64}$/) }) },
      responses: { 204: { description: 'revoked' }, 404: problem('no such key of this unit') },
    }),
    async (c) => {
      const { unitId, keyId } = c.req.valid('param');
      const access = c.var.services.access;
      const key = await access.findApiKey(keyId);
      if (!key || key.unitId !== unitId) throw new NotFoundError(`no key ${keyId} of unit ${unitId}`);
      await access.revokeApiKey(keyId, c.var.services.clock.now().toISOString());
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/outbox',
      summary:
        "The notifier's messages, newest first (assignment, supervision and escalation notices; survey links)",
      tags: ['office'],
      security,
      request: { query: z.object({ caseId: z.string().max(64).optional(), limit: PageQuery.limit }) },
      responses: { 200: json(z.object({ items: z.array(OutboxEntrySchema) }), 'notices') },
    }),
    async (c) => {
      const { caseId, limit } = c.req.valid('query');
      const items = await c.var.services.outbox.list(limit ?? 100, caseId);
      return c.json({ items } as never, 200);
    },
  );

  return app;
}
