import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  confirmCommonProblem,
  listCommonProblems,
  splitCommonProblem,
  triageCommonProblem,
} from '../../app/common-problems';
import { EXPORT_FORMATS, EXPORT_TABLES, exportLedger } from '../../app/exports';
import { campaignFigures } from '../../app/statistics';
import { weeklyReport, weeklyReportFile } from '../../app/weekly-report';
import { DIMENSIONS, type Dimension } from '../../domain/statistics';
import type { AppEnv } from '../env';
import type { FiguresPageQuery } from '../pages/office/figures-page';
import { namesOf } from '../pages/workbench/words';
import { TriageBody } from './office-api';
import { attachment, FiguresQuery } from './office-stats-api';
import { formAction, formValues, frameOf, parseForm, parseQuery } from './workbench';

type Ctx = Context<AppEnv>;

// The three pages load on first use, like exceljs: about 40 KB of pages in two languages that a cold
// start of the API Lambda need not read (issue 11 keeps what it loads small).
const figuresPage = () => import('../pages/office/figures-page');
const weeklyReportPage = () => import('../pages/office/weekly-report-page');
const commonProblemsPage = () => import('../pages/office/common-problems-page');

/** The dashboard's query: the figures' filter as the API takes it (what the form offers), and the breakdown. */
const FiguresPageSchema = FiguresQuery.omit({ status: true, flag: true }).extend({
  by: z.enum(DIMENSIONS).default('unit'),
});
/** A download from the dashboard: the figures' filter, the format and the table of a CSV. */
const DownloadSchema = FiguresQuery.omit({ status: true, flag: true }).extend({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  table: z.enum(EXPORT_TABLES).default('ledger'),
});
/** The full contact list is asked for explicitly, by a ticked box on a form (and recorded in the audit log). */
const FullContactsSchema = DownloadSchema.extend({ contacts: z.literal('full') });
const ConfirmBody = z.object({ note: z.string().trim().min(1).max(500).optional() });

const optional = (value: string | undefined) => {
  const v = value?.trim();
  return v ? v : undefined;
};

/**
 * The office's figures on the workbench: the dashboard (统计) with its downloads, the printable
 * weekly report (周报) and the common problems (共性问题). The pages call the same use cases as
 * `/api/v1/office/stats`, `/export`, `/weekly-report` and `/common-problems`, behind the office's
 * session instead of an API key.
 */
