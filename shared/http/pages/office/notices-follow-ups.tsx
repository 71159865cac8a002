import type { CaseRecord } from '../../../domain/case';
import { chinaDateTime } from '../../../domain/china-time';
import type { OutboxEntry } from '../../../store/outbox-repository';
import { Csrf, Flash, type Frame, WorkbenchPage } from '../workbench/frame';
import type { Names } from '../workbench/words';
import { DELIVERY, FOLLOW_UP_RESULT, NOTICE } from '../workbench/words';
import { FollowUpForm } from './case-page';

const T = {
  zh: {
    notices: '通知',
    noticesIntro: '交办单、督办单、升级督办和满意度回访链接的发送情况，最新的在前。',
    failed: '发送失败（死信）',
    failedIntro: '多次重试仍未送达的通知。检查对方推送地址后可重新发送。',
    noFailed: '没有发送失败的通知。',
    all: '最近的通知',
    when: '时间',
    kind: '类别',
    caseNo: '案件',
    to: '接收方',
    status: '状态',
    attempts: '尝试次数',
    error: '错误',
    retry: '重新发送',
    retryLabel: (id: string) => `重新发送通知 ${id}`,
    retried: '已重新放入发送队列。',
    office: '活动办',
    enterprise: '企业',
    followUps: '回头看抽查',
    followUpsIntro: (month: string) => `${month} 销号案件的随机抽查。逐件回访后记录结果。`,
    month: '月份',
    show: '查看',
    sample: (month: string) => `现在抽取 ${month} 的样本`,
    sampled: (n: number) => `已抽取 ${n} 件。`,
    recorded: '已记录回访结果。',
    none: '这个月没有抽查的案件。',
    result: '结果',
    pending: '待回访',
  },
  en: {
    notices: 'Notices',
    noticesIntro:
      'Assignment, supervision and escalation notices and survey links, newest first, with their delivery.',
    failed: 'Failed (dead letters)',
    failedIntro:
      'Notices that did not get through after the retries. Check the recipient’s webhook, then send again.',
    noFailed: 'No notice failed.',
    all: 'Recent notices',
    when: 'When',
    kind: 'Kind',
    caseNo: 'Case',
    to: 'To',
    status: 'Delivery',
    attempts: 'Attempts',
    error: 'Error',
    retry: 'Send again',
    retryLabel: (id: string) => `Send notice ${id} again`,
    retried: 'Queued for delivery again.',
    office: 'Office',
    enterprise: 'Enterprise',
    followUps: 'Follow-up checks',
    followUpsIntro: (month: string) =>
      `The random sample of the cases closed in ${month}. Revisit each and record the result.`,
    month: 'Month',
    show: 'Show',
    sample: (month: string) => `Sample ${month} now`,
    sampled: (n: number) => `${n} case(s) sampled.`,
    recorded: 'The result is recorded.',
    none: 'No case is sampled for this month.',
    result: 'Result',
    pending: 'To be revisited',
  },
} as const;

