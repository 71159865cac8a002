import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../shared/app/file-case';
import type { NoticeMessage } from '../../shared/app/ports';
import { ruleContext } from '../../shared/app/rules';
import type { Actor, CaseRecord } from '../../shared/domain/case';
import { acceptCase, decideTriage, resolveCase, startTriage } from '../../shared/domain/case-rules';
import { previousMonth } from '../../shared/domain/follow-up';
import { type LocalStore, startLocalStore } from '../../shared/embedded/local-store';
import { createApp } from '../../shared/http/app';
import { storeClosedCase, storeSurveyedCase } from '../support/closed-case';
import { FakeAws } from '../support/fake-aws';
import { validFiling } from '../support/fixtures';
import { type HostedFunction, hostFunction } from '../support/lambda';
import { REPO } from '../support/process';
import { type TestServices, testServices } from '../support/services';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

// `npx cdk synth` as an operator (and CI) runs it: offline, bundling every function with the locally
// installed esbuild, cdk-nag on (the other infra tests synthesize in-process without bundling). Then
// every function it bundled (esbuild, ESM, minified) is loaded from its asset directory in a plain
// Node process with the environment the template gives it, and called with the events AWS sends:
// DynamoDB is dynalite, SQS and Step Functions a recording fake endpoint.
const out = mkdtempSync(join(tmpdir(), 'zhuqi-bundles-'));
const MACHINE = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:zhuqi-ci-case-workflow';
const PUBLIC_BASE_URL = 'https://zhuqi.example.gov.cn';
const API_DOMAIN = 'a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn';
const SYSTEM: Actor = { kind: 'system' };
const UNIT: Actor = { kind: 'unit', id: 'power-supply' };
const HOUR = 3_600_000;

let store: LocalStore;
let services: TestServices;
const aws = new FakeAws();
const functions: Record<string, HostedFunction> = {};
let template: {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> } & Record<string, unknown>>;
};

beforeAll(async () => {
  const synth = spawn('npx', ['cdk', 'synth', '--quiet', '-c', 'stage=ci', '-o', out], {
    cwd: REPO,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  synth.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  [store] = await Promise.all([startLocalStore(undefined), aws.start()]);
  services = await testServices(undefined, store);
  const code = await new Promise((done) => synth.once('close', done));
  if (code !== 0) throw new Error(`cdk synth failed:\n${stderr}`);
  template = JSON.parse(readFileSync(join(out, 'Zhuqi-ci-Stateless.template.json'), 'utf8'));
}, 300_000);

afterAll(async () => {
  await Promise.all(Object.values(functions).map((f) => f.close()));
  await aws.close();
  await store?.close();
  rmSync(out, { recursive: true, force: true });
});

/**
 * The bundle of a function (`ApiFunction…` → its asset directory), started once with its template
 * environment (and `extra` variables: another container of it).
 */
async function lambda(
  name: 'Api' | 'Intake' | 'Notifier' | 'WorkflowTask' | 'Sweeper' | 'FollowUp',
  extra: Record<string, string> = {},
) {
  const key = Object.keys(extra).length ? `${name} ${JSON.stringify(extra)}` : name;
  if (functions[key]) return functions[key];
  const [, resource] = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${name}Function`),
  )!;
  const assetPath = (resource.Metadata as Record<string, string>)['aws:asset:path']!;
  const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  const local: Record<string, string> = {
    TABLE_NAME: store.tableName,
    INTAKE_QUEUE_URL: `${aws.url}/123456789012/zhuqi-ci-intake`,
    NOTICE_QUEUE_URL: `${aws.url}/123456789012/zhuqi-ci-notices`,
    STATE_MACHINE_ARN: MACHINE,
    PUBLIC_BASE_URL,
    POWERTOOLS_TRACE_ENABLED: 'false', // the template's value in aws-cn, where Lambda has no X-Ray
  };
  const env = Object.fromEntries(
    Object.entries(variables).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      if (local[key] === undefined) throw new Error(`no local value for ${key}`);
      return [key, local[key]];
    }),
  );
  functions[key] = await hostFunction(join(out, assetPath), `zhuqi-ci-${name}`, {
    ...env,
    AWS_REGION: 'cn-north-1',
    AWS_LAMBDA_FUNCTION_NAME: `zhuqi-ci-${name}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    AWS_ENDPOINT_URL_SQS: aws.url,
    AWS_ENDPOINT_URL_SFN: aws.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  });
  return functions[key];
}

/** Each function's asset directory, by the logical id's prefix (`ApiFunction…` → `Api`). */
function assetDirectories(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => [
        id.replace(/Function[0-9A-F]{8}$/, ''),
        join(out, (r.Metadata as Record<string, string>)['aws:asset:path']!),
      ]),
  );
}

/**
 * The source files bundled into a bundle's files (from their source maps): those a cold start loads
 * (index.mjs and every chunk it imports statically), and those of the chunks loaded on first use.
 */
