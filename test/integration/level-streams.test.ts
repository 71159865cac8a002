import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, ListTablesCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inProcessDocumentClient, startDynalite } from '../../shared/embedded/in-process-store';
import { createTableInput } from '../../shared/store/dynamo';

const TABLE = 'cases';

interface Level {
  compactRange(start: string, end: string): Promise<void>;
  getProperty(property: string): string;
}

// An iterator left open keeps the LevelDB version it was opened on: its table files stay on disk
// (and mapped, and its memtables in memory) after a compaction has replaced them. dynalite left the
// iterator of every Query and Scan open; the store closes them.
describe("the embedded store's reads", () => {
  let dir: string;
  let server: Server;
  let level: Level;
  let db: DynamoDBDocumentClient;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zhuqi-streams-'));
    const started = startDynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    server = started.server;
    level = (started.store as { db: Level }).db;
    db = inProcessDocumentClient(started.store, {});
    await db.send(new CreateTableCommand(createTableInput(TABLE)));
    await waitUntilTableExists(
      { client: db, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 },
      { TableName: TABLE },
    );
  });
  afterEach(async () => {
    db.destroy();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes 100 cases of one status (the index gsi1) with the given text, and compacts them into table files. */
  const writeCases = async (text: string) => {
    for (let i = 0; i < 100; i += 25) {
      const items = Array.from({ length: 25 }, (_, j) => ({
        pk: `CASE#${i + j}`,
        sk: 'CASE',
        gsi1pk: 'STATUS#triage',
        gsi1sk: `${1000 + i + j}`,
        text,
      }));
      await db.send(
        new BatchWriteCommand({ RequestItems: { [TABLE]: items.map((Item) => ({ PutRequest: { Item } })) } }),
      );
    }
    await level.compactRange('', '\x7f');
  };
  const liveTables = () =>
    [...level.getProperty('leveldb.sstables').matchAll(/^\s*(\d+):/gm)].map((m) => Number(m[1])).sort();
  const tablesOnDisk = () =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.ldb'))
      .map((file) => Number.parseInt(file, 10))
      .sort();

  it('keep no table file a compaction has replaced, after queries that read a page and queries that read to the end', async () => {
    // Prepare
    await writeCases('first');

    // Act: every kind of read dynalite streams, while those tables are the current ones
    const page = await db.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :s',
        ExpressionAttributeValues: { ':s': 'STATUS#triage' },
        Limit: 10,
      }),
    );
    const all = await db.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CASE#7' },
      }),
    );
    const scan = await db.send(new ScanCommand({ TableName: TABLE, Limit: 30 }));
    const tables = await db.send(new ListTablesCommand({}));
    await writeCases('second');

    // Assess
    expect(page.Items).toHaveLength(10);
    expect(all.Items).toEqual([expect.objectContaining({ pk: 'CASE#7', text: 'first' })]);
    expect(scan.Items).toHaveLength(30);
    expect(tables.TableNames).toEqual([TABLE]);
    // The iterators close as the streams end, a tick or two after the answers.
    await vi.waitFor(async () => {
      await level.compactRange('', '\x7f');
      expect(tablesOnDisk()).toEqual(liveTables());
    });
    expect(liveTables().length).toBeGreaterThan(0);
  });
});
