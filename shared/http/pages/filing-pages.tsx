import type { ZhuqiConfig } from '../../config/config';
import type { FieldError } from '../../domain/filing';
import { fieldErrorText, type Locale, labelled } from '../i18n';
import { ErrorSummary, Layout } from './layout';

/** What the person typed, by field path (`enterprise.name` …), kept when the form comes back with errors. */
export type FormValues = Record<string, string>;

const TEXT = {
  zh: {
    title: '企业诉求登记',
    intro:
      '企业在生产经营中遇到的困难和问题，请在此反映。县助企活动办将在 1 个工作日内研判交办，并全程跟踪办理，直至销号。',
    enterprise: '企业信息',
    name: '企业名称',
    creditCode: '统一社会信用代码',
    creditCodeHint: '18 位，见营业执照',
    township: '所在乡镇',
    choose: '请选择',
    contact: '联系人',
    contactName: '姓名',
    mobile: '手机号码',
    mobileHint: '用于接收办理进展和满意度回访',
    problem: '问题',
    category: '问题类别',
    problemTitle: '问题标题',
    description: '详细描述',
    descriptionHint: (min: number, max: number) =>
      `请写明问题经过、已做的努力和希望得到的帮助（${min}–${max} 字）`,
    cadre: '助企干部（选填）',
    cadreHint: '如问题由分包干部走访收集，请填写干部信息',
    cadreName: '干部姓名',
    cadreMobile: '干部手机',
    submit: '提交',
    errors: (n: number) => `提交未成功，有 ${n} 处需要修改：`,
    trackTitle: '查询办理进度',
  },
  en: {
    title: 'Report a problem',
    intro:
      'Tell us about a difficulty your enterprise faces. The county campaign office assigns it to the responsible unit within 1 working day and follows it until it is closed.',
    enterprise: 'Enterprise',
    name: 'Enterprise name',
    creditCode: 'Unified social credit code',
    creditCodeHint: '18 characters, on the business licence',
    township: 'Township',
    choose: 'Choose…',
    contact: 'Contact person',
    contactName: 'Name',
    mobile: 'Mobile number',
    mobileHint: 'for progress messages and the satisfaction survey',
    problem: 'Problem',
    category: 'Category',
    problemTitle: 'Title',
    description: 'Description',
    descriptionHint: (min: number, max: number) =>
      `What happened, what you have tried, and what help you need (${min}–${max} characters)`,
    cadre: 'Support cadre (optional)',
    cadreHint: 'If a cadre collected this problem on a visit, name them',
    cadreName: 'Cadre name',
    cadreMobile: 'Cadre mobile',
    submit: 'Submit',
    errors: (n: number) => `The form was not sent: ${n} ${n === 1 ? 'field needs' : 'fields need'} fixing:`,
    trackTitle: 'Follow a case',
  },
} as const;

const idOf = (field: string) => `f-${field.replace(/\./g, '-')}`;

function Field(props: {
  field: string;
  label: string;
  hint?: string;
  errors: FieldError[];
  locale: Locale;
  children: (attrs: Record<string, string | boolean | undefined>) => unknown;
}) {
  const error = props.errors.find((e) => e.field === props.field);
  const id = idOf(props.field);
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.children({
        id,
        name: props.field,
        'aria-invalid': error ? 'true' : undefined,
        'aria-describedby': described || undefined,
      })}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {fieldErrorText(error, props.locale)}
        </p>
      ) : null}
    </div>
  );
}

/** The public filing form (GET /, and POST /cases when fields need fixing). */
export function FilingForm(props: {
  config: ZhuqiConfig;
  locale: Locale;
  values: FormValues;
  errors: FieldError[];
  submissionId: string;
}) {
  const { config, locale } = props;
  const t = TEXT[locale];
  return (
    <Layout locale={locale} title={t.title} office={config.officeName} path="/">
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <FilingFields {...props} action="/cases" />
      <h2>{t.trackTitle}</h2>
      <p>
        <a href="/track">{t.trackTitle}</a>
      </p>
    </Layout>
  );
}

/**
 * The filing form's fields, its error summary and its submit button: the public form, and the
 * cadre's form for an assigned enterprise (which names the cadre itself, so it has no cadre fields).
 */