function NoticeTable(props: {
  frame: Frame;
  entries: OutboxEntry[];
  names: Names;
  retry: boolean;
  id: string;
}) {
  const { frame, names } = props;
  const t = T[frame.locale];
  const l = frame.locale;
  return (
    <table class="list" data-testid={props.id}>
      <thead>
        <tr>
          <th scope="col">{t.when}</th>
          <th scope="col">{t.kind}</th>
          <th scope="col">{t.caseNo}</th>
          <th scope="col">{t.to}</th>
          <th scope="col">{t.status}</th>
          {props.retry ? <th scope="col">{t.retry}</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr>
            <td data-label={t.when}>{chinaDateTime(e.recordedAt)}</td>
            <td data-label={t.kind}>{NOTICE[e.kind]?.[l] ?? e.kind}</td>
            <td data-label={t.caseNo}>
              <a href={`/office/cases/${e.caseId}`}>{e.caseNo}</a>
            </td>
            <td data-label={t.to}>
              {e.recipient.kind === 'unit'
                ? names.unit(e.recipient.unitId)
                : e.recipient.kind === 'office'
                  ? t.office
                  : t.enterprise}
            </td>
            <td data-label={t.status}>
              <span class={e.status === 'failed' ? 'red' : undefined}>
                {DELIVERY[e.status]?.[l] ?? e.status}
              </span>
              {e.attempts ? ` · ${t.attempts} ${e.attempts}` : ''}
              {e.lastError && e.status === 'failed' ? (
                <>
                  <br />
                  <span class="muted">{e.lastError}</span>
                </>
              ) : null}
            </td>
            {props.retry ? (
              <td data-label={t.retry}>
                <form method="post" action="/office/notices/retry">
                  <Csrf token={frame.csrf} />
                  <input type="hidden" name="id" value={e.id} />
                  <button type="submit" class="secondary" aria-label={t.retryLabel(e.id)}>
                    {t.retry}
                  </button>
                </form>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 通知: the outbox with each notice's delivery, the failed ones first with a retry button. */
export function NoticesPage(props: {
  frame: Frame;
  entries: OutboxEntry[];
  names: Names;
  done?: boolean;
  error?: string | undefined;
}) {
  const { frame } = props;
  const t = T[frame.locale];
  const failed = props.entries.filter((e) => e.status === 'failed');
  return (
    <WorkbenchPage frame={frame} title={t.notices} current="/office/notices">
      <h1>{t.notices}</h1>
      <Flash done={props.done ? t.retried : undefined} error={props.error} />
      <p>{t.noticesIntro}</p>
      <h2>{t.failed}</h2>
      <p>{t.failedIntro}</p>
      {failed.length === 0 ? (
        <p class="muted">{t.noFailed}</p>
      ) : (
        <NoticeTable frame={frame} entries={failed} names={props.names} retry id="failed-notices" />
      )}
      <h2>{t.all}</h2>
      <NoticeTable frame={frame} entries={props.entries} names={props.names} retry={false} id="notices" />
    </WorkbenchPage>
  );
}

/** 回头看抽查: a month's sample, each case with the form to record its revisit. */
export function FollowUpsPage(props: {
  frame: Frame;
  month: string;
  cases: CaseRecord[];
  names: Names;
  sampled?: number | undefined;
  done?: boolean;
  error?: string | undefined;
}) {
  const { frame, names } = props;
  const t = T[frame.locale];
  return (
    <WorkbenchPage frame={frame} title={t.followUps} current="/office/follow-ups">
      <h1>{t.followUps}</h1>
      <Flash
        done={props.sampled !== undefined ? t.sampled(props.sampled) : props.done ? t.recorded : undefined}
        error={props.error}
      />
      <p>{t.followUpsIntro(props.month)}</p>
      <form method="get" action="/office/follow-ups" class="inline">
        <div class="field">
          <label for="month">{t.month}</label>
          <input id="month" name="month" type="month" value={props.month} required />
        </div>
        <button type="submit">{t.show}</button>
      </form>
      <form method="post" action="/office/follow-ups/sample">
        <Csrf token={frame.csrf} />
        <input type="hidden" name="month" value={props.month} />
        <button type="submit" class="secondary">
          {t.sample(props.month)}
        </button>
      </form>
      {props.cases.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        props.cases.map((record) => (
          <section class="card" aria-labelledby={`fu-${record.id}`}>
            <h2 id={`fu-${record.id}`}>
              <a href={`/office/cases/${record.id}`}>{record.caseNo}</a> {record.title}
            </h2>
            <p>
              {record.enterprise.name} · {record.unitId ? names.unit(record.unitId) : '—'} ·{' '}
              {record.contact.name} <a href={`tel:${record.contact.mobile}`}>{record.contact.mobile}</a>
            </p>
            {record.followUp?.result ? (
              <p>
                {t.result}: <strong>{FOLLOW_UP_RESULT[record.followUp.result]?.[frame.locale]}</strong>
                {record.followUp.note ? ` · ${record.followUp.note}` : ''}
              </p>
            ) : (
              <FollowUpForm
                frame={frame}
                action={`/office/cases/${record.id}/follow-up`}
                idSuffix={record.id}
                back="follow-ups"
              />
            )}
          </section>
        ))
      )}
    </WorkbenchPage>
  );
}
