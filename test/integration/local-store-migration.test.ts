import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, ListTablesCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../shared/domain/case';
import { LOCAL_TABLE_NAME, startLocalStore } from '../../shared/embedded/local-store';
import { CaseRepository } from '../../shared/store/case-repository';
import { createDocumentClient, createTableInput } from '../../shared/store/dynamo';
import { keys } from '../../shared/store/keys';
import { validFiling } from '../support/fixtures';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A case as the first key design stored it: indexes by status, unit and number only. */
function firstDesignCase(id: string, caseNo: string, createdAt: string): Record<string, unknown> {
  const record = {
    id,
    caseNo,
    trackingKey: 'k',
    fingerprint: 'f',
    status: 'triage',
    flags: { overdue: false, escalated: false, reopened: false },
    ...validFiling(),
    channel: 'web',
    reopenCount: 0,
    clocks: [],
    notices: [],
    createdAt,
    updatedAt: createdAt,
    version: 3,
    history: [
      { at: createdAt, actor: { kind: 'enterprise' }, action: 'file', to: 'submitted', public: true },
    ],
  } satisfies CaseRecord;
  return {
    ...keys.case(id),
    ...keys.caseByStatus('triage', createdAt, id),
    ...keys.caseByNumber(caseNo),
    entity: 'case',
    schemaVersion: 1,
    ...record,
  };
}

/** Writes a data directory as a runtime of the first key design left it (table `zhuqi`, three indexes). */
async function firstDesignDataDir(items: Record<string, unknown>[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhuqi-migrate-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const server = dynalite({ path: join(dir, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const db = createDocumentClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const design = createTableInput('zhuqi');
  const firstIndexes = new Set(['gsi1', 'gsi2', 'gsi3']);
  await db.send(
    new CreateTableCommand({
      ...design,
      AttributeDefinitions: design.AttributeDefinitions!.filter((a) => !/^gsi[45]/.test(a.AttributeName!)),
      GlobalSecondaryIndexes: design.GlobalSecondaryIndexes!.filter((i) => firstIndexes.has(i.IndexName!)),
    }),
  );
  await waitUntilTableExists(
    { client: db, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.1 },
    { TableName: 'zhuqi' },
  );
  for (const Item of items) await db.send(new PutCommand({ TableName: 'zhuqi', Item }));
  db.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return dir;
}

describe('a data directory of an earlier key design', () => {
  it('is moved into the table of the current design on start, its cases indexed for the ledger', async () => {
    // Prepare
    const counter = { ...keys.caseNoCounter('YL', 2026), seq: 2 };
    const unit = { ...keys.unit('power-supply'), entity: 'unit', id: 'power-supply' };
    const dir = await firstDesignDataDir([
      firstDesignCase('a1', 'YL-2026-000001', '2026-11-20T02:00:00.000Z'),
      firstDesignCase('a2', 'YL-2026-000002', '2026-11-21T02:00:00.000Z'),
      counter,
      unit,
    ]);

    // Act
    const store = await startLocalStore(dir);
    cleanups.push(() => store.close());
    const cases = new CaseRepository(store.db, store.tableName);
    const ledger = await cases.search({});
    const tables = (await store.db.send(new ListTablesCommand({}))).TableNames;

    // Assess
    expect(store.tableName).toBe(LOCAL_TABLE_NAME);
    expect(tables).toEqual([LOCAL_TABLE_NAME]);
    expect(ledger.items.map((r) => r.id)).toEqual(['a1', 'a2']);
    expect((await cases.get('a2'))?.version).toBe(3);
    expect(await cases.nextSequence('YL', 2026)).toBe(3);
  });
});