export function FilingFields(props: {
  config: ZhuqiConfig;
  locale: Locale;
  values: FormValues;
  errors: FieldError[];
  submissionId: string;
  action: string;
  /** Hidden fields the form carries besides the submission id (the cadre form's CSRF token). */
  hidden?: Record<string, string>;
  withCadre?: boolean;
}) {
  const { config, locale, values, errors } = props;
  const t = TEXT[locale];
  const v = (field: string) => values[field] ?? '';
  const labels: Record<string, string> = {
    'enterprise.name': t.name,
    'enterprise.creditCode': t.creditCode,
    'enterprise.township': t.township,
    'contact.name': t.contactName,
    'contact.mobile': t.mobile,
    category: t.category,
    title: t.problemTitle,
    description: t.description,
    cadre: t.cadre,
    'cadre.name': t.cadreName,
    'cadre.mobile': t.cadreMobile,
  };
  const common = { errors, locale };
  return (
    <>
      {errors.length > 0 ? (
        <ErrorSummary
          heading={t.errors(errors.length)}
          items={errors.map((e) => ({
            href: `#${idOf(e.field)}`,
            text: labelled(labels[e.field] ?? e.field, fieldErrorText(e, locale), locale),
          }))}
        />
      ) : null}
      <form method="post" action={props.action} novalidate>
        <input type="hidden" name="submissionId" value={props.submissionId} />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <fieldset>
          <legend>{t.enterprise}</legend>
          <Field field="enterprise.name" label={t.name} {...common}>
            {(a) => (
              <input
                {...a}
                value={v('enterprise.name')}
                autocomplete="organization"
                maxlength={100}
                required
              />
            )}
          </Field>
          <Field field="enterprise.creditCode" label={t.creditCode} hint={t.creditCodeHint} {...common}>
            {(a) => (
              <input
                {...a}
                value={v('enterprise.creditCode')}
                maxlength={18}
                autocapitalize="characters"
                spellcheck={false}
                required
              />
            )}
          </Field>
          <Field field="enterprise.township" label={t.township} {...common}>
            {(a) => (
              <select {...a} required>
                <option value="">{t.choose}</option>
                {config.townships.map((x) => (
                  <option value={x.id} selected={v('enterprise.township') === x.id}>
                    {x[locale]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t.contact}</legend>
          <Field field="contact.name" label={t.contactName} {...common}>
            {(a) => <input {...a} value={v('contact.name')} autocomplete="name" maxlength={40} required />}
          </Field>
          <Field field="contact.mobile" label={t.mobile} hint={t.mobileHint} {...common}>
            {(a) => (
              <input
                {...a}
                type="tel"
                inputmode="numeric"
                value={v('contact.mobile')}
                autocomplete="tel"
                required
              />
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t.problem}</legend>
          <Field field="category" label={t.category} {...common}>
            {(a) => (
              <select {...a} required>
                <option value="">{t.choose}</option>
                {config.categories.map((x) => (
                  <option value={x.id} selected={v('category') === x.id}>
                    {x[locale]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field field="title" label={t.problemTitle} {...common}>
            {(a) => <input {...a} value={v('title')} maxlength={config.limits.titleMax} required />}
          </Field>
          <Field
            field="description"
            label={t.description}
            hint={t.descriptionHint(config.limits.descriptionMin, config.limits.descriptionMax)}
            {...common}
          >
            {(a) => (
              <textarea {...a} maxlength={config.limits.descriptionMax} required>
                {v('description')}
              </textarea>
            )}
          </Field>
        </fieldset>
        {props.withCadre === false ? null : (
          <fieldset>
            <legend>{t.cadre}</legend>
            <p class="hint">{t.cadreHint}</p>
            <Field field="cadre.name" label={t.cadreName} {...common}>
              {(a) => <input {...a} value={v('cadre.name')} maxlength={40} />}
            </Field>
            <Field field="cadre.mobile" label={t.cadreMobile} {...common}>
              {(a) => <input {...a} type="tel" inputmode="numeric" value={v('cadre.mobile')} />}
            </Field>
          </fieldset>
        )}
        <button type="submit">{t.submit}</button>
      </form>
    </>
  );
}

const FILED = {
  zh: {
    title: '提交成功',
    caseNo: '诉求编号',
    keep: '请保存下面的查询链接。凭此链接可随时查看办理进度；办结后我们会通过短信邀请您评价。请勿把链接转发给无关人员。',
    track: '查看办理进度',
    again: '再提交一个问题',
  },
  en: {
    title: 'Your problem has been filed',
    caseNo: 'Case number',
    keep: 'Keep the link below: it shows the progress of your case at any time. When the case is resolved we will ask you to rate it. Do not share the link.',
    track: 'Follow this case',
    again: 'Report another problem',
  },
} as const;

/** The confirmation after filing: case number and the secret tracking link. */
export function FiledPage(props: {
  config: ZhuqiConfig;
  locale: Locale;
  caseNo: string;
  trackingUrl: string;
}) {
  const t = FILED[props.locale];
  return (
    <Layout locale={props.locale} title={t.title} office={props.config.officeName} path="/">
      <h1>{t.title}</h1>
      <div class="card" role="status">
        <div>{t.caseNo}</div>
        <div class="caseno" data-testid="case-no">
          {props.caseNo}
        </div>
      </div>
      <p>{t.keep}</p>
      <p>
        <code class="link">{props.trackingUrl}</code>
      </p>
      <p>
        <a href={props.trackingUrl} data-testid="tracking-link">
          {t.track}
        </a>
      </p>
      <p>
        <a href="/">{t.again}</a>
      </p>
    </Layout>
  );
}