function bundledSources(dir: string): { loaded: Set<string>; lazy: Set<string> } {
  const sourcesOf = (file: string) => {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    // `../../node_modules/zod/…`, or a module a build plugin wrote (`zod-english-only:/…/node_modules/zod/…`).
    return map.sources.map((source) =>
      source.includes('node_modules/') ? source.slice(source.indexOf('node_modules/')) : source,
    );
  };
  const loadedFiles = new Set<string>();
  const visit = (file: string) => {
    if (loadedFiles.has(file)) return;
    loadedFiles.add(file);
    const code = readFileSync(file, 'utf8');
    // Minified static imports: `import{a as b}from"./chunks/chunk-X.mjs";` (import() calls are lazy).
    for (const [, path] of code.matchAll(/(?:^|[;\n])import\s*(?:[\w${},\s*]+from\s*)?"(\.[^"]+)"/g)) {
      visit(join(dirname(file), path!));
    }
  };
  visit(join(dir, 'index.mjs'));
  const chunks = readdirSync(join(dir, 'chunks'))
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(dir, 'chunks', f));
  const loaded = new Set([...loadedFiles].flatMap(sourcesOf));
  const lazy = new Set(chunks.filter((f) => !loadedFiles.has(f)).flatMap(sourcesOf));
  return { loaded, lazy };
}

/** An API Gateway HTTP API (payload format 2.0) request to the `$default` route. */
function httpApiEvent(
  method: string,
  path: string,
  options: { query?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: {
      host: API_DOMAIN,
      'user-agent': 'curl/8.5.0',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.9',
      ...options.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: API_DOMAIN,
      domainPrefix: 'a1b2c3d4e5',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'curl/8.5.0' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: '29/Nov/2026:03:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
  };
}

let sqsMessageId = 0;
/** An SQS event for a Lambda event source mapping: one record per body. */
function sqsEvent(queue: string, bodies: string[]) {
  return {
    Records: bodies.map((body) => ({
      messageId: `0000-${++sqsMessageId}`,
      receiptHandle: `handle-${sqsMessageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'AROAEXAMPLE',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: 'unused',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws-cn:sqs:cn-north-1:123456789012:${queue}`,
      awsRegion: 'cn-north-1',
    })),
  };
}

/** The event an EventBridge schedule sends its target. */
function scheduledEvent(rule: string) {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'cn-north-1',
    resources: [`arn:aws-cn:events:cn-north-1:123456789012:rule/${rule}`],
    detail: {},
  };
}

/** The messages the functions sent to SQS since `before` (a count of SendMessage calls), parsed. */
function sentSince(before: number): { queue: string; message: NoticeMessage }[] {
  return aws
    .inputsOf('SendMessage')
    .slice(before)
    .map((m) => ({ queue: m.QueueUrl, message: JSON.parse(m.MessageBody) }));
}

/** A case filed `ago` ms before now (the functions run on the real clock), not queued anywhere. */
async function fileAgo(title: string, ago: number): Promise<CaseRecord> {
  services.clock.set(new Date(Date.now() - ago));
  const { record } = await fileCase(services, {
    filing: { ...validFiling(), title },
    defaultChannel: 'api',
    actor: { kind: 'enterprise' },
  });
  return record;
}

const as = (actor: Actor) => ruleContext(services, actor);
const inTriage = async (title: string, ago = 0) => {
  const filed = await fileAgo(title, ago);
  return services.cases.save(startTriage(filed, services.config.categories, as(SYSTEM)));
};
const assigned = async (title: string) =>
  services.cases.save(
    decideTriage(await inTriage(title), { level: 'department', unitId: 'power-supply' }, as(SYSTEM)),
  );
const resolved = async (title: string, ago = 0) => {
  const triaged = await inTriage(title, ago);
  const withUnit = decideTriage(triaged, { level: 'department', unitId: 'power-supply' }, as(SYSTEM));
  return services.cases.save(resolveCase(acceptCase(withUnit, as(UNIT)), '已协调送电', as(UNIT)));
};

