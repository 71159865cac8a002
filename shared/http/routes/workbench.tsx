import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import { ForbiddenError, SignInRefusedError, TooManyRequestsError, ValidationError } from '../../app/errors';
import { secretsEqual } from '../../app/secrets';
import { resumeSession, signIn, signOut } from '../../app/sessions';
import { validate } from '../../domain/filing';
import type { Role } from '../../store/access-repository';
import type { AppEnv } from '../env';
import { pickLocale } from '../i18n';
import {
  clientAddress,
  FORM_MEDIA_TYPE,
  MULTIPART_MEDIA_TYPE,
  readBody,
  requireMediaType,
} from '../middleware';
import { onFirstRender } from '../pages/on-first-render';
import { actionErrorText } from '../pages/workbench/action-error';
import type { Frame } from '../pages/workbench/frame';
import { problemFor, refusal } from '../problem';

// Pages load on their first render (on-first-render.ts): a cold start of the API Lambda reads none.
const frameModule = () => import('../pages/workbench/frame');
const SignInPage = onFirstRender(frameModule, 'SignInPage');

const COOKIE = 'zq_session';
const FORM_TYPES = [FORM_MEDIA_TYPE, MULTIPART_MEDIA_TYPE];

/** Whether the request reached us over HTTPS (directly, or through a proxy that says so). */
function overHttps(c: Context): boolean {
  return (
    new URL(c.req.url).protocol === 'https:' ||
    (c.req.header('X-Forwarded-Proto') ?? '').split(',')[0]?.trim() === 'https'
  );
}

/**
 * A state-changing request from another site is refused: its Origin (or, without one, its
 * Sec-Fetch-Site) must name this site. Under the app's `Referrer-Policy: no-referrer` browsers
 * send `Origin: null` with forms, so a null origin defers to Sec-Fetch-Site. Requests that send
 * neither (curl) rely on the CSRF token.
 */
const sameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const sent = c.req.header('Origin');
    const origin = sent === 'null' ? undefined : sent;
    const site = c.req.header('Sec-Fetch-Site');
    let ok = true;
    if (origin !== undefined) {
      try {
        ok = new URL(origin).host === new URL(c.req.url).host;
      } catch {
        ok = false;
      }
    } else if (site !== undefined) {
      ok = site === 'same-origin' || site === 'none';
    }
    if (!ok) throw new ForbiddenError('this form was sent from another site');
  }
  await next();
};

/** Form fields as strings, the last value of a repeated field (`formValues` reads them all); no files. */
export async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const { fields } = await readBody(c);
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) if (typeof value === 'string') values[name] = value;
  return values;
}

/**
 * Reads a form with the same schema the JSON API validates its body with: empty fields count as
 * not given, `numbers` are read as numbers. Invalid input is a ValidationError (422).
 */
export async function parseForm<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  numbers: string[] = [],
): Promise<z.output<S>> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(await formOf(c))) {
    if (name === '_csrf' || value.trim() === '') continue;
    input[name] = numbers.includes(name) && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  }
  const result = validate(schema, input);
  if (!result.ok) throw new ValidationError(result.errors);
  return result.value;
}

/**
 * Reads a page's query (a GET form) with a schema: empty fields count as not given. Invalid input
 * is a ValidationError (422), which the page answers with why.
 */
export function parseQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  const input: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.req.query())) if (value.trim() !== '') input[name] = value;
  const result = validate(schema, input);
  if (!result.ok) throw new ValidationError(result.errors);
  return result.value;
}

