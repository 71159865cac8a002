import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { answerAsUnit, type UnitAnswerInput } from '../../app/case-actions';
import { caseSummary, unitView, viewCaseAsUnit } from '../../app/case-view';
import { CASE_STATUSES } from '../../domain/case-state';
import { CaseIdParam, CaseListSchema, CaseSchema, PAGING, PageQuery } from '../case-schemas';
import type { AppEnv } from '../env';
import { requireMediaType, requireRole } from '../middleware';
import { BODY_PROBLEMS, json, jsonBody, keyProblems, problems } from '../schemas';
import { validationHook } from '../validation';

const text = (max: number) => z.string().trim().min(1).max(max);

/** The five answers of a unit and what each carries (the JSON API and the unit workbench's forms). */
export const UNIT_ANSWERS = {
  accept: {
    body: z.object({}),
    example: {},
    operationId: 'acceptCase',
    summary: 'Accept the assignment (受理)',
  },
  return: {
    body: z.object({ reason: text(1000) }),
    example: { reason: '该事项属县自然资源局职责' },
    operationId: 'returnCase',
    summary: 'Return a misrouted case with a reason, within the return window (退回)',
  },
  progress: {
    body: z.object({ note: text(2000) }),
    example: { note: '已现场勘查' },
    operationId: 'reportProgress',
    summary: 'Report progress (反馈进展)',
  },
  extension: {
    body: z.object({ days: z.number().int().min(1).max(90), reason: text(1000) }),
    example: { days: 5, reason: '需等待上级批复' },
    operationId: 'requestExtension',
    summary: 'Ask the office for more time before the deadline (申请延期)',
  },
  resolve: {
    body: z.object({ resolution: text(4000) }),
    example: { resolution: '增容已批复' },
    operationId: 'resolveCase',
    summary: 'Resolve the case; the enterprise is then surveyed (办结)',
  },
} as const;

/** The responsible units' API: their own cases only, and the five answers to an assignment. */
export function unitApi() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireRole('unit'));
  const security = [{ apiKey: [] }];
  const KEY = keyProblems('unit');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cases',
      operationId: 'listUnitCases',
      summary: "The unit's cases, oldest first",
      description: `With \`status\`, a page holds only the cases in that status, and may hold fewer than \`limit\` while more follow. \n\n${PAGING}`,
      tags: ['unit'],
      security,
      request: { query: z.object({ status: z.enum(CASE_STATUSES).optional(), ...PageQuery }) },
      responses: {
        200: json(CaseListSchema, 'cases'),
        ...problems(KEY, {
          422: 'an unknown status, a limit out of range, or a cursor this API did not give',
        }),
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
      operationId: 'getUnitCase',
      summary: 'One of the unit’s cases, with contact details and deadlines',
      description:
        'The full mobile number while the unit works on the case (assigned, accepted, in progress); each such view is recorded in the case’s audit history. Masked otherwise, and in every other answer.',
      tags: ['unit'],
      security,
      request: { params: CaseIdParam },
      responses: {
        200: json(CaseSchema, 'the case'),
        ...problems(KEY, {
          404: 'no such case assigned to this unit',
          422: 'an id longer than 64 characters',
        }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json((await viewCaseAsUnit(c.var.services, id, c.var.principal.unitId!)) as never, 200);
    },
  );

  for (const [action, { body, example, operationId, summary }] of Object.entries(UNIT_ANSWERS) as [
    keyof typeof UNIT_ANSWERS,
    (typeof UNIT_ANSWERS)[keyof typeof UNIT_ANSWERS],
  ][]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/cases/{id}/${action}`,
        operationId,
        summary,
        tags: ['unit'],
        security,
        middleware: [requireMediaType('application/json')] as const,
        request: { params: CaseIdParam, body: jsonBody<z.ZodType>(body, example) },
        responses: {
          200: json(CaseSchema, 'the case after the answer'),
          ...problems(KEY, BODY_PROBLEMS, {
            404: 'no such case assigned to this unit',
            409: 'the case is not in a state that allows this answer, or another answer came first',
            422: 'invalid fields',
          }),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const input = c.req.valid('json') as UnitAnswerInput[typeof action];
        const record = await answerAsUnit(
          c.var.services,
          id,
          { ...c.var.principal, unitId: c.var.principal.unitId! },
          action,
          input,
        );
        return c.json((await unitView(c.var.services, record)) as never, 200);
      },
    );
  }
  return app;
}
