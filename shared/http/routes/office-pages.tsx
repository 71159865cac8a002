import type { Context } from 'hono';
import { z } from 'zod';
import { actorOf } from '../../app/access';
import {
  BOARD_IDS,
  type BoardFilter,
  type BoardId,
  boardCount,
  boardPage,
  inProgressByUnit,
} from '../../app/boards';
import { decideCaseExtension, recordPhoneSurvey, triageCase } from '../../app/case-actions';
import { listCases } from '../../app/case-list';
import { officeCaseView } from '../../app/case-view';
import { NotFoundError, ValidationError } from '../../app/errors';
import { listFollowUps, previousMonth, recordFollowUpResult, sampleFollowUps } from '../../app/follow-up';
import { retryNotice } from '../../app/notices';
import {
  changeUnit,
  createCadre,
  createUnit,
  issueKeyTo,
  keysOf,
  requireCadre,
  requireUnit,
  revokeKey,
  setCadreEnterprise,
} from '../../app/people';
import type { CaseRecord } from '../../domain/case';
import { LEVELS, type Level } from '../../domain/case-state';
import { creditCodeSchema, mobileSchema, validate } from '../../domain/filing';
import { MONTH_PATTERN } from '../../domain/follow-up';
import type { KeyOwner } from '../../store/access-repository';
import type { AppEnv } from '../env';
import type { Shown } from '../pages/office/people-pages';
import { onFirstRender } from '../pages/on-first-render';
import { namesOf } from '../pages/workbench/words';
import { surveyAnswerSchema } from '../schemas';
import {
  ExtensionDecisionBody,
  FollowUpResultBody,
  NewKeyBody,
  NewUnitBody,
  TriageBody,
  UnitChangeBody,
} from './office-api';
import { figurePages } from './office-figures-pages';
import { formAction, formOf, frameOf, parseForm, workbench } from './workbench';

// Pages load on their first render (on-first-render.ts): a cold start of the API Lambda reads none.
const boardsPageModule = () => import('../pages/office/boards-page');
const BoardPage = onFirstRender(boardsPageModule, 'BoardPage');
const BoardsPage = onFirstRender(boardsPageModule, 'BoardsPage');
const casePageModule = () => import('../pages/office/case-page');
const OfficeCasePage = onFirstRender(casePageModule, 'OfficeCasePage');
const noticesFollowUpsModule = () => import('../pages/office/notices-follow-ups');
const FollowUpsPage = onFirstRender(noticesFollowUpsModule, 'FollowUpsPage');
const NoticesPage = onFirstRender(noticesFollowUpsModule, 'NoticesPage');
const peoplePagesModule = () => import('../pages/office/people-pages');
const CadrePage = onFirstRender(peoplePagesModule, 'CadrePage');
const PeoplePage = onFirstRender(peoplePagesModule, 'PeoplePage');
const UnitPage = onFirstRender(peoplePagesModule, 'UnitPage');
const triagePageModule = () => import('../pages/office/triage-page');
const TriagePage = onFirstRender(triagePageModule, 'TriagePage');

type Ctx = Context<AppEnv>;

/** A new cadre (包联干部), named by the office. */
const NewCadreBody = z.object({ name: z.string().trim().min(1).max(40), mobile: mobileSchema.optional() });
/** 分包: an enterprise for a cadre, by its credit code, with the same check as the filing form. */
const AssignEnterpriseBody = z.object({
  creditCode: creditCodeSchema,
  name: z.string().trim().min(1).max(100).optional(),
});

const CASE_ID = /^[a-z2-7]{20}$/;
const PAGE_SIZE = 50;
/** The notices page shows the most recent ones (and, among them, every failed one). */
const NOTICES_SHOWN = 300;
const optional = (value: string | undefined) => {
  const v = value?.trim();
  return v ? v : undefined;
};

async function names(c: Ctx) {
  const units = await c.var.services.access.listUnits();
  return { units, names: namesOf(c.var.services.config, units, c.var.locale) };
}

