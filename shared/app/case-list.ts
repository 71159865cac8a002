import type { CaseFlag, CaseRecord } from '../domain/case';
import type { CaseStatus, Level } from '../domain/case-state';
import { chinaMidnight } from '../domain/china-time';
import type { CaseQuery, Page, PageRequest } from '../store/case-repository';
import { ValidationError } from './errors';
import type { Services } from './services';

/** The ledger's filters (问题台账) as the office states them: dates are China calendar dates. */
export interface LedgerFilter {
  status?: CaseStatus | 'open';
  flag?: CaseFlag;
  unitId?: string;
  township?: string;
  category?: string;
  level?: Level;
  /** First China date of filing, YYYY-MM-DD, included. */
  filedFrom?: string;
  /** Last China date of filing, YYYY-MM-DD, included. */
  filedTo?: string;
  /** Part of the enterprise's name, its credit code, or the case number. */
  q?: string;
  order?: 'asc' | 'desc';
}

/** The instant after a China date ends. */
export function afterChinaDate(date: string): Date {
  return new Date(chinaMidnight(date).getTime() + 86_400_000);
}

/** The store's query for a ledger filter; a period that ends before it starts is refused. */
export function ledgerQuery(filter: LedgerFilter): CaseQuery {
  const { filedFrom, filedTo, q, ...rest } = filter;
  if (filedFrom && filedTo && filedFrom > filedTo) {
    throw new ValidationError([
      { field: 'filedTo', code: 'before_start', message: `ends before filedFrom (${filedFrom})` },
    ]);
  }
  const text = q?.trim();
  return {
    ...rest,
    ...(filedFrom ? { filedFrom: chinaMidnight(filedFrom).toISOString() } : {}),
    ...(filedTo ? { filedBefore: afterChinaDate(filedTo).toISOString() } : {}),
    ...(text ? { text } : {}),
  };
}

/**
 * The ledger (问题台账): every case, not only a queue, filtered and paged; the office's lists and
 * boards read it.
 * 1. Turn the China dates of the filing period into instants.
 * 2. Let the store read the narrowest index the filter allows (a Query, never a Scan).
 */
export function listCases(
  services: Pick<Services, 'cases'>,
  filter: LedgerFilter,
  page: PageRequest = {},
): Promise<Page<CaseRecord>> {
  return services.cases.search(ledgerQuery(filter), page);
}
