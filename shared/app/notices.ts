import type { CaseRecord, NoticeRecord } from '../domain/case';
import { chinaDateTime } from '../domain/china-time';
import { InvalidTransitionError, NotFoundError } from './errors';
import type { NoticeMessage } from './ports';
import type { Services } from './services';
import { surveyUrl, trackingUrl } from './track-case';

const SUBJECTS: Record<NoticeRecord['kind'], string> = {
  assignment: '交办单',
  warning: '督办单（黄牌预警）',
  overdue: '督办单（红牌超期）',
  escalation: '升级督办',
  survey: '满意度回访',
  extension_decision: '延期申请答复',
  filed: '诉求受理回执',
};

const CLOCK_WORDS = { triage: '研判交办', progress: '反馈进展', resolve: '办结' } as const;

/** Writes the text of a notice, in Chinese, the language of its recipients. */
export async function renderNotice(
  services: Services,
  record: CaseRecord,
  notice: NoticeRecord,
): Promise<NoticeMessage> {
  const unit = record.unitId ? await services.access.getUnit(record.unitId) : undefined;
  const head = `【${SUBJECTS[notice.kind]}】${record.caseNo}「${record.title}」（${record.enterprise.name}）`;
  const clock = notice.clock ? record.clocks.find((c) => c.id === notice.clock) : undefined;
  let body: string;
  let link: string | undefined;
  let dueAt: string | undefined;
  switch (notice.kind) {
    case 'assignment': {
      const progress = record.clocks.find((c) => c.id === 'progress');
      const resolve = record.clocks.find((c) => c.id === 'resolve');
      const again = record.reopenCount > 0 ? `企业评价未解决，第 ${record.reopenCount} 次回头看，` : '';
      body = `${head}已交办${unit ? `至${unit.zh}` : ''}。${again}请于 ${chinaDateTime(progress?.dueAt ?? record.updatedAt)} 前反馈进展，${chinaDateTime(resolve?.dueAt ?? record.updatedAt)} 前办结。`;
      break;
    }
    case 'warning':
      body = `${head}${CLOCK_WORDS[notice.clock ?? 'resolve']}期限将于 ${chinaDateTime(clock?.dueAt ?? notice.at)} 届满，请抓紧办理。`;
      break;
    case 'overdue':
      body = `${head}已超过${CLOCK_WORDS[notice.clock ?? 'resolve']}期限（${chinaDateTime(clock?.dueAt ?? notice.at)}），现予督办，请立即办理并反馈。`;
      break;
    case 'escalation':
      body = notice.clock
        ? `${head}超期未${CLOCK_WORDS[notice.clock]}（期限 ${chinaDateTime(clock?.dueAt ?? notice.at)}），${unit ? `承办单位：${unit.zh}，` : ''}提请领导督办。`
        : `${head}企业第 ${record.reopenCount} 次评价未解决，${unit ? `承办单位：${unit.zh}，` : ''}提请领导督办。`;
      break;
    case 'survey':
      link = surveyUrl(services.config, record.survey?.token ?? '');
      dueAt = record.survey?.expiresAt;
      body = `您反映的问题（${record.caseNo}「${record.title}」）已办结，请点击链接评价是否解决、是否满意：${link} 。${record.survey ? `链接 ${chinaDateTime(record.survey.expiresAt)} 前有效。` : ''}`;
      break;
    case 'filed':
      body = `您反映的问题（${record.caseNo}「${record.title}」）已收到，可通过查询链接了解办理进度：${trackingUrl(services.config, record)} 。`;
      break;
    case 'extension_decision':
      body = `${head}延期申请${record.extension?.status === 'granted' ? `已同意，新的办结期限为 ${chinaDateTime(record.clocks.find((c) => c.id === 'resolve')?.dueAt ?? notice.at)}` : '未获同意，请按原期限办结'}。`;
      break;
  }
  return {
    id: notice.id,
    kind: notice.kind,
    caseId: record.id,
    caseNo: record.caseNo,
    recipient: notice.recipient,
    issuedAt: notice.at,
    subject: `${SUBJECTS[notice.kind]} ${record.caseNo}`,
    body,
    ...(dueAt ? { dueAt } : {}),
    ...(link
      ? { link }
      : notice.recipient.kind === 'enterprise'
        ? { link: trackingUrl(services.config, record) }
        : {}),
  };
}

/**
 * Hands the case's notices not queued yet to the notifier's queue, and returns the case with them
 * marked queued, for the caller to store with the write it makes anyway. The workflow's tasks queue
 * before they store: a notice's id and text follow from the case, so when the write is lost (a
 * crash, a conflicting write) the task runs again, finds the same notices and queues them again,
 * and the notifier delivers each id once.
 */
export async function queueNotices(services: Services, record: CaseRecord): Promise<CaseRecord> {
  const pending = record.notices.filter((n) => !n.queuedAt);
  if (pending.length === 0) return record;
  for (const notice of pending) await services.notices.send(await renderNotice(services, record, notice));
  const at = services.clock.now().toISOString();
  return { ...record, notices: record.notices.map((n) => (n.queuedAt ? n : { ...n, queuedAt: at })) };
}

/**
 * Queues the undispatched notices of a stored case and marks them queued (a second write). A crash
 * between the two only means they are queued again: the notifier delivers each id once.
 */
export async function dispatchNotices(services: Services, record: CaseRecord): Promise<CaseRecord> {
  const queued = await queueNotices(services, record);
  return queued === record ? record : services.cases.save(queued);
}

/**
 * The office retries a notice whose delivery failed (after the queue's own retries, a dead
 * letter): it goes to the notifier's queue again, which delivers it once if it gets through. A
 * notice delivered or kept already is not sent twice.
 */
export async function retryNotice(services: Services, noticeId: string): Promise<void> {
  const entry = await services.outbox.get(noticeId);
  if (!entry) throw new NotFoundError(`no notice ${noticeId}`);
  if (entry.status === 'delivered' || entry.status === 'kept') {
    throw new InvalidTransitionError(`notice ${noticeId} is ${entry.status} already`);
  }
  const { recordedAt, status, channel, attempts, deliveredAt, lastError, ...message } = entry;
  await services.notices.send(message);
}
