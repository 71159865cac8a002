import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { caseSummary } from '../../app/case-view';
import {
  confirmCommonProblem,
  type GroupView,
  listCommonProblems,
  reasonOf,
  splitCommonProblem,
  triageCommonProblem,
} from '../../app/common-problems';
import { EXPORT_FORMATS, EXPORT_TABLES, type ExportFile, exportLedger } from '../../app/exports';
import type { Services } from '../../app/services';
import { campaignFigures } from '../../app/statistics';
import { weeklyReport, weeklyReportFile } from '../../app/weekly-report';
import { SIMILARITY_THRESHOLD } from '../../domain/common-problems';
import { chinaMonth, MONTH_PATTERN } from '../../domain/follow-up';
import { COUNT_NAMES, FIGURE_DEFINITIONS, PERIOD_PATTERN, RATE_NAMES } from '../../domain/statistics';
import type { CommonProblemGroup } from '../../store/common-problem-repository';
import { CaseSummarySchema } from '../case-schemas';
import type { AppEnv } from '../env';
import { requireMediaType, requireRole } from '../middleware';
import { BODY_PROBLEMS, json, jsonBody, keyProblems, problems } from '../schemas';
import { validationHook } from '../validation';
import { LedgerFilterQuery, TriageBody } from './office-api';

const described = (name: keyof typeof FIGURE_DEFINITIONS) => {
  const { zh, en, definition } = FIGURE_DEFINITIONS[name];
  return { description: `${zh} (${en}): ${definition}` };
};

export const FiguresSchema = z
  .strictObject({
    ...Object.fromEntries(COUNT_NAMES.map((name) => [name, z.number().int().meta(described(name))])),
    ...Object.fromEntries(RATE_NAMES.map((name) => [name, z.number().nullable().meta(described(name))])),
  })
  .meta({
    id: 'Figures',
    description: 'Counts, and rates as fractions in [0, 1] (null when there is nothing to divide by)',
  });

const LabelSchema = z.strictObject({ zh: z.string(), en: z.string() });
const GroupSchema = z
  .strictObject({ key: z.string(), label: LabelSchema, figures: FiguresSchema })
  .meta({ id: 'FiguresGroup' });

export const PeriodSchema = z
  .strictObject({ from: z.string(), to: z.string() })
  .meta({ id: 'Period', description: 'China dates, both included' });

const FiguresReportSchema = z
  .strictObject({
    period: PeriodSchema,
    totals: FiguresSchema,
    breakdowns: z.strictObject({
      unit: z.array(GroupSchema),
      township: z.array(GroupSchema),
      category: z.array(GroupSchema),
      level: z.array(GroupSchema),
      month: z.array(GroupSchema),
    }),
    ranking: z.array(
      z
        .strictObject({
          unitId: z.string(),
          label: LabelSchema,
          rank: z.number().int(),
          onTimeRate: z.number().nullable(),
          resolved: z.number().int(),
          resolvedOnTime: z.number().int(),
          satisfactionRate: z.number().nullable(),
          rated: z.number().int(),
          satisfiedOrBasically: z.number().int(),
        })
        .meta({ id: 'UnitRank' }),
    ),
  })
  .meta({ id: 'FiguresReport' });

const { q, order, ...figuresFilter } = LedgerFilterQuery;

/** The figures' query: the ledger's filters, and a named period instead of the filing dates. */
export const FiguresQuery = z.object({
  ...figuresFilter,
  period: z
    .string()
    .regex(PERIOD_PATTERN, 'a month (2026-11), quarter (2026-Q4), year (2026) or ISO week (2026-W48)')
    .optional()
    .meta({ description: 'default: filedFrom–filedTo, or the current year to date (China time)' }),
});

