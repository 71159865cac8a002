import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, ErrorHandler, Hono, MiddlewareHandler, NotFoundHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { TooManyRequestsError } from '../app/errors';
import { onFirstUse } from '../app/on-first-use';
import type { Services } from '../app/services';
import { compressResponses } from './compression';
import type { AppEnv } from './env';
import { pickLocale } from './i18n';
import { limitBody, wantsPage } from './middleware';
import { onFirstRender } from './pages/on-first-render';
import { internalProblem, notFoundProblem, type Problem, problemFor, problemResponse } from './problem';
import { renderWithoutAsyncHooks } from './render-context';
import { pages } from './routes/pages';
import { publicApi } from './routes/public-api';
import { json, problems } from './schemas';

// Pages load on their first render (on-first-render.ts): a cold start of the API Lambda reads none.
const docsPageModule = () => import('./pages/docs-page');
const DocsPage = onFirstRender(docsPageModule, 'DocsPage');
const errorPageModule = () => import('./pages/error-page');
const ErrorPage = onFirstRender(errorPageModule, 'ErrorPage');

/** The one Hono app: the same object serves Lambda (functions/api.ts) and the embedded runtime. */
export function createApp(services: Services) {
  renderWithoutAsyncHooks();
  const app = new OpenAPIHono<AppEnv>();
  const { config } = services;

  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  // gzip or deflate when the client asks (Accept-Encoding), for the pages and the API document. The
  // JSON API's answers are mostly a few hundred bytes, and its exports are streams; /healthz answers
  // probes with 15 bytes: they go as they are, without reading them back.
  const compressed = compressResponses();
  app.use('*', (c, next) =>
    c.req.path.startsWith('/api/') || c.req.path === '/healthz' ? next() : compressed(c, next),
  );
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  app.use('*', privacyHeaders);
  const limited = limitBody(config.limits.bodyMaxBytes);
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limited(c, next)));

  // Every audience's routes but filing and tracking load on the first request under its path (issue 11).
  const answers = { notFound, onError: errorHandler(services) };
  mountRoutes(app, config, (audience) => app.all(`${audience.path}/*`, onFirstRequest(audience, answers)));

  // The API document names every audience's routes: its first request loads them all, and writes it.
  const document = onFirstUse(async () => (await import('./api-document')).apiDocument(config));
  app.get('/openapi.json', async (c) => c.json(await document()));
  app.get('/docs', async (c) => {
    const doc = await document();
    return c.html(<DocsPage doc={doc as never} config={config} locale={pickLocale(c)} />);
  });

  app.notFound(notFound);
  app.onError(answers.onError);
  return app;
}

export type App = ReturnType<typeof createApp>;

