import type { CaseView } from '../../../app/case-view';
import type { CaseRecord } from '../../../domain/case';
import { returnWindowOpen } from '../../../domain/case-rules';
import { type CaseStatus, canApply, WITH_UNIT_STATUSES } from '../../../domain/case-state';
import { statusText } from '../../i18n';
import { CasePage, ExtensionFacts, Flags, SurveyFacts } from '../workbench/case-parts';
import { Csrf, Due, type Frame, WorkbenchPage } from '../workbench/frame';
import type { Names } from '../workbench/words';

const T = {
  zh: {
    title: '本单位案件',
    intro: '只显示交办给本单位的案件。请在期限内受理、反馈进展并办结。',
    groups: {
      assigned: '待受理',
      working: '办理中',
      resolved: '已办结，待企业评价',
      closed: '已销号',
    },
    empty: '暂无',
    caseNo: '编号',
    problem: '问题',
    status: '状态',
    next: '下一个期限',
    actions: '办理',
    accept: '受理',
    acceptHint: '确认由本单位办理',
    returnTitle: '退回（交办有误）',
    returnReason: '退回理由',
    returnSubmit: '退回活动办',
    returnBy: (at: string) => `可退回至 ${at}`,
    progress: '反馈进展',
    progressNote: '进展情况',
    progressSubmit: '提交进展',
    extension: '申请延期',
    extensionDays: '延长工作日数',
    extensionReason: '延期理由',
    extensionSubmit: '提交申请',
    resolve: '办结',
    resolution: '办结答复（企业可见）',
    resolveSubmit: '办结',
    nothing: '当前状态下无需操作。',
    done: {
      accept: '已受理。',
      return: '已退回活动办重新研判。',
      progress: '已反馈进展。',
      extension: '延期申请已提交，等待活动办答复。',
      resolve: '已办结，系统将邀请企业评价。',
    } as Record<string, string>,
  },
  en: {
    title: 'Our cases',
    intro: 'Only the cases assigned to your unit. Accept, report progress and resolve within the deadlines.',
    groups: {
      assigned: 'To accept',
      working: 'In hand',
      resolved: 'Resolved, awaiting the survey',
      closed: 'Closed',
    },
    empty: 'None',
    caseNo: 'Case',
    problem: 'Problem',
    status: 'Status',
    next: 'Next deadline',
    actions: 'Answer',
    accept: 'Accept',
    acceptHint: 'Confirm that your unit handles the case',
    returnTitle: 'Return (misrouted)',
    returnReason: 'Why it is not ours',
    returnSubmit: 'Return to the office',
    returnBy: (at: string) => `Can be returned until ${at}`,
    progress: 'Report progress',
    progressNote: 'Progress so far',
    progressSubmit: 'Report',
    extension: 'Ask for more time',
    extensionDays: 'Working days more',
    extensionReason: 'Why',
    extensionSubmit: 'Ask the office',
    resolve: 'Resolve',
    resolution: 'Resolution (the enterprise reads it)',
    resolveSubmit: 'Resolve',
    nothing: 'Nothing to do in this state.',
    done: {
      accept: 'Accepted.',
      return: 'Returned to the office for re-triage.',
      progress: 'Progress reported.',
      extension: 'Extension requested; the office will decide.',
      resolve: 'Resolved; the enterprise will be asked to rate it.',
    } as Record<string, string>,
  },
} as const;

const GROUPS: { key: keyof (typeof T)['zh']['groups']; statuses: CaseStatus[] }[] = [
  { key: 'assigned', statuses: ['assigned'] },
  { key: 'working', statuses: ['accepted', 'in_progress'] },
  { key: 'resolved', statuses: ['resolved'] },
  { key: 'closed', statuses: ['closed'] },
];

