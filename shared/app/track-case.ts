import type { ZhuqiConfig } from '../config/config';
import type { CaseFlags, CaseRecord } from '../domain/case';
import { parseCaseNo } from '../domain/case-number';
import type { CaseStatus } from '../domain/case-state';
import type { CaseRepository } from '../store/case-repository';
import { secretsEqual } from './secrets';

/** What the enterprise sees of its case through the tracking link: no contact data, no internal notes. */
export interface PublicCaseView {
  caseNo: string;
  status: CaseStatus;
  flags: CaseFlags;
  title: string;
  category: string;
  enterprise: { name: string; township: string };
  /** The unit handling the case, once assigned. */
  unitId?: string;
  filedAt: string;
  updatedAt: string;
  history: { at: string; action: string; status?: CaseStatus; note?: string }[];
}

/**
 * Finds a case by number and tracking key. A wrong or missing key answers exactly like an
 * unknown number, so the link reveals nothing, not even whether the case exists.
 */
export async function trackCase(
  cases: CaseRepository,
  caseNo: string,
  key: string | undefined,
): Promise<PublicCaseView | undefined> {
  if (!key || !parseCaseNo(caseNo)) return undefined;
  const record = await cases.getByCaseNo(caseNo);
  if (!record || !secretsEqual(record.trackingKey, key)) return undefined;
  return publicView(record);
}

export function publicView(record: CaseRecord): PublicCaseView {
  return {
    caseNo: record.caseNo,
    status: record.status,
    flags: record.flags,
    title: record.title,
    category: record.category,
    enterprise: { name: record.enterprise.name, township: record.enterprise.township },
    ...(record.unitId ? { unitId: record.unitId } : {}),
    filedAt: record.createdAt,
    updatedAt: record.updatedAt,
    history: record.history
      .filter((entry) => entry.public)
      .map((entry) => ({
        at: entry.at,
        action: entry.action,
        ...(entry.to ? { status: entry.to } : {}),
        ...(entry.note ? { note: entry.note } : {}),
      })),
  };
}

/** The tracking link of a case, absolute when the public base URL is known. */
export function trackingUrl(
  config: Pick<ZhuqiConfig, 'publicBaseUrl'>,
  record: Pick<CaseRecord, 'caseNo' | 'trackingKey'>,
  base?: string,
) {
  const origin = config.publicBaseUrl ?? base ?? '';
  return `${origin.replace(/\/$/, '')}/track/${record.caseNo}?k=${record.trackingKey}`;
}
