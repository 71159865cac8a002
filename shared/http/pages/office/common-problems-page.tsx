import { type CommonProblemsView, type GroupView, reasonOf } from '../../../app/common-problems';
import { chinaDateTime } from '../../../domain/china-time';
import { SIMILARITY_THRESHOLD } from '../../../domain/common-problems';
import type { Unit } from '../../../store/access-repository';
import { statusText } from '../../i18n';
import { Csrf, Flash, type Frame, WorkbenchPage } from '../workbench/frame';
import type { Names } from '../workbench/words';
import { TriageFields } from './triage-page';

const T = {
  zh: {
    title: '共性问题',
    intro: (threshold: number) =>
      `不同企业反映的同一类别问题，如果两段描述共有的相邻两字组合（二元组）达到 ${Math.round(threshold * 100)}%（Dice 系数），系统就把它们建议为一个共性问题，并列出共同用语。请核对后确认；不是同一问题的可拆分，拆分后不再一起建议。`,
    confirmed: '已确认的共性问题',
    suggested: '建议的共性问题（待确认）',
    noneConfirmed: '还没有已确认的共性问题。',
    noneSuggested: '目前没有新的建议。',
    groupTitle: (category: string, n: number) => `${category} · ${n} 件`,
    confirmedAt: (at: string) => `确认于 ${at}`,
    reason: '归组依据',
    reasonText: (category: string, enterprises: number) =>
      `同一问题类别「${category}」，${enterprises} 家企业`,
    phrases: (list: string) => `共同用语：${list}`,
    scores: (min: string, max: string) => `相似度 ${min === max ? min : `${min}–${max}`}`,
    matches: '逐对匹配',
    match: (a: string, b: string, score: string) => `${a} 与 ${b}：相似度 ${score}`,
    sharedPhrases: '共同用语',
    caseNo: '编号',
    enterprise: '企业',
    problem: '问题',
    status: '状态',
    include: '纳入',
    splitColumn: '拆分',
    allTriaged: '本组案件都已研判，各案件在各自的案件页继续办理。',
    pick: (caseNo: string) => `选择 ${caseNo}`,
    note: '备注（选填）',
    noteHint: '例如：统一协调供电公司办理',
    confirm: '确认为共性问题',
    split: '拆分所选案件',
    splitHint: '勾选不属于本问题的案件后拆分；拆分后它们不再与本组一起建议，本组不足两件时解散。',
    act: '一并交办或现场解决',
    actHint:
      '对本组中仍待研判的每个案件执行同一决定；每个案件各自记入办理记录（注明本共性问题），各自计时、各自回访。',
    actSubmit: '对本组全部待研判案件执行',
    done: {
      confirmed: '已确认为共性问题。',
      split: '已拆分，所选案件不再与本组一起建议。',
      dissolved: '已拆分；该组不足两件，已解散。',
      triaged: (assigned: number, skipped: number) =>
        `已处理 ${assigned} 件${skipped ? `，跳过 ${skipped} 件（已不在待研判状态）` : ''}。`,
    },
  },
  en: {
    title: 'Common problems',
    intro: (threshold: number) =>
      `Cases of one category from different enterprises are suggested as one problem when their texts share at least ${Math.round(threshold * 100)}% of their pairs of adjacent characters (Dice coefficient of bigrams); the shared phrases are listed. Check and confirm them; split off cases that are not the same problem, and they are not suggested together again.`,
    confirmed: 'Confirmed common problems',
    suggested: 'Suggested common problems (to confirm)',
    noneConfirmed: 'No common problem has been confirmed yet.',
    noneSuggested: 'No new suggestion at the moment.',
    groupTitle: (category: string, n: number) => `${category} · ${n} case(s)`,
    confirmedAt: (at: string) => `confirmed ${at}`,
    reason: 'Why these cases',
    reasonText: (category: string, enterprises: number) =>
      `One category, “${category}”, ${enterprises} enterprises`,
    phrases: (list: string) => `shared phrases: ${list}`,
    scores: (min: string, max: string) => `similarity ${min === max ? min : `${min}–${max}`}`,
    matches: 'Pair by pair',
    match: (a: string, b: string, score: string) => `${a} and ${b}: similarity ${score}`,
    sharedPhrases: 'shared phrases',
    caseNo: 'Case',
    enterprise: 'Enterprise',
    problem: 'Problem',
    status: 'Status',
    include: 'Include',
    splitColumn: 'Split off',
    allTriaged: 'Every case of the group has been triaged; each goes on on its own case page.',
    pick: (caseNo: string) => `Choose ${caseNo}`,
    note: 'Note (optional)',
    noteHint: 'For example: one coordination with the power company',
    confirm: 'Confirm as one common problem',
    split: 'Split the chosen cases off',
    splitHint:
      'Tick the cases that are not this problem and split them off; they are not suggested with this group again, and a group left with fewer than two cases is dissolved.',
    act: 'Assign together or solve on the spot',
    actHint:
      'The same decision for every case of the group still awaiting triage; each case records it in its own history (naming the group), with its own clocks and its own survey.',
    actSubmit: 'Apply to every case awaiting triage',
    done: {
      confirmed: 'Confirmed as one common problem.',
      split: 'Split off: the chosen cases are not suggested with this group again.',
      dissolved: 'Split off; the group had fewer than two cases left and is dissolved.',
      triaged: (assigned: number, skipped: number) =>
        `${assigned} case(s) handled${skipped ? `, ${skipped} skipped (no longer awaiting triage)` : ''}.`,
    },
  },
} as const;

