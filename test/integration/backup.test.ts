import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalStore, tableItems } from '../../shared/embedded/local-store';
import { validFiling } from '../support/fixtures';
import { json } from '../support/http';
import { poll, processHarness, REPO } from '../support/process';

// `npm run backup -- FILE` against a running runtime, `npm run restore -- FILE` into an empty data
// directory, and every item compared between the two stores.
const harness = processHarness();
afterEach(() => harness.cleanUp());

const OFFICE_KEY = 'zq_office_backup-test-key-0123456789';

/** The backup command as `npm run backup`/`restore` runs it. */
function run(command: 'backup' | 'restore', file: string, dataDir: string) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'shared/embedded/backup-main.ts', command, file, '--data-dir', dataDir],
    { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every item of a stopped data directory, in a stable order. */
async function itemsOf(dataDir: string): Promise<string[]> {
  const store = await startLocalStore(dataDir);
  const items: string[] = [];
  try {
    for await (const page of tableItems(store.db, store.tableName))
      items.push(...page.map((i) => JSON.stringify(i)));
  } finally {
    await store.close();
  }
  return items.sort();
}

describe('backup and restore of the embedded runtime', () => {
  it('backs up while it runs, restores into an empty directory, and every item comes back', {
    timeout: 120_000,
  }, async () => {
    // Prepare: cases in two phases, a unit key, the workflow parked.
    const original = harness.newDataDir();
    const zhuqi = await harness.start(original, { ZHUQI_BOOTSTRAP_OFFICE_KEY: OFFICE_KEY });
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${zhuqi.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${OFFICE_KEY}`, 'Content-Type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const filed = [];
    for (const title of ['备份测试一', '备份测试二']) {
      filed.push(await json(await call('POST', '/api/v1/cases', { ...validFiling(), title })));
    }
    await call('POST', '/api/v1/office/units/power-supply/keys', { label: '备份' });
    const parked = async (id: string, state: string) =>
      poll(`case ${id} at ${state}`, async () =>
        (await json(await call('GET', `/api/v1/office/cases/${id}`))).waitingFor === state ? true : undefined,
      );
    await parked(filed[0].id, 'AwaitTriage');
    await parked(filed[1].id, 'AwaitTriage');
    await call('POST', `/api/v1/office/cases/${filed[1].id}/triage`, {
      level: 'department',
      unitId: 'power-supply',
    });
    await parked(filed[1].id, 'AwaitUnit');
    const file = join(harness.newDataDir(), 'zhuqi.backup');

    // Act
    const backup = run('backup', file, original);
    expect(await harness.stop(zhuqi)).toBe(0);
    const restored = join(harness.newDataDir(), 'restored');
    const restore = run('restore', file, restored);
    const intoUsed = run('restore', file, original);

    // Assess
    expect(backup.status, backup.output).toBe(0);
    expect(backup.output).toMatch(/backed up \d+ items .*\(while Zhuqi runs\)/);
    expect(restore.status, restore.output).toBe(0);
    expect(intoUsed.status).toBe(1);
    expect(intoUsed.output).toMatch(/not empty/);
    const [before, after] = [await itemsOf(original), await itemsOf(restored)];
    expect(after).toEqual(before);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(before.length + 2); // header, items, trailer
    expect(before.length).toBeGreaterThan(10);

    // …and the restored directory runs: the cases, their tracking links and the office key work.
    const again = await harness.start(restored, {});
    const tracked = new URL(filed[1].trackingUrl);
    const view = await fetch(`${again.url}/api/v1/cases/${filed[1].caseNo}${tracked.search}`);
    expect(await json(view)).toMatchObject({ caseNo: filed[1].caseNo, status: 'assigned' });
    const office = await fetch(`${again.url}/api/v1/office/cases/${filed[0].id}`, {
      headers: { Authorization: `Bearer ${OFFICE_KEY}` },
    });
    expect((await json(office)).waitingFor).toBe('AwaitTriage');
  });

  it('refuses a cut-off backup file', async () => {
    const dir = harness.newDataDir();
    const file = join(dir, 'cut.backup');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      file,
      `${JSON.stringify({ format: 'zhuqi-backup', version: 1 })}\n{"pk":"UNITS","sk":"x"}\n`,
    );
    const result = run('restore', file, join(dir, 'target'));
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/incomplete/);
  });
});