/** The office's figures: statistics, exports, the weekly report and common problems. */
export function officeStatsApi() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requireRole('office'));
  const security = [{ apiKey: [] }];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      operationId: 'getCampaignFigures',
      summary: 'The figures (三率): counts and rates of the cases filed in a period, broken down and ranked',
      description:
        'Every figure counts the cases filed in the period (China dates), as they stand now. ' +
        'Each field of `Figures` carries its definition. Units are ranked by on-time rate, then ' +
        'satisfaction rate, with the counts behind each rate.',
      tags: ['office'],
      security,
      request: { query: FiguresQuery },
      responses: {
        200: json(FiguresReportSchema, 'the figures'),
        ...problems(keyProblems('office'), {
          422: 'an invalid filter or period, or a period and filing dates together',
        }),
      },
    }),
    async (c) => {
      const report = await campaignFigures(c.var.services, c.req.valid('query'));
      return c.json(report as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/export',
      operationId: 'exportLedger',
      summary: 'The filtered ledger (问题台账) and its figures as a CSV or XLSX file, streamed',
      description:
        'The same filters as `GET /cases`, or a `period`. CSV is UTF-8 with a byte-order mark and holds one ' +
        '`table` (ledger, figures or ranking); XLSX holds every table, one sheet each, with Chinese headers, ' +
        'a frozen header row and dates as dates (China time). Mobile numbers are masked (138****5678) ' +
        'unless `contacts=full`, and every full export is recorded in the audit log (`GET /audit`).',
      tags: ['office'],
      security,
      request: {
        query: FiguresQuery.extend({
          q: LedgerFilterQuery.q,
          order: LedgerFilterQuery.order,
          format: z.enum(EXPORT_FORMATS).default('csv'),
          table: z
            .enum(EXPORT_TABLES)
            .default('ledger')
            .meta({ description: 'the table of a CSV; an XLSX holds them all' }),
          contacts: z
            .enum(['masked', 'full'])
            .default('masked')
            .meta({ description: 'full: unmasked mobile numbers, recorded in the audit log' }),
        }),
      },
      responses: {
        200: {
          description: 'the file, as an attachment',
          content: {
            'text/csv': { schema: z.string().meta({ format: 'binary' }) },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: z.string().meta({ format: 'binary' }),
            },
          },
        },
        ...problems(keyProblems('office'), { 422: 'an invalid filter, format or table' }),
      },
    }),
    async (c) => {
      const { format, table, contacts, ...filter } = c.req.valid('query');
      const file = await exportLedger(c.var.services, {
        filter,
        format,
        table,
        fullContacts: contacts === 'full',
        by: c.var.principal.keyPrefix,
      });
      return attachment(c, file) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      operationId: 'listAuditEntries',
      summary: "The office's audit log of a month (exports of full contact lists), newest first",
      tags: ['office'],
      security,
      request: {
        query: z.object({
          month: z
            .string()
            .regex(MONTH_PATTERN, 'a month as YYYY-MM')
            .optional()
            .meta({ description: 'default: this month (China time)' }),
        }),
      },
      responses: {
        200: json(
          z
            .strictObject({
              month: z.string(),
              items: z.array(
                z
                  .strictObject({
                    id: z.string(),
                    at: z.string(),
                    by: z.string(),
                    action: z.string(),
                    details: z
                      .strictObject({
                        format: z.enum(EXPORT_FORMATS),
                        table: z.string().meta({ description: 'ledger, figures, ranking, or all (XLSX)' }),
                        filter: z.strictObject(
                          Object.fromEntries(
                            Object.keys(LedgerFilterQuery).map((name) => [name, z.string().optional()]),
                          ),
                        ),
                      })
                      .meta({ description: 'what was exported: the format, the table and the filter' }),
                  })
                  .meta({ id: 'AuditEntry' }),
              ),
            })
            .meta({ id: 'AuditLog' }),
          'the entries',
        ),
        ...problems(keyProblems('office'), { 422: 'not a month' }),
      },
    }),
    async (c) => {
      const { month = chinaMonth(c.var.services.clock.now()) } = c.req.valid('query');
      const items = await c.var.services.audit.list(month);
      return c.json({ month, items } as never, 200);
    },
  );

  const MatchSchema = z
    .strictObject({
      a: z.string(),
      b: z.string(),
      score: z
        .number()
        .meta({ description: "share of the two texts' character pairs in common (Dice), 0–1" }),
      phrases: z.array(z.string()).meta({ description: 'the longest phrases both texts contain' }),
    })
    .meta({ id: 'CommonProblemMatch' });
  const CommonProblemSchema = z
    .strictObject({
      id: z.string().optional().meta({ description: 'absent on a suggestion' }),
      status: z.enum(['suggested', 'confirmed']),
      category: z.string(),
      note: z.string().optional(),
      confirmedAt: z.string().optional(),
      cases: z.array(CaseSummarySchema),
      matches: z.array(MatchSchema),
      phrases: z.array(z.string()),
      reason: z.string().meta({ description: 'why the cases match, in words (zh)' }),
    })
    .meta({ id: 'CommonProblem' });
  const WeekEventSchema = z
    .strictObject({
      caseId: z.string(),
      caseNo: z.string(),
      enterpriseName: z.string(),
      unitId: z.string().optional(),
      at: z.string(),
      rating: z.string().optional(),
      resolution: z.string().optional(),
    })
    .meta({ id: 'WeekEvent' });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/weekly-report',
      operationId: 'getWeeklyReport',
      summary:
        "The weekly report (周报): the week's new cases, closures, on-the-spot closures, escalations, overdue by unit, satisfaction, common problems",
      description:
        'A week is an ISO week in China time (Monday to Sunday). `filed` counts the cases filed in the week ' +
        'like the figures; the lists are what happened in the week to any case. `format=xlsx` gives the same ' +
        'as a workbook, one sheet per table.',
      tags: ['office'],
      security,
      request: {
        query: z.object({
          week: z
            .string()
            .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'an ISO week such as 2026-W48')
            .optional()
            .meta({ description: 'default: this week (China time)' }),
          format: z.enum(['json', 'xlsx']).default('json'),
        }),
      },
      responses: {
        200: {
          description: 'the report',
          content: {
            'application/json': {
              schema: z
                .strictObject({
                  week: z.string(),
                  period: PeriodSchema,
                  filed: FiguresSchema,
                  closed: z.array(WeekEventSchema),
                  closedOnSpot: z.array(WeekEventSchema),
                  escalations: z.array(WeekEventSchema),
                  overdueByUnit: z.array(
                    z.strictObject({
                      unitId: z.string(),
                      redNotices: z.number().int(),
                      overdueNow: z.number().int(),
                    }),
                  ),
                  satisfaction: z.strictObject({
                    satisfied: z.number().int(),
                    basicallySatisfied: z.number().int(),
                    dissatisfied: z.number().int(),
                    notRated: z.number().int(),
                    rate: z.number().nullable(),
                  }),
                  commonProblems: z.array(CommonProblemSchema),
                })
                .meta({ id: 'WeeklyReport' }),
            },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: z.string().meta({ format: 'binary' }),
            },
          },
        },
        ...problems(keyProblems('office'), { 422: 'not an ISO week, or a week 53 of a year without one' }),
      },
    }),
    async (c) => {
      const { week, format } = c.req.valid('query');
      const report = await weeklyReport(c.var.services, week);
      if (format === 'xlsx') {
        return attachment(c, await weeklyReportFile(c.var.services, report)) as never;
      }
      return c.json({ ...report, commonProblems: report.commonProblems.map(groupJson) } as never, 200);
    },
  );

  const GroupIdParam = z.object({ groupId: z.string().regex(/^cp-[a-z0-9]{1,40}$/) });
  const jsonOnly = () => [requireMediaType('application/json')];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/common-problems',
      operationId: 'listCommonProblems',
      summary: 'Common problems (共性问题): the confirmed groups, and suggested ones among the open cases',
      description:
        'Open cases of one category from different enterprises are suggested as one problem when their ' +
        `texts share at least ${SIMILARITY_THRESHOLD} of their Chinese character pairs (Dice coefficient of ` +
        'bigram sets, filler pairs such as 企业 or 希望 left out); each group shows the matches that join it ' +
        'and the phrases they share.',
      tags: ['office'],
      security,
      responses: {
        200: json(
          z
            .strictObject({
              confirmed: z.array(CommonProblemSchema),
              suggested: z.array(CommonProblemSchema),
            })
            .meta({ id: 'CommonProblems' }),
          'the groups',
        ),
        ...problems(keyProblems('office')),
      },
    }),
    async (c) => {
      const view = await listCommonProblems(c.var.services);
      return c.json(
        { confirmed: view.confirmed.map(groupJson), suggested: view.suggested.map(groupJson) } as never,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/common-problems',
      operationId: 'confirmCommonProblem',
      summary: 'Confirm cases (a suggestion, or part of one) as one common problem',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        body: jsonBody(
          z.strictObject({
            caseIds: z.array(z.string().min(1).max(64)).min(2).max(200),
            note: z.string().trim().min(1).max(500).optional(),
          }),
        ),
      },
      responses: {
        201: json(CommonProblemSchema, 'the confirmed group'),
        ...problems(keyProblems('office'), BODY_PROBLEMS, {
          409: 'a case belongs to another confirmed group',
          422: 'fewer than two cases, unknown or closed cases, several categories, or one enterprise only',
        }),
      },
    }),
    async (c) => {
      const group = await confirmCommonProblem(
        c.var.services,
        c.req.valid('json'),
        c.var.principal.keyPrefix,
      );
      return c.json(groupJson(await viewOf(c.var.services, group)) as never, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/common-problems/{groupId}/split',
      operationId: 'splitCommonProblem',
      summary: 'Split cases off a confirmed common problem; they are not suggested with it again',
      description: 'A group left with fewer than two cases is dissolved (404 afterwards).',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: GroupIdParam,
        body: jsonBody(z.strictObject({ caseIds: z.array(z.string().min(1).max(64)).min(1).max(200) })),
      },
      responses: {
        200: json(
          z.strictObject({
            id: z.string(),
            status: z.enum(['confirmed', 'dissolved']),
            caseIds: z.array(z.string()),
          }),
          'the group as it is now',
        ),
        ...problems(keyProblems('office'), BODY_PROBLEMS, {
          404: 'no such confirmed group',
          409: 'the group was changed at the same time',
          422: 'a case that is not in the group',
        }),
      },
    }),
    async (c) => {
      const { groupId } = c.req.valid('param');
      const group = await splitCommonProblem(c.var.services, groupId, c.req.valid('json').caseIds);
      return c.json({ id: group.id, status: group.status, caseIds: group.caseIds }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/common-problems/{groupId}/triage',
      operationId: 'triageCommonProblem',
      summary: 'Assign, or answer on the spot, every case of a confirmed common problem in one action',
      description:
        'Each case awaiting triage is triaged by the same rule as on its own: its own history entry (naming ' +
        'the group), clocks and survey. Cases no longer awaiting triage are reported as skipped; acting again is safe.',
      tags: ['office'],
      security,
      middleware: jsonOnly(),
      request: {
        params: GroupIdParam,
        body: jsonBody(TriageBody),
      },
      responses: {
        200: json(
          z
            .strictObject({
              results: z.array(
                z.strictObject({
                  caseId: z.string(),
                  caseNo: z.string(),
                  outcome: z.enum(['assigned', 'resolved', 'skipped']),
                  reason: z.string().optional(),
                }),
              ),
            })
            .meta({ id: 'CommonProblemTriage' }),
          'what happened to each case',
        ),
        ...problems(keyProblems('office'), BODY_PROBLEMS, {
          404: 'no such confirmed group',
          422: 'an unknown unit, a unit of another level, or on_spot without a note',
        }),
      },
    }),
    async (c) => {
      const { groupId } = c.req.valid('param');
      const results = await triageCommonProblem(
        c.var.services,
        groupId,
        c.req.valid('json'),
        c.var.principal,
      );
      return c.json({ results }, 200);
    },
  );

  return app;
}

