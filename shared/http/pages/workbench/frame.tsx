import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Label } from '../../../config/catalog';
import { chinaDateTime } from '../../../domain/china-time';
import type { Role } from '../../../store/access-repository';
import type { Locale } from '../../i18n';
import { Layout } from '../layout';

/** What every workbench page knows about its request: language, office, who is signed in, the form token. */
export interface Frame {
  locale: Locale;
  office: Label;
  role: Role;
  /** The signed-in person's name (their key's label). */
  name: string;
  /** The session's CSRF token, carried by every form. */
  csrf: string;
  /** The page's own path and query, for the language switch. */
  path: string;
  /** Now, as the server's clock reads it (time left, overdue). */
  now: Date;
}

const STYLE = `
nav.wb{background:#8f1d17}
nav.wb .bar{max-width:80rem;margin:0 auto;padding:.25rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
nav.wb a{color:#fff;padding:.35rem 0;text-decoration:none;border-bottom:3px solid transparent}
nav.wb a[aria-current=page]{border-bottom-color:#ffbf47;font-weight:600}
nav.wb .who{margin-left:auto;display:flex;gap:.75rem;align-items:center;color:#fff}
nav.wb form{margin:0}
nav.wb button{background:transparent;border:1px solid #fff;padding:.2rem .8rem;width:auto;font-weight:400}
table.list{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line)}
table.list th,table.list td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}
table.list th{background:#eef1f4;font-size:.9rem}
@media(max-width:40rem){table.list thead{position:absolute;left:-9999px}table.list tr{display:block;border-bottom:2px solid var(--line)}table.list td,table.list tbody th{display:block;border:0;padding:.2rem .5rem}table.list td[data-label]::before{content:attr(data-label) "：";font-weight:600;color:var(--muted)}:lang(en) table.list td[data-label]::before{content:attr(data-label) ": "}}
table.list .num{text-align:right;white-space:nowrap}
@media(max-width:40rem){table.list td.num{text-align:left;white-space:normal}table.kv tr{display:table-row}table.kv td,table.kv tbody th{display:table-cell;border-bottom:1px solid var(--line);padding:.4rem .5rem}table.kv td[data-label]::before{content:none}}
.yellow{background:#fff4cc;color:#6b4e00;display:inline-block;padding:0 .4rem;border-radius:.3rem;font-weight:600}
.red{background:#fdecea;color:var(--bad);display:inline-block;padding:0 .4rem;border-radius:.3rem;font-weight:600}
.okay{color:var(--ok)}
.cols{display:grid;gap:1rem}
@media(min-width:60rem){.cols{grid-template-columns:3fr 2fr}}
.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.inline .field{flex:1 1 12rem;margin:.25rem 0}
.actions form{margin:0 0 1rem}
.secondary{background:#fff;color:var(--brand);border:2px solid var(--brand)}
.done{border:3px solid var(--ok);background:#fff;padding:.75rem 1rem;border-radius:.5rem;margin-bottom:1rem}
.secret{font-family:ui-monospace,monospace;word-break:break-all;background:#f0f2f5;padding:.5rem;border-radius:.25rem;display:block}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0}
.pager{display:flex;gap:1rem;margin:1rem 0}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}
.counts a{display:block;background:#fff;border:1px solid var(--line);border-radius:.4rem;padding:.4rem .8rem}
.muted{color:var(--muted)}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
`;

const NAV: Record<Role, { href: string; label: Label }[]> = {
  office: [
    { href: '/office', label: { zh: '待研判', en: 'Triage' } },
    { href: '/office/boards', label: { zh: '看板', en: 'Boards' } },
    { href: '/office/figures', label: { zh: '统计', en: 'Figures' } },
    { href: '/office/weekly-report', label: { zh: '周报', en: 'Weekly report' } },
    { href: '/office/common-problems', label: { zh: '共性问题', en: 'Common problems' } },
    { href: '/office/follow-ups', label: { zh: '回头看', en: 'Follow-ups' } },
    { href: '/office/notices', label: { zh: '通知', en: 'Notices' } },
    { href: '/office/people', label: { zh: '单位与人员', en: 'Units and people' } },
  ],
  unit: [{ href: '/unit', label: { zh: '本单位案件', en: 'Our cases' } }],
  cadre: [{ href: '/cadre', label: { zh: '我的包联企业', en: 'My enterprises' } }],
};

const WORKBENCH: Record<Role, Label> = {
  office: { zh: '活动办工作台', en: 'Office workbench' },
  unit: { zh: '承办单位工作台', en: 'Unit workbench' },
  cadre: { zh: '包联干部工作台', en: 'Cadre workbench' },
};

export function workbenchName(role: Role, locale: Locale): string {
  return WORKBENCH[role][locale];
}

