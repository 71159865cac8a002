import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStore } from '../../shared/embedded/local-store';
import { CaseRepository } from '../../shared/store/case-repository';
import { storeClosedCase } from '../support/closed-case';
import { testRuntime } from '../support/runtime';

const dataDir = mkdtempSync(join(tmpdir(), 'zhuqi-follow-up-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The cases of a data directory whose runtime has stopped. */
async function storedCases(ids: string[]) {
  const store = await startLocalStore(dataDir);
  try {
    const cases = new CaseRepository(store.db, store.tableName);
    return await Promise.all(ids.map((id) => cases.get(id)));
  } finally {
    await store.close();
  }
}

describe('the embedded runtime', () => {
  it('samples the month before on start, once that month has ended (回头看)', {
    timeout: 60_000,
  }, async () => {
    // Prepare: three cases closed in November, stored while November runs
    const november = await testRuntime({ dataDir, start: '2026-11-20T02:00:00Z' });
    const ids: string[] = [];
    for (const day of ['03', '12', '19']) {
      const closed = await storeClosedCase(
        { ...november.services, clock: november.clock },
        `2026-11-${day}T02:00:00Z`,
        `问题${day}`,
      );
      ids.push(closed.id);
    }
    await november.close();
    const stillNovember = await storedCases(ids);

    // Act: started again at 01:00 on 1 December, China time; stopping waits for the job's run
    const december = await testRuntime({ dataDir, start: '2026-11-30T17:00:00Z' });
    await december.close();

    // Assess: none was sampled in November itself; one of three (10%, at least one) is now
    expect(stillNovember.map((r) => r?.followUp)).toEqual([undefined, undefined, undefined]);
    const sampled = (await storedCases(ids)).filter((r) => r?.followUp);
    expect(sampled).toHaveLength(1);
    expect(sampled[0]?.followUp).toEqual({ month: '2026-11', sampledAt: '2026-11-30T17:00:00.000Z' });
  });
});
