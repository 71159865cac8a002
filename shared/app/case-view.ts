import type { CaseRecord } from '../domain/case';

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
