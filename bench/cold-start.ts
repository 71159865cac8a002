// Lambda cold start (issue target 4): every function bundled as the CDK stack bundles it, its
// size, and a fresh Node process importing the API bundle and answering one API Gateway v2
// event, beside a bare Hono Lambda bundle built the same way and timed in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { type Figure, fmt, pick } from './support';

const FUNCTIONS = ['api', 'intake', 'notifier', 'workflow-task', 'sweeper', 'follow-up'];

/** The bundling options of infra/stateless-stack.ts (NodejsFunction), for esbuild's API. */
const BUNDLING: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'error',
};

const BARE = `import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
export const handler = handle(new Hono().get('/healthz', (c) => c.json({ status: 'ok' })));
`;

const TIMER = `const t0 = performance.now();
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
process.stdout.write(String(performance.now() - t0));
`;

/** The environment the stack gives the functions (values that need no AWS to start). */
const ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TABLE_NAME: 'zhuqi-bench',
  INTAKE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/1/intake',
  NOTICE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/1/notices',
  STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:1:stateMachine:zhuqi',
};

export async function coldStartFigures(): Promise<Figure[]> {
  const runs = pick(5, 15);
  const dir = mkdtempSync(join(tmpdir(), 'zhuqi-cold-'));
  try {
    const sizes: Record<string, number> = {};
    for (const name of FUNCTIONS) {
      const outfile = join(dir, `${name}.mjs`);
      await build({ ...BUNDLING, entryPoints: [resolve('functions', `${name}.ts`)], outfile });
      sizes[name] = statSync(outfile).size;
    }
    writeFileSync(join(dir, 'bare.ts'), BARE);
    await build({
      ...BUNDLING,
      entryPoints: [join(dir, 'bare.ts')],
      outfile: join(dir, 'bare.mjs'),
      nodePaths: [resolve('node_modules')],
    });
    writeFileSync(join(dir, 'timer.mjs'), TIMER);
    const time = (bundle: string) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const out = execFileSync(process.execPath, [join(dir, 'timer.mjs'), join(dir, bundle)], { env: ENV });
        samples.push(Number(out.toString()));
      }
      return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
    };
    // Interleave nothing else: both are timed back to back on the same machine state.
    const bare = time('bare.mjs');
    const api = time('api.mjs');
    const section = `cold start, median of ${runs} fresh processes`;
    const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;
    return [
      {
        section,
        figure: 'API bundle size',
        value: kb(sizes.api!),
        baseline: `bare Hono ${kb(statSync(join(dir, 'bare.mjs')).size)}`,
        goal: '≤ 500 KB',
        met: sizes.api! <= 500 * 1024,
      },
      ...FUNCTIONS.filter((n) => n !== 'api').map((name) => ({
        section,
        figure: `${name} bundle size`,
        value: kb(sizes[name]!),
        goal: '≤ 300 KB',
        met: sizes[name]! <= 300 * 1024,
      })),
      {
        section,
        figure: 'import the API bundle + answer one API Gateway v2 event',
        value: `${fmt(api)} ms`,
        baseline: `bare Hono ${fmt(bare)} ms`,
        goal: '≤ 5× baseline',
        met: api <= 5 * bare,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
