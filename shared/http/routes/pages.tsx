import { type Context, Hono } from 'hono';
import { ValidationError } from '../../app/errors';
import { fileCase } from '../../app/file-case';
import { newSecret } from '../../app/secrets';
import { parseTrackingLink, trackCase, trackingUrl } from '../../app/track-case';
import { parseCaseNo } from '../../domain/case-number';
import { filingSchema, validate } from '../../domain/filing';
import type { AppEnv } from '../env';
import { pickLocale } from '../i18n';
import {
  admitFiling,
  FORM_MEDIA_TYPE,
  lookUpBySecret,
  MULTIPART_MEDIA_TYPE,
  readBody,
  requireMediaType,
  wantsPage,
} from '../middleware';
import { FAVICON_SVG } from '../pages/favicon';
import type { FormValues } from '../pages/filing-pages';
import { onFirstRender } from '../pages/on-first-render';
import { notFoundProblem, refusal } from '../problem';
import { renderedPage } from '../rendered-pages';

/** Tracking pages kept rendered (a few KB each, compressed forms included). */
const TRACKING_PAGES_KEPT = 500;

// Pages load on their first render (on-first-render.ts): a cold start of the API Lambda reads none.
const filingPagesModule = () => import('../pages/filing-pages');
const FiledPage = onFirstRender(filingPagesModule, 'FiledPage');
const FilingForm = onFirstRender(filingPagesModule, 'FilingForm');
const trackingPagesModule = () => import('../pages/tracking-pages');
const TrackingPage = onFirstRender(trackingPagesModule, 'TrackingPage');
const TrackLookupPage = onFirstRender(trackingPagesModule, 'TrackLookupPage');

export const SUBMISSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Form fields are named by their JSON path (`enterprise.name`); empty ones count as not given. */
export function nest(values: FormValues): Record<string, unknown> {
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

export const FIELDS = [
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

/** Where the browser goes after filing: the confirmation, carrying the key like the tracking link. */
const filedPath = (caseNo: string, key: string) =>
  `/filed/${encodeURIComponent(caseNo)}?k=${encodeURIComponent(key)}`;

/** A number and key that lead nowhere: the look-up form again, saying so (and nothing more). */
function notFound(c: Context<AppEnv>, caseNo: string) {
  const { config } = c.var.services;
  return refusal(c, { ...notFoundProblem, detail: 'no case with this number and key' }, () =>
    c.html(<TrackLookupPage config={config} locale={c.var.locale} problem="notFound" caseNo={caseNo} />, 404),
  );
}

/** The public HTML pages: the filing form, its confirmation, the tracking page. No JavaScript needed. */
export function pages(config: AppEnv['Variables']['services']['config']) {
  const app = new Hono<AppEnv>();
  const filing = filingSchema(config);

  app.use('*', async (c, next) => {
    c.set('locale', pickLocale(c));
    await next();
  });

  const favicon = (c: Context<AppEnv>) =>
    c.body(FAVICON_SVG, 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    });
  app.get('/favicon.svg', favicon);
  // Browsers and crawlers that ignore the page's icon link ask here; an SVG answers them too.
  app.get('/favicon.ico', favicon);

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
      beforeCreate: admitFiling(c, result.value.enterprise.creditCode),
    });
    // Post/Redirect/Get: a reload shows the confirmation again instead of sending the form again.
    // The confirmation's address carries the tracking key, as the tracking link does.
    return c.redirect(filedPath(record.caseNo, record.trackingKey), 303);
  });

  app.get('/filed/:caseNo', async (c) => {
    const key = c.req.query('k');
    const { services } = c.var;
    const view = await lookUpBySecret(c, () =>
      trackCase(services, c.req.param('caseNo'), key, {
        now: services.clock.now(),
        origin: new URL(c.req.url).origin,
      }),
    );
    if (!view || !key) return notFound(c, c.req.param('caseNo'));
    const url = trackingUrl(config, { caseNo: view.caseNo, trackingKey: key }, new URL(c.req.url).origin);
    return c.html(<FiledPage config={config} locale={c.var.locale} caseNo={view.caseNo} trackingUrl={url} />);
  });

  app.get('/track', (c) => {
    const link = c.req.query('link')?.trim();
    const parsed = link ? parseTrackingLink(link) : undefined;
    // Fields left empty count as not given.
    const caseNo = parsed?.caseNo ?? (c.req.query('caseNo')?.trim().toUpperCase() || undefined);
    const key = parsed?.key ?? (c.req.query('k')?.trim() || undefined);
    // The number and code typed apart count when the pasted text is no link.
    if (caseNo && key)
      return c.redirect(`/track/${encodeURIComponent(caseNo)}?k=${encodeURIComponent(key)}`, 303);
    if (link && !parsed) {
      // A case number alone is half of what is needed: it goes where the number belongs.
      const number = caseNo ?? (parseCaseNo(link.toUpperCase()) ? link.toUpperCase() : undefined);
      return c.html(
        <TrackLookupPage
          config={config}
          locale={c.var.locale}
          problem="notALink"
          link={link}
          caseNo={number}
        />,
        400,
      );
    }
    return c.html(<TrackLookupPage config={config} locale={c.var.locale} caseNo={caseNo} />);
  });

  // Kept rendered by what it shows: reloading a tracking link renders it again only after a change.
  const trackingPage = renderedPage(
    (props: Omit<Parameters<typeof TrackingPage>[0], 'config'>) => (
      <TrackingPage config={config} {...props} />
    ),
    TRACKING_PAGES_KEPT,
  );
  app.get('/track/:caseNo', async (c) => {
    const caseNo = c.req.param('caseNo');
    const { services } = c.var;
    const view = await lookUpBySecret(c, () =>
      trackCase(services, caseNo, c.req.query('k'), {
        now: services.clock.now(),
        origin: new URL(c.req.url).origin,
      }),
    );
    if (!view) return notFound(c, caseNo);
    const unit = view.unitId ? await c.var.services.access.getUnit(view.unitId) : undefined;
    const path = `/track/${view.caseNo}?k=${encodeURIComponent(c.req.query('k') ?? '')}`;
    return trackingPage(c, { locale: c.var.locale, view, unit, path });
  });

  return app;
}
