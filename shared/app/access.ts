import type { ZhuqiConfig } from '../config/config';
import type { Actor } from '../domain/case';
import type { AccessRepository, ApiKeyRecord, KeyOwner, Role } from '../store/access-repository';
import type { Clock } from './ports';
import { newSecret, sha256 } from './secrets';

export interface IssuedKey {
  /** The key itself: shown once, stored nowhere. */
  key: string;
  record: ApiKeyRecord;
}

/**
 * A person (or a system) let in by a key — through the API or a workbench session. What they do
 * is recorded under the key's label, their name.
 */
export interface Caller {
  role: Role;
  unitId?: string;
  cadreId?: string;
  /** The key's visible prefix, which tells keys apart. */
  keyPrefix: string;
  /** The key's label: the name of the person it was issued to. */
  name: string;
}

/** The caller as the case history records them: a unit's clerk by unit, anyone else by key; always by name. */
export function actorOf(caller: Caller): Actor {
  const id = caller.role === 'unit' ? caller.unitId : caller.keyPrefix;
  return { kind: caller.role, ...(id ? { id } : {}), name: caller.name };
}

/** The caller a stored key lets in. */
export function callerOf(record: ApiKeyRecord): Caller {
  return {
    role: record.role,
    keyPrefix: record.prefix,
    name: record.label,
    ...(record.unitId ? { unitId: record.unitId } : {}),
    ...(record.cadreId ? { cadreId: record.cadreId } : {}),
  };
}

/** Issues an API key; only its hash is stored. */
export async function issueApiKey(
  deps: { access: AccessRepository; clock: Clock },
  owner: KeyOwner & { label: string },
  key = `zq_${owner.role}_${newSecret(24)}`,
): Promise<IssuedKey> {
  const record: ApiKeyRecord = {
    hash: sha256(key),
    prefix: key.slice(0, 12),
    role: owner.role,
    ...(owner.unitId ? { unitId: owner.unitId } : {}),
    ...(owner.cadreId ? { cadreId: owner.cadreId } : {}),
    label: owner.label,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.access.putApiKey(record);
  return { key, record };
}

/**
 * Creates the configured units that do not exist yet and, when the office has no key, its
 * first key — `bootstrapKey` when given, otherwise a generated one. Returns the office key when
 * it was created now (to be printed once), else undefined. Safe to run on every start.
 */
export async function bootstrapStore(
  deps: { access: AccessRepository; clock: Clock; config: Pick<ZhuqiConfig, 'units'> },
  bootstrapKey?: string,
): Promise<string | undefined> {
  const at = deps.clock.now().toISOString();
  for (const unit of deps.config.units)
    await deps.access.createUnit({ ...unit, active: true, createdAt: at });
  if ((await deps.access.listApiKeys({ role: 'office' })).length > 0) return undefined;
  const issued = await issueApiKey(deps, { role: 'office', label: 'first office key' }, bootstrapKey);
  return issued.key;
}
