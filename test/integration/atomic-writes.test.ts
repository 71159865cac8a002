import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStore } from '../../shared/embedded/local-store';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the writer until it kills itself after its n-th LevelDB write; its exit signal and output. */
function writeAndDie(dataDir: string, n: number): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/crash-writer.ts', dataDir, String(n)],
      {
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, out }));
  });
}

describe('the embedded store after a SIGKILL in the middle of its writes', () => {
  // Without atomic item writes, a kill after the first write leaves an index entry of an item that
  // was never written; after the second, the index lists the updated item twice.
  it.each([1, 2, 3, 4])('has every index entry matching its item when killed after write %i', async (n) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zhuqi-atomic-'));
    dirs.push(dataDir);
    const { signal, out } = await writeAndDie(dataDir, n);
    expect(signal, out).toBe('SIGKILL');

    const store = await startLocalStore(dataDir);
    try {
      const TableName = store.tableName;
      const listed = (
        await store.db.send(
          new QueryCommand({
            TableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': 'TEST' },
          }),
        )
      ).Items!;
      const stored = [];
      for (const id of ['a', 'b']) {
        const { Item } = await store.db.send(
          new GetCommand({ TableName, Key: { pk: `T#${id}`, sk: 'T' }, ConsistentRead: true }),
        );
        if (Item) stored.push(Item);
      }
      const key = (i: Record<string, unknown>) => `${i.pk} ${i.gsi1sk}`;
      expect(listed.map(key).sort()).toEqual(stored.map(key).sort());
    } finally {
      await store.close();
    }
  });
});