describe('npx cdk synth', () => {
  it('synthesizes both stacks offline, every function bundled, with no cdk-nag finding left', () => {
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.template.json')).sort()).toEqual([
      'Zhuqi-ci-Stateful.template.json',
      'Zhuqi-ci-Stateless.template.json',
    ]);
    const functionAssets = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => (r.Metadata as Record<string, string>)['aws:asset:path']!);
    expect(functionAssets).toHaveLength(6);
    for (const asset of functionAssets) {
      expect(readdirSync(join(out, asset)), asset).toEqual(
        expect.arrayContaining(['index.mjs', 'index.mjs.map']),
      );
    }
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8'));
    expect(JSON.stringify(report)).not.toMatch(/"status":\s*"failure"/);
  });

  it("leaves out of what a cold start loads exceljs, the SMS SDK, the X-Ray SDK, the SQS and Step Functions clients, every zod locale but English and (but in the API) zod's classic API; and out of every bundle the credential providers Lambda never uses", () => {
    const assets = assetDirectories();
    expect(Object.keys(assets).sort()).toEqual(
      ['Api', 'FollowUp', 'Intake', 'Notifier', 'Sweeper', 'WorkflowTask'].sort(),
    );
    const packageOf = (source: string) => source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
    for (const [name, dir] of Object.entries(assets)) {
      const { loaded, lazy } = bundledSources(dir);
      const loadedPackages = new Set([...loaded].map(packageOf));
      // SQS and Step Functions are loaded by the first message or workflow call.
      const onFirstUse = [
        'exceljs',
        'tencentcloud-sdk-nodejs-sms',
        'aws-xray-sdk-core',
        '@aws-sdk/client-sqs',
        '@aws-sdk/client-sfn',
      ];
      for (const heavy of onFirstUse) {
        expect(loadedPackages.has(heavy), `${name} loads ${heavy} at start`).toBe(false);
      }
      // The tracer is there for the regions with X-Ray, loaded on first use.
      expect(
        [...lazy].some((s) => s.includes('node_modules/aws-xray-sdk-core/')),
        name,
      ).toBe(true);
      const locales = new Set([...loaded, ...lazy].filter((s) => s.includes('node_modules/zod/v4/locales/')));
      expect([...locales], name).toEqual(['node_modules/zod/v4/locales/en.js']);
      // The AWS SDK is bundled at the locked versions, not taken from the runtime.
      expect(loadedPackages.has('@aws-sdk/client-dynamodb'), name).toBe(true);
      // Credentials come from Lambda's environment: the SDK's other providers, and the STS and SSO
      // clients they use, are not even in the bundle (infra/bundling.ts, lambda-credentials.ts).
      const bundledPackages = new Set([...loaded, ...lazy].map(packageOf));
      expect(
        [...bundledPackages].filter((p) => p?.startsWith('@aws-sdk/credential-provider-')),
        name,
      ).toEqual(['@aws-sdk/credential-provider-env']);
      expect(bundledPackages.has('@aws-sdk/nested-clients'), name).toBe(false);
      // Without an HTTP layer a function reads its configuration with zod/mini, not zod's classic API.
      if (name !== 'Api') {
        expect(
          [...loaded].filter((s) => s.includes('node_modules/zod/v4/classic/')),
          name,
        ).toEqual([]);
      }
    }
    expect([...bundledSources(assets.Api!).lazy].some((s) => s.includes('node_modules/exceljs/'))).toBe(true);
    // The API's pages load on their first render (shared/http/pages/on-first-render.ts): a cold start
    // reads the helpers the routes share with them, none of the pages.
    const api = bundledSources(assets.Api!);
    const pages = (sources: Set<string>) =>
      [...sources].filter((s) => /shared\/http\/pages\/.*-pages?\.tsx$|layout\.tsx$|frame\.tsx$/.test(s));
    expect(pages(api.loaded)).toEqual([]);
    expect(pages(api.lazy)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/pages\/filing-pages\.tsx$/),
        expect.stringMatching(/pages\/office\/boards-page\.tsx$/),
        expect.stringMatching(/pages\/error-page\.tsx$/),
      ]),
    );
    // The API document is written on its first request (shared/http/api-document.ts, with
    // zod-to-openapi's generator), and the office's and units' schemas load with their routes.
    const documentParts = (sources: Set<string>) =>
      [...sources]
        .filter((s) => /shared\/http\/(api-document|case-schemas)\.ts$/.test(s))
        .map((s) => s.slice(s.lastIndexOf('/') + 1))
        .sort();
    expect(documentParts(api.loaded)).toEqual([]);
    expect(documentParts(api.lazy)).toEqual(['api-document.ts', 'case-schemas.ts']);
    // Each audience's routes but the enterprises' load on its first request (shared/http/app.tsx).
    const routes = (sources: Set<string>) =>
      [...sources].filter((s) =>
        /shared\/http\/routes\/(office|unit|cadre|workbench|survey)[\w-]*\.tsx?$|webhooks\.ts$/.test(s),
      );
    expect(routes(api.loaded)).toEqual([]);
    expect(
      routes(api.lazy)
        .map((s) => s.slice(s.lastIndexOf('/') + 1))
        .sort(),
    ).toEqual([
      'cadre-pages.tsx',
      'office-api.ts',
      'office-figures-pages.tsx',
      'office-pages.tsx',
      'office-stats-api.ts',
      'survey.tsx',
      'unit-api.ts',
      'unit-pages.tsx',
      'webhooks.ts',
      'workbench.tsx',
    ]);
    // Filing and tracking (the enterprises' routes) stay in what a cold start loads.
    expect([...api.loaded].filter((s) => /routes\/(public-api\.ts|pages\.tsx)$/.test(s))).toHaveLength(2);
    expect(
      [...bundledSources(assets.Notifier!).lazy].some((s) =>
        s.includes('node_modules/tencentcloud-sdk-nodejs-'),
      ),
    ).toBe(true);
    // A deployment without SMS does not even load the SMS adapters (functions/notifier.ts).
    const notifier = bundledSources(assets.Notifier!);
    const smsAdapters = (sources: Set<string>) =>
      [...sources].filter((s) => /shared\/adapters\/(sms-providers|tencent-sms)\.ts$/.test(s)).length;
    expect([smsAdapters(notifier.loaded), smsAdapters(notifier.lazy)]).toEqual([0, 2]);
  });
});

