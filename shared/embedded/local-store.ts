import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  ListTablesCommand,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { reindexedItem } from '../store/case-repository';
import { createTableInput, DOCUMENT_MARSHALLING } from '../store/dynamo';
import { INDEX_KEYS_VERSION } from '../store/keys';
import { makeDynaliteWritesAtomic } from './atomic-writes';
import { STORE_ENDPOINT_FILE } from './data-dir';
import { inProcessDocumentClient, startDynalite } from './in-process-store';

/**
 * The table of the current key design. dynalite cannot add an index to a table, so a design with
 * another index (or other index keys derived from a case) is another table: on start, the tables
 * of earlier designs are copied into it.
 */
export const LOCAL_TABLE_NAME = `zhuqi-${createHash('sha256')
  .update(JSON.stringify(createTableInput('zhuqi')))
  .update(`index keys ${INDEX_KEYS_VERSION}`)
  .digest('hex')
  .slice(0, 8)}`;

export interface LocalStore {
  db: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  /** Compacts LevelDB's files now rather than in the background (after a bulk load; nothing in memory). */
  compact(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts dynalite — the DynamoDB API on LevelDB — on a loopback port, with its data under
 * `dataDir` (or in memory when `dataDir` is undefined), and creates the table on first use.
 * The repositories talk to it with the same AWS SDK calls they make on AWS.
 */
export async function startLocalStore(dataDir: string | undefined): Promise<LocalStore> {
  const path = dataDir ? join(dataDir, 'dynamodb') : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  makeDynaliteWritesAtomic();
  const { server, store } = startDynalite({
    ...(path ? { path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // The port serves tools that want a DynamoDB endpoint (`endpoint`); the runtime's own client
  // calls dynalite's store in process: no HTTP, no signing, no serialisation.
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = inProcessDocumentClient(store, DOCUMENT_MARSHALLING.marshallOptions);
  await openTable(db);
  // Where the running store answers, for `npm run backup` while the runtime runs (loopback only).
  if (dataDir) writeFileSync(join(dataDir, STORE_ENDPOINT_FILE), endpoint);
  return {
    db,
    tableName: LOCAL_TABLE_NAME,
    endpoint,
    compact: async () => {
      // Every key of dynalite's LevelDB is printable ASCII (`table~…`, `item-…`, `index-…`).
      const level = (store as { db: { compactRange?(start: string, end: string): Promise<void> } }).db;
      await level.compactRange?.('', '\x7f');
    },
    close: async () => {
      db.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dataDir) rmSync(join(dataDir, STORE_ENDPOINT_FILE), { force: true });
      unlock();
    },
  };
}

/** Creates the table of the current design, and moves into it whatever the tables of earlier designs hold. */
async function openTable(db: DynamoDBDocumentClient): Promise<void> {
  const existing = (await db.send(new ListTablesCommand({}))).TableNames ?? [];
  try {
    await db.send(new CreateTableCommand(createTableInput(LOCAL_TABLE_NAME)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // dynalite answers CreateTable with a table still CREATING, even with createTableMs 0.
  await waitUntilTableExists(
    { client: db, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: LOCAL_TABLE_NAME },
  );
  const earlier = existing.filter((name) => name !== LOCAL_TABLE_NAME && /^zhuqi(-[0-9a-f]{8})?$/.test(name));
  for (const name of earlier) {
    // Copied in full before the old table is dropped, and nothing else writes meanwhile: a crash
    // half-way leaves the old table, and the next start copies it again (a Put is idempotent).
    await copyTable(db, name, LOCAL_TABLE_NAME);
    await db.send(new DeleteTableCommand({ TableName: name }));
  }
}

/**
 * Copies every item of a table of an earlier design, case items with their index keys derived
 * again. A one-off move of a local store, not a read of the product.
 */
async function copyTable(db: DynamoDBDocumentClient, from: string, to: string): Promise<void> {
  for await (const items of tableItems(db, from)) await putItems(db, to, items.map(reindexedItem));
}

/**
 * Every item of a table, a page at a time. The one Scan of the code base: for moving a local store
 * and for its backups, never for a read of the product.
 */
export async function* tableItems(
  db: DynamoDBDocumentClient,
  table: string,
): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, Limit: 100 }));
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Writes items 25 at a time, sending again what DynamoDB did not process. */
export async function putItems(
  db: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * One runtime per data directory: LevelDB would refuse a second one with a confusing error, so a
 * lock file names the process that holds it. A lock left by a process that no longer runs (a
 * crash) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lock = join(dataDir, 'zhuqi.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8'));
      if (holder && holder !== process.pid && isRunning(holder)) {
        throw new DataDirInUseError(
          `the data directory ${dataDir} is in use by another Zhuqi (process ${holder}); stop it, or start this one with another --data-dir`,
        );
      }
      rmSync(lock, { force: true });
    }
  }
  throw new DataDirInUseError(`cannot lock the data directory ${dataDir}`);
}

/** The process that holds the data directory's lock, when it runs. */
export function lockHolder(dataDir: string): number | undefined {
  try {
    const holder = Number(readFileSync(join(dataDir, 'zhuqi.lock'), 'utf8'));
    return holder && isRunning(holder) ? holder : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