/** A file as a download: its type, an attachment with its name, never cached. */
export function attachment(c: Context, file: ExportFile | (Omit<ExportFile, 'body'> & { body: Uint8Array })) {
  return c.body(file.body as ReadableStream<Uint8Array>, 200, {
    'Content-Type': file.contentType,
    'Content-Disposition': `attachment; filename="${file.filename}"`,
    'Cache-Control': 'no-store',
  });
}

/** A group in words (zh): what the cases share. */
function reasonText(view: GroupView): string {
  const { enterprises, phrases, scores } = reasonOf(view);
  return [
    `同一问题类别，${enterprises} 家企业`,
    phrases.length ? `共同用语：${phrases.join('、')}` : '',
    scores ? `相似度 ${scores.min.toFixed(2)}–${scores.max.toFixed(2)}` : '',
  ]
    .filter(Boolean)
    .join('；');
}

function groupJson(view: GroupView) {
  return {
    ...(view.group ? { id: view.group.id, confirmedAt: view.group.confirmedAt } : {}),
    ...(view.group?.note ? { note: view.group.note } : {}),
    status: view.group ? 'confirmed' : 'suggested',
    category: view.category,
    cases: view.cases.map(caseSummary),
    matches: view.matches,
    phrases: view.phrases,
    reason: reasonText(view),
  };
}

async function viewOf(services: Services, group: CommonProblemGroup): Promise<GroupView> {
  const view = await listCommonProblems(services);
  return view.confirmed.find((v) => v.group?.id === group.id)!;
}
