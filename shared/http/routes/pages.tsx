import { Hono } from 'hono';
import { ValidationError } from '../../app/errors';
import { fileCase } from '../../app/file-case';
import { newSecret } from '../../app/secrets';
import { trackCase, trackingUrl } from '../../app/track-case';
import { filingSchema, validate } from '../../domain/filing';
import type { AppEnv } from '../env';
import { pickLocale } from '../i18n';
import { FORM_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, readBody, requireMediaType, wantsPage } from '../middleware';
import { FiledPage, FilingForm, type FormValues } from '../pages/filing-pages';
import { TrackingPage, TrackLookupPage } from '../pages/tracking-pages';
import { notFoundProblem, refusal } from '../problem';

const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Form fields are named by their JSON path (`enterprise.name`); empty ones count as not given. */
function nest(values: FormValues): Record<string, unknown> {
  // The groups are always there, so that an empty form reports each of their fields, not the group.
  const root: Record<string, unknown> = { enterprise: {}, contact: {} };
  for (const [path, raw] of Object.entries(values)) {
    const value = raw.trim();
    if (!value) continue;
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return root;
}

const FIELDS = [
  'enterprise.name',
  'enterprise.creditCode',
  'enterprise.township',
  'contact.name',
  'contact.mobile',
  'category',
  'title',
  'description',
  'cadre.name',
  'cadre.mobile',
];

/** The public HTML pages: the filing form, its confirmation, the tracking page. No JavaScript needed. */
export function pages(config: AppEnv['Variables']['services']['config']) {
  const app = new Hono<AppEnv>();
  const filing = filingSchema(config);

  app.use('*', async (c, next) => {
    c.set('locale', pickLocale(c));
    await next();
  });

  app.get('/', (c) =>
    c.html(
      <FilingForm
        config={config}
        locale={c.var.locale}
        values={{}}
        errors={[]}
        submissionId={newSecret(18)}
      />,
    ),
  );

  app.post('/cases', requireMediaType(FORM_MEDIA_TYPE, MULTIPART_MEDIA_TYPE), async (c) => {
    const { fields: body } = await readBody(c);
    const values: FormValues = {};
    for (const field of FIELDS) if (typeof body[field] === 'string') values[field] = body[field];
    const submissionId =
      typeof body.submissionId === 'string' && SUBMISSION_ID.test(body.submissionId)
        ? body.submissionId
        : undefined;

    const result = validate(filing, { ...nest(values), channel: 'web' });
    if (!result.ok) {
      if (!wantsPage(c)) throw new ValidationError(result.errors);
      return c.html(
        <FilingForm
          config={config}
          locale={c.var.locale}
          values={values}
          errors={result.errors}
          submissionId={submissionId ?? newSecret(18)}
        />,
        422,
      );
    }
    const { record } = await fileCase(c.var.services, {
      filing: result.value,
      defaultChannel: 'web',
      actor: { kind: 'enterprise' },
      ...(submissionId ? { idempotencyKey: submissionId, keyPerBody: true } : {}),
    });
    const url = trackingUrl(config, record, new URL(c.req.url).origin);
    return c.html(
      <FiledPage config={config} locale={c.var.locale} caseNo={record.caseNo} trackingUrl={url} />,
      201,
    );
  });

  app.get('/track', (c) => {
    const caseNo = c.req.query('caseNo')?.trim().toUpperCase();
    const key = c.req.query('k')?.trim();
    if (caseNo && key)
      return c.redirect(`/track/${encodeURIComponent(caseNo)}?k=${encodeURIComponent(key)}`, 303);
    return c.html(<TrackLookupPage config={config} locale={c.var.locale} notFound={false} />);
  });

  app.get('/track/:caseNo', async (c) => {
    const caseNo = c.req.param('caseNo');
    const { services } = c.var;
    const view = await trackCase(services, caseNo, c.req.query('k'), {
      now: services.clock.now(),
      origin: new URL(c.req.url).origin,
    });
    if (!view) {
      return refusal(c, { ...notFoundProblem, detail: 'no case with this number and key' }, () =>
        c.html(<TrackLookupPage config={config} locale={c.var.locale} notFound caseNo={caseNo} />, 404),
      );
    }
    const unit = view.unitId ? await c.var.services.access.getUnit(view.unitId) : undefined;
    const path = `/track/${view.caseNo}?k=${encodeURIComponent(c.req.query('k') ?? '')}`;
    return c.html(<TrackingPage config={config} locale={c.var.locale} view={view} unit={unit} path={path} />);
  });

  return app;
}
