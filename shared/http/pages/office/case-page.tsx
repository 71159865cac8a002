import type { CaseView } from '../../../app/case-view';
import type { Unit } from '../../../store/access-repository';
import { CasePage, ExtensionFacts, FollowUpFacts, Notices, SurveyFacts } from '../workbench/case-parts';
import { Csrf, type Frame } from '../workbench/frame';
import type { Names } from '../workbench/words';
import { FOLLOW_UP_RESULT } from '../workbench/words';
import { TriageFields } from './triage-page';

const T = {
  zh: {
    triage: '研判交办',
    triageSubmit: '交办',
    extension: '延期申请',
    grant: '同意延期',
    refuse: '不同意',
    grantDays: '同意天数（可少于申请天数）',
    decisionNote: '说明（选填）',
    followUp: '回头看抽查',
    followUpResult: '回访结果',
    followUpNote: '回访情况',
    record: '记录结果',
    noActions: '当前状态下活动办无需操作。',
    actions: '可进行的操作',
    done: {
      triaged: '已交办。',
      solved: '已记录现场解决。',
      extension: '已答复延期申请。',
      followup: '已记录回头看结果。',
    } as Record<string, string>,
  },
  en: {
    triage: 'Triage',
    triageSubmit: 'Assign',
    extension: 'Extension request',
    grant: 'Grant',
    refuse: 'Refuse',
    grantDays: 'Days granted (may be fewer than asked)',
    decisionNote: 'Note (optional)',
    followUp: 'Follow-up check',
    followUpResult: 'What the revisit found',
    followUpNote: 'Notes of the revisit',
    record: 'Record',
    noActions: 'Nothing for the office to do in this state.',
    actions: 'Actions',
    done: {
      triaged: 'Assigned.',
      solved: 'Recorded as solved on the spot.',
      extension: 'The extension request is decided.',
      followup: 'The follow-up result is recorded.',
    } as Record<string, string>,
  },
} as const;

/** The office's case page: everything about the case, and exactly the actions its state allows. */
export function OfficeCasePage(props: {
  frame: Frame;
  view: CaseView;
  names: Names;
  units: Unit[];
  done?: string | undefined;
  error?: string | undefined;
}) {
  const { frame, view, names } = props;
  const t = T[frame.locale];
  const canTriage = view.status === 'triage';
  const canDecideExtension = view.extension?.status === 'pending';
  const canRecordFollowUp = Boolean(view.followUp && !view.followUp.result);
  const action = (name: string) => `/office/cases/${view.id}/${name}`;
  return (
    <CasePage
      frame={frame}
      view={view}
      names={names}
      done={props.done ? t.done[props.done] : undefined}
      error={props.error}
      actionsTitle={t.actions}
    >
      {!canTriage && !canDecideExtension && !canRecordFollowUp ? <p>{t.noActions}</p> : null}
      {canTriage ? (
        <form method="post" action={action('triage')} id="triage" class="card">
          <h3>{t.triage}</h3>
          <Csrf token={frame.csrf} />
          <TriageFields
            frame={frame}
            units={props.units}
            level={view.suggestion?.level}
            unitId={view.suggestion?.unitId}
          />
          <button type="submit">{t.triageSubmit}</button>
        </form>
      ) : null}
      {view.extension ? (
        <section class="card" aria-labelledby="extension">
          <h3 id="extension">{t.extension}</h3>
          <ExtensionFacts view={view} locale={frame.locale} />
          {canDecideExtension ? (
            <form method="post" action={action('extension')}>
              <Csrf token={frame.csrf} />
              <div class="field">
                <label for="x-days">{t.grantDays}</label>
                <input
                  id="x-days"
                  name="days"
                  type="number"
                  min={1}
                  max={90}
                  value={String(view.extension?.days ?? '')}
                />
              </div>
              <div class="field">
                <label for="x-note">{t.decisionNote}</label>
                <input id="x-note" name="note" maxlength={1000} />
              </div>
              <div class="inline">
                <button type="submit" name="decision" value="grant">
                  {t.grant}
                </button>
                <button type="submit" name="decision" value="refuse" class="secondary">
                  {t.refuse}
                </button>
              </div>
            </form>
          ) : null}
        </section>
      ) : null}
      <SurveyFacts view={view} locale={frame.locale} />
      {view.followUp ? (
        <section class="card" aria-labelledby="follow-up">
          <h3 id="follow-up">{t.followUp}</h3>
          <FollowUpFacts view={view} locale={frame.locale} />
          {canRecordFollowUp ? <FollowUpForm frame={frame} action={action('follow-up')} /> : null}
        </section>
      ) : null}
      <Notices view={view} locale={frame.locale} names={names} />
    </CasePage>
  );
}

/** The form recording what a follow-up revisit found (on the case page and the follow-up list). */
export function FollowUpForm(props: { frame: Frame; action: string; idSuffix?: string; back?: string }) {
  const t = T[props.frame.locale];
  const id = (name: string) => `fu-${name}${props.idSuffix ? `-${props.idSuffix}` : ''}`;
  return (
    <form method="post" action={props.action}>
      <Csrf token={props.frame.csrf} />
      {props.back ? <input type="hidden" name="back" value={props.back} /> : null}
      <fieldset>
        <legend>{t.followUpResult}</legend>
        {Object.entries(FOLLOW_UP_RESULT).map(([value, label]) => (
          <div>
            <input type="radio" id={id(value)} name="result" value={value} required style="width:auto" />{' '}
            <label for={id(value)} style="display:inline;font-weight:400">
              {label[props.frame.locale]}
            </label>
          </div>
        ))}
      </fieldset>
      <div class="field">
        <label for={id('note')}>{t.followUpNote}</label>
        <input id={id('note')} name="note" maxlength={2000} />
      </div>
      <button type="submit">{t.record}</button>
    </form>
  );
}
