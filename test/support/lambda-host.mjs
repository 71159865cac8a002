// Hosts one built Lambda bundle as the Node.js runtime does: imports its index.mjs once (module-scope
// code runs once per container), then calls its handler with each event the parent process sends.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const [bundle, functionName] = process.argv.slice(2);
const send = (message) => new Promise((done) => process.send(message, done));

let handler;
try {
  ({ handler } = await import(pathToFileURL(bundle).href));
  await send({ ready: true });
} catch (error) {
  await send({ ready: false, error: String(error?.stack ?? error) });
  process.exit(1);
}

process.on('message', async ({ id, event }) => {
  const started = Date.now();
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/29/[$LATEST]test',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000 - (Date.now() - started),
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    const result = await handler(event, context);
    await send({ id, result: result === undefined ? null : result });
  } catch (error) {
    await send({ id, error: String(error?.stack ?? error) });
  }
});
