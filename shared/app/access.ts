import type { ZhuqiConfig } from '../config/config';
import type { AccessRepository, ApiKeyRecord, Role } from '../store/access-repository';
import type { Clock } from './ports';
import { newSecret, sha256 } from './secrets';

export interface IssuedKey {
  /** The key itself: shown once, stored nowhere. */
  key: string;
  record: ApiKeyRecord;
}

/** Issues an API key; only its hash is stored. */
export async function issueApiKey(
  deps: { access: AccessRepository; clock: Clock },
  owner: { role: Role; unitId?: string; label: string },
  key = `zq_${owner.role}_${newSecret(24)}`,
): Promise<IssuedKey> {
  const record: ApiKeyRecord = {
    hash: sha256(key),
    prefix: key.slice(0, 12),
    role: owner.role,
    ...(owner.unitId ? { unitId: owner.unitId } : {}),
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
