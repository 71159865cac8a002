// A child process for test/integration/atomic-writes.test.ts: opens the embedded store on a data
// directory, then makes a few item writes that move secondary-index entries, and kills itself
// with SIGKILL right after its N-th write to LevelDB has completed (N from the command line).
import { createRequire } from 'node:module';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStore } from '../../shared/embedded/local-store';

const [dataDir, killAfter] = process.argv.slice(2);
const levelOfDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level') as {
  Level: { prototype: Record<string, (...args: unknown[]) => Promise<unknown>> };
};
let armed = false;
let writes = 0;
for (const method of ['put', 'del', 'batch']) {
  const original = levelOfDynalite.Level.prototype[method]!;
  levelOfDynalite.Level.prototype[method] = async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    if (armed && ++writes === Number(killAfter)) process.kill(process.pid, 'SIGKILL');
    return result;
  };
}

const store = await startLocalStore(dataDir);
const TableName = store.tableName;
armed = true;
const item = (id: string, at: string) => ({ pk: `T#${id}`, sk: 'T', gsi1pk: 'TEST', gsi1sk: `${at}#${id}` });
await store.db.send(new PutCommand({ TableName, Item: item('a', '1') }));
await store.db.send(
  new UpdateCommand({
    TableName,
    Key: { pk: 'T#a', sk: 'T' },
    UpdateExpression: 'SET gsi1sk = :sk',
    ExpressionAttributeValues: { ':sk': '2#a' },
  }),
);
await store.db.send(new PutCommand({ TableName, Item: item('b', '3') }));
await store.db.send(new DeleteCommand({ TableName, Key: { pk: 'T#a', sk: 'T' } }));
console.log(`done after ${writes} writes`);
await store.close();
