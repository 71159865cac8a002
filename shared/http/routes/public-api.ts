import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { fileCase } from '../../app/file-case';
import { trackCase, trackingUrl } from '../../app/track-case';
import { CASE_STATUSES, LEVELS } from '../../domain/case-state';
import { filingSchema } from '../../domain/filing';
import { NOT_RATED, SATISFACTION_LEVELS, SOLVED_ANSWERS, SURVEY_CHANNELS } from '../../domain/survey-outcome';
import type { AppEnv } from '../env';
import { admitFiling, lookUpBySecret, requireMediaType } from '../middleware';
import { notFoundProblem, problemResponse } from '../problem';
import { BODY_PROBLEMS, FlagsSchema, headers, json, jsonBody, problems, Timestamp } from '../schemas';
import { validationHook } from '../validation';

const LabelledSchema = z.strictObject({ id: z.string(), zh: z.string(), en: z.string() });
const CatalogSchema = z
  .strictObject({
    townships: z.array(LabelledSchema),
    categories: z.array(LabelledSchema),
    levels: z.array(z.enum(LEVELS)),
    units: z.array(
      LabelledSchema.extend({ kind: z.enum(['department', 'task_force', 'government', 'leader']) }),
    ),
  })
  .meta({ id: 'Catalog' });

const FiledSchema = z
  .strictObject({
    id: z.string().meta({ example: 'k7q2m4x9a3b5c6d8e2f4' }),
    caseNo: z.string().meta({ example: 'YL-2026-000123' }),
    status: z.enum(CASE_STATUSES),
    trackingUrl: z.string().meta({
      description: 'secret link to follow the case; keep it private',
      example: 'https://zhuqi.example.gov.cn/track/YL-2026-000123?k=Xk2m9Qp4Rt7Vw1Yz3Bc5Df8G',
    }),
  })
  .meta({ id: 'FiledCase' });

const PublicSurveySchema = z
  .discriminatedUnion('state', [
    z.strictObject({
      state: z.literal('open'),
      expiresAt: Timestamp,
      url: z.string().meta({ description: 'the one-time survey link; it works until answered or expired' }),
    }),
    z.strictObject({
      state: z.literal('answered'),
      answeredAt: Timestamp,
      solved: z.enum(SOLVED_ANSWERS),
      satisfaction: z.enum(SATISFACTION_LEVELS),
      channel: z.enum(SURVEY_CHANNELS).meta({ description: 'online: by the link; phone: 电话回访' }),
      outcome: z.enum(['closed', 'reopened']),
    }),
    z.strictObject({ state: z.literal('expired'), expiresAt: Timestamp, rating: z.literal(NOT_RATED) }),
  ])
  .meta({
    id: 'PublicSurvey',
    description:
      'the satisfaction survey of the latest resolution: the invitation while open, then its outcome',
  });

const PublicCaseSchema = z
  .strictObject({
    caseNo: z.string().meta({ example: 'YL-2026-000123' }),
    status: z.enum(CASE_STATUSES),
    flags: FlagsSchema,
    title: z.string(),
    category: z.string(),
    enterprise: z.strictObject({ name: z.string(), township: z.string() }),
    unitId: z.string().optional().meta({ description: 'the unit handling the case, once assigned' }),
    filedAt: Timestamp,
    updatedAt: Timestamp,
    history: z.array(
      z.strictObject({
        at: Timestamp,
        action: z.string().meta({ example: 'assign' }),
        status: z.enum(CASE_STATUSES).optional().meta({ description: 'the status the action led to' }),
        note: z.string().optional(),
      }),
    ),
    survey: PublicSurveySchema.optional(),
  })
  .meta({ id: 'PublicCase' });

const FILING_EXAMPLE = {
  enterprise: { name: '鄢陵县鼎恒纺织有限公司', creditCode: '91350100M000100Y43', township: 'anling' },
  contact: { name: '王丽', mobile: '13812345678' },
  category: 'utilities',
  title: '新厂房用电增容迟迟未批',
  description: '新厂房年初建成，用电增容申请已提交两个月，至今没有答复，影响投产。',
};