/** The office workbench (县助企活动办): triage queue, case pages, boards, figures, weekly report, common problems, people, notices, follow-ups. */
export function officePages() {
  const app = workbench('office');

  const triageQueue = async (
    c: Ctx,
    flash: { done?: string; error?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const { services } = c.var;
    const cases = await services.cases.everyByStatus('triage');
    return c.html(
      <TriagePage
        frame={frameOf(c)}
        cases={cases}
        categories={services.config.categories}
        names={(await names(c)).names}
        {...flash}
      />,
      status,
    );
  };

  const casePage = async (
    c: Ctx,
    id: string,
    flash: { done?: string; error?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const record = CASE_ID.test(id) ? await c.var.services.cases.get(id) : undefined;
    if (!record) throw new NotFoundError(`no case ${id}`);
    const { units, names: n } = await names(c);
    return c.html(
      <OfficeCasePage
        frame={frameOf(c)}
        view={await officeCaseView(c.var.services, record)}
        names={n}
        units={units}
        {...flash}
      />,
      status,
    );
  };

  /** Runs an office action from a form: back to the page with what was done, or the page again with why not. */
  const act = async (c: Ctx, id: string, done: string, action: () => Promise<CaseRecord>) => {
    const back = (await formOf(c)).back;
    return formAction(
      c,
      async () => {
        const record = await action();
        if (back === 'queue') return c.redirect(`/office?done=${encodeURIComponent(record.caseNo)}`, 303);
        if (back === 'awaiting_survey') {
          return c.redirect(`/office/boards/awaiting_survey?done=${encodeURIComponent(record.caseNo)}`, 303);
        }
        if (back === 'follow-ups' && record.followUp) {
          return c.redirect(`/office/follow-ups?month=${record.followUp.month}&done=1`, 303);
        }
        return c.redirect(`/office/cases/${id}?done=${done}`, 303);
      },
      (why) =>
        back === 'queue'
          ? triageQueue(c, { error: why.text }, why.status)
          : casePage(c, id, { error: why.text }, why.status),
    );
  };

  app.get('/', (c) =>
    triageQueue(c, { ...(optional(c.req.query('done')) ? { done: c.req.query('done')! } : {}) }),
  );

  app.get('/cases/:id', (c) =>
    casePage(c, c.req.param('id'), optional(c.req.query('done')) ? { done: c.req.query('done')! } : {}),
  );

  app.post('/cases/:id/triage', (c) => {
    const id = c.req.param('id');
    return act(c, id, 'triaged', async () => {
      const { level, unitId, note } = await parseForm(c, TriageBody);
      const decision = {
        level,
        ...(unitId && level !== 'on_spot' ? { unitId } : {}),
        ...(note ? { note } : {}),
      };
      return triageCase(c.var.services, id, decision, c.var.principal);
    });
  });

  app.post('/cases/:id/extension', (c) => {
    const id = c.req.param('id');
    return act(c, id, 'extension', async () => {
      const { decision, days, note } = await parseForm(c, ExtensionDecisionBody, ['days']);
      return decideCaseExtension(
        c.var.services,
        id,
        { grant: decision === 'grant', ...(days ? { days } : {}), ...(note ? { note } : {}) },
        c.var.principal,
      );
    });
  });

  // 电话回访: the answer the enterprise gave on the phone, from the awaiting-survey board.
  app.post('/cases/:id/phone-survey', (c) => {
    const id = c.req.param('id');
    return act(c, id, 'phonesurvey', async () => {
      const { solved, satisfaction, comment } = await parseForm(c, surveyAnswerSchema);
      return recordPhoneSurvey(
        c.var.services,
        id,
        { solved, satisfaction, ...(comment ? { comment } : {}) },
        c.var.principal,
      );
    });
  });

  app.post('/cases/:id/follow-up', (c) => {
    const id = c.req.param('id');
    return act(c, id, 'followup', async () => {
      const { result, note } = await parseForm(c, FollowUpResultBody);
      return recordFollowUpResult(c.var.services, id, { result, ...(note ? { note } : {}) }, c.var.principal);
    });
  });

  /** The filters of a board from the query string; values the office cannot have chosen are ignored. */
  const filterOf = (c: Ctx): BoardFilter => {
    const { config } = c.var.services;
    const q = (name: string) => optional(c.req.query(name));
    const unitId = q('unit');
    const township = q('township');
    const category = q('category');
    const level = q('level');
    return {
      ...(unitId && /^[a-z0-9][a-z0-9-]{0,62}$/.test(unitId) ? { unitId } : {}),
      ...(township && config.townships.some((t) => t.id === township) ? { township } : {}),
      ...(category && config.categories.some((x) => x.id === category) ? { category } : {}),
      ...(level && (LEVELS as readonly string[]).includes(level) ? { level: level as Level } : {}),
    };
  };

  app.get('/boards', async (c) => {
    const { services } = c.var;
    const filter = filterOf(c);
    const counts = Object.fromEntries(
      await Promise.all(BOARD_IDS.map(async (b) => [b, await boardCount(services, b, filter)] as const)),
    ) as Record<BoardId, number>;
    const byUnit = await inProgressByUnit(services, filter);
    const { units, names: n } = await names(c);
    return c.html(
      <BoardsPage
        frame={frameOf(c)}
        config={services.config}
        units={units}
        names={n}
        filter={filter}
        counts={counts}
        byUnit={byUnit}
      />,
    );
  });

  app.get('/boards/:board', async (c) => {
    const { services } = c.var;
    const board = c.req.param('board') as BoardId;
    if (!BOARD_IDS.includes(board)) throw new NotFoundError(`no board ${board}`);
    const filter = filterOf(c);
    const cursor = optional(c.req.query('cursor'));
    const page = await boardPage(services, board, filter, {
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    const { units, names: n } = await names(c);
    return c.html(
      <BoardPage
        frame={frameOf(c)}
        config={services.config}
        units={units}
        names={n}
        board={board}
        filter={filter}
        total={await boardCount(services, board, filter)}
        cases={page.items}
        next={page.cursor}
        paged={Boolean(cursor)}
      />,
    );
  });

  app.get('/search', async (c) => {
    const { services } = c.var;
    const q = optional(c.req.query('q'))?.slice(0, 100);
    const cursor = optional(c.req.query('cursor'));
    const page = q
      ? await listCases(services, { q, order: 'desc' }, { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) })
      : { items: [] };
    const { units, names: n } = await names(c);
    return c.html(
      <BoardPage
        frame={frameOf(c)}
        config={services.config}
        units={units}
        names={n}
        {...(q ? { q } : {})}
        filter={{}}
        cases={page.items}
        next={page.cursor}
        paged={Boolean(cursor)}
      />,
    );
  });

  const people = async (c: Ctx, shown: Shown = {}, status: 200 | 201 | 409 | 422 = 200) => {
    const { access } = c.var.services;
    const [units, members, cadres] = await Promise.all([
      access.listUnits(),
      access.listApiKeys({ role: 'office' }),
      access.listCadres(),
    ]);
    return c.html(
      <PeoplePage frame={frameOf(c)} units={units} members={members} cadres={cadres} shown={shown} />,
      status,
    );
  };

  const unitPage = async (c: Ctx, unitId: string, shown: Shown = {}, status: 200 | 201 | 409 | 422 = 200) => {
    const unit = await requireUnit(c.var.services, unitId);
    const keys = await keysOf(c.var.services, { role: 'unit', unitId });
    return c.html(<UnitPage frame={frameOf(c)} unit={unit} keys={keys} shown={shown} />, status);
  };

  const cadrePage = async (
    c: Ctx,
    cadreId: string,
    shown: Shown = {},
    status: 200 | 201 | 409 | 422 = 200,
  ) => {
    const cadre = await requireCadre(c.var.services, cadreId);
    const keys = await keysOf(c.var.services, { role: 'cadre', cadreId });
    return c.html(<CadrePage frame={frameOf(c)} cadre={cadre} keys={keys} shown={shown} />, status);
  };

  /** Runs a change from a people form; a refusal shows the same page again with why. */
  const change = async (
    c: Ctx,
    page: (shown: Shown, status: 200 | 201 | 409 | 422) => Promise<Response>,
    action: () => Promise<Shown | Response>,
  ) => {
    return formAction(
      c,
      async () => {
        const result = await action();
        return result instanceof Response ? result : page(result, result.key ? 201 : 200);
      },
      (why) => page({ error: why.text }, why.status),
    );
  };

  app.get('/people', (c) => people(c));
  app.get('/units/:unitId', (c) => unitPage(c, c.req.param('unitId')));
  app.get('/cadres/:cadreId', (c) => cadrePage(c, c.req.param('cadreId')));

  app.post('/units', (c) =>
    change(
      c,
      (shown, status) => people(c, shown, status),
      async () => {
        const unit = await createUnit(c.var.services, await parseForm(c, NewUnitBody));
        return c.redirect(`/office/units/${unit.id}`, 303);
      },
    ),
  );

  app.post('/units/:unitId', (c) => {
    const unitId = c.req.param('unitId');
    return change(
      c,
      (shown, status) => unitPage(c, unitId, shown, status),
      async () => {
        const form = await formOf(c);
        const input: Record<string, unknown> = {};
        if (form.zh !== undefined) input.zh = form.zh;
        if (form.en !== undefined) input.en = form.en;
        if (form.active === 'true' || form.active === 'false') input.active = form.active === 'true';
        if (form.webhookUrl !== undefined)
          input.webhookUrl = form.webhookUrl === 'none' ? null : form.webhookUrl.trim();
        const checked = validate(UnitChangeBody, input);
        if (!checked.ok) throw new ValidationError(checked.errors);
        const { webhookSecret } = await changeUnit(c.var.services, unitId, checked.value);
        return webhookSecret ? { webhookSecret } : { done: 'saved' };
      },
    );
  });

  /** Issuing and revoking keys: the same two routes for a unit's clerks, the office's members and a cadre. */
  const keyRoutes = (
    path: string,
    ownerOf: (c: Ctx) => KeyOwner,
    page: (c: Ctx, shown: Shown, status: 200 | 201 | 409 | 422) => Promise<Response>,
  ) => {
    app.post(`${path}/keys`, (c) =>
      change(
        c,
        (shown, status) => page(c, shown, status),
        async () => {
          const { label } = await parseForm(c, NewKeyBody);
          const { key } = await issueKeyTo(c.var.services, { ...ownerOf(c), label });
          return { key: { name: label, key } };
        },
      ),
    );
    app.post(`${path}/keys/:hash/revoke`, (c) =>
      change(
        c,
        (shown, status) => page(c, shown, status),
        async () => {
          await revokeKey(c.var.services, ownerOf(c), c.req.param('hash'));
          return { done: 'revoked' };
        },
      ),
    );
  };
  keyRoutes(
    '/units/:unitId',
    (c) => ({ role: 'unit', unitId: c.req.param('unitId') ?? '' }),
    (c, shown, status) => unitPage(c, c.req.param('unitId') ?? '', shown, status),
  );
  keyRoutes('/members', () => ({ role: 'office' }), people);
  keyRoutes(
    '/cadres/:cadreId',
    (c) => ({ role: 'cadre', cadreId: c.req.param('cadreId') ?? '' }),
    (c, shown, status) => cadrePage(c, c.req.param('cadreId') ?? '', shown, status),
  );

  app.post('/cadres', (c) =>
    change(
      c,
      (shown, status) => people(c, shown, status),
      async () => {
        const { name, mobile } = await parseForm(c, NewCadreBody);
        const cadre = await createCadre(c.var.services, { name, ...(mobile ? { mobile } : {}) });
        return c.redirect(`/office/cadres/${cadre.id}`, 303);
      },
    ),
  );

  app.post('/cadres/:cadreId/enterprises', (c) => {
    const cadreId = c.req.param('cadreId');
    return change(
      c,
      (shown, status) => cadrePage(c, cadreId, shown, status),
      async () => {
        const { creditCode, name } = await parseForm(c, AssignEnterpriseBody);
        await setCadreEnterprise(c.var.services, cadreId, { creditCode, ...(name ? { name } : {}) }, true);
        return c.redirect(`/office/cadres/${cadreId}`, 303);
      },
    );
  });

  app.post('/cadres/:cadreId/enterprises/remove', (c) => {
    const cadreId = c.req.param('cadreId');
    return change(
      c,
      (shown, status) => cadrePage(c, cadreId, shown, status),
      async () => {
        const { creditCode } = await formOf(c);
        await setCadreEnterprise(c.var.services, cadreId, { creditCode: creditCode ?? '' }, false);
        return c.redirect(`/office/cadres/${cadreId}`, 303);
      },
    );
  });

  const noticesPage = async (
    c: Ctx,
    flash: { done?: boolean; error?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const entries = await c.var.services.outbox.list(NOTICES_SHOWN);
    return c.html(
      <NoticesPage frame={frameOf(c)} entries={entries} names={(await names(c)).names} {...flash} />,
      status,
    );
  };

  app.get('/notices', (c) => noticesPage(c, c.req.query('done') === '1' ? { done: true } : {}));

  app.post('/notices/retry', async (c) => {
    return formAction(
      c,
      async () => {
        await retryNotice(c.var.services, (await formOf(c)).id ?? '');
        return c.redirect('/office/notices?done=1', 303);
      },
      (why) => noticesPage(c, { error: why.text }, why.status),
    );
  });

  const followUpsPage = async (
    c: Ctx,
    month: string,
    flash: { sampled?: number; done?: boolean; error?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const cases = await listFollowUps(c.var.services, month);
    return c.html(
      <FollowUpsPage
        frame={frameOf(c)}
        month={month}
        cases={cases}
        names={(await names(c)).names}
        {...flash}
      />,
      status,
    );
  };

  app.get('/follow-ups', (c) => {
    const asked = optional(c.req.query('month'));
    const month = asked && MONTH_PATTERN.test(asked) ? asked : previousMonth(c.var.services.clock.now());
    return followUpsPage(c, month, c.req.query('done') === '1' ? { done: true } : {});
  });

  app.post('/follow-ups/sample', async (c) => {
    const asked = (await formOf(c)).month ?? '';
    const month = MONTH_PATTERN.test(asked) ? asked : previousMonth(c.var.services.clock.now());
    return formAction(
      c,
      async () => {
        const ids = await sampleFollowUps(c.var.services, month, Math.random, actorOf(c.var.principal));
        return followUpsPage(c, month, { sampled: ids.length });
      },
      (why) => followUpsPage(c, month, { error: why.text }, why.status),
    );
  });

  figurePages(app);

  return app;
}
