import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document the contract check reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
  webhooks?: Record<string, Record<string, unknown>>;
}

export interface Operation {
  operationId?: string;
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, { required?: boolean; schema?: unknown }>;
      content?: Record<string, { schema?: unknown }>;
    }
  >;
}

/** Headers whose presence in an answer must be declared by the operation's response. */
const TRACKED_HEADERS = ['location', 'idempotent-replayed', 'www-authenticate', 'retry-after'];

/** Paths that serve the contract itself, not operations. */
const NOT_OPERATIONS = [/^\/openapi\.json$/, /^\/docs$/];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * Checks answers against the OpenAPI document: the operation must list the status, the media
 * type and every tracked header; a JSON body must validate against the schema of that status,
 * whose objects are closed. A problem document from outside any operation (an unknown path, a
 * key refused before routing) must still be a valid Problem.
 */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: { method: string; template: string; pattern: RegExp; literal: number }[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, 'openapi');
    for (const [template, item] of Object.entries(document.paths)) {
      const segments = template.split('/');
      const pattern = new RegExp(
        `^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`,
      );
      const literal = segments.filter((s) => !/^\{.+\}$/.test(s)).length;
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
        this.routes.push({ method, template, pattern, literal });
      }
    }
    // The most literal template wins: /cases/stats before /cases/{id}.
    this.routes.sort((a, b) => b.literal - a.literal);
  }

  /** The operation a request is answered by, if the document has one. */
  operationFor(method: string, path: string): { template: string; operation: Operation } | undefined {
    const route = this.routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
    if (!route) return undefined;
    return { template: route.template, operation: this.document.paths[route.template]![route.method]! };
  }

  /** Every way the answer departs from the document (empty when it conforms). */
  async violations(method: string, url: string, response: Response): Promise<string[]> {
    const path = new URL(url, 'http://localhost').pathname;
    const where = `${method.toUpperCase()} ${path} → ${response.status}`;
    const mediaType = (response.headers.get('Content-Type') ?? '').split(';')[0]!.trim();
    // HEAD is answered by the GET operation, without a body.
    const head = method.toUpperCase() === 'HEAD';
    const text = head ? '' : await response.text();
    const found = this.operationFor(head ? 'GET' : method, path);

    if (!found) {
      // Pages and their assets are outside the contract; JSON outside any operation is not.
      if (NOT_OPERATIONS.some((p) => p.test(path)) || !mediaType.endsWith('json') || head) return [];
      if (mediaType !== 'application/problem+json')
        return [`${where}: no operation in the document answers this, and it is not a problem document`];
      return this.validate('#/components/schemas/Problem', text, where);
    }

    const { template, operation } = found;
    const at = `${method.toUpperCase()} ${template} → ${response.status}`;
    if (head) method = 'GET';
    const documented =
      operation.responses[String(response.status)] ??
      operation.responses[`${String(response.status)[0]}XX`] ??
      operation.responses.default;
    if (!documented) return [`${at}: the status is not documented for ${operation.operationId}`];
    const key = operation.responses[String(response.status)]
      ? String(response.status)
      : operation.responses[`${String(response.status)[0]}XX`]
        ? `${String(response.status)[0]}XX`
        : 'default';

    const problems: string[] = [];
    const declared = Object.fromEntries(
      Object.entries(documented.headers ?? {}).map(([name, header]) => [name.toLowerCase(), header]),
    );
    for (const name of TRACKED_HEADERS) {
      if (response.headers.has(name) && !declared[name])
        problems.push(`${at}: header ${name} is not declared`);
    }
    for (const [name, header] of Object.entries(declared)) {
      if (header.required && !response.headers.has(name))
        problems.push(`${at}: the required header ${name} is missing`);
    }

    if (head) return problems;
    if (!text) {
      if (documented.content && Object.keys(documented.content).length > 0)
        problems.push(`${at}: the answer has no body, the document says it has`);
      return problems;
    }
    const media = documented.content?.[mediaType];
    if (!media) {
      problems.push(
        `${at}: ${mediaType || 'no Content-Type'} is not documented (documented: ${Object.keys(documented.content ?? {}).join(', ') || 'no body'})`,
      );
      return problems;
    }
    if (mediaType.endsWith('json')) {
      const pointer = [
        'paths',
        template,
        method.toLowerCase(),
        'responses',
        key,
        'content',
        mediaType,
        'schema',
      ]
        .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
        .join('/');
      problems.push(...this.validate(`#/${pointer}`, text, at));
    }
    return problems;
  }

  private validate(pointer: string, text: string, where: string): string[] {
    let validator = this.validators.get(pointer);
    if (!validator) {
      validator = this.ajv.compile({ $ref: `openapi${pointer}` });
      this.validators.set(pointer, validator);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where}: the body is not JSON: ${text.slice(0, 200)}`];
    }
    if (validator(body)) return [];
    return (validator.errors ?? []).map(
      (e) =>
        `${where}: ${e.instancePath || '(body)'} ${e.message}${
          e.keyword === 'additionalProperties' ? ` (${JSON.stringify(e.params)})` : ''
        }`,
    );
  }
}

/** Every object schema that answers (or, in a webhook, is sent) and is not closed. */
export function openObjects(document: OpenApiDocument): string[] {
  const open: string[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) visit(child, `${where}/${i}`);
      return;
    }
    const schema = node as Record<string, unknown>;
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (!seen.has(name)) {
        seen.add(name);
        visit(document.components?.schemas?.[name], schema.$ref);
      }
      return;
    }
    if (schema.type === 'object' && schema.additionalProperties !== false) open.push(where);
    for (const [key, child] of Object.entries(schema)) {
      if (key !== 'example' && key !== 'examples') visit(child, `${where}/${key}`);
    }
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          visit(media.schema, `${method.toUpperCase()} ${path} ${status} ${type}`);
        }
      }
    }
  }
  for (const [name, item] of Object.entries(document.webhooks ?? {})) {
    for (const [method, operation] of Object.entries(item) as [string, WebhookOperation][]) {
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        visit(media.schema, `webhook ${name} ${method.toUpperCase()} ${type}`);
      }
    }
  }
  return open;
}

interface WebhookOperation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}
