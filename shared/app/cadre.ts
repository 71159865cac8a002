import type { CaseRecord } from '../domain/case';
import { normaliseCreditCode } from '../domain/credit-code';
import type { Filing } from '../domain/filing';
import type { Cadre } from '../store/access-repository';
import { actorOf, type Caller } from './access';
import { listCases } from './case-list';
import { ForbiddenError } from './errors';
import { type FileCaseResult, fileCase } from './file-case';
import { requireCadre } from './people';
import type { Services } from './services';

/** The cadre a signed-in cadre is, with their enterprises. */
export function cadreOf(services: Services, caller: Caller): Promise<Cadre> {
  return requireCadre(services, caller.cadreId ?? '');
}

/** Whether an enterprise (by credit code) is one the office assigned to the cadre. */
export function isAssigned(cadre: Cadre, creditCode: string): boolean {
  const code = normaliseCreditCode(creditCode);
  return cadre.enterprises.some((e) => e.creditCode === code);
}

/**
 * 走访收集: a cadre files a problem for one of their enterprises, with the same checks as the
 * public form; the channel is `visit` and the cadre is recorded as the filer, by name.
 * 1. Refuse an enterprise the office has not assigned to this cadre (403).
 * 2. File the case as the public form does (one case per form submission); the enterprise gets
 *    the tracking link and, later, the survey.
 */
export async function fileAsCadre(
  services: Services,
  caller: Caller,
  filing: Filing,
  submissionId?: string,
): Promise<FileCaseResult> {
  const cadre = await cadreOf(services, caller);
  if (!isAssigned(cadre, filing.enterprise.creditCode)) {
    throw new ForbiddenError(
      `enterprise ${filing.enterprise.creditCode} is not assigned to you; the office assigns enterprises to cadres`,
    );
  }
  return fileCase(services, {
    filing: {
      ...filing,
      channel: 'visit',
      cadre: { name: caller.name, ...(cadre.mobile ? { mobile: cadre.mobile } : {}) },
    },
    defaultChannel: 'visit',
    actor: actorOf(caller),
    ...(submissionId ? { idempotencyKey: submissionId, keyPerBody: true } : {}),
  });
}

/** Every case of the cadre's enterprises, newest first (the ledger's search by credit code). */
export async function casesOfCadre(services: Services, cadre: Cadre): Promise<CaseRecord[]> {
  const cases: CaseRecord[] = [];
  for (const { creditCode } of cadre.enterprises) {
    let cursor: string | undefined;
    do {
      const page = await listCases(
        services,
        { q: creditCode, order: 'desc' },
        { limit: 200, ...(cursor ? { cursor } : {}) },
      );
      cases.push(...page.items.filter((r) => r.enterprise.creditCode === creditCode));
      cursor = page.cursor;
    } while (cursor);
  }
  return cases.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