describe('the API bundle behind an HTTP API (payload 2.0)', () => {
  it('files a case: 201, the item stored, the intake message sent to SQS', async () => {
    const api = await lambda('Api');
    const before = aws.inputsOf('SendMessage').length;

    const response = await api.invoke(
      httpApiEvent('POST', '/api/v1/cases', {
        headers: { 'content-type': 'application/json', 'idempotency-key': 'bundle-1' },
        body: JSON.stringify({ ...validFiling(), title: '打包后的函数受理的问题' }),
      }),
    );

    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ status: 'submitted' });
    expect(body.trackingUrl).toMatch(new RegExp(`^https://${API_DOMAIN.replace(/\./g, '\\.')}/track/`));
    const stored = await services.cases.get(body.id);
    expect(stored).toMatchObject({
      caseNo: body.caseNo,
      status: 'submitted',
      title: '打包后的函数受理的问题',
    });
    expect(aws.inputsOf('SendMessage').slice(before)).toEqual([
      {
        QueueUrl: `${aws.url}/123456789012/zhuqi-ci-intake`,
        MessageBody: JSON.stringify({ caseId: body.id }),
      },
    ]);
  });

  it('answers an invalid filing with a 422 problem document and stores nothing', async () => {
    const api = await lambda('Api');
    const before = (await services.cases.everyByStatus('submitted')).length;

    const response = await api.invoke(
      httpApiEvent('POST', '/api/v1/cases', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...validFiling(),
          enterprise: { ...validFiling().enterprise, creditCode: '91350100M000100Y44' },
        }),
      }),
    );

    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'urn:zhuqi:problem:validation',
      errors: [expect.objectContaining({ field: 'enterprise.creditCode', code: 'credit_code_check' })],
    });
    expect(await services.cases.everyByStatus('submitted')).toHaveLength(before);
  });

  it("words a schema error as the embedded app does, in zod's English", async () => {
    const api = await lambda('Api');
    // A group id off its pattern: the route's schema gives no message of its own, zod's locale words it.
    const path = '/api/v1/office/common-problems/not-a-group/split';
    const request = {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${services.officeKey}` },
      body: JSON.stringify({ caseIds: ['a'] }),
    };

    const response = await api.invoke(httpApiEvent('POST', path, request));
    const embedded = await createApp(services).request(path, { method: 'POST', ...request });

    expect(response.statusCode).toBe(422);
    const { errors } = JSON.parse(response.body) as { errors: { field: string; message: string }[] };
    expect(errors).toEqual(((await embedded.json()) as { errors: unknown }).errors);
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'param.groupId',
        message: expect.stringMatching(/^Invalid string: must match pattern /),
      }),
    ]);
  });

  it('exports the ledger as XLSX (exceljs, loaded on first use) and the weekly report as a workbook', async () => {
    const api = await lambda('Api');
    const filed = await fileAgo('导出到表格的问题', 0);
    const office = { authorization: `Bearer ${services.officeKey}` };
    const workbook = async (response: { statusCode: number; body: string; isBase64Encoded: boolean }) => {
      expect(response.statusCode).toBe(200);
      expect(response.isBase64Encoded).toBe(true);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(response.body, 'base64') as never);
      return book;
    };

    const ledger = await workbook(
      await api.invoke(
        httpApiEvent('GET', '/api/v1/office/export', { query: 'format=xlsx', headers: office }),
      ),
    );
    const weekly = await workbook(
      await api.invoke(
        httpApiEvent('GET', '/api/v1/office/weekly-report', { query: 'format=xlsx', headers: office }),
      ),
    );

    expect(ledger.worksheets.map((w) => w.name)).toEqual(['问题台账', '统计指标', '单位排名', '指标说明']);
    const caseNumbers = ledger.getWorksheet('问题台账')!.getColumn(1).values;
    expect(caseNumbers).toContain(filed.caseNo);
    expect(weekly.worksheets[0]!.name).toBe('概要');
  });

  it('where tracing is on, loads the tracer and sends an X-Ray subsegment for each AWS call', async () => {
    // The X-Ray daemon's side of Lambda's active tracing: segment documents over UDP.
    const daemon = createSocket('udp4');
    await new Promise<void>((done) => daemon.bind(0, '127.0.0.1', done));
    const root = '1-6749f2a0-0123456789abcdef01234567';
    const subsegments: { name: string; trace_id: string; aws?: { operation?: string } }[] = [];
    const both = new Promise<void>((done) =>
      daemon.on('message', (message) => {
        const [header, document] = message.toString('utf8').split('\n');
        expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 });
        subsegments.push(JSON.parse(document!));
        if (['DynamoDB', 'SQS'].every((n) => subsegments.some((s) => s.name === n))) done();
      }),
    );
    try {
      const api = await lambda('Api', {
        POWERTOOLS_TRACE_ENABLED: 'true', // the template's value outside China
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        LAMBDA_TASK_ROOT: '/var/task',
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
        _X_AMZN_TRACE_ID: `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1`,
      });

      const response = await api.invoke(
        httpApiEvent('POST', '/api/v1/cases', {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...validFiling(), title: '追踪打开时受理的问题' }),
        }),
      );
      await both;

      expect(response.statusCode).toBe(201);
      expect(subsegments.find((s) => s.name === 'SQS')).toMatchObject({
        trace_id: root,
        aws: { operation: 'SendMessage' },
      });
      expect(subsegments.find((s) => s.name === 'DynamoDB')).toMatchObject({ trace_id: root });
    } finally {
      daemon.close();
    }
  });

  it('renders the pages from the chunks they load on first use: the filing form, a sign-in page, a 404 page', async () => {
    const api = await lambda('Api');
    const browser = { accept: 'text/html,application/xhtml+xml', 'accept-language': 'zh-CN,zh;q=0.9' };

    const form = await api.invoke(httpApiEvent('GET', '/', { headers: browser }));
    const signIn = await api.invoke(httpApiEvent('GET', '/unit/sign-in', { headers: browser }));
    const missing = await api.invoke(httpApiEvent('GET', '/no-such-page', { headers: browser }));

    expect(form.statusCode).toBe(200);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.body).toMatch(/^<!DOCTYPE html>/i);
    expect(form.body).toContain('<h1>企业诉求登记</h1>');
    expect(form.body).toContain('action="/cases"');
    expect(signIn.statusCode).toBe(200);
    expect(signIn.body).toContain('name="key"');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('页面不存在');
  });

  it('serves the office its queue with the bearer key, and refuses the request without it', async () => {
    const api = await lambda('Api');
    const filed = await fileAgo('办公室队列里的问题', 0);

    const listed = await api.invoke(
      httpApiEvent('GET', '/api/v1/office/cases', {
        query: 'status=submitted',
        headers: { authorization: `Bearer ${services.officeKey}` },
      }),
    );
    const refused = await api.invoke(
      httpApiEvent('GET', '/api/v1/office/cases', { query: 'status=submitted' }),
    );

    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body).items.map((c: { id: string }) => c.id)).toContain(filed.id);
    expect(refused.statusCode).toBe(401);
  });
  it('answers each audience whose routes load on first use as the embedded app does, and serves the same API document', async () => {
    const api = await lambda('Api');
    const office = { authorization: `Bearer ${services.officeKey}` };
    const unit = { authorization: `Bearer ${await services.unitKey('power-supply')}` };
    const browser = { accept: 'text/html,application/xhtml+xml', 'accept-language': 'zh-CN,zh;q=0.9' };
    const requests: [method: string, path: string, headers: Record<string, string>, query?: string][] = [
      ['GET', '/api/v1/unit/cases', unit],
      ['GET', '/api/v1/unit/cases', office], // a key of another role: 403
      ['GET', '/api/v1/unit/cases', {}], // no key: 401 with WWW-Authenticate
      ['GET', '/api/v1/office/stats', office, 'from=2026-11-01&to=2026-11-30'],
      ['GET', '/api/v1/office/no-such-route', office], // 404, a problem document
      ['DELETE', '/api/v1/office/cases', office], // no such method on the route: 404
      ['GET', '/office', browser], // no session: to sign-in
      ['GET', '/cadre/sign-in', browser],
      ['GET', '/unit/no-such-page', browser],
      ['HEAD', '/office/sign-in', browser],
      ['GET', '/survey/no-such-link', browser], // a 404 page
      ['POST', '/survey/no-such-link', { 'content-type': 'text/plain' }], // 415, a problem document
      ['GET', '/openapi.json', {}],
    ];
    const embedded = createApp(services);
    for (const [method, path, headers, query] of requests) {
      const answer = await api.invoke(httpApiEvent(method, path, { headers, ...(query ? { query } : {}) }));
      const local = await embedded.request(`${path}${query ? `?${query}` : ''}`, {
        method,
        headers: { host: API_DOMAIN, 'x-forwarded-proto': 'https', ...headers },
      });
      const where = `${method} ${path} (${Object.keys(headers).join()})`;
      expect(answer.statusCode, where).toBe(local.status);
      for (const name of ['content-type', 'location', 'www-authenticate', 'cache-control', 'x-robots-tag'])
        expect(answer.headers[name], `${where}: ${name}`).toBe(local.headers.get(name) ?? undefined);
      const body = await local.text();
      // Answers that carry no time (the figures name the moment they were computed).
      if (!/\/stats$/.test(path)) expect(answer.body, where).toBe(body);
      else
        expect(Object.keys(JSON.parse(answer.body)).sort(), where).toEqual(
          Object.keys(JSON.parse(body)).sort(),
        );
    }
  });
});

describe('the intake bundle on an SQS batch', () => {
  it('starts one execution per case and reports only the poison message as a batch item failure', async () => {
    const intake = await lambda('Intake');
    const [first, second] = [await fileAgo('批次中的第一个', 0), await fileAgo('批次中的第二个', 0)];
    const event = sqsEvent('zhuqi-ci-intake', [
      JSON.stringify({ caseId: first.id }),
      '{"caseId": ', // a poison message: no JSON
      JSON.stringify({ caseId: second.id }),
    ]);
    const before = aws.inputsOf('StartExecution').length;

    const result = await intake.invoke(event);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });
    // The batch's records run concurrently: the starts come in any order.
    const started = aws.inputsOf('StartExecution').slice(before);
    expect(started).toHaveLength(2);
    expect(started.map((s) => s.name).sort()).toEqual([first.id, second.id].sort());
    for (const start of started) {
      expect(start.stateMachineArn).toBe(MACHINE);
      // The first wait lasts until the first checkpoint of the triage its storing call begins.
      expect(JSON.parse(start.input)).toEqual({
        caseId: start.name,
        status: 'submitted',
        waitSeconds: expect.any(Number),
      });
      expect(JSON.parse(start.input).waitSeconds).toBeGreaterThan(3600);
    }
  });
});

describe('the notifier bundle on an SQS batch', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());

  it('delivers to the unit webhook once, keeps the office notice, and reports only the poison message', async () => {
    // Prepare: the unit's webhook at a local receiver.
    const notifier = await lambda('Notifier');
    const unit = (await services.access.getUnit('power-supply'))!;
    await services.access.updateUnit({
      ...unit,
      webhookUrl: receiver.url,
      webhookSecret: 'whsec-bundle-test',
    });
    const notice = (id: string, recipient: NoticeMessage['recipient']): NoticeMessage => ({
      id,
      kind: 'assignment',
      caseId: 'abcdefghijklmnopqrst',
      caseNo: 'YL-2026-000001',
      recipient,
      issuedAt: new Date().toISOString(),
      subject: '交办单',
      body: '请于1个工作日内受理。',
    });
    const toUnit = notice('notice-bundle-unit', { kind: 'unit', unitId: 'power-supply' });
    const toOffice = notice('notice-bundle-office', { kind: 'office' });
    const event = sqsEvent('zhuqi-ci-notices', [
      JSON.stringify(toUnit),
      'not json',
      JSON.stringify(toOffice),
    ]);

    // Act: the batch, then the unit's notice delivered again (SQS delivers at least once).
    const result = await notifier.invoke(event);
    const again = await notifier.invoke(sqsEvent('zhuqi-ci-notices', [JSON.stringify(toUnit)]));

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body)).toEqual(toUnit);
    const [t, v1] = String(receiver.received[0]!.headers['zhuqi-signature']).split(',');
    const timestamp = t!.slice(2);
    expect(v1).toBe(
      `v1=${createHmac('sha256', 'whsec-bundle-test').update(`${timestamp}.${receiver.received[0]!.body}`).digest('hex')}`,
    );
    expect((await services.outbox.get(toUnit.id))?.status).toBe('delivered');
    expect((await services.outbox.get(toOffice.id))?.status).toBe('kept');
  });
});

describe('the notifier bundle in a deployment with SMS', () => {
  const sms = {
    provider: 'tencent',
    sdkAppId: '1400000000',
    signName: '助企平台',
    templates: { survey: { id: 'T100', text: '您的问题{caseNo}已办结，请于{deadline}前评价：{link}' } },
  };

  it('loads its SMS adapters at its start (a chunk of their own): no start without credentials', async () => {
    const configured = { ZHUQI_CONFIG: JSON.stringify({ sms }) };

    await expect(lambda('Notifier', configured)).rejects.toThrow(/sms is configured but has no credentials/);
    const notifier = await lambda('Notifier', {
      ...configured,
      TENCENTCLOUD_SECRET_ID: 'AKIDbundle',
      TENCENTCLOUD_SECRET_KEY: 'bundle-secret',
    });

    const toOffice: NoticeMessage = {
      id: 'notice-bundle-sms-office',
      kind: 'overdue',
      caseId: 'abcdefghijklmnopqrst',
      caseNo: 'YL-2026-000002',
      recipient: { kind: 'office' },
      issuedAt: new Date().toISOString(),
      subject: '督办单',
      body: '研判已超期。',
    };
    const event = sqsEvent('zhuqi-ci-notices', [JSON.stringify(toOffice), 'not json']);
    expect(await notifier.invoke(event)).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }],
    });
    expect((await services.outbox.get(toOffice.id))?.status).toBe('kept');
  });
});

describe('the workflow-task bundle with each task payload', () => {
  it('beginTriage takes a filed case into triage and says how long to wait', async () => {
    const task = await lambda('WorkflowTask');
    const filed = await fileAgo('开始研判', 0);

    const state = await task.invoke({ task: 'beginTriage', caseId: filed.id });

    expect(state).toEqual({
      caseId: filed.id,
      status: 'triage',
      waitSeconds: expect.any(Number),
      wakeAt: expect.any(String),
    });
    expect(state.waitSeconds).toBeGreaterThan(0);
    // The whole seconds Step Functions waits are the instant of the next checkpoint, rounded up.
    expect(Date.parse(state.wakeAt)).toBeGreaterThan(Date.parse(filed.createdAt));
    const stored = (await services.cases.get(filed.id))!;
    expect(stored.status).toBe('triage');
    expect(stored.clocks.map((c) => c.id)).toEqual(['triage']);
  });

  it('awaitAnswer stores the callback token, and wakes the execution at once when the case moved on', async () => {
    const task = await lambda('WorkflowTask');
    const triaged = await inTriage('等待研判');
    const payload = (state: string, token: string) => ({
      task: 'awaitAnswer',
      state,
      caseId: triaged.id,
      waitSeconds: 3600,
      token,
    });
    const before = aws.inputsOf('SendTaskSuccess').length;

    // Waiting for triage while in triage: stored, nobody woken.
    expect(await task.invoke(payload('AwaitTriage', 'token-await-1'))).toBeNull();
    expect((await services.cases.get(triaged.id))?.wait).toMatchObject({
      token: 'token-await-1',
      state: 'AwaitTriage',
    });
    expect(aws.inputsOf('SendTaskSuccess').slice(before)).toEqual([]);

    // Waiting for the unit while the case is still in triage: woken at once with the status and
    // the length of the wait the case is in.
    expect(await task.invoke(payload('AwaitUnit', 'token-await-2'))).toBeNull();
    const woken = aws.inputsOf('SendTaskSuccess').slice(before);
    expect(woken.map((w) => w.taskToken)).toEqual(['token-await-2']);
    expect(JSON.parse(woken[0].output)).toEqual({
      caseId: triaged.id,
      status: 'triage',
      waitSeconds: expect.any(Number),
      wakeAt: expect.any(String),
    });
  });

  it('supervise sends the office its triage notices once the triage deadline has passed', async () => {
    const task = await lambda('WorkflowTask');
    const late = await inTriage('研判超期', 10 * 24 * HOUR);
    const before = aws.inputsOf('SendMessage').length;

    const state = await task.invoke({ task: 'supervise', caseId: late.id });

    expect(state).toMatchObject({ caseId: late.id, status: 'triage' });
    const sent = sentSince(before);
    expect(sent.map((s) => s.queue)).toEqual(sent.map(() => `${aws.url}/123456789012/zhuqi-ci-notices`));
    expect(sent.map((s) => [s.message.kind, s.message.recipient])).toEqual(
      expect.arrayContaining([['overdue', { kind: 'office' }]]),
    );
    expect((await services.cases.get(late.id))?.flags.overdue).toBe(true);
  });

  it('awaitAnswer for the unit queues the assignment notice (交办单) and stores the token', async () => {
    const task = await lambda('WorkflowTask');
    const record = await assigned('交办通知');
    const before = aws.inputsOf('SendMessage').length;
    const payload = { task: 'awaitAnswer', state: 'AwaitUnit', caseId: record.id, waitSeconds: 3600 };

    expect(await task.invoke({ ...payload, token: 'token-unit-1' })).toBeNull();
    expect(await task.invoke({ ...payload, token: 'token-unit-2' })).toBeNull(); // a retry

    expect(sentSince(before).map((s) => s.message)).toEqual([
      expect.objectContaining({ kind: 'assignment', recipient: { kind: 'unit', unitId: 'power-supply' } }),
    ]);
    expect((await services.cases.get(record.id))?.wait).toMatchObject({
      token: 'token-unit-2',
      state: 'AwaitUnit',
    });
  });

  it('awaitAnswer for the survey queues a one-time survey link under the public base URL', async () => {
    const task = await lambda('WorkflowTask');
    const record = await resolved('回访邀请');
    const before = aws.inputsOf('SendMessage').length;
    const payload = { task: 'awaitAnswer', state: 'AwaitSurvey', caseId: record.id, waitSeconds: 3600 };

    expect(await task.invoke({ ...payload, token: 'token-survey-1' })).toBeNull();

    const stored = (await services.cases.get(record.id))!;
    expect(stored.wait).toMatchObject({ token: 'token-survey-1', state: 'AwaitSurvey' });
    const survey = sentSince(before).find((s) => s.message.kind === 'survey')?.message;
    expect(survey?.link).toBe(`${PUBLIC_BASE_URL}/survey/${stored.survey!.token}`);
    expect(await services.cases.findBySurveyToken(stored.survey!.token)).toMatchObject({ id: record.id });
  });

  it('still serves the tasks of the previous definition to the executions started under it', async () => {
    const task = await lambda('WorkflowTask');
    const toNotify = await assigned('旧版本交办通知');
    const toSurvey = await resolved('旧版本回访邀请');
    const before = aws.inputsOf('SendMessage').length;

    const notified = await task.invoke({ task: 'notifyAssignment', caseId: toNotify.id });
    const invited = await task.invoke({ task: 'inviteSurvey', caseId: toSurvey.id });

    expect(notified).toMatchObject({
      caseId: toNotify.id,
      status: 'assigned',
      waitSeconds: expect.any(Number),
    });
    expect(invited).toMatchObject({
      caseId: toSurvey.id,
      status: 'resolved',
      waitSeconds: expect.any(Number),
    });
    expect(
      sentSince(before)
        .map((s) => s.message.kind)
        .sort(),
    ).toEqual(['assignment', 'survey']);
  });

  it('closeNotRated closes a case whose survey window passed unanswered as not rated', async () => {
    const task = await lambda('WorkflowTask');
    const record = await storeSurveyedCase(
      services,
      new Date(Date.now() - 40 * 24 * HOUR).toISOString(),
      '回访无人作答',
    );

    const state = await task.invoke({ task: 'closeNotRated', caseId: record.id });

    expect(state).toMatchObject({ caseId: record.id, status: 'closed' });
    const stored = (await services.cases.get(record.id))!;
    expect(stored.rating).toBe('not_rated');
  });
});

describe('the scheduled bundles on an EventBridge scheduled event', () => {
  it('the sweeper queues a case never started and restarts a case whose execution failed', async () => {
    // Prepare: a case filed ten minutes ago that never left `submitted`; a case in triage whose execution failed.
    const sweeper = await lambda('Sweeper');
    const lost = await fileAgo('入队失败的问题', 10 * 60_000);
    const failed = await inTriage('执行失败的问题');
    aws.executionStatus.set(failed.id, 'FAILED');
    const before = {
      sent: aws.inputsOf('SendMessage').length,
      started: aws.inputsOf('StartExecution').length,
    };

    // Act
    const result = await sweeper.invoke(scheduledEvent('zhuqi-ci-intake-sweeper'));

    // Assess
    expect(result.swept).toBeGreaterThanOrEqual(1);
    expect(aws.inputsOf('SendMessage').slice(before.sent)).toContainEqual({
      QueueUrl: `${aws.url}/123456789012/zhuqi-ci-intake`,
      MessageBody: JSON.stringify({ caseId: lost.id }),
    });
    expect(result.restarted).toEqual([{ caseId: failed.id, round: 2, after: 'failed' }]);
    const starts = aws.inputsOf('StartExecution').slice(before.started);
    expect(starts.map((s) => s.name)).toEqual([`${failed.id}-2`]);
    expect(starts[0].stateMachineArn).toBe(MACHINE);
    // The new round starts at the wait the case is in, armed until its next checkpoint.
    expect(JSON.parse(starts[0].input)).toEqual({
      caseId: failed.id,
      status: 'triage',
      waitSeconds: expect.any(Number),
    });
    expect((await services.cases.get(failed.id))?.workflowRound).toBe(2);
    // The metrics the alarm reads, as CloudWatch embedded metric format under Zhuqi / service=zhuqi.
    const emf = sweeper
      .stdout()
      .split('\n')
      .filter((line) => line.includes('"WorkflowRestarted"'))
      .map((line) => JSON.parse(line));
    expect(emf.at(-1)).toMatchObject({ service: 'zhuqi', WorkflowRestarted: 1, WorkflowRestartedAgain: 0 });
    expect(emf.at(-1)._aws.CloudWatchMetrics[0].Namespace).toBe('Zhuqi');
  });

  it('the follow-up sampling (回头看) samples the cases closed in the month before', async () => {
    const followUp = await lambda('FollowUp');
    const month = previousMonth(new Date());
    const closed = await storeClosedCase(services, `${month}-15T04:00:00Z`, '上月办结的问题');

    const result = await followUp.invoke(scheduledEvent('zhuqi-ci-follow-up-sample'));

    expect(result).toEqual({ month, caseIds: [closed.id] });
    expect((await services.cases.get(closed.id))?.followUp).toMatchObject({ month });
  });
});
