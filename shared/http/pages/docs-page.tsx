import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

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

const STYLE = `body{font:15px/1.55 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
details{border:1px solid #d4d9df;border-radius:.4rem;margin:.5rem 0;padding:.25rem .75rem;background:#fff}
summary{cursor:pointer;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4rem;font-weight:700}.get{color:#1e6b3a}.post{color:#8a4b00}.put,.patch{color:#2a4d8f}.delete{color:#b3261e}
pre{background:#f3f4f6;padding:.5rem;overflow:auto;font-size:13px}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}`;

/** A browsable rendering of the OpenAPI document, served by the app itself (no CDN, works offline). */
export function DocsPage(props: { doc: OpenApiDocument }): Child {
  const { doc } = props;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? 'other'))];
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${doc.info.title} ${doc.info.version}`}</title>
          <style>{raw(STYLE)}</style>
        </head>
        <body>
          <h1>
            {doc.info.title} <small>{doc.info.version}</small>
          </h1>
          {doc.info.description ? <p>{doc.info.description}</p> : null}
          <p>
            Machine-readable: <a href="/openapi.json">/openapi.json</a>
          </p>
          {tags.map((tag) => (
            <section>
              <h2>{tag}</h2>
              {operations
                .filter((o) => (o.op.tags?.[0] ?? 'other') === tag)
                .map(({ path, method, op }) => (
                  <details>
                    <summary>
                      <span class={`m ${method}`}>{method.toUpperCase()}</span> {path} — {op.summary ?? ''}
                    </summary>
                    {op.description ? <p>{op.description}</p> : null}
                    {op.security?.length ? <p>Needs an API key: Authorization: Bearer …</p> : null}
                    {op.parameters?.length ? (
                      <table>
                        <tr>
                          <th>parameter</th>
                          <th>in</th>
                          <th>required</th>
                          <th>description</th>
                        </tr>
                        {op.parameters.map((p) => (
                          <tr>
                            <td>{p.name}</td>
                            <td>{p.in}</td>
                            <td>{p.required ? 'yes' : 'no'}</td>
                            <td>{p.description ?? ''}</td>
                          </tr>
                        ))}
                      </table>
                    ) : null}
                    {op.requestBody?.content
                      ? Object.entries(op.requestBody.content).map(([type, media]) => (
                          <>
                            <p>Request body ({type}):</p>
                            <pre>{JSON.stringify(media.schema, null, 2)}</pre>
                          </>
                        ))
                      : null}
                    <p>Responses:</p>
                    <ul>
                      {Object.entries(op.responses ?? {}).map(([status, r]) => (
                        <li>
                          <strong>{status}</strong> {r.description ?? ''}
                        </li>
                      ))}
                    </ul>
                  </details>
                ))}
            </section>
          ))}
          <h2>Schemas</h2>
          {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
            <details>
              <summary>{name}</summary>
              <pre>{JSON.stringify(schema, null, 2)}</pre>
            </details>
          ))}
        </body>
      </html>
    </>
  );
}
