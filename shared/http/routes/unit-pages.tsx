import type { Context } from 'hono';
import { answerAsUnit, type UnitAnswer, type UnitAnswerInput } from '../../app/case-actions';
import { type CaseView, viewCaseAsUnit } from '../../app/case-view';
import type { CaseRecord } from '../../domain/case';
import type { AppEnv } from '../env';
import { onFirstRender } from '../pages/on-first-render';
import { namesOf } from '../pages/workbench/words';
import { UNIT_ANSWERS } from './unit-api';
import { formAction, frameOf, parseForm, workbench } from './workbench';

// Pages load on their first render (on-first-render.ts): a cold start of the API Lambda reads none.
const unitPagesModule = () => import('../pages/unit/unit-pages');
const UnitCasePage = onFirstRender(unitPagesModule, 'UnitCasePage');
const UnitCasesPage = onFirstRender(unitPagesModule, 'UnitCasesPage');

type Ctx = Context<AppEnv>;
const ANSWERS = Object.keys(UNIT_ANSWERS) as UnitAnswer[];

/** The unit workbench (承办单位): its own cases only — another unit's case is a 404, as in the unit API. */
export function unitPages() {
  const app = workbench('unit');

  const unitOf = (c: Ctx) => c.var.principal.unitId!;
  const names = async (c: Ctx) =>
    namesOf(c.var.services.config, await c.var.services.access.listUnits(), c.var.locale);

  app.get('/', async (c) => {
    const { services } = c.var;
    const cases: CaseRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await services.cases.listByUnit(unitOf(c), { limit: 200, ...(cursor ? { cursor } : {}) });
      cases.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    const n = await names(c);
    return c.html(<UnitCasesPage frame={frameOf(c)} cases={cases} names={n} unitName={n.unit(unitOf(c))} />);
  });

  const casePage = async (
    c: Ctx,
    id: string,
    flash: { done?: string; error?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    // The unit's own view of the case: the full contact only while it works on it, each such view audited.
    const view = await viewCaseAsUnit(c.var.services, id, unitOf(c));
    return c.html(
      <UnitCasePage frame={frameOf(c)} view={view as CaseView} names={await names(c)} {...flash} />,
      status,
    );
  };

  app.get('/cases/:id', (c) => {
    const done = c.req.query('done');
    return casePage(c, c.req.param('id'), done && ANSWERS.includes(done as UnitAnswer) ? { done } : {});
  });

  for (const answer of ANSWERS) {
    app.post(`/cases/:id/${answer}`, async (c) => {
      const id = c.req.param('id');
      return formAction(
        c,
        async () => {
          const input = (await parseForm(c, UNIT_ANSWERS[answer].body, [
            'days',
          ])) as UnitAnswerInput[typeof answer];
          await answerAsUnit(c.var.services, id, { ...c.var.principal, unitId: unitOf(c) }, answer, input);
          // A returned case is no longer the unit's: back to the list.
          return c.redirect(answer === 'return' ? '/unit' : `/unit/cases/${id}?done=${answer}`, 303);
        },
        (why) => casePage(c, id, { error: why.text }, why.status),
      );
    });
  }

  return app;
}
