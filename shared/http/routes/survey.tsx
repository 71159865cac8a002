import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { admit, countFailure, refuseWhenExhausted } from '../../app/abuse-limits';
import { answerCaseSurvey } from '../../app/case-actions';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../../app/errors';
import { trackingUrl } from '../../app/track-case';
import { surveyState } from '../../domain/case-rules';
import { CASE_STATUSES } from '../../domain/case-state';
import { validate } from '../../domain/filing';
import { SATISFACTION_LEVELS } from '../../domain/survey-outcome';
import type { AppEnv } from '../env';
import { pickLocale } from '../i18n';
import {
  clientAddress,
  FORM_MEDIA_TYPE,
  JSON_MEDIA_TYPE,
  lookUpBySecret,
  MULTIPART_MEDIA_TYPE,
  readBody,
  requireMediaType,
  wantsPage,
} from '../middleware';
import { onFirstRender } from '../pages/on-first-render';
import { notFoundProblem, refusal } from '../problem';
import { BODY_PROBLEMS, json, orPage, problems, surveyAnswerSchema } from '../schemas';

// Pages load on their first render (on-first-render.ts): a cold start of the API Lambda reads none.
const surveyPagesModule = () => import('../pages/survey-pages');
const SurveyGonePage = onFirstRender(surveyPagesModule, 'SurveyGonePage');
const SurveyPage = onFirstRender(surveyPagesModule, 'SurveyPage');
const SurveyThanksPage = onFirstRender(surveyPagesModule, 'SurveyThanksPage');

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/** The same answer for a link that never existed, one answered already and one expired. */
const gone = (c: Context<AppEnv>) =>
  refusal(c, { ...notFoundProblem, detail: 'this survey link is not valid, answered or expired' }, () =>
    c.html(<SurveyGonePage config={c.var.services.config} locale={c.var.locale} />, 404),
  );

/**
 * The satisfaction survey behind its one-time link: a page for people (works without
 * JavaScript), the same URL taking JSON for integrations (SMS gateways, mini-programs).
 */
export function survey() {
  const app = new OpenAPIHono<AppEnv>();
  // Documented for integrators; served by the plain handlers below, which also answer HTML forms.
  const errors = problems(
    { ...BODY_PROBLEMS, 415: 'neither JSON nor a form' },
    {
      404: 'the link is unknown, answered already, or expired',
      422: 'invalid answer',
      429: 'too many survey answers, or too many links that found nothing, from this client address',
    },
  );
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{token}',
    operationId: 'answerSurvey',
    summary: 'Answer the satisfaction survey by its one-time link (also accepted as an HTML form)',
    description:
      'A client gets JSON answers and problem documents; a browser (`Accept: text/html`) gets the pages a ' +
      'person sees (thanks, the form again with its errors, or "this link is no longer valid").',
    tags: ['public'],
    security: [],
    request: {
      params: z.object({
        token: z.string().meta({ description: 'the token of the link sent to the enterprise' }),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: surveyAnswerSchema,
            example: { solved: 'yes', satisfaction: 'satisfied' },
          },
          'application/x-www-form-urlencoded': { schema: surveyAnswerSchema },
          'multipart/form-data': { schema: surveyAnswerSchema },
        },
      },
    },
    responses: {
      200: orPage(
        json(
          z
            .strictObject({
              caseNo: z.string().meta({ example: 'YL-2026-000123' }),
              status: z.enum(CASE_STATUSES),
              rating: z.enum(SATISFACTION_LEVELS).optional(),
            })
            .meta({ id: 'SurveyResult' }),
          'closed with the rating, or reopened (status assigned or triage)',
        ),
        'the thanks page, for a browser',
      ),
      ...Object.fromEntries(
        Object.entries(errors).map(([status, response]) => [
          status,
          orPage(response, 'an error page, for a browser'),
        ]),
      ),
    },
  });

  app.use('*', async (c, next) => {
    c.set('locale', pickLocale(c));
    await next();
  });

  app.get('/:token', async (c) => {
    const { config, cases, clock } = c.var.services;
    const token = c.req.param('token');
    const record = await lookUpBySecret(c, async () => {
      const found = TOKEN.test(token) ? await cases.findBySurveyToken(token) : undefined;
      return found && surveyState(found, clock.now()) === 'open' ? found : undefined;
    });
    if (!record) return gone(c);
    return c.html(<SurveyPage config={config} locale={c.var.locale} record={record} token={token} />);
  });

  app.post('/:token', requireMediaType(JSON_MEDIA_TYPE, FORM_MEDIA_TYPE, MULTIPART_MEDIA_TYPE), async (c) => {
    const { config } = c.var.services;
    const token = c.req.param('token');
    // A page for a person at a browser, a problem document for a program.
    const page = wantsPage(c);
    const address = clientAddress(c);
    await refuseWhenExhausted(c.var.services, 'failedLookupsPerAddress', address);
    await admit(c.var.services, 'surveyAnswersPerAddress', address);
    const refused = async () => {
      await countFailure(c.var.services, 'failedLookupsPerAddress', address);
      return gone(c);
    };
    if (!TOKEN.test(token)) return refused();
    const { fields } = await readBody(c);
    const input = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    ) as Record<string, string>;
    const result = validate(surveyAnswerSchema, input);
    if (!result.ok) {
      if (!page) throw new ValidationError(result.errors);
      const record = await c.var.services.cases.findBySurveyToken(token);
      if (!record) return refused();
      return c.html(
        <SurveyPage
          config={config}
          locale={c.var.locale}
          record={record}
          token={token}
          values={input}
          errors={result.errors}
        />,
        422,
      );
    }
    try {
      const record = await answerCaseSurvey(c.var.services, token, result.value);
      if (!page)
        return c.json(
          {
            caseNo: record.caseNo,
            status: record.status,
            ...(record.rating ? { rating: record.rating } : {}),
          },
          200,
        );
      return c.html(
        <SurveyThanksPage
          config={config}
          locale={c.var.locale}
          record={record}
          trackingUrl={trackingUrl(config, record)}
        />,
      );
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof InvalidTransitionError) return refused();
      throw error;
    }
  });
  return app;
}
