import type { Caller } from '../../shared/app/access';

/** An office member as the use cases take them: `keyPrefix` names the key, and the person too. */
export const officeCaller = (keyPrefix = 'zq_office_t', name = keyPrefix): Caller => ({
  role: 'office',
  keyPrefix,
  name,
});

/** A unit's clerk as the use cases take them. */
export const unitCaller = (unitId: string, name = unitId): Caller & { unitId: string } => ({
  role: 'unit',
  unitId,
  keyPrefix: 'zq_unit_test',
  name,
});
