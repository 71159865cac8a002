import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { campaignFigures } from '../../app/statistics';
import { COUNT_NAMES, FIGURE_DEFINITIONS, PERIOD_PATTERN, RATE_NAMES } from '../../domain/statistics';
import type { AppEnv } from '../env';
import { requireRole } from '../middleware';
import { json, keyProblems, problems } from '../schemas';
import { validationHook } from '../validation';
import { LedgerFilterQuery } from './office-api';

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

  return app;
}