export function figurePages(app: Hono<AppEnv>): void {
  const figures = async (c: Ctx, status: 200 | 409 | 422 = 200, error?: string) => {
    const { services } = c.var;
    const units = await services.access.listUnits();
    const { FiguresPage } = await figuresPage();
    const page = (query: FiguresPageQuery, report?: Awaited<ReturnType<typeof campaignFigures>>) =>
      c.html(
        <FiguresPage
          frame={frameOf(c)}
          config={services.config}
          units={units}
          query={query}
          report={report}
          error={error}
        />,
        status,
      );
    if (error) {
      // The form again as it was sent, so that the office sees what to correct.
      const asked = c.req.query();
      const by = (DIMENSIONS as readonly string[]).includes(asked.by ?? '')
        ? (asked.by as Dimension)
        : 'unit';
      return page({ ...asked, by } as FiguresPageQuery);
    }
    const { by, ...filter } = parseQuery(c, FiguresPageSchema);
    return page({ ...filter, by }, await campaignFigures(services, filter));
  };

  app.get('/figures', (c) =>
    formAction(
      c,
      () => figures(c),
      (why) => figures(c, why.status, why.text),
    ),
  );

  // The dashboard's downloads: the export use case of `GET /api/v1/office/export`, masked.
  app.get('/figures/export', (c) =>
    formAction(
      c,
      async () => {
        const { format, table, ...filter } = parseQuery(c, DownloadSchema);
        const file = await exportLedger(c.var.services, {
          filter,
          format,
          table,
          by: c.var.principal.keyPrefix,
        });
        return attachment(c, file);
      },
      (why) => figures(c, why.status, why.text),
    ),
  );

  // With the full contact numbers: only from the form's ticked box, written to the audit log first.
  app.post('/figures/export', (c) =>
    formAction(
      c,
      async () => {
        const { format, table, contacts: _full, ...filter } = await parseForm(c, FullContactsSchema);
        const file = await exportLedger(c.var.services, {
          filter,
          format,
          table,
          fullContacts: true,
          by: c.var.principal.keyPrefix,
        });
        return attachment(c, file);
      },
      (why) => figures(c, why.status, why.text),
    ),
  );

  const weekly = async (c: Ctx, status: 200 | 422 = 200, error?: string) => {
    const { services } = c.var;
    const asked = optional(c.req.query('week'))?.slice(0, 10);
    const units = await services.access.listUnits();
    const names = namesOf(services.config, units, c.var.locale);
    const report = error ? undefined : await weeklyReport(services, asked);
    const { WeeklyReportPage } = await weeklyReportPage();
    return c.html(
      <WeeklyReportPage frame={frameOf(c)} names={names} week={asked} report={report} error={error} />,
      status,
    );
  };

  app.get('/weekly-report', (c) =>
    formAction(
      c,
      () => weekly(c),
      (why) => weekly(c, 422, why.text),
    ),
  );

  app.get('/weekly-report/xlsx', (c) =>
    formAction(
      c,
      async () => {
        const report = await weeklyReport(c.var.services, optional(c.req.query('week'))?.slice(0, 10));
        return attachment(c, await weeklyReportFile(c.var.services, report));
      },
      (why) => weekly(c, 422, why.text),
    ),
  );

  const DONE = ['confirmed', 'split', 'dissolved', 'triaged'] as const;
  const problems = async (c: Ctx, flash: { error?: string } = {}, status: 200 | 409 | 422 = 200) => {
    const { services } = c.var;
    const units = await services.access.listUnits();
    const view = await listCommonProblems(services);
    const done = c.req.query('done');
    const count = (name: string) => Number(/^\d{1,4}$/.exec(c.req.query(name) ?? '')?.[0] ?? 0);
    const { CommonProblemsPage } = await commonProblemsPage();
    return c.html(
      <CommonProblemsPage
        frame={frameOf(c)}
        names={namesOf(services.config, units, c.var.locale)}
        units={units}
        view={view}
        {...((DONE as readonly string[]).includes(done ?? '') && !flash.error
          ? {
              done: {
                what: done as (typeof DONE)[number],
                assigned: count('assigned'),
                skipped: count('skipped'),
              },
            }
          : {})}
        {...flash}
      />,
      status,
    );
  };

  app.get('/common-problems', (c) => problems(c));

  /** Runs a common-problem form: back to the list with what was done (PRG), or the list again with why not. */
  const act = (c: Ctx, action: () => Promise<string>) =>
    formAction(
      c,
      async () => c.redirect(`/office/common-problems?${await action()}`, 303),
      (why) => problems(c, { error: why.text }, why.status),
    );

  app.post('/common-problems', (c) =>
    act(c, async () => {
      const { note } = await parseForm(c, ConfirmBody);
      const group = await confirmCommonProblem(
        c.var.services,
        { caseIds: await formValues(c, 'caseIds'), ...(note ? { note } : {}) },
        c.var.principal.keyPrefix,
      );
      return `done=confirmed#${group.id}`;
    }),
  );

  app.post('/common-problems/:groupId/split', (c) =>
    act(c, async () => {
      const group = await splitCommonProblem(
        c.var.services,
        c.req.param('groupId'),
        await formValues(c, 'caseIds'),
      );
      return group.status === 'dissolved' ? 'done=dissolved' : `done=split#${group.id}`;
    }),
  );

  app.post('/common-problems/:groupId/triage', (c) =>
    act(c, async () => {
      const { level, unitId, note } = await parseForm(c, TriageBody);
      const groupId = c.req.param('groupId');
      const results = await triageCommonProblem(
        c.var.services,
        groupId,
        { level, ...(unitId && level !== 'on_spot' ? { unitId } : {}), ...(note ? { note } : {}) },
        c.var.principal,
      );
      const acted = results.filter((r) => r.outcome !== 'skipped').length;
      return `done=triaged&assigned=${acted}&skipped=${results.length - acted}#${groupId}`;
    }),
  );
}