/** `GET /healthz`, in the served app and in the API document's. */
function health(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      summary: 'Whether the API answers',
      tags: ['public'],
      security: [],
      responses: {
        200: json(z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health' }), 'it answers'),
        ...problems(),
      },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
}

/** The sub-apps of one audience, loaded on its first request, each with the path it is mounted at. */
interface Audience {
  path: string;
  load: () => Promise<[path: string, app: Hono<AppEnv>][]>;
}

/** In the order the app mounts them (the API document's paths come in this order). */
const AUDIENCES: Audience[] = [
  {
    path: '/api/v1/office',
    load: async () => {
      const [{ officeApi }, { officeStatsApi }] = await Promise.all([
        import('./routes/office-api'),
        import('./routes/office-stats-api'),
      ]);
      return [
        ['/api/v1/office', officeApi()],
        ['/api/v1/office', officeStatsApi()],
      ];
    },
  },
  {
    path: '/api/v1/unit',
    load: async () => [['/api/v1/unit', (await import('./routes/unit-api')).unitApi()]],
  },
  // The satisfaction survey, by the link sent once a case is closed.
  { path: '/survey', load: async () => [['/survey', (await import('./routes/survey')).survey()]] },
  { path: '/office', load: async () => [['/office', (await import('./routes/office-pages')).officePages()]] },
  { path: '/unit', load: async () => [['/unit', (await import('./routes/unit-pages')).unitPages()]] },
  { path: '/cadre', load: async () => [['/cadre', (await import('./routes/cadre-pages')).cadrePages()]] },
];

/** The contexts of the requests handed to an audience's sub-app, by request: its variables go with it. */
const handedOver = new WeakMap<Request, Context<AppEnv>>();

/**
 * The handler of every request under an audience's path: the first loads the audience's sub-apps and
 * mounts them, at the paths the app would mount them at, on an app of their own that answers a
 * route it does not know, and an error, as the app does. Each request then goes to that app with the
 * variables the app's middleware set (the app's middleware wraps its answer as any other).
 */
function onFirstRequest(
  audience: Audience,
  answers: { notFound: NotFoundHandler<AppEnv>; onError: ErrorHandler<AppEnv> },
): MiddlewareHandler<AppEnv> {
  const load = onFirstUse(async () => {
    const sub = new OpenAPIHono<AppEnv>();
    sub.use('*', async (c, next) => {
      for (const [name, value] of Object.entries(handedOver.get(c.req.raw)?.var ?? {}))
        c.set(name as keyof AppEnv['Variables'], value as never);
      await next();
    });
    for (const [path, app] of await audience.load()) sub.route(path, app);
    sub.notFound(answers.notFound);
    sub.onError(answers.onError);
    return sub;
  });
  return async (c) => {
    const sub = await load();
    handedOver.set(c.req.raw, c);
    return sub.fetch(c.req.raw, c.env);
  };
}

/**
 * Every route of the app, each audience's loaded and mounted in the order of the served app: the
 * source of the API document (its paths in that order), and the route list the tests go through.
 */
export async function everyRoute(config: Services['config']) {
  const loaded = new Map(await Promise.all(AUDIENCES.map(async (a) => [a, await a.load()] as const)));
  const app = new OpenAPIHono<AppEnv>();
  mountRoutes(app, config, (audience) => {
    for (const [path, sub] of loaded.get(audience)!) app.route(path, sub);
  });
  return app;
}

/** The app's routes in the order it mounts them (the API document's paths come in this order). */
function mountRoutes(
  app: OpenAPIHono<AppEnv>,
  config: Services['config'],
  mountAudience: (audience: Audience) => void,
) {
  health(app);
  app.route('/api/v1', publicApi(config));
  for (const audience of AUDIENCES) mountAudience(audience);
  app.route('/', pages(config));
}

const notFound: NotFoundHandler<AppEnv> = (c) => answerError(c, notFoundProblem);

/** Problem documents (or error pages) for errors, the unexpected ones logged. */
function errorHandler(services: Services): ErrorHandler<AppEnv> {
  return (error, c) => {
    const problem = problemFor(error);
    if (problem)
      return answerError(
        c,
        problem,
        error instanceof TooManyRequestsError ? { 'Retry-After': String(error.retryAfterSeconds) } : {},
      );
    services.logger.error('unhandled error', {
      path: c.req.path,
      method: c.req.method,
      error: errorDetails(error),
    });
    return answerError(c, internalProblem);
  };
}

/** Answers that carry neither a secret nor personal data: shared caches and search engines may keep them. */
const PUBLIC_PATHS = new Set([
  '/healthz',
  '/openapi.json',
  '/docs',
  '/api/v1/catalog',
  '/favicon.svg',
  '/favicon.ico',
]);
/**
 * Forms to be found by search, kept by no shared cache (the filing form carries a one-time
 * submission token) but kept in the browser's history, so that Back shows the same form and a
 * second submission of it is recognised as the same case.
 */
const FORM_PAGES = new Set(['/', '/track']);

/**
 * `Cache-Control: no-store` and `X-Robots-Tag: noindex` on everything else: tracking and survey
 * links carry secrets in their URL, the office's and units' answers carry personal data, and new
 * routes are private until listed here.
 */
const privacyHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const path = c.req.path;
  if (PUBLIC_PATHS.has(path)) return;
  // Set on the answer's own headers, as secureHeaders does: `c.header` after the handler has
  // answered makes hono copy the answer through a stream.
  const headers = c.res.headers;
  if (FORM_PAGES.has(path) && c.req.method === 'GET' && c.req.query('k') === undefined) {
    headers.set('Cache-Control', 'private, no-cache');
    return;
  }
  headers.set('Cache-Control', 'no-store');
  headers.set('X-Robots-Tag', 'noindex');
};
/** Browsers get a page in their language; everybody else a problem document. */
function answerError(
  c: Context<AppEnv>,
  problem: Problem,
  headers: Record<string, string> = {},
): Response | Promise<Response> {
  if (problem.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="zhuqi"';
  // Refused before its body was read: the connection cannot carry another request after it.
  if (problem.status === 413 || problem.status === 415) headers.Connection = 'close';
  if (!wantsPage(c)) return problemResponse(c, problem, headers);
  const locale = c.var.locale ?? pickLocale(c);
  return c.html(
    <ErrorPage
      config={c.var.services.config}
      locale={locale}
      status={problem.status}
      detail={problem.detail}
    />,
    problem.status,
    headers,
  );
}

function errorDetails(error: unknown) {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { value: String(error) };
}
