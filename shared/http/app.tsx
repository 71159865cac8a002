import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Services } from '../app/services';
import type { AppEnv } from './env';
import { pickLocale } from './i18n';
import { limitBody } from './middleware';
import { DocsPage } from './pages/docs-page';
import { ErrorPage } from './pages/error-page';
import { internalProblem, notFoundProblem, type Problem, problemFor, problemResponse } from './problem';
import { officeApi } from './routes/office-api';
import { pages } from './routes/pages';
import { publicApi } from './routes/public-api';
import { survey } from './routes/survey';
import { unitApi } from './routes/unit-api';

const API_VERSION = '1.0.0';

/** The one Hono app: the same object serves Lambda (functions/api.ts) and the embedded runtime. */
export function createApp(services: Services) {
  const app = new OpenAPIHono<AppEnv>();
  const { config } = services;

  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
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
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return limitBody(config.limits.bodyMaxBytes)(c, next);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/api/v1', publicApi(config));
  app.route('/api/v1/office', officeApi());
  app.route('/api/v1/unit', unitApi());
  app.route('/survey', survey());
  app.route('/', pages(config));

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An office or unit API key, issued by the campaign office',
  });
  const document = () =>
    app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Zhuqi API',
        version: API_VERSION,
        description:
          'Case platform of the enterprise support campaign (万人助企). Errors are RFC 9457 problem documents (application/problem+json).',
      },
    });
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => c.html(<DocsPage doc={document() as never} />));

  app.notFound((c) => answerError(c, notFoundProblem));
  app.onError((error, c) => {
    const problem = problemFor(error);
    if (problem) return answerError(c, problem);
    services.logger.error('unhandled error', {
      path: c.req.path,
      method: c.req.method,
      error: errorDetails(error),
    });
    return answerError(c, internalProblem);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/** Browsers get a page in their language; everybody else a problem document. */
function answerError(c: Context<AppEnv>, problem: Problem): Response | Promise<Response> {
  const headers: Record<string, string> =
    problem.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="zhuqi"' } : {};
  const wantsPage = !c.req.path.startsWith('/api/') && (c.req.header('Accept') ?? '').includes('text/html');
  if (!wantsPage) return problemResponse(c, problem, headers);
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