/** Routes anyone may call: the catalogue, filing a case, following it by its link. */
export function publicApi(config: AppEnv['Variables']['services']['config']) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const filing = filingSchema(config);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/catalog',
      operationId: 'getCatalog',
      summary: 'Categories, townships, levels and units (what the filing form offers)',
      tags: ['public'],
      security: [],
      responses: { 200: json(CatalogSchema, 'the catalogue'), ...problems() },
    }),
    async (c) => {
      const { config, access } = c.var.services;
      const units = await access.listUnits();
      return c.json(
        {
          townships: config.townships.map(({ id, zh, en }) => ({ id, zh, en })),
          categories: config.categories.map(({ id, zh, en }) => ({ id, zh, en })),
          levels: [...LEVELS],
          units: units.filter((u) => u.active).map(({ id, zh, en, kind }) => ({ id, zh, en, kind })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cases',
      operationId: 'fileCase',
      summary: 'File a problem as a case',
      description:
        "Send an `Idempotency-Key` to make retries safe: the same key and body return the same case, with its tracking link. Without a key, the same body filed again on the same day is refused with 409 and no link (the link is the filer's secret).",
      tags: ['public'],
      security: [],
      middleware: [requireMediaType('application/json')] as const,
      request: {
        headers: z.object({
          'idempotency-key': z
            .string()
            .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
            .optional()
            .meta({
              description: 'makes a retry safe; 1 to 255 visible ASCII characters, else 400',
              example: 'erp-2026-11-23-0042',
            }),
        }),
        body: jsonBody(filing, FILING_EXAMPLE),
      },
      responses: {
        201: json(
          FiledSchema,
          'the case (also when the request repeats an earlier one; then `Idempotent-Replayed: true`)',
          { headers: headers('Location', 'Idempotent-Replayed') },
        ),
        ...problems(BODY_PROBLEMS, {
          400: 'the body is not well-formed JSON, or the Idempotency-Key is malformed',
          409: 'the same body was filed today already, without an Idempotency-Key (no link is repeated)',
          422: 'invalid fields, or an Idempotency-Key reused with another body',
          429: 'too many filings from this client address or for this credit code',
        }),
      },
    }),
    async (c) => {
      const services = c.var.services;
      const key = c.req.valid('header')['idempotency-key'];
      const body = c.req.valid('json');
      const { record, created } = await fileCase(services, {
        filing: body,
        defaultChannel: 'api',
        actor:
          body.channel === 'visit' && body.cadre
            ? { kind: 'cadre', id: body.cadre.name }
            : { kind: 'enterprise' },
        ...(key ? { idempotencyKey: key } : {}),
        beforeCreate: admitFiling(c, body.enterprise.creditCode),
      });
      if (!created) c.header('Idempotent-Replayed', 'true');
      c.header('Location', `/api/v1/cases/${record.caseNo}`);
      return c.json(
        {
          id: record.id,
          caseNo: record.caseNo,
          status: record.status,
          trackingUrl: trackingUrl(services.config, record, new URL(c.req.url).origin),
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases/{caseNo}',
      operationId: 'trackCase',
      summary: "A case's status and public history, by its tracking link",
      description:
        'A wrong or missing key answers exactly like an unknown number, so the link reveals nothing.',
      tags: ['public'],
      security: [],
      request: {
        params: z.object({ caseNo: z.string().meta({ example: 'YL-2026-000123' }) }),
        query: z.object({
          k: z.string().optional().meta({ description: 'the tracking key from the tracking link' }),
        }),
      },
      responses: {
        200: json(PublicCaseSchema, 'the case'),
        ...problems({
          404: 'no case with this number and key',
          422: 'a query parameter given more than once, or not as text',
          429: 'too many look-ups that found nothing from this client address (guessed keys)',
        }),
      },
    }),
    async (c) => {
      const { caseNo } = c.req.valid('param');
      const { services } = c.var;
      const view = await lookUpBySecret(c, () =>
        trackCase(services, caseNo, c.req.valid('query').k, {
          now: services.clock.now(),
          origin: new URL(c.req.url).origin,
        }),
      );
      if (!view) return problemResponse(c, notFoundProblem) as never;
      return c.json(view, 200);
    },
  );

  return app;
}
