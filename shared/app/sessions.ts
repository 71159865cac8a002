import type { Role } from '../store/access-repository';
import type { SessionRecord } from '../store/session-repository';
import { countFailure, refuseWhenExhausted } from './abuse-limits';
import { type Caller, callerOf } from './access';
import { SignInRefusedError } from './errors';
import { newSecret, sha256 } from './secrets';
import type { Services } from './services';

export interface OpenSession {
  session: SessionRecord;
  caller: Caller;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** Activity is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Signs a person in to a workbench with their personal key.
 * 1. Refuse a client whose failed sign-ins and API keys have reached the configured abuse limit
 *    (`failedSignInsPerAddress`, shared with the API's key check): 429 with the wait.
 * 2. Check the key: unknown or revoked counts as a failure; a key for another workbench is refused.
 * 3. Store a new session (only the hash of its id) with its own CSRF token; the id goes to the cookie.
 */
export async function signIn(
  services: Services,
  workbench: Role,
  key: string,
  client: string,
): Promise<OpenSession & { sessionId: string }> {
  await refuseWhenExhausted(services, 'failedSignInsPerAddress', client);
  const record = key ? await services.access.findApiKey(sha256(key.trim())) : undefined;
  if (!record || record.revokedAt) {
    await countFailure(services, 'failedSignInsPerAddress', client);
    services.logger.warn('failed workbench sign-in', { workbench, client });
    throw new SignInRefusedError('unknown');
  }
  if (record.role !== workbench) throw new SignInRefusedError('wrong_role');
  const now = services.clock.now();
  const sessionId = newSecret(32);
  const { lifetimeHours } = services.config.sessions;
  const expiresAt = new Date(now.getTime() + lifetimeHours * 3600_000);
  const session: SessionRecord = {
    idHash: sha256(sessionId),
    keyHash: record.hash,
    role: record.role,
    csrfToken: newSecret(24),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    ttl: Math.ceil(expiresAt.getTime() / 1000),
  };
  await services.sessions.put(session);
  return { sessionId, session, caller: callerOf(record) };
}

/**
 * The session a cookie names, if it is still alive: not idle longer than allowed, within its
 * absolute lifetime, and its key not revoked (a revoked key ends its sessions on their next
 * request). A dead session is deleted. Activity is recorded at most once a minute.
 */
export async function resumeSession(
  services: Services,
  sessionId: string | undefined,
): Promise<OpenSession | undefined> {
  if (!sessionId || !SESSION_ID.test(sessionId)) return undefined;
  const idHash = sha256(sessionId);
  const session = await services.sessions.get(idHash);
  if (!session) return undefined;
  const now = services.clock.now().getTime();
  const idleMs = services.config.sessions.idleMinutes * 60_000;
  const key = await services.access.findApiKey(session.keyHash);
  const alive =
    now < Date.parse(session.expiresAt) &&
    now - Date.parse(session.lastSeenAt) < idleMs &&
    key !== undefined &&
    !key.revokedAt;
  if (!alive || !key) {
    await services.sessions.delete(idHash);
    return undefined;
  }
  if (now - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
    await services.sessions.touch(idHash, new Date(now).toISOString());
  }
  return { session, caller: callerOf(key) };
}

/** Ends a session (sign-out). */
export async function signOut(services: Services, sessionId: string | undefined): Promise<void> {
  if (sessionId && SESSION_ID.test(sessionId)) await services.sessions.delete(sha256(sessionId));
}
