import type { Child } from 'hono/jsx';
import type { ZhuqiConfig } from '../../config/config';
import type { Locale } from '../i18n';
import { Layout } from './layout';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const TEXT = {
  zh: {
    title: '接口文档',
    intro:
      '承办单位、县助企活动办和其他系统通过以下 JSON 接口对接本平台。错误以 RFC 9457 问题文档（application/problem+json）返回。接口说明为英文。',
    machine: '机读版本',
    key: '需要 API 密钥：Authorization: Bearer …',
    parameter: '参数',
    in: '位置',
    required: '必填',
    description: '说明',
    yes: '是',
    no: '否',
    body: (type: string) => `请求体（${type}）：`,
    responses: '响应：',
    schemas: '数据结构',
    back: '返回首页',
  },
  en: {
    title: 'API documentation',
    intro:
      'Units, the county campaign office and other systems work with the platform through the JSON API below. Errors are RFC 9457 problem documents (application/problem+json).',
    machine: 'Machine-readable',
    key: 'Needs an API key: Authorization: Bearer …',
    parameter: 'parameter',
    in: 'in',
    required: 'required',
    description: 'description',
    yes: 'yes',
    no: 'no',
    body: (type: string) => `Request body (${type}):`,
    responses: 'Responses:',
    schemas: 'Schemas',
    back: 'Back to the filing form',
  },
} as const;

/**
 * A browsable rendering of the OpenAPI document, served by the app itself (no CDN, works
 * offline), in the site's frame and language; the operations' own texts are the contract's (English).
 */
export function DocsPage(props: { doc: OpenApiDocument; config: ZhuqiConfig; locale: Locale }): Child {
  const { doc, locale } = props;
  const t = TEXT[locale];
  // The contract is written in English: marked so, a screen reader reads it in English on the Chinese page.
  const en = locale === 'en' ? undefined : 'en';
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? 'other'))];
  return (
    <Layout
      locale={locale}
      title={t.title}
      office={props.config.officeName}
      path="/docs"
      wide
      description={`${doc.info.title} ${doc.info.version}: ${t.intro}`}
    >
      <div class="api">
        <p>
          <a href="/">{t.back}</a>
        </p>
        <h1>
          {t.title} <small lang="en">{`${doc.info.title} ${doc.info.version}`}</small>
        </h1>
        <p>{t.intro}</p>
        <p>
          {locale === 'zh' ? `${t.machine}：` : `${t.machine}: `}
          <a href="/openapi.json">/openapi.json</a>
        </p>
        {tags.map((tag) => (
          <section>
            <h2 lang={en}>{tag}</h2>
            {operations
              .filter((o) => (o.op.tags?.[0] ?? 'other') === tag)
              .map(({ path, method, op }) => (
                <details>
                  <summary lang={en}>
                    <span class={`m ${method}`}>{method.toUpperCase()}</span> {path} — {op.summary ?? ''}
                  </summary>
                  {op.description ? <p lang={en}>{op.description}</p> : null}
                  {op.security?.length ? <p>{t.key}</p> : null}
                  {op.parameters?.length ? (
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{t.parameter}</th>
                          <th scope="col">{t.in}</th>
                          <th scope="col">{t.required}</th>
                          <th scope="col">{t.description}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {op.parameters.map((p) => (
                          <tr>
                            <td>{p.name}</td>
                            <td>{p.in}</td>
                            <td>{p.required ? t.yes : t.no}</td>
                            <td lang={en}>{p.description ?? ''}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                  {op.requestBody?.content
                    ? Object.entries(op.requestBody.content).map(([type, media]) => (
                        <>
                          <p>{t.body(type)}</p>
                          <pre lang={en}>{JSON.stringify(media.schema, null, 2)}</pre>
                        </>
                      ))
                    : null}
                  <p>{t.responses}</p>
                  <ul>
                    {Object.entries(op.responses ?? {}).map(([status, r]) => (
                      <li>
                        <strong>{status}</strong> <span lang={en}>{r.description ?? ''}</span>
                      </li>
                    ))}
                  </ul>
                </details>
              ))}
          </section>
        ))}
        <h2>{t.schemas}</h2>
        {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
          <details>
            <summary lang={en}>{name}</summary>
            <pre lang={en}>{JSON.stringify(schema, null, 2)}</pre>
          </details>
        ))}
      </div>
    </Layout>
  );
}
