import type { Services } from '../app/services';
import type { Role } from '../store/access-repository';
import type { Locale } from './i18n';

/** Who called, once an API key has been checked. */
export interface Principal {
  role: Role;
  unitId?: string;
  /** The key's visible prefix, recorded as the actor of what it does. */
  keyPrefix: string;
  /** The key's label: the name of the person (or system) it was issued to. */
  label: string;
}

/** The Hono environment every route of the app shares. */
export interface AppEnv {
  Variables: {
    services: Services;
    principal: Principal;
    locale: Locale;
  };
}