/** The hidden field that carries the session's CSRF token in every state-changing form. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** A workbench page: the shared Layout, wide, with the workbench's navigation and sign-out. */
export function WorkbenchPage(props: { frame: Frame; title: string; current?: string; children?: Child }) {
  const { frame } = props;
  const pathOnly = frame.path.split('?')[0];
  const current = props.current ?? pathOnly;
  const nav = (
    <nav class="wb" aria-label={WORKBENCH[frame.role][frame.locale]}>
      <style>{raw(STYLE)}</style>
      <div class="bar">
        {NAV[frame.role].map((item) => (
          <a href={item.href} aria-current={current === item.href ? 'page' : undefined}>
            {item.label[frame.locale]}
          </a>
        ))}
        <span class="who">
          <span data-testid="signed-in-as">{frame.name}</span>
          <form method="post" action={`/${frame.role}/sign-out`}>
            <Csrf token={frame.csrf} />
            <button type="submit">{frame.locale === 'zh' ? '退出登录' : 'Sign out'}</button>
          </form>
        </span>
      </div>
    </nav>
  );
  return (
    <Layout locale={frame.locale} title={props.title} office={frame.office} path={frame.path} wide nav={nav}>
      {props.children}
    </Layout>
  );
}

/** A message above the page: what was just done, or why it was not. */
export function Flash(props: { done?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {props.done ? (
        <div class="done" role="status">
          {props.done}
        </div>
      ) : null}
      {props.error ? (
        <div class="summary" role="alert">
          <p>{props.error}</p>
        </div>
      ) : null}
    </>
  );
}

/** A due time with the time left (or how long it is overdue), in the page's language. */
export function Due(props: { at: string; now: Date; locale: Locale; met?: string | undefined }) {
  const ms = Date.parse(props.at) - props.now.getTime();
  const zh = props.locale === 'zh';
  if (props.met) {
    return (
      <span>
        <time datetime={props.at}>{chinaDateTime(props.at)}</time>{' '}
        <span class="okay">{zh ? '（已按期完成）' : '(met)'}</span>
      </span>
    );
  }
  const span = humanSpan(Math.abs(ms), props.locale);
  return (
    <span>
      <time datetime={props.at}>{chinaDateTime(props.at)}</time>{' '}
      {ms >= 0 ? (
        <span class={ms < 24 * 3600_000 ? 'yellow' : undefined}>{zh ? `剩余 ${span}` : `${span} left`}</span>
      ) : (
        <span class="red">{zh ? `已超期 ${span}` : `${span} overdue`}</span>
      )}
    </span>
  );
}

/** A duration to the hour (or minute when short): "2 天 3 小时" / "2 d 3 h". */
export function humanSpan(ms: number, locale: Locale): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const zh = locale === 'zh';
  if (days > 0) return zh ? `${days} 天 ${hours} 小时` : `${days} d ${hours} h`;
  if (hours > 0) return zh ? `${hours} 小时 ${minutes % 60} 分` : `${hours} h ${minutes % 60} min`;
  return zh ? `${minutes} 分钟` : `${minutes} min`;
}

const SIGN_IN = {
  zh: {
    key: '个人密钥',
    keyHint: '由县助企活动办发放，以 zq_ 开头。请勿转借他人。',
    submit: '登录',
    unknown: '密钥不正确或已被撤销。',
    wrongRole: (w: string) => `这个密钥不能登录${w}。`,
    throttled: (s: number) => `失败次数过多，请 ${Math.ceil(s / 60)} 分钟后再试。`,
    signedOut: '已退出登录。',
    expired: '登录已过期，请重新登录。',
  },
  en: {
    key: 'Personal key',
    keyHint: 'Issued by the county campaign office; it starts with zq_. Do not lend it to anyone.',
    submit: 'Sign in',
    unknown: 'The key is not right, or it has been revoked.',
    wrongRole: (w: string) => `This key does not open the ${w.toLowerCase()}.`,
    throttled: (s: number) => `Too many failed attempts. Try again in ${Math.ceil(s / 60)} minute(s).`,
    signedOut: 'You have signed out.',
    expired: 'Your session has ended. Please sign in again.',
  },
} as const;

export type SignInMessage =
  | { kind: 'unknown' }
  | { kind: 'wrong_role' }
  | { kind: 'throttled'; seconds: number }
  | { kind: 'signed_out' };

/** The sign-in page of a workbench: the personal key in a password field. */
export function SignInPage(props: {
  locale: Locale;
  office: Label;
  role: Role;
  next?: string | undefined;
  message?: SignInMessage | undefined;
}) {
  const t = SIGN_IN[props.locale];
  const title = WORKBENCH[props.role][props.locale];
  const m = props.message;
  const error =
    m?.kind === 'unknown'
      ? t.unknown
      : m?.kind === 'wrong_role'
        ? t.wrongRole(title)
        : m?.kind === 'throttled'
          ? t.throttled(m.seconds)
          : undefined;
  return (
    <Layout locale={props.locale} title={title} office={props.office} path={`/${props.role}/sign-in`}>
      <h1>{title}</h1>
      {m?.kind === 'signed_out' ? (
        <div class="card" role="status">
          {t.signedOut}
        </div>
      ) : null}
      {error ? (
        <div class="summary" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      <form method="post" action={`/${props.role}/sign-in`}>
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <div class="field">
          <label for="key">{t.key}</label>
          <span class="hint" id="key-hint">
            {t.keyHint}
          </span>
          <input
            id="key"
            name="key"
            type="password"
            autocomplete="current-password"
            aria-describedby="key-hint"
            aria-invalid={error ? 'true' : undefined}
            required
          />
        </div>
        <button type="submit">{t.submit}</button>
      </form>
    </Layout>
  );
}
