import type { CaseView } from '../../../app/case-view';
import type { ZhuqiConfig } from '../../../config/config';
import type { CaseRecord } from '../../../domain/case';
import { chinaDateTime } from '../../../domain/china-time';
import type { FieldError } from '../../../domain/filing';
import type { Cadre } from '../../../store/access-repository';
import { statusText } from '../../i18n';
import { FilingFields, type FormValues } from '../filing-pages';
import { CasePage, Flags } from '../workbench/case-parts';
import { Flash, type Frame, WorkbenchPage } from '../workbench/frame';
import type { Names } from '../workbench/words';

const T = {
  zh: {
    title: '我的包联企业',
    intro: '活动办分包给您的企业。走访中收集到的问题，请在这里代企业登记；企业仍会收到查询链接和满意度回访。',
    none: '活动办尚未给您分包企业。',
    creditCode: '统一社会信用代码',
    enterprise: '企业',
    file: '登记问题',
    fileFor: (name: string) => `为 ${name} 登记问题`,
    cases: '包联企业的诉求',
    noCases: '暂无诉求。',
    caseNo: '编号',
    problem: '问题',
    status: '状态',
    filed: '提交时间',
    formTitle: '走访登记问题',
    formIntro: '渠道记为“干部走访”，您为登记人。企业信息请与营业执照一致。',
    filedTitle: '已登记',
    filedText: (caseNo: string) =>
      `诉求 ${caseNo} 已登记。请把下面的查询链接交给企业联系人，凭此可随时查看办理进度：`,
    back: '返回我的包联企业',
    notAssigned: '这家企业没有分包给您，不能代为登记。如需调整，请联系县助企活动办。',
  },
  en: {
    title: 'My enterprises',
    intro:
      'The enterprises the office assigned to you. File the problems you collect on visits here; the enterprise still gets the tracking link and the survey.',
    none: 'The office has not assigned any enterprise to you yet.',
    creditCode: 'Credit code',
    enterprise: 'Enterprise',
    file: 'File a problem',
    fileFor: (name: string) => `File a problem for ${name}`,
    cases: 'Cases of my enterprises',
    noCases: 'No case yet.',
    caseNo: 'Case',
    problem: 'Problem',
    status: 'Status',
    filed: 'Filed',
    formTitle: 'File a problem from a visit',
    formIntro:
      'The channel is recorded as a cadre visit, with you as the filer. Enter the enterprise as on its licence.',
    filedTitle: 'Filed',
    filedText: (caseNo: string) =>
      `Case ${caseNo} is filed. Give the enterprise's contact the tracking link below; it shows the progress at any time:`,
    back: 'Back to my enterprises',
    notAssigned:
      'This enterprise is not assigned to you, so you cannot file for it. Ask the county office to change that.',
  },
} as const;

/** The cadre's home: their enterprises, each with the way to file for it, and every case of them. */
export function CadreHomePage(props: { frame: Frame; cadre: Cadre; cases: CaseRecord[]; names: Names }) {
  const { frame, cadre } = props;
  const t = T[frame.locale];
  return (
    <WorkbenchPage frame={frame} title={t.title} current="/cadre">
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      {cadre.enterprises.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table class="list" data-testid="my-enterprises">
          <thead>
            <tr>
              <th scope="col">{t.enterprise}</th>
              <th scope="col">{t.creditCode}</th>
              <th scope="col">{t.file}</th>
            </tr>
          </thead>
          <tbody>
            {cadre.enterprises.map((e) => (
              <tr>
                <td data-label={t.enterprise}>{e.name ?? '—'}</td>
                <td data-label={t.creditCode}>
                  <code>{e.creditCode}</code>
                </td>
                <td data-label={t.file}>
                  <a
                    href={`/cadre/file?enterprise=${e.creditCode}`}
                    aria-label={t.fileFor(e.name ?? e.creditCode)}
                  >
                    {t.file}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="cases">{t.cases}</h2>
      {props.cases.length === 0 ? (
        <p class="muted">{t.noCases}</p>
      ) : (
        <table class="list" aria-labelledby="cases" data-testid="cadre-cases">
          <thead>
            <tr>
              <th scope="col">{t.caseNo}</th>
              <th scope="col">{t.problem}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.filed}</th>
            </tr>
          </thead>
          <tbody>
            {props.cases.map((record) => (
              <tr>
                <td data-label={t.caseNo}>
                  <a href={`/cadre/cases/${record.id}`}>{record.caseNo}</a>
                </td>
                <td data-label={t.problem}>
                  <strong>{record.title}</strong>
                  <br />
                  {record.enterprise.name}
                </td>
                <td data-label={t.status}>
                  {statusText(record.status, frame.locale)}{' '}
                  <Flags flags={record.flags} locale={frame.locale} />
                </td>
                <td data-label={t.filed}>{chinaDateTime(record.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </WorkbenchPage>
  );
}

/** The filing form for one of the cadre's enterprises: the public form's fields and checks, no cadre fields. */
export function CadreFilingPage(props: {
  frame: Frame;
  config: ZhuqiConfig;
  values: FormValues;
  errors: FieldError[];
  submissionId: string;
  notAssigned?: boolean;
}) {
  const { frame } = props;
  const t = T[frame.locale];
  return (
    <WorkbenchPage frame={frame} title={t.formTitle} current="/cadre">
      <p>
        <a href="/cadre">{t.back}</a>
      </p>
      <h1>{t.formTitle}</h1>
      <Flash error={props.notAssigned ? t.notAssigned : undefined} />
      <p>{t.formIntro}</p>
      <FilingFields
        config={props.config}
        locale={frame.locale}
        values={props.values}
        errors={props.errors}
        submissionId={props.submissionId}
        action="/cadre/file"
        hidden={{ _csrf: frame.csrf }}
        withCadre={false}
      />
    </WorkbenchPage>
  );
}

/** Filed: the case number and the tracking link to hand to the enterprise. */
export function CadreFiledPage(props: { frame: Frame; caseNo: string; caseId: string; trackingUrl: string }) {
  const { frame } = props;
  const t = T[frame.locale];
  return (
    <WorkbenchPage frame={frame} title={t.filedTitle} current="/cadre">
      <h1>{t.filedTitle}</h1>
      <div class="card" role="status">
        <p class="caseno" data-testid="case-no">
          {props.caseNo}
        </p>
        <p>{t.filedText(props.caseNo)}</p>
        <code class="link" data-testid="tracking-url">
          {props.trackingUrl}
        </code>
      </div>
      <p>
        <a href={`/cadre/cases/${props.caseId}`}>{props.caseNo}</a> · <a href="/cadre">{t.back}</a>
      </p>
    </WorkbenchPage>
  );
}

/** A case of one of the cadre's enterprises, to follow (the cadre does not act on it). */
export function CadreCasePage(props: { frame: Frame; view: CaseView; names: Names }) {
  const t = T[props.frame.locale];
  return (
    <CasePage frame={props.frame} view={props.view} names={props.names}>
      <p>
        <a href="/cadre">{t.back}</a>
      </p>
    </CasePage>
  );
}