/** Every value of a repeated form field (check boxes), in the order sent. */
export async function formValues(c: Context<AppEnv>, name: string): Promise<string[]> {
  const value = (await c.req.parseBody({ all: true }))[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** What every page of a signed-in workbench gets: language, office, person, CSRF token, path, now. */
export function frameOf(c: Context<AppEnv>): Frame {
  const url = new URL(c.req.url);
  return {
    locale: c.var.locale,
    office: c.var.services.config.officeName,
    role: c.var.principal.role,
    name: c.var.principal.name,
    csrf: c.var.session.csrfToken,
    path: `${url.pathname}${url.search}`,
    now: c.var.services.clock.now(),
  };
}

/**
 * Runs what a workbench form asks. A refusal the form can explain (a conflict, a state that does
 * not allow it, invalid fields) answers the page again with why — or, to a program, the problem
 * document; anything else goes to the app's error handler.
 */
export async function formAction(
  c: Context<AppEnv>,
  action: () => Promise<Response>,
  again: (why: { text: string; status: 409 | 422 }) => Response | Promise<Response>,
): Promise<Response> {
  try {
    return await action();
  } catch (error) {
    const why = actionErrorText(error, c.var.locale);
    const problem = problemFor(error);
    if (!why || !problem) throw error;
    return refusal(c, problem, () => again(why));
  }
}

/** Only a path of this workbench is a place to go back to after sign-in (no open redirect). */
function safeNext(role: Role, next: string | undefined): string | undefined {
  return next && new RegExp(`^/${role}(/[A-Za-z0-9/_.-]*)?(\\?[^\\s]*)?$`).test(next) ? next : undefined;
}

/**
 * A workbench sub-app (office, unit, cadre): its sign-in and sign-out, and every other route
 * behind a session of that workbench's role. Every page and form without a session redirects to
 * sign-in; every POST must come from this site and carry the session's CSRF token (else 403, and
 * nothing is changed). The session cookie is HttpOnly, SameSite=Strict, Secure over HTTPS, and
 * scoped to the workbench's path.
 */
export function workbench(role: Role): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const base = `/${role}`;
  const cookieOptions = (c: Context) => ({
    path: base,
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: overHttps(c),
  });

  app.use('*', async (c, next) => {
    c.set('locale', pickLocale(c));
    c.header('Cache-Control', 'no-store');
    await next();
  });
  app.use('*', sameOrigin);

  const signInPage = (c: Context<AppEnv>, props: Partial<Parameters<typeof SignInPage>[0]> = {}) => (
    <SignInPage locale={c.var.locale} office={c.var.services.config.officeName} role={role} {...props} />
  );

  app.get('/sign-in', (c) =>
    c.html(
      signInPage(c, {
        next: safeNext(role, c.req.query('next')),
        ...(c.req.query('out') === '1' ? { message: { kind: 'signed_out' as const } } : {}),
      }),
    ),
  );

  app.post('/sign-in', requireMediaType(...FORM_TYPES), async (c) => {
    const form = await formOf(c);
    const next = safeNext(role, form.next);
    try {
      const { sessionId } = await signIn(c.var.services, role, form.key ?? '', clientAddress(c));
      const { lifetimeHours } = c.var.services.config.sessions;
      setCookie(c, COOKIE, sessionId, { ...cookieOptions(c), maxAge: Math.round(lifetimeHours * 3600) });
      return c.redirect(next ?? base, 303);
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        c.header('Retry-After', String(error.retryAfterSeconds));
        return refusal(c, problemFor(error)!, () =>
          c.html(
            signInPage(c, { next, message: { kind: 'throttled', seconds: error.retryAfterSeconds } }),
            429,
          ),
        );
      }
      if (error instanceof SignInRefusedError) {
        const status = error.reason === 'unknown' ? 401 : 403;
        return refusal(c, problemFor(error)!, () =>
          c.html(signInPage(c, { next, message: { kind: error.reason } }), status),
        );
      }
      throw error;
    }
  });

  // Everything below needs a live session of this workbench.
  app.use('*', async (c, next) => {
    const open = await resumeSession(c.var.services, getCookie(c, COOKIE));
    if (!open) {
      deleteCookie(c, COOKIE, cookieOptions(c));
      const url = new URL(c.req.url);
      const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
      return c.redirect(`${base}/sign-in${back}`, 303);
    }
    if (open.caller.role !== role) {
      throw new ForbiddenError(`this page is for the ${role} workbench; you are signed in to another one`);
    }
    c.set('principal', open.caller);
    c.set('session', open.session);
    await next();
  });

  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      await requireMediaType(...FORM_TYPES)(c, async () => {});
      const token = (await formOf(c))._csrf ?? '';
      if (!secretsEqual(token, c.var.session.csrfToken)) {
        throw new ForbiddenError(
          'the form is out of date or was not sent from this workbench; reload the page',
        );
      }
    }
    await next();
  });

  app.post('/sign-out', async (c) => {
    await signOut(c.var.services, getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, cookieOptions(c));
    return c.redirect(`${base}/sign-in?out=1`, 303);
  });

  return app;
}
