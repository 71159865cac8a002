import { issueApiKey } from '../../shared/app/access';
import type { App } from '../../shared/http/app';
import type { KeyOwner } from '../../shared/store/access-repository';
import type { TestServices } from './services';

/** A person at a workbench, driven through `app.request()`: their session cookie and the page's CSRF token. */
export interface WorkbenchUser {
  key: string;
  cookie: string;
  /** GET a page as this person. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /**
   * POST a form as this person (a list is a repeated field, as check boxes send it); the session's
   * CSRF token is added unless `csrf` says otherwise.
   */
  post(
    path: string,
    fields?: Record<string, string | string[]>,
    options?: { csrf?: string | null; headers?: Record<string, string> },
  ): Promise<Response>;
  /** The CSRF token of the session, as the pages carry it. */
  csrf(): Promise<string>;
}

export function form(fields: Record<string, string | string[]>): {
  body: string;
  headers: Record<string, string>;
} {
  const pairs = Object.entries(fields).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );
  return {
    body: new URLSearchParams(pairs).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  };
}

/** Issues a key to a person (labelled with their name) and signs them in to the workbench of its role. */
export async function signedIn(
  app: App,
  services: TestServices,
  owner: KeyOwner & { label: string },
): Promise<WorkbenchUser> {
  const { key } = await issueApiKey(services, owner);
  const response = await app.request(`/${owner.role}/sign-in`, { method: 'POST', ...form({ key }) });
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
  const cookie = /zq_session=([^;]+)/.exec(response.headers.get('Set-Cookie') ?? '')?.[1];
  if (!cookie) throw new Error('sign-in set no session cookie');
  const base = `/${owner.role}`;
  const user: WorkbenchUser = {
    key,
    cookie,
    get: async (path, headers = {}) =>
      app.request(path, { headers: { Cookie: `zq_session=${cookie}`, ...headers } }),
    csrf: async () => {
      const html = await (await user.get(base)).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
      if (!token) throw new Error(`no CSRF token on ${base}`);
      return token;
    },
    post: async (path, fields = {}, options = {}) => {
      const token = options.csrf === undefined ? await user.csrf() : options.csrf;
      const body = form({ ...fields, ...(token !== null ? { _csrf: token } : {}) });
      return app.request(path, {
        method: 'POST',
        body: body.body,
        headers: { ...body.headers, Cookie: `zq_session=${cookie}`, ...(options.headers ?? {}) },
      });
    },
  };
  return user;
}
