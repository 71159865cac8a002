import type { Caller } from '../app/access';
import type { Services } from '../app/services';
import type { SessionRecord } from '../store/session-repository';
import type { Locale } from './i18n';

/** Who called, once an API key (or a workbench session) has been checked. */
export type Principal = Caller;

/** The Hono environment every route of the app shares. */
export interface AppEnv {
  Variables: {
    services: Services;
    principal: Principal;
    locale: Locale;
    /** The workbench session of the request (pages under /office, /unit, /cadre). */
    session: SessionRecord;
  };
}
