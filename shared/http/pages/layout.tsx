import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Label } from '../../config/catalog';
import type { Locale } from '../i18n';
import { FAVICON_PATH } from './favicon';

const STYLE = `
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d4d9df;--brand:#b3261e;--brand-ink:#fff;--bad:#b3261e;--ok:#1e6b3a;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--brand);color:var(--brand-ink)}
header .bar{max-width:44rem;margin:0 auto;padding:.75rem 1rem;display:flex;gap:1rem;align-items:center;justify-content:space-between}
header a{color:var(--brand-ink);font-family:inherit}
header .office{font-weight:600}
header .bar>a[hreflang]{flex:none;white-space:nowrap}
main{max-width:44rem;margin:0 auto;padding:1rem}
body.wide header .bar,body.wide main,body.wide footer{max-width:80rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem 1rem;margin:0 0 1rem;background:#fff}
legend{font-weight:600;padding:0 .25rem}
.field{margin:.75rem 0}
label{display:block;font-weight:600;margin-bottom:.25rem}
.hint{display:block;color:var(--muted);font-size:.9rem;font-weight:400;margin:-.15rem 0 .3rem}
input,select,textarea{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #8a939e;border-radius:.4rem;background:#fff;color:inherit}
textarea{min-height:9rem;resize:vertical}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #ffbf47;outline-offset:1px}
[aria-invalid=true]{border-color:var(--bad);border-width:2px}
.error{color:var(--bad);font-weight:600;margin:.25rem 0 0}
.summary{border:3px solid var(--bad);background:#fff;padding:.75rem 1rem;border-radius:.5rem;margin-bottom:1rem}
.summary h2{margin-top:0;color:var(--bad)}
button{font:inherit;font-weight:600;background:var(--brand);color:var(--brand-ink);border:0;border-radius:.4rem;padding:.75rem 1.5rem;cursor:pointer;width:100%}
@media(min-width:40rem){button{width:auto}}
a.button{display:inline-block;font-weight:600;background:var(--brand);color:var(--brand-ink);border-radius:.4rem;padding:.75rem 1.5rem;text-decoration:none}
.card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin-bottom:1rem}
.caseno{font-size:1.6rem;font-weight:700;letter-spacing:.05em}
.status{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#e8eef7;font-weight:600}
.flag{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#fdecea;color:var(--bad);font-weight:600;margin-left:.25rem}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{border-left:3px solid var(--line);padding:0 0 1rem 1rem;position:relative}
ol.timeline time{color:var(--muted);font-size:.9rem;display:block}
.link{word-break:break-all;background:#f0f2f5;padding:.5rem;border-radius:.25rem;display:block}
footer{max-width:44rem;margin:2rem auto;padding:0 1rem;color:var(--muted);font-size:.85rem}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.summary:focus{outline:3px solid #ffbf47;outline-offset:2px}
fieldset.choice label{display:flex;align-items:center;gap:.75rem;font-weight:400;min-height:3rem;padding:.25rem 0;cursor:pointer}
fieldset.choice input{width:1.5rem;height:1.5rem;margin:0;flex:none;accent-color:var(--brand)}
fieldset.choice.invalid{border-color:var(--bad);border-width:2px}
details.lookup{margin:1rem 0}details.lookup summary{cursor:pointer;color:var(--brand);font-weight:600}
.api details{border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0;padding:.25rem .75rem;background:#fff}
.api summary{cursor:pointer;font-family:ui-monospace,monospace;overflow-wrap:anywhere}
.api .m{display:inline-block;min-width:4rem;font-weight:700}.api .get{color:#1e6b3a}.api .post{color:#8a4b00}.api .put,.api .patch{color:#2a4d8f}.api .delete{color:#b3261e}
.api pre{background:#f3f4f6;padding:.5rem;overflow:auto;font-size:13px}.api table{border-collapse:collapse;display:block;overflow-x:auto}.api td,.api th{border:1px solid var(--line);padding:.2rem .5rem;text-align:left}
`;

const DESCRIPTION: Record<Locale, string> = {
  zh: '企业在生产经营中遇到的困难和问题，可在此向县助企活动办反映，并凭查询链接跟踪办理进度，直至销号。',
  en: 'Enterprises report the difficulties they meet to the county campaign office here, and follow each case by its tracking link until it is closed.',
};

/**
 * The page frame every page inherits: office name, language switch, main content. Standards mode
 * (the doctype), works without JavaScript. Workbench pages ask for the `wide` frame and put their
 * navigation in `nav`.
 */
export function Layout(props: {
  locale: Locale;
  title: string;
  office: Label;
  path: string;
  wide?: boolean;
  nav?: Child;
  /** The page's meta description (search results); the platform's own by default. */
  description?: string;
  children?: Child;
}) {
  const other: Locale = props.locale === 'zh' ? 'en' : 'zh';
  const switchHref = `${props.path}${props.path.includes('?') ? '&' : '?'}lang=${other}`;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={props.locale === 'zh' ? 'zh-CN' : 'en'}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · ${props.office[props.locale]}`}</title>
          <meta name="description" content={props.description ?? DESCRIPTION[props.locale]} />
          <link rel="icon" href={FAVICON_PATH} type="image/svg+xml" />
          <style>{raw(STYLE)}</style>
        </head>
        <body class={props.wide ? 'wide' : undefined}>
          <a class="skip" href="#main">
            {props.locale === 'zh' ? '跳到正文' : 'Skip to content'}
          </a>
          <header>
            <div class="bar">
              <a class="office" href="/">
                {props.office[props.locale]}
              </a>
              <a
                href={switchHref}
                hreflang={other === 'zh' ? 'zh-CN' : 'en'}
                lang={other === 'zh' ? 'zh-CN' : 'en'}
              >
                {other === 'zh' ? '中文' : 'English'}
              </a>
            </div>
            {props.nav}
          </header>
          <main id="main">{props.children}</main>
          <footer>
            {props.locale === 'zh'
              ? '万人助企 · 企业诉求直通车'
              : 'Enterprise support campaign · problem reporting'}
          </footer>
        </body>
      </html>
    </>
  );
}

/**
 * What is wrong with a refused form, above it: it takes the focus when the page loads (no
 * JavaScript needed), is announced, and links to each field.
 */
export function ErrorSummary(props: { heading: string; items: { href: string; text: string }[] }) {
  return (
    <div class="summary" role="alert" tabindex={-1} id="error-summary" autofocus>
      <h2>{props.heading}</h2>
      <ul>
        {props.items.map((item) => (
          <li>
            <a href={item.href}>{item.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
