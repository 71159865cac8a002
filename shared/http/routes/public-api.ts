import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ValidationError } from '../../app/errors';
import { fileCase } from '../../app/file-case';
import { trackCase, trackingUrl } from '../../app/track-case';
import { CASE_STATUSES, LEVELS } from '../../domain/case-state';
import { filingSchema } from '../../domain/filing';
import { NOT_RATED, SATISFACTION_LEVELS, SOLVED_ANSWERS, SURVEY_CHANNELS } from '../../domain/survey-outcome';
import type { AppEnv } from '../env';
import { requireMediaType } from '../middleware';
import { notFoundProblem, ProblemSchema, problemResponse } from '../problem';
import { validationHook } from '../validation';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

const LabelledSchema = z.object({ id: z.string(), zh: z.string(), en: z.string() });
const CatalogSchema = z
  .object({
    townships: z.array(LabelledSchema),
    categories: z.array(LabelledSchema),
    levels: z.array(z.enum(LEVELS)),
    units: z.array(LabelledSchema.extend({ kind: z.string() })),
  })
  .meta({ id: 'Catalog' });

const FiledSchema = z
  .object({
    id: z.string().meta({ example: 'k7q2m4x9a3b5c6d8e2f4' }),
    caseNo: z.string().meta({ example: 'YL-2026-000123' }),
    status: z.enum(CASE_STATUSES),
    trackingUrl: z.string().meta({ description: 'secret link to follow the case; keep it private' }),
  })
  .meta({ id: 'FiledCase' });

const PublicSurveySchema = z
  .discriminatedUnion('state', [
    z.object({
      state: z.literal('open'),
      expiresAt: z.string(),
      url: z.string().meta({ description: 'the one-time survey link; it works until answered or expired' }),
    }),
    z.object({
      state: z.literal('answered'),
      answeredAt: z.string(),
      solved: z.enum(SOLVED_ANSWERS),
      satisfaction: z.enum(SATISFACTION_LEVELS),
      channel: z.enum(SURVEY_CHANNELS).meta({ description: 'online: by the link; phone: 电话回访' }),
      outcome: z.enum(['closed', 'reopened']),
    }),
    z.object({ state: z.literal('expired'), expiresAt: z.string(), rating: z.literal(NOT_RATED) }),
  ])
  .meta({
    id: 'PublicSurvey',
    description:
      'the satisfaction survey of the latest resolution: the invitation while open, then its outcome',
  });

const PublicCaseSchema = z
  .object({
    caseNo: z.string(),
    status: z.enum(CASE_STATUSES),
    flags: z.object({ overdue: z.boolean(), escalated: z.boolean(), reopened: z.boolean() }),
    title: z.string(),
    category: z.string(),
    enterprise: z.object({ name: z.string(), township: z.string() }),
    unitId: z.string().optional(),
    filedAt: z.string(),
    updatedAt: z.string(),
    history: z.array(
      z.object({
        at: z.string(),
        action: z.string(),
        status: z.enum(CASE_STATUSES).optional(),
        note: z.string().optional(),
      }),
    ),
    survey: PublicSurveySchema.optional(),
  })
  .meta({ id: 'PublicCase' });

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Routes anyone may call: the catalogue, filing a case, following it by its link. */
export function publicApi(config: AppEnv['Variables']['services']['config']) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const filing = filingSchema(config);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/catalog',
      summary: 'Categories, townships, levels and units (what the filing form offers)',
      tags: ['public'],
      responses: {
        200: { description: 'the catalogue', content: { 'application/json': { schema: CatalogSchema } } },
      },
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
      summary: 'File a problem as a case',
      description:
        'Send an `Idempotency-Key` to make retries safe: the same key and body return the same case. Without a key, the same body filed again on the same day returns the first case.',
      tags: ['public'],
      middleware: [requireMediaType('application/json')] as const,
      request: {
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: { required: true, content: { 'application/json': { schema: filing } } },
      },
      responses: {
        201: {
          description:
            'the case (also when the request repeats an earlier one; then `Idempotent-Replayed: true`)',
          content: { 'application/json': { schema: FiledSchema } },
        },
        400: problem('malformed JSON or Idempotency-Key'),
        413: problem('body too large'),
        415: problem('not JSON'),
        422: problem('invalid fields, or an Idempotency-Key reused with another body'),
      },
    }),
    async (c) => {
      const services = c.var.services;
      const key = c.req.header('Idempotency-Key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new ValidationError([
          { field: 'Idempotency-Key', code: 'invalid', message: 'must be 1 to 255 visible ASCII characters' },
        ]);
      }
      const body = c.req.valid('json');
      const { record, created } = await fileCase(services, {
        filing: body,
        defaultChannel: 'api',
        actor:
          body.channel === 'visit' && body.cadre
            ? { kind: 'cadre', id: body.cadre.name }
            : { kind: 'enterprise' },
        ...(key ? { idempotencyKey: key } : {}),
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
      summary: "A case's status and public history, by its tracking link",
      tags: ['public'],
      request: {
        params: z.object({ caseNo: z.string().meta({ example: 'YL-2026-000123' }) }),
        query: z.object({
          k: z.string().optional().meta({ description: 'the tracking key from the tracking link' }),
        }),
      },
      responses: {
        200: { description: 'the case', content: { 'application/json': { schema: PublicCaseSchema } } },
        404: problem('no case with this number and key'),
      },
    }),
    async (c) => {
      const { caseNo } = c.req.valid('param');
      const { services } = c.var;
      const view = await trackCase(services, caseNo, c.req.valid('query').k, {
        now: services.clock.now(),
        origin: new URL(c.req.url).origin,
      });
      if (!view) return problemResponse(c, notFoundProblem) as never;
      return c.json(view, 200);
    },
  );

  return app;
}