/** The unit's own cases by state, each with its next deadline and the time left. */
export function UnitCasesPage(props: { frame: Frame; cases: CaseRecord[]; names: Names; unitName: string }) {
  const { frame, names } = props;
  const t = T[frame.locale];
  return (
    <WorkbenchPage frame={frame} title={t.title} current="/unit">
      <h1>
        {t.title} · {props.unitName}
      </h1>
      <p>{t.intro}</p>
      {GROUPS.map((group) => {
        const cases = props.cases.filter((r) => group.statuses.includes(r.status));
        const id = `g-${group.key}`;
        return (
          <section aria-labelledby={id}>
            <h2 id={id}>
              {t.groups[group.key]} ({cases.length})
            </h2>
            {cases.length === 0 ? (
              <p class="muted">{t.empty}</p>
            ) : (
              <table class="list" data-testid={`unit-${group.key}`}>
                <thead>
                  <tr>
                    <th scope="col">{t.caseNo}</th>
                    <th scope="col">{t.problem}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.next}</th>
                  </tr>
                </thead>
                <tbody>
                  {cases.map((record) => {
                    const next = record.clocks
                      .filter((c) => !c.metAt)
                      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
                    return (
                      <tr>
                        <td data-label={t.caseNo}>
                          <a href={`/unit/cases/${record.id}`}>{record.caseNo}</a>
                        </td>
                        <td data-label={t.problem}>
                          <strong>{record.title}</strong>
                          <br />
                          {record.enterprise.name} · {names.township(record.enterprise.township)}
                        </td>
                        <td data-label={t.status}>
                          {statusText(record.status, frame.locale)}{' '}
                          <Flags flags={record.flags} locale={frame.locale} />
                        </td>
                        <td data-label={t.next}>
                          {next ? <Due at={next.dueAt} now={frame.now} locale={frame.locale} /> : '—'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </WorkbenchPage>
  );
}

/** One of the unit's cases with the answers its state allows. */
export function UnitCasePage(props: {
  frame: Frame;
  view: CaseView;
  names: Names;
  done?: string | undefined;
  error?: string | undefined;
}) {
  const { frame, view, names } = props;
  const t = T[frame.locale];
  const action = (name: string) => `/unit/cases/${view.id}/${name}`;
  const canReturn = canApply('returnCase', view.status) && returnWindowOpen(view, frame.now);
  const can = {
    accept: canApply('accept', view.status),
    return: canReturn,
    progress: canApply('reportProgress', view.status),
    extension: WITH_UNIT_STATUSES.includes(view.status) && view.extension?.status !== 'pending',
    resolve: canApply('resolve', view.status),
  };
  const any = Object.values(can).some(Boolean);
  return (
    <CasePage
      frame={frame}
      view={view}
      names={names}
      done={props.done ? t.done[props.done] : undefined}
      error={props.error}
      actionsTitle={t.actions}
    >
      {!any ? <p>{t.nothing}</p> : null}
      {can.accept ? (
        <form method="post" action={action('accept')} class="card">
          <Csrf token={frame.csrf} />
          <p class="hint">{t.acceptHint}</p>
          <button type="submit">{t.accept}</button>
        </form>
      ) : null}
      {can.progress ? (
        <form method="post" action={action('progress')} class="card">
          <h3>{t.progress}</h3>
          <Csrf token={frame.csrf} />
          <div class="field">
            <label for="u-note">{t.progressNote}</label>
            <textarea id="u-note" name="note" maxlength={2000} required style="min-height:5rem" />
          </div>
          <button type="submit">{t.progressSubmit}</button>
        </form>
      ) : null}
      {can.resolve ? (
        <form method="post" action={action('resolve')} class="card">
          <h3>{t.resolve}</h3>
          <Csrf token={frame.csrf} />
          <div class="field">
            <label for="u-resolution">{t.resolution}</label>
            <textarea id="u-resolution" name="resolution" maxlength={4000} required style="min-height:6rem" />
          </div>
          <button type="submit">{t.resolveSubmit}</button>
        </form>
      ) : null}
      {view.extension ? <ExtensionFacts view={view} locale={frame.locale} /> : null}
      {can.extension ? (
        <form method="post" action={action('extension')} class="card">
          <h3>{t.extension}</h3>
          <Csrf token={frame.csrf} />
          <div class="field">
            <label for="u-days">{t.extensionDays}</label>
            <input id="u-days" name="days" type="number" min={1} max={90} required />
          </div>
          <div class="field">
            <label for="u-reason">{t.extensionReason}</label>
            <input id="u-reason" name="reason" maxlength={1000} required />
          </div>
          <button type="submit" class="secondary">
            {t.extensionSubmit}
          </button>
        </form>
      ) : null}
      {can.return ? (
        <form method="post" action={action('return')} class="card">
          <h3>{t.returnTitle}</h3>
          <Csrf token={frame.csrf} />
          <div class="field">
            <label for="u-return">{t.returnReason}</label>
            <input id="u-return" name="reason" maxlength={1000} required />
          </div>
          <button type="submit" class="secondary">
            {t.returnSubmit}
          </button>
        </form>
      ) : null}
      <SurveyFacts view={view} locale={frame.locale} />
    </CasePage>
  );
}
