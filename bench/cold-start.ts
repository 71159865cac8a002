// Lambda cold start (issue target 4): every function bundled by infra/bundling.ts, as the CDK stack
// bundles it, with the size of what a cold start loads (index.mjs and the chunks it imports) and of the
// chunks loaded on first use; then fresh Node processes importing the API bundle and answering one
// API Gateway v2 event, beside a bare Hono Lambda bundle built the same way, timed in turn in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { bundleFiles, bundleFunction } from '../infra/bundling';
import { type Figure, fmt, pick } from './support';

const FUNCTIONS = ['api', 'intake', 'notifier', 'workflow-task', 'sweeper', 'follow-up'];

const BARE = `import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
export const handler = handle(new Hono().get('/healthz', (c) => c.json({ status: 'ok' })));
`;

const TIMER = `const c0 = process.cpuUsage();
const t0 = performance.now();
const { handler } = await import(process.argv[2]);
const event = {
  version: '2.0', routeKey: '$default', rawPath: '/healthz', rawQueryString: '', headers: { host: 'api.example' },
  requestContext: { accountId: '1', apiId: 'a', domainName: 'api.example', domainPrefix: 'api', requestId: 'r',
    routeKey: '$default', stage: '$default', time: '', timeEpoch: 0,
    http: { method: 'GET', path: '/healthz', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } },
  isBase64Encoded: false,
};
const response = await handler(event, { functionName: 'api', awsRequestId: 'r', getRemainingTimeInMillis: () => 3000 });
if (response.statusCode !== 200) throw new Error('answered ' + response.statusCode);
const cpu = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 }));
`;

/** The environment the stack gives the functions (values that need no AWS to start), in aws-cn. */
const ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TABLE_NAME: 'zhuqi-bench',
  INTAKE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/1/intake',
  NOTICE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/1/notices',
  STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:1:stateMachine:zhuqi',
  // Lambda has no X-Ray in the China regions: the stack switches the tracer off there.
  POWERTOOLS_TRACE_ENABLED: 'false',
  NODE_OPTIONS: '--enable-source-maps', // as the stack sets it: Node reads the bundle's source map
};
/** The same in a region with X-Ray: the tracer is loaded, and on (it is only on inside Lambda). */
const TRACED_ENV: Record<string, string> = {
  ...ENV,
  POWERTOOLS_TRACE_ENABLED: 'true',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: 'zhuqi-bench-api',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
};

const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;

/** What a cold start of the bundle loads, and what its chunks loaded on first use weigh. */
function sizesOf(metafile: Metafile) {
  const { loaded, lazy } = bundleFiles(metafile);
  const bytes = (files: string[]) => files.reduce((sum, file) => sum + metafile.outputs[file]!.bytes, 0);
  return { loaded: bytes(loaded), lazy: bytes(lazy) };
}

export async function coldStartFigures(): Promise<Figure[]> {
  const runs = pick(11, 21);
  const dir = mkdtempSync(join(tmpdir(), 'zhuqi-cold-'));
  try {
    const sizes: Record<string, { loaded: number; lazy: number }> = {};
    for (const name of FUNCTIONS) {
      sizes[name] = sizesOf(await bundleFunction(resolve('functions', `${name}.ts`), join(dir, name)));
    }
    writeFileSync(join(dir, 'bare.ts'), BARE);
    const bare = sizesOf(
      await bundleFunction(join(dir, 'bare.ts'), join(dir, 'bare'), { nodePaths: [resolve('node_modules')] }),
    );
    // Not deployed, measured for the decision: the API with the AWS SDK left to the Lambda runtime
    // (externalModules), the SDK then imported from node_modules as the runtime imports its own.
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
    const runtimeSdk = sizesOf(
      await bundleFunction(resolve('functions', 'api.ts'), join(dir, 'api-runtime-sdk'), {
        external: ['@aws-sdk/*', '@smithy/*'],
      }),
    );
    writeFileSync(join(dir, 'timer.mjs'), TIMER);
    type Sample = { wall: number; cpu: number };
    const samples: Record<'bare' | 'api' | 'traced' | 'runtimeSdk', Sample[]> = {
      bare: [],
      api: [],
      traced: [],
      runtimeSdk: [],
    };
    const time = (bundle: string, env: Record<string, string>): Sample => {
      const out = execFileSync(process.execPath, [join(dir, 'timer.mjs'), join(dir, bundle, 'index.mjs')], {
        env,
      });
      return JSON.parse(out.toString());
    };
    // In turn, so that a change in the machine's load weighs on all of them alike.
    for (let i = 0; i < runs; i++) {
      samples.bare.push(time('bare', ENV));
      samples.api.push(time('api', ENV));
      samples.traced.push(time('api', TRACED_ENV));
      samples.runtimeSdk.push(time('api-runtime-sdk', ENV));
    }
    const median = (of: Sample[], key: keyof Sample) =>
      of.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(of.length / 2)]!;
    const [bareMs, apiMs, tracedMs, runtimeSdkMs] = [
      median(samples.bare, 'wall'),
      median(samples.api, 'wall'),
      median(samples.traced, 'wall'),
      median(samples.runtimeSdk, 'wall'),
    ];
    // The process's CPU time (all its threads) swings less than the wall clock on a busy machine.
    const [bareCpu, apiCpu] = [median(samples.bare, 'cpu'), median(samples.api, 'cpu')];
    const section = `cold start, median of ${runs} fresh processes`;
    const lazy = (name: string) => (sizes[name]!.lazy ? ` (+${kb(sizes[name]!.lazy)} lazy)` : '');
    return [
      {
        section,
        figure: `API bundle loaded at a cold start${lazy('api')}`,
        value: kb(sizes.api!.loaded),
        baseline: `bare Hono ${kb(bare.loaded)}`,
        goal: '≤ 500 KB',
        met: sizes.api!.loaded <= 500 * 1024,
      },
      ...FUNCTIONS.filter((n) => n !== 'api').map((name) => ({
        section,
        figure: `${name} bundle loaded at a cold start${lazy(name)}`,
        value: kb(sizes[name]!.loaded),
        goal: '≤ 300 KB',
        met: sizes[name]!.loaded <= 300 * 1024,
      })),
      {
        section,
        figure: 'import the API bundle + answer one API Gateway v2 event',
        value: `${fmt(apiMs)} ms`,
        baseline: `bare Hono ${fmt(bareMs)} ms (${fmt(apiMs / bareMs, 1)}×)`,
        goal: '≤ 5× baseline',
        met: apiMs <= 5 * bareMs,
      },
      {
        section,
        figure: 'the same, CPU time of the process',
        value: `${fmt(apiCpu)} ms`,
        baseline: `bare Hono ${fmt(bareCpu)} ms (${fmt(apiCpu / bareCpu, 1)}×)`,
      },
      {
        section,
        figure: 'the same with X-Ray tracing on (regions outside China)',
        value: `${fmt(tracedMs)} ms`,
        baseline: `bare Hono ${fmt(bareMs)} ms (${fmt(tracedMs / bareMs, 1)}×)`,
        goal: '≤ 5× baseline',
        met: tracedMs <= 5 * bareMs,
      },
      {
        section,
        figure: `not deployed: the runtime's AWS SDK (bundle ${kb(runtimeSdk.loaded)})`,
        value: `${fmt(runtimeSdkMs)} ms`,
        baseline: `bare Hono ${fmt(bareMs)} ms (${fmt(runtimeSdkMs / bareMs, 1)}×)`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
