// `npm start`: the whole platform on this machine, no AWS account needed.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

// The SDK's notice about Node versions it will drop in 2027 concerns deployments, not the embedded runtime.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { ConfigurationError, loadConfig } = await import('../config/config');
const { PortInUseError, startRuntime } = await import('./runtime');
const { DataDirInUseError } = await import('./local-store');

const USAGE = `usage: npm start -- [--port N] [--data-dir DIR] [--host ADDRESS]

  --port      port to listen on (or PORT; default 3000)
  --data-dir  where cases are stored (or ZHUQI_DATA_DIR; default ./.data)
  --host      address to listen on (or HOST; default 127.0.0.1, use 0.0.0.0 to serve the network)

  ZHUQI_BOOTSTRAP_OFFICE_KEY  the office key of a new data directory (otherwise one is generated and printed once)
  ZHUQI_CONFIG_FILE           a JSON file overriding the default configuration (townships, categories, deadlines…)
  ZHUQI_DAY_SECONDS           make one day of every deadline last this many seconds (demos and tests)
  ZHUQI_TRACE_WORKFLOW=1      print every step of every workflow execution`;

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const portText = values.port ?? process.env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`--port must be a number from 0 to 65535, not "${portText}"`);
  }
  const dataDir = resolve(values['data-dir'] ?? process.env.ZHUQI_DATA_DIR ?? '.data');
  const daySecondsText = process.env.ZHUQI_DAY_SECONDS;
  const daySeconds = daySecondsText ? Number(daySecondsText) : undefined;
  if (daySeconds !== undefined && !(daySeconds > 0)) {
    throw new ConfigurationError(
      `ZHUQI_DAY_SECONDS must be a positive number of seconds, not "${daySecondsText}"`,
    );
  }
  const runtime = await startRuntime({
    config: loadConfig(),
    port,
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    dataDir,
    bootstrapOfficeKey: process.env.ZHUQI_BOOTSTRAP_OFFICE_KEY || undefined,
    ...(daySeconds ? { daySeconds } : {}),
    ...(process.env.ZHUQI_TRACE_WORKFLOW
      ? {
          workflowObserver: (event) =>
            console.error(`workflow ${event.caseId} ${event.type} ${event.state ?? ''}`),
        }
      : {}),
  });

  console.log(`Zhuqi is running.

  Filing form   ${runtime.url}/
  API docs      ${runtime.url}/docs
  Data          ${dataDir}${
    daySeconds
      ? `
  Time scale    one day of every deadline lasts ${daySeconds} s`
      : ''
  }
`);
  if (runtime.createdOfficeKey && !process.env.ZHUQI_BOOTSTRAP_OFFICE_KEY) {
    console.log(`Office API key (shown once — keep it; it is stored only as a hash):

  ${runtime.createdOfficeKey}
`);
  }

  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping…`);
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  if (
    error instanceof PortInUseError ||
    error instanceof ConfigurationError ||
    error instanceof DataDirInUseError
  ) {
    console.error(`zhuqi: ${error.message}`);
  } else {
    console.error('zhuqi: failed to start:', error);
  }
  process.exit(1);
});
