import type { Context } from 'hono';
import { cadreOf, casesOfCadre, fileAsCadre, isAssigned } from '../../app/cadre';
import { internalView } from '../../app/case-view';
import { ForbiddenError, NotFoundError, ValidationError } from '../../app/errors';
import { newSecret } from '../../app/secrets';
import { trackingUrl } from '../../app/track-case';
import { type FieldError, filingSchema, validate } from '../../domain/filing';
import type { AppEnv } from '../env';
import type { FormValues } from '../pages/filing-pages';
import { onFirstRender } from '../pages/on-first-render';
import { namesOf } from '../pages/workbench/words';
import { problemFor, refusal } from '../problem';
import { FIELDS, nest, SUBMISSION_ID } from './pages';
import { formOf, frameOf, workbench } from './workbench';

// Pages load on their first render (on-first-render.ts): a cold start of the API Lambda reads none.
const cadrePagesModule = () => import('../pages/cadre/cadre-pages');
const CadreCasePage = onFirstRender(cadrePagesModule, 'CadreCasePage');
const CadreFiledPage = onFirstRender(cadrePagesModule, 'CadreFiledPage');
const CadreFilingPage = onFirstRender(cadrePagesModule, 'CadreFilingPage');
const CadreHomePage = onFirstRender(cadrePagesModule, 'CadreHomePage');

type Ctx = Context<AppEnv>;

/** The cadre's form carries the public form's fields but the cadre's own: the filer is the signed-in cadre. */
const CADRE_FORM_FIELDS = FIELDS.filter((f) => !f.startsWith('cadre.'));

/**
 * The cadre channel (包联干部): the enterprises the office assigned to the cadre, filing a problem
 * for one of them (channel `visit`, the same form and checks as the public form), and following
 * every case of them.
 */
export function cadrePages() {
  const app = workbench('cadre');
  const names = async (c: Ctx) =>
    namesOf(c.var.services.config, await c.var.services.access.listUnits(), c.var.locale);

  app.get('/', async (c) => {
    const cadre = await cadreOf(c.var.services, c.var.principal);
    const cases = await casesOfCadre(c.var.services, cadre);
    return c.html(<CadreHomePage frame={frameOf(c)} cadre={cadre} cases={cases} names={await names(c)} />);
  });

  app.get('/file', async (c) => {
    const cadre = await cadreOf(c.var.services, c.var.principal);
    const code = c.req.query('enterprise') ?? '';
    const enterprise = cadre.enterprises.find((e) => e.creditCode === code);
    const values: FormValues = enterprise
      ? {
          'enterprise.creditCode': enterprise.creditCode,
          ...(enterprise.name ? { 'enterprise.name': enterprise.name } : {}),
        }
      : {};
    return c.html(
      <CadreFilingPage
        frame={frameOf(c)}
        config={c.var.services.config}
        values={values}
        errors={[]}
        submissionId={newSecret(18)}
      />,
    );
  });

  app.post('/file', async (c) => {
    const { services } = c.var;
    const form = await formOf(c);
    const values: FormValues = {};
    for (const field of CADRE_FORM_FIELDS) if (form[field] !== undefined) values[field] = form[field];
    const submissionId = SUBMISSION_ID.test(form.submissionId ?? '') ? form.submissionId : undefined;
    const again = (errors: FieldError[], notAssigned: boolean, status: 403 | 422) =>
      c.html(
        <CadreFilingPage
          frame={frameOf(c)}
          config={services.config}
          values={values}
          errors={errors}
          submissionId={submissionId ?? newSecret(18)}
          notAssigned={notAssigned}
        />,
        status,
      );
    const result = validate(filingSchema(services.config), {
      ...nest(values),
      channel: 'visit',
      cadre: { name: c.var.principal.name },
    });
    if (!result.ok) {
      return refusal(c, problemFor(new ValidationError(result.errors))!, () =>
        again(result.errors, false, 422),
      );
    }
    try {
      const { record } = await fileAsCadre(services, c.var.principal, result.value, submissionId);
      const url = trackingUrl(services.config, record, new URL(c.req.url).origin);
      return c.html(
        <CadreFiledPage frame={frameOf(c)} caseNo={record.caseNo} caseId={record.id} trackingUrl={url} />,
        201,
      );
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      return refusal(c, problemFor(error)!, () => again([], true, 403));
    }
  });

  app.get('/cases/:id', async (c) => {
    const cadre = await cadreOf(c.var.services, c.var.principal);
    const record = await c.var.services.cases.get(c.req.param('id'));
    if (!record || !isAssigned(cadre, record.enterprise.creditCode)) {
      throw new NotFoundError('no such case of your enterprises');
    }
    return c.html(<CadreCasePage frame={frameOf(c)} view={internalView(record)} names={await names(c)} />);
  });

  return app;
}
