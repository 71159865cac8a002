// `npm start`: the whole platform on this machine, no AWS account needed.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

// The SDK's notice about Node versions it will drop in 2027 concerns deployments, not the embedded runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { DataDirError, prepareDataDir } = await import('./data-dir');

/** A start refused as asked: the command or its environment must change (exit code 2). */
class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `usage: npm start -- [--port N] [--data-dir DIR] [--host ADDRESS]

  --port      port to listen on (or PORT; default 3000)
  --data-dir  where cases are stored (or ZHUQI_DATA_DIR; default ./.data)
  --host      address to listen on (or HOST; default 127.0.0.1, use 0.0.0.0 to serve the network)

  ZHUQI_BOOTSTRAP_OFFICE_KEY  the office key of a new data directory (otherwise one is generated and printed once)
  ZHUQI_CONFIG_FILE           a JSON file overriding the default configuration (townships, categories, deadlines…)
  ZHUQI_DAY_SECONDS           make one day of every deadline last this many seconds (demos and tests)
  ZHUQI_TRACE_WORKFLOW=1      print every step of every workflow execution
  TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY
                              the SMS channel's credentials, when the configuration has an sms section`;

/** The options, or a UsageError that names the one that is wrong (node's own messages are long). */
function parseOptions() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${option} needs a value`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`);
    throw error;
  }
}

/** What a failed start left on disk is removed before the process ends. */
let undoDataDir: (() => void) | undefined;

async function main() {
  const values = parseOptions();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const portText = values.port ?? process.env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}"`);
  }
  const dataDirOption = values['data-dir'] ?? process.env.ZHUQI_DATA_DIR ?? '.data';
  if (!dataDirOption) throw new UsageError('--data-dir needs a value');
  const dataDir = resolve(dataDirOption);
  const daySecondsText = process.env.ZHUQI_DAY_SECONDS;
  const daySeconds = daySecondsText ? Number(daySecondsText) : undefined;
  if (daySeconds !== undefined && !(daySeconds > 0)) {
    throw new UsageError(`ZHUQI_DAY_SECONDS must be a positive number of seconds, not "${daySecondsText}"`);
  }
  // The runtime's modules load only now, so that a wrong option is answered at once.
  const { loadConfig } = await import('../config/config');
  const { startRuntime } = await import('./runtime');
  const { smsProviderFromEnvironment } = await import('../adapters/sms-providers');
  const { followTestClock, testClockFromEnvironment } = await import('./test-clock');
  const testClock = testClockFromEnvironment(process.env); // tests only: the time comes from the test
  const config = loadConfig();
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  undoDataDir = prepareDataDir(dataDir).undo;
  const runtime = await startRuntime({
    config,
    ...(config.sms ? { smsProvider: smsProviderFromEnvironment(config.sms) } : {}),
    port,
    host,
    dataDir,
    bootstrapOfficeKey: process.env.ZHUQI_BOOTSTRAP_OFFICE_KEY || undefined,
    ...(daySeconds ? { daySeconds } : {}),
    ...(testClock ? { clock: testClock, scheduler: testClock } : {}),
    ...(process.env.ZHUQI_TRACE_WORKFLOW
      ? {
          workflowObserver: (event) =>
            console.error(`workflow ${event.caseId} ${event.type} ${event.state ?? ''}`),
        }
      : {}),
  });

  if (testClock) followTestClock(testClock, runtime, process.stdin, (line) => console.log(line));
  undoDataDir = undefined; // started: the data directory is in use from now on
  const key = process.env.ZHUQI_BOOTSTRAP_OFFICE_KEY ? undefined : runtime.createdOfficeKey;
  const lines = [
    'Zhuqi is running.',
    '',
    `  Filing form   ${runtime.url}/`,
    `  Follow a case ${runtime.url}/track`,
    `  API docs      ${runtime.url}/docs`,
    `  Data          ${dataDir}`,
    ...(daySeconds ? [`  Time scale    one day of every deadline lasts ${daySeconds} s`] : []),
    '',
    ...(key
      ? ['Office API key (shown once — keep it; it is stored only as a hash):', '', `  ${key}`, '']
      : []),
    key
      ? 'The office works through the API with this key as a bearer token, for example:'
      : 'The office works through the API with its key (printed on the first start of this data directory, or ZHUQI_BOOTSTRAP_OFFICE_KEY) as a bearer token, for example:',
    `  curl -H "Authorization: Bearer <office key>" ${runtime.url}/api/v1/office/cases`,
    '',
    'Stop with Ctrl-C. Start again with the same command: every case continues where it was.',
    '',
  ];
  console.log(lines.join('\n'));

  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping…`);
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  try {
    undoDataDir?.();
  } catch {
    // Nothing more to do about it: the message below says why the start failed.
  }
  const refused = refusal(error);
  if (refused) {
    // One line, what is wrong and where to look; exit code 2 as for any command used wrongly.
    console.error(`zhuqi: ${refused.replace(/\s*\n\s*/g, ' ')} (npm start -- --help lists the options)`);
    process.exit(2);
  }
  console.error('zhuqi: failed to start:', error);
  process.exit(1);
});

/**
 * Errors that refuse a start for what it was asked: options, environment, configuration, port,
 * data directory. Known by name, since the modules that raise them load only after the options are read.
 */
const REFUSALS = new Set(['UsageError', 'ConfigurationError', 'PortInUseError', 'DataDirInUseError']);

/** The message of a start refused for what it was asked, or undefined for anything else. */
function refusal(error: unknown): string | undefined {
  if (error instanceof DataDirError) return `cannot use the data directory: ${error.message}`;
  if (error instanceof Error && REFUSALS.has(error.name)) return error.message;
  const { code, syscall, address, hostname, port } = error as NodeJS.ErrnoException & {
    address?: string;
    hostname?: string;
    port?: number;
  };
  if (syscall === 'listen' || syscall === 'getaddrinfo') {
    return `cannot listen on ${address ?? hostname ?? 'that address'}${port === undefined ? '' : `:${port}`} (${code}): check --host and --port`;
  }
  return undefined;
}
