import type { Category } from '../../../config/catalog';
import type { CaseRecord } from '../../../domain/case';
import type { Level } from '../../../domain/case-state';
import { chinaDateTime } from '../../../domain/china-time';
import type { Unit } from '../../../store/access-repository';
import { Csrf, Due, Flash, type Frame, WorkbenchPage } from '../workbench/frame';
import type { Names } from '../workbench/words';
import { LEVEL } from '../workbench/words';

const T = {
  zh: {
    title: '待研判',
    intro: '按提交先后排列。确认建议即交办；需要改派或现场解决的，请打开案件。',
    empty: '没有待研判的问题。',
    caseNo: '编号',
    problem: '问题',
    filed: '提交',
    clock: '研判时限（1 个工作日）',
    suggestion: '分办建议',
    because: (category: string) => `依据：问题类别「${category}」的分办规则`,
    noRule: '该类别没有分办规则，请在案件页选择承办单位。',
    confirm: '确认交办',
    confirmTo: (unit: string) => `确认交办：${unit}`,
    override: '改派或现场解决',
    triaged: (caseNo: string) => `${caseNo} 已交办。`,
    count: (n: number) => `共 ${n} 件`,
  },
  en: {
    title: 'Triage queue',
    intro:
      'Oldest first. Confirming the suggestion assigns the case; open a case to assign it elsewhere or record a solution on the spot.',
    empty: 'Nothing is waiting for triage.',
    caseNo: 'Case',
    problem: 'Problem',
    filed: 'Filed',
    clock: 'Triage deadline (1 working day)',
    suggestion: 'Suggestion',
    because: (category: string) => `Because: the routing rule of the category “${category}”`,
    noRule: 'The category has no routing rule: choose the unit on the case page.',
    confirm: 'Confirm',
    confirmTo: (unit: string) => `Assign to ${unit}`,
    override: 'Assign elsewhere or solve on the spot',
    triaged: (caseNo: string) => `${caseNo} has been assigned.`,
    count: (n: number) => `${n} case(s)`,
  },
} as const;

/** 待研判: the office's triage queue, oldest first, each case with the routing suggestion and why. */
export function TriagePage(props: {
  frame: Frame;
  cases: CaseRecord[];
  categories: Category[];
  names: Names;
  done?: string | undefined;
  error?: string | undefined;
}) {
  const { frame, names } = props;
  const t = T[frame.locale];
  return (
    <WorkbenchPage frame={frame} title={t.title} current="/office">
      <h1>{t.title}</h1>
      <Flash done={props.done ? t.triaged(props.done) : undefined} error={props.error} />
      <p>{t.intro}</p>
      <p data-testid="queue-count">{t.count(props.cases.length)}</p>
      {props.cases.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <table class="list" data-testid="triage-queue">
          <thead>
            <tr>
              <th scope="col">{t.caseNo}</th>
              <th scope="col">{t.problem}</th>
              <th scope="col">{t.clock}</th>
              <th scope="col">{t.suggestion}</th>
            </tr>
          </thead>
          <tbody>
            {props.cases.map((record) => {
              const clock = record.clocks.find((c) => c.id === 'triage' && !c.metAt);
              const suggestion = record.suggestion;
              const category = props.categories.find((c) => c.id === record.category);
              const unitId = suggestion?.unitId;
              return (
                <tr data-case-no={record.caseNo}>
                  <td data-label={t.caseNo}>
                    <a href={`/office/cases/${record.id}`}>{record.caseNo}</a>
                    <br />
                    <span class="muted">
                      {t.filed} <time datetime={record.createdAt}>{chinaDateTime(record.createdAt)}</time>
                    </span>
                  </td>
                  <td data-label={t.problem}>
                    <strong>{record.title}</strong>
                    <br />
                    {record.enterprise.name} · {names.township(record.enterprise.township)} ·{' '}
                    {names.category(record.category)}
                  </td>
                  <td data-label={t.clock}>
                    {clock ? <Due at={clock.dueAt} now={frame.now} locale={frame.locale} /> : '—'}
                  </td>
                  <td data-label={t.suggestion}>
                    {suggestion ? (
                      <SuggestionText level={suggestion.level} unitId={unitId} frame={frame} names={names} />
                    ) : null}
                    <p class="hint">
                      {category?.route.unitId ? t.because(category[frame.locale]) : t.noRule}
                    </p>
                    {suggestion && unitId ? (
                      <form method="post" action={`/office/cases/${record.id}/triage`}>
                        <Csrf token={frame.csrf} />
                        <input type="hidden" name="level" value={suggestion.level} />
                        <input type="hidden" name="unitId" value={unitId} />
                        <input type="hidden" name="back" value="queue" />
                        <button
                          type="submit"
                          aria-label={`${t.confirmTo(names.unit(unitId))} ${record.caseNo}`}
                        >
                          {t.confirm}
                        </button>
                      </form>
                    ) : null}
                    <p>
                      <a href={`/office/cases/${record.id}#triage`}>{t.override}</a>
                    </p>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </WorkbenchPage>
  );
}

function SuggestionText(props: { level: Level; unitId: string | undefined; frame: Frame; names: Names }) {
  return (
    <p style="margin:0">
      <strong>{props.unitId ? props.names.unit(props.unitId) : '—'}</strong>
      <br />
      {LEVEL[props.level][props.frame.locale]}
    </p>
  );
}

/** The level and unit choice of a triage form: units grouped by the level they serve. */
export function TriageFields(props: {
  frame: Frame;
  units: Unit[];
  level?: Level | undefined;
  unitId?: string | undefined;
  /** Tells the fields apart when a page holds several triage forms. */
  idPrefix?: string;
}) {
  const { frame } = props;
  const p = props.idPrefix ?? 't';
  const zh = frame.locale === 'zh';
  const kinds = ['department', 'task_force', 'government', 'leader'] as const;
  return (
    <>
      <div class="field">
        <label for={`${p}-level`}>{zh ? '办理层级' : 'Level'}</label>
        <select id={`${p}-level`} name="level" required>
          {(Object.keys(LEVEL) as Level[]).map((level) => (
            <option value={level} selected={level === props.level}>
              {LEVEL[level][frame.locale]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${p}-unit`}>{zh ? '承办单位' : 'Unit'}</label>
        <span class="hint" id={`${p}-unit-hint`}>
          {zh
            ? '须与办理层级一致；现场解决无需选择'
            : 'Must match the level; not needed when solved on the spot'}
        </span>
        <select id={`${p}-unit`} name="unitId" aria-describedby={`${p}-unit-hint`}>
          <option value="">{zh ? '（不选）' : '(none)'}</option>
          {kinds.map((kind) => (
            <optgroup label={LEVEL[kind][frame.locale]}>
              {props.units
                .filter((u) => u.kind === kind && u.active)
                .map((u) => (
                  <option value={u.id} selected={u.id === props.unitId}>
                    {u[frame.locale]}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${p}-note`}>{zh ? '说明' : 'Note'}</label>
        <span class="hint" id={`${p}-note-hint`}>
          {zh ? '现场解决时必填：如何解决的' : 'Required when solved on the spot: how it was solved'}
        </span>
        <textarea
          id={`${p}-note`}
          name="note"
          maxlength={2000}
          aria-describedby={`${p}-note-hint`}
          style="min-height:5rem"
        />
      </div>
    </>
  );
}
