import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answerAsUnit, type UnitAnswerInput } from '../../app/case-actions';
import { caseSummary, internalView } from '../../app/case-view';
import { NotFoundError } from '../../app/errors';
import { CASE_STATUSES } from '../../domain/case-state';
import type { AppEnv } from '../env';
import { requireMediaType, requireRole } from '../middleware';
import { CaseIdParam, CaseListSchema, CaseSchema, json, jsonBody, PageQuery, problem } from '../schemas';
import { validationHook } from '../validation';

const text = (max: number) => z.string().trim().min(1).max(max);

const ANSWERS = {
  accept: { body: z.object({}), summary: 'Accept the assignment (受理)' },
  return: {
    body: z.object({ reason: text(1000) }),
    summary: 'Return a misrouted case with a reason, within the return window (退回)',
  },
  progress: { body: z.object({ note: text(2000) }), summary: 'Report progress (反馈进展)' },
  extension: {
    body: z.object({ days: z.number().int().min(1).max(90), reason: text(1000) }),
    summary: 'Ask the office for more time before the deadline (申请延期)',
  },
  resolve: {
    body: z.object({ resolution: text(4000) }),
    summary: 'Resolve the case; the enterprise is then surveyed (办结)',
  },
} as const;

/** The responsible units' API: their own cases only, and the five answers to an assignment. */
export function unitApi() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireRole('unit'));
  const security = [{ apiKey: [] }];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases',
      summary: "The unit's cases, oldest first",
      tags: ['unit'],
      security,
      request: { query: z.object({ status: z.enum(CASE_STATUSES).optional(), ...PageQuery }) },
      responses: {
        200: json(CaseListSchema, 'cases'),
        401: problem('no valid key'),
        403: problem('not a unit key'),
      },
    }),
    async (c) => {
      const { status, limit, cursor } = c.req.valid('query');
      const page = await c.var.services.cases.listByUnit(c.var.principal.unitId!, {
        ...(limit ? { limit } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const items = page.items.filter((r) => !status || r.status === status).map(caseSummary);
      return c.json({ items, ...(page.cursor ? { cursor: page.cursor } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases/{id}',
      summary: 'One of the unit’s cases, with contact details and deadlines',
      tags: ['unit'],
      security,
      request: { params: CaseIdParam },
      responses: { 200: json(CaseSchema, 'the case'), 404: problem('no such case assigned to this unit') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const record = await c.var.services.cases.get(id);
      if (!record || record.unitId !== c.var.principal.unitId)
        throw new NotFoundError(`no case ${id} assigned to this unit`);
      return c.json(internalView(record) as never, 200);
    },
  );

  for (const [action, { body, summary }] of Object.entries(ANSWERS) as [
    keyof typeof ANSWERS,
    (typeof ANSWERS)[keyof typeof ANSWERS],
  ][]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/cases/{id}/${action}`,
        summary,
        tags: ['unit'],
        security,
        middleware: [requireMediaType('application/json')] as const,
        request: { params: CaseIdParam, body: jsonBody(body) },
        responses: {
          200: json(CaseSchema, 'the case after the answer'),
          404: problem('no such case assigned to this unit'),
          409: problem('the case is not in a state that allows this answer, or another answer came first'),
          422: problem('invalid fields'),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const input = c.req.valid('json') as UnitAnswerInput[typeof action];
        const record = await answerAsUnit(c.var.services, id, c.var.principal.unitId!, action, input);
        return c.json(internalView(record) as never, 200);
      },
    );
  }
  return app;
}