export type CommonProblemsDone =
  | { what: 'confirmed' | 'split' | 'dissolved'; assigned?: number; skipped?: number }
  | { what: 'triaged'; assigned: number; skipped: number };

function Reason(props: { view: GroupView; frame: Frame; names: Names }) {
  const { view, frame, names } = props;
  const t = T[frame.locale];
  const { enterprises, phrases, scores } = reasonOf(view);
  const caseNo = (id: string) => view.cases.find((r) => r.id === id)?.caseNo ?? id;
  const separator = frame.locale === 'zh' ? '、' : ', ';
  return (
    <div data-testid="reason">
      <p>
        <strong>{t.reason}</strong>
        {frame.locale === 'zh' ? '：' : ': '}
        {[
          t.reasonText(names.category(view.category), enterprises),
          phrases.length ? t.phrases(phrases.join(separator)) : '',
          scores ? t.scores(scores.min.toFixed(2), scores.max.toFixed(2)) : '',
        ]
          .filter(Boolean)
          .join(frame.locale === 'zh' ? '；' : '; ')}
      </p>
      {view.matches.length ? (
        <details>
          <summary>{t.matches}</summary>
          <ul>
            {view.matches.map((m) => (
              <li>
                {t.match(caseNo(m.a), caseNo(m.b), m.score.toFixed(2))}
                {m.phrases.length ? (
                  <>
                    {frame.locale === 'zh' ? '；' : '; '}
                    {t.sharedPhrases}
                    {frame.locale === 'zh' ? '：' : ': '}
                    {m.phrases.join(separator)}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** The group's cases, each with a box to tick (to include in a confirmation, or to split off). */
function CaseChoices(props: { view: GroupView; frame: Frame; prefix: string; checked: boolean }) {
  const { view, frame } = props;
  const t = T[frame.locale];
  return (
    <table class="list">
      <thead>
        <tr>
          <th scope="col">{props.checked ? t.include : t.splitColumn}</th>
          <th scope="col">{t.caseNo}</th>
          <th scope="col">{t.enterprise}</th>
          <th scope="col">{t.problem}</th>
          <th scope="col">{t.status}</th>
        </tr>
      </thead>
      <tbody>
        {view.cases.map((record) => (
          <tr data-case-no={record.caseNo}>
            <td data-label={props.checked ? t.include : t.splitColumn}>
              <input
                type="checkbox"
                class="pick"
                name="caseIds"
                value={record.id}
                id={`${props.prefix}-${record.id}`}
                checked={props.checked}
                aria-label={t.pick(record.caseNo)}
              />
            </td>
            <td data-label={t.caseNo} class="nowrap">
              <a href={`/office/cases/${record.id}`}>{record.caseNo}</a>
            </td>
            <td data-label={t.enterprise}>{record.enterprise.name}</td>
            <td data-label={t.problem}>
              <strong>{record.title}</strong>
              <br />
              <span class="muted">{record.description}</span>
            </td>
            <td data-label={t.status} class="nowrap">
              {statusText(record.status, frame.locale)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STYLE =
  'input.pick{width:1.5rem;height:1.5rem;margin:0}.group-note{font-style:italic}td.nowrap{white-space:nowrap}';

/** 共性问题: the confirmed groups (split, or act on all their cases at once) and the suggestions to confirm. */
export function CommonProblemsPage(props: {
  frame: Frame;
  names: Names;
  units: Unit[];
  view: CommonProblemsView;
  done?: CommonProblemsDone;
  error?: string | undefined;
}) {
  const { frame, names, view } = props;
  const t = T[frame.locale];
  const d = props.done;
  const done = d
    ? d.what === 'triaged'
      ? t.done.triaged(d.assigned ?? 0, d.skipped ?? 0)
      : t.done[d.what]
    : undefined;
  return (
    <WorkbenchPage frame={frame} title={t.title} current="/office/common-problems">
      <style>{STYLE}</style>
      <h1>{t.title}</h1>
      <Flash done={done} error={props.error} />
      <p>{t.intro(SIMILARITY_THRESHOLD)}</p>
      <h2>{t.confirmed}</h2>
      {view.confirmed.length === 0 ? <p>{t.noneConfirmed}</p> : null}
      {view.confirmed.map((group) => {
        const id = group.group!.id;
        // The routing rule's suggestion of a case still awaiting triage is the form's first choice.
        const waiting = group.cases.find((r) => r.status === 'triage');
        return (
          <section class="card" id={id} aria-labelledby={`${id}-title`} data-testid="confirmed-group">
            <h3 id={`${id}-title`}>
              {t.groupTitle(names.category(group.category), group.cases.length)}{' '}
              <span class="muted">{t.confirmedAt(chinaDateTime(group.group!.confirmedAt))}</span>
            </h3>
            {group.group?.note ? <p class="group-note">{group.group.note}</p> : null}
            <Reason view={group} frame={frame} names={names} />
            <form method="post" action={`/office/common-problems/${id}/split`}>
              <Csrf token={frame.csrf} />
              <CaseChoices view={group} frame={frame} prefix={`${id}-split`} checked={false} />
              <p class="hint">{t.splitHint}</p>
              <button type="submit" class="secondary">
                {t.split}
              </button>
            </form>
            {waiting ? (
              <form
                method="post"
                action={`/office/common-problems/${id}/triage`}
                aria-labelledby={`${id}-act`}
              >
                <h4 id={`${id}-act`}>{t.act}</h4>
                <p class="hint">{t.actHint}</p>
                <Csrf token={frame.csrf} />
                <TriageFields
                  frame={frame}
                  units={props.units}
                  idPrefix={`${id}-t`}
                  level={waiting.suggestion?.level}
                  unitId={waiting.suggestion?.unitId}
                />
                <button type="submit">{t.actSubmit}</button>
              </form>
            ) : (
              <p>{t.allTriaged}</p>
            )}
          </section>
        );
      })}
      <h2>{t.suggested}</h2>
      {view.suggested.length === 0 ? <p>{t.noneSuggested}</p> : null}
      {view.suggested.map((group, i) => {
        const id = `suggestion-${i + 1}`;
        return (
          <section class="card" id={id} aria-labelledby={`${id}-title`} data-testid="suggested-group">
            <h3 id={`${id}-title`}>{t.groupTitle(names.category(group.category), group.cases.length)}</h3>
            <Reason view={group} frame={frame} names={names} />
            <form method="post" action="/office/common-problems">
              <Csrf token={frame.csrf} />
              <CaseChoices view={group} frame={frame} prefix={id} checked={true} />
              <div class="field">
                <label for={`${id}-note`}>{t.note}</label>
                <span class="hint" id={`${id}-note-hint`}>
                  {t.noteHint}
                </span>
                <input id={`${id}-note`} name="note" maxlength={500} aria-describedby={`${id}-note-hint`} />
              </div>
              <button type="submit">{t.confirm}</button>
            </form>
          </section>
        );
      })}
    </WorkbenchPage>
  );
}
