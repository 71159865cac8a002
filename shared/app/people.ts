import { z } from 'zod';
import type { UnitKind } from '../config/catalog';
import { normaliseCreditCode } from '../domain/credit-code';
import { creditCodeSchema, validate } from '../domain/filing';
import type { ApiKeyRecord, Cadre, KeyOwner, Unit } from '../store/access-repository';
import { type IssuedKey, issueApiKey } from './access';
import { NotFoundError, ValidationError } from './errors';
import { newSecret, sha256 } from './secrets';
import type { Services } from './services';

/** Adds a unit (承办单位); an id that is taken is a 422. */
export async function createUnit(
  services: Services,
  input: { id: string; kind: UnitKind; zh: string; en: string },
): Promise<Unit> {
  const unit: Unit = { ...input, active: true, createdAt: services.clock.now().toISOString() };
  if (!(await services.access.createUnit(unit))) {
    throw new ValidationError([{ field: 'id', code: 'taken', message: `a unit ${input.id} exists already` }]);
  }
  return unit;
}

export async function requireUnit(services: Services, unitId: string): Promise<Unit> {
  const unit = await services.access.getUnit(unitId);
  if (!unit) throw new NotFoundError(`no unit ${unitId}`);
  return unit;
}

/**
 * Renames, (de)activates, or sets or removes the webhook of a unit. A new webhook address gets a
 * new signing secret, returned here once; `null` removes the webhook and its secret.
 */
export async function changeUnit(
  services: Services,
  unitId: string,
  change: { zh?: string; en?: string; active?: boolean; webhookUrl?: string | null },
): Promise<{ unit: Unit; webhookSecret?: string }> {
  const unit = await requireUnit(services, unitId);
  const { webhookUrl, ...rest } = change;
  const secret = webhookUrl ? newSecret(32) : undefined;
  const { webhookUrl: _url, webhookSecret: _secret, ...base } = unit;
  const updated: Unit = {
    ...base,
    ...rest,
    ...(webhookUrl === undefined && unit.webhookUrl
      ? { webhookUrl: unit.webhookUrl, ...(unit.webhookSecret ? { webhookSecret: unit.webhookSecret } : {}) }
      : {}),
    ...(webhookUrl && secret ? { webhookUrl, webhookSecret: secret } : {}),
  };
  await services.access.updateUnit(updated);
  return { unit: updated, ...(secret ? { webhookSecret: secret } : {}) };
}

/** Makes sure a key's owner exists: the unit or the cadre it is for. */
async function requireOwner(services: Services, owner: KeyOwner): Promise<void> {
  if (owner.role === 'unit') await requireUnit(services, owner.unitId ?? '');
  if (owner.role === 'cadre') await requireCadre(services, owner.cadreId ?? '');
}

/** Issues a personal key to an office member, a unit's clerk or a cadre; the label is their name. */
export async function issueKeyTo(
  services: Services,
  owner: KeyOwner & { label: string },
): Promise<IssuedKey> {
  await requireOwner(services, owner);
  return issueApiKey(services, owner);
}

/** The keys of an owner (hashes and prefixes only). */
export async function keysOf(services: Services, owner: KeyOwner): Promise<ApiKeyRecord[]> {
  await requireOwner(services, owner);
  return services.access.listApiKeys(owner);
}

/**
 * Revokes a key of an owner; a key of anybody else is a 404. The key stops working at once, and
 * the workbench sessions opened with it end on their next request.
 */
export async function revokeKey(services: Services, owner: KeyOwner, keyHash: string): Promise<ApiKeyRecord> {
  const key = await services.access.findApiKey(keyHash);
  const owns =
    key &&
    key.role === owner.role &&
    (owner.role !== 'unit' || key.unitId === owner.unitId) &&
    (owner.role !== 'cadre' || key.cadreId === owner.cadreId);
  if (!key || !owns) throw new NotFoundError(`no such key of this ${owner.role}`);
  await services.access.revokeApiKey(keyHash, services.clock.now().toISOString());
  return (await services.access.findApiKey(keyHash)) ?? key;
}

export async function requireCadre(services: Services, cadreId: string): Promise<Cadre> {
  const cadre = await services.access.getCadre(cadreId);
  if (!cadre) throw new NotFoundError(`no cadre ${cadreId}`);
  return cadre;
}

/** Adds a cadre (包联干部); the id is derived, so the office only names them. */
export async function createCadre(
  services: Services,
  input: { name: string; mobile?: string },
): Promise<Cadre> {
  const createdAt = services.clock.now().toISOString();
  const cadre: Cadre = {
    id: `c-${sha256(`${input.name}:${createdAt}:${newSecret(8)}`).slice(0, 10)}`,
    name: input.name,
    ...(input.mobile ? { mobile: input.mobile } : {}),
    enterprises: [],
    createdAt,
    version: 1,
  };
  await services.access.createCadre(cadre);
  return cadre;
}

/** The most enterprises one cadre is responsible for; a cadre visits them in person. */
export const MAX_ENTERPRISES_PER_CADRE = 200;

/**
 * 分包: assigns an enterprise, by its unified social credit code, to a cadre, or takes it away.
 * Assigning one the cadre has already is no change; a lost race with another change retries.
 */
export async function setCadreEnterprise(
  services: Services,
  cadreId: string,
  enterprise: { creditCode: string; name?: string },
  assigned: boolean,
): Promise<Cadre> {
  const checked = validate(z.object({ creditCode: creditCodeSchema }), { creditCode: enterprise.creditCode });
  if (assigned && !checked.ok) throw new ValidationError(checked.errors);
  const creditCode = checked.ok ? checked.value.creditCode : normaliseCreditCode(enterprise.creditCode);
  for (let attempt = 0; ; attempt++) {
    const cadre = await requireCadre(services, cadreId);
    const others = cadre.enterprises.filter((e) => e.creditCode !== creditCode);
    if (assigned && others.length >= MAX_ENTERPRISES_PER_CADRE) {
      throw new ValidationError([
        {
          field: 'creditCode',
          code: 'too_many',
          message: `a cadre is responsible for at most ${MAX_ENTERPRISES_PER_CADRE} enterprises`,
        },
      ]);
    }
    const enterprises = assigned
      ? [...others, { creditCode, ...(enterprise.name ? { name: enterprise.name } : {}) }]
      : others;
    if (await services.access.setCadreEnterprises(cadre, enterprises)) {
      return { ...cadre, enterprises, version: cadre.version + 1 };
    }
    if (attempt >= 5) throw new Error(`cadre ${cadreId} kept changing; try again`);
  }
}
