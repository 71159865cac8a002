import {
  type Actor,
  type CaseRecord,
  type ContactView,
  type HistoryEntry,
  maskMobile,
  type NoticeRecord,
} from '../domain/case';
import type { CaseStatus } from '../domain/case-state';
import { NotFoundError } from './errors';
import type { Services } from './services';

/** What the office and the assigned unit see of a case: everything but the secrets. */
export function internalView(record: CaseRecord) {
  const { trackingKey, fingerprint, wait, survey, ...rest } = record;
  return {
    ...rest,
    waitingFor: wait?.state,
    ...(survey
      ? {
          survey: {
            round: survey.round,
            sentAt: survey.sentAt,
            expiresAt: survey.expiresAt,
            answeredAt: survey.answeredAt,
            answer: survey.answer,
          },
        }
      : {}),
  };
}

/** The history with the recorded views of the contact data, in time order (the office's audit trail). */
export function withContactViews(history: HistoryEntry[], views: ContactView[]): HistoryEntry[] {
  const seen = views.map((v) => ({ at: v.at, actor: v.actor, action: 'viewContact', public: false }));
  return [...history, ...seen].sort((a, b) => a.at.localeCompare(b.at));
}

/** What the office sees of a case: everything but the secrets, with who saw its contact data. */
export async function officeCaseView(services: Pick<Services, 'cases'>, record: CaseRecord) {
  const view = internalView(record);
  return {
    ...view,
    history: withContactViews(view.history, await services.cases.listContactViews(record.id)),
  };
}

/** The statuses in which the assigned unit works on the case and may need to call the enterprise. */
const WORKING: readonly CaseStatus[] = ['assigned', 'accepted', 'in_progress'];

/** The same answer for a case that does not exist and one that is not the unit's: nothing tells them apart. */
export const notTheUnitsCase = (caseId: string) =>
  new NotFoundError(`no case ${caseId} assigned to this unit`);

/**
 * The case's own view for the unit it is assigned to (PIPL: minimum necessary). The full mobile
 * number only while the unit works on the case, and each such view is recorded in the case's audit
 * history; masked otherwise.
 */
export async function viewCaseAsUnit(services: Services, caseId: string, unitId: string) {
  const record = await services.cases.get(caseId);
  if (!record || record.unitId !== unitId) throw notTheUnitsCase(caseId);
  const fullContact = WORKING.includes(record.status);
  if (fullContact) {
    await services.cases.recordContactView(caseId, {
      at: services.clock.now().toISOString(),
      actor: { kind: 'unit', id: unitId },
    });
  }
  return unitView(services, record, { fullContact });
}

/**
 * What a unit sees of its case: no secrets, mobile numbers masked unless `fullContact`, and a
 * history that names units and the office, never an API key.
 */
export async function unitView(
  services: Pick<Services, 'access' | 'config'>,
  record: CaseRecord,
  { fullContact = false } = {},
) {
  const { followUp, ...view } = internalView(record);
  const units = new Map((await services.access.listUnits()).map((u) => [u.id, u.zh]));
  const named = (actor: Actor) => {
    switch (actor.kind) {
      case 'office':
        return { kind: 'office', name: services.config.officeName.zh };
      case 'unit':
        return { kind: 'unit', id: actor.id, name: units.get(actor.id ?? '') ?? actor.id };
      default:
        return actor;
    }
  };
  const mask = (mobile: string) => (fullContact ? mobile : maskMobile(mobile));
  return {
    ...view,
    contact: { ...record.contact, mobile: mask(record.contact.mobile) },
    ...(record.cadre
      ? { cadre: { ...record.cadre, ...(record.cadre.mobile ? { mobile: mask(record.cadre.mobile) } : {}) } }
      : {}),
    notices: record.notices.map(maskedNotice),
    history: record.history.map((entry) => ({ ...entry, actor: named(entry.actor) })),
    ...(followUp ? { followUp: { month: followUp.month, sampledAt: followUp.sampledAt } } : {}),
  };
}

/** A notice with the enterprise's mobile number masked (lists, the outbox, the units' views). */
export function maskedNotice<T extends Pick<NoticeRecord, 'recipient'>>(notice: T): T {
  return notice.recipient.kind === 'enterprise'
    ? { ...notice, recipient: { ...notice.recipient, mobile: maskMobile(notice.recipient.mobile) } }
    : notice;
}

/** A case as the office and its unit see it. */
export type CaseView = ReturnType<typeof internalView>;

/** One line of a queue: enough to pick the case and see what is due next. */
export function caseSummary(record: CaseRecord) {
  const running = record.clocks.filter((c) => !c.metAt).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return {
    id: record.id,
    caseNo: record.caseNo,
    status: record.status,
    flags: record.flags,
    title: record.title,
    category: record.category,
    township: record.enterprise.township,
    enterpriseName: record.enterprise.name,
    ...(record.level ? { level: record.level } : {}),
    ...(record.unitId ? { unitId: record.unitId } : {}),
    ...(running[0]
      ? { nextDue: { clock: running[0].id, dueAt: running[0].dueAt, grade: running[0].grade } }
      : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
