import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CaseConflictError,
  DuplicateFilingError,
  IdempotencyKeyReuseError,
  ValidationError,
} from '../../shared/app/errors';
import { fileCase } from '../../shared/app/file-case';
import { trackCase } from '../../shared/app/track-case';
import type { CaseRecord } from '../../shared/domain/case';
import type { Filing } from '../../shared/domain/filing';
import { validFiling } from '../support/fixtures';
import { type TestServices, testServices } from '../support/services';

let services: TestServices;
beforeAll(async () => {
  services = await testServices();
});
afterAll(() => services.store.close());

const AT = { now: new Date('2026-11-27T02:00:00Z') };
const file = (filing: Filing = validFiling(), idempotencyKey?: string) =>
  fileCase(services, {
    filing,
    defaultChannel: 'api',
    actor: { kind: 'enterprise' },
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

describe('case repository on dynalite', () => {
  it('creates a case with the next number of the year and queues it for the workflow', async () => {
    const { record, created } = await file(validFiling(), 'create-1');
    expect(created).toBe(true);
    expect(record.caseNo).toMatch(/^YL-2026-\d{6}$/);
    expect(record.status).toBe('submitted');
    expect(services.intake.sent).toContainEqual({ caseId: record.id });
    const stored = await services.cases.get(record.id);
    expect(stored).toEqual(record);
  });

  it('numbers cases in sequence within a year and restarts the sequence in a new year', async () => {
    const a = await file({ ...validFiling(), title: '第一个问题' }, 'seq-a');
    const b = await file({ ...validFiling(), title: '第二个问题' }, 'seq-b');
    const seqA = Number(a.record.caseNo.slice(-6));
    expect(Number(b.record.caseNo.slice(-6))).toBe(seqA + 1);
    services.clock.set('2026-12-31T16:30:00Z'); // 00:30 on 1 January 2027 in China
    const c = await file({ ...validFiling(), title: '新年的问题' }, 'seq-c');
    expect(c.record.caseNo).toBe('YL-2027-000001');
    services.clock.set('2026-11-27T02:00:00Z');
  });

  it('returns the same case for the same Idempotency-Key, even when the requests race', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => file(validFiling(), 'race-key')));
    expect(new Set(results.map((r) => r.record.caseNo)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(services.intake.sent.filter((m) => m.caseId === results[0]!.record.id)).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused with a different body', async () => {
    await file(validFiling(), 'reuse-key');
    await expect(file({ ...validFiling(), title: '另一个问题' }, 'reuse-key')).rejects.toBeInstanceOf(
      IdempotencyKeyReuseError,
    );
  });

  it('refuses the same body filed twice on one day without a key (no second case, no link), and a day later files a new one', async () => {
    const filing = { ...validFiling(), title: '无幂等键的重复提交' };
    const first = await file(filing);
    await expect(file(filing)).rejects.toBeInstanceOf(DuplicateFilingError);
    expect(
      (await services.cases.listByStatus('submitted', { limit: 200 })).items.filter(
        (c) => c.title === filing.title,
      ),
    ).toEqual([first.record]);
    services.clock.advance(24 * 3600_000);
    const nextDay = await file(filing);
    expect(nextDay.created).toBe(true);
    services.clock.set('2026-11-27T02:00:00Z');
  });

  it('keeps the case when the intake queue is down (the sweeper picks it up later)', async () => {
    services.intake.failNext = true;
    const { record } = await file({ ...validFiling(), title: '队列故障时提交' }, 'queue-down');
    expect(await services.cases.get(record.id)).toMatchObject({ status: 'submitted' });
    expect((await services.cases.listByStatus('submitted', { limit: 200 })).items.map((c) => c.id)).toContain(
      record.id,
    );
  });

  it('saves a change only against the version it read; the loser of a race gets CaseConflictError', async () => {
    const { record } = await file({ ...validFiling(), title: '并发修改' }, 'conflict');
    const first = await services.cases.save({ ...record, status: 'triage' });
    expect(first.version).toBe(record.version + 1);
    await expect(services.cases.save({ ...record, status: 'closed' })).rejects.toBeInstanceOf(
      CaseConflictError,
    );
    expect(await services.cases.get(record.id)).toMatchObject({
      status: 'triage',
      version: record.version + 1,
    });
  });

  it('lets exactly one of many concurrent writers of the same version win', async () => {
    const { record } = await file({ ...validFiling(), title: '十个并发写' }, 'ten-writers');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => services.cases.save({ ...record, title: `写入 ${i}` })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof CaseConflictError),
    ).toHaveLength(9);
  });

  it('finds a case by number for its tracking link, and by status and unit for the queues', async () => {
    const { record } = await file({ ...validFiling(), title: '查询' }, 'queries');
    const view = await trackCase(services, record.caseNo, record.trackingKey, AT);
    expect(view).toMatchObject({ caseNo: record.caseNo, status: 'submitted', title: '查询' });
    expect(view).not.toHaveProperty('contact');
    expect(await trackCase(services, record.caseNo, 'wrong-key', AT)).toBeUndefined();
    expect(await trackCase(services, record.caseNo, undefined, AT)).toBeUndefined();
    expect(await trackCase(services, 'YL-2026-999999', record.trackingKey, AT)).toBeUndefined();

    const assigned = await services.cases.save({ ...record, status: 'assigned', unitId: 'power-supply' });
    const byUnit = await services.cases.listByUnit('power-supply');
    expect(byUnit.items.map((c) => c.id)).toEqual([assigned.id]);
    const byStatus = await services.cases.listByStatus('assigned');
    expect(byStatus.items.map((c) => c.id)).toEqual([assigned.id]);
    expect(
      (await services.cases.listByStatus('submitted', { limit: 200 })).items.map((c) => c.id),
    ).not.toContain(record.id);
  });

  it('finds a case by number again as it is now: a number looked up before is read by its key, never from memory', async () => {
    // Prepare: looked up once by number (its id is remembered from then on).
    const { record } = await file({ ...validFiling(), title: '再次查询' }, 'queried-twice');
    expect((await services.cases.getByCaseNo(record.caseNo))?.version).toBe(record.version);

    // Act
    const saved = await services.cases.save({ ...record, status: 'triage' });
    const again = await services.cases.getByCaseNo(record.caseNo);

    // Assess
    expect(again).toEqual(saved);
    expect(again?.version).toBe(record.version + 1);
    expect(await services.cases.getByCaseNo('YL-2026-999998')).toBeUndefined();
  });

  it('pages through a queue with the cursor it hands out, and refuses a forged cursor', async () => {
    const page1 = await services.cases.listByStatus('submitted', { limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = await services.cases.listByStatus('submitted', { limit: 2, cursor: page1.cursor });
    expect(page2.items[0]!.id).not.toBe(page1.items[0]!.id);
    expect(page1.items[1]!.createdAt <= page2.items[0]!.createdAt).toBe(true);
    await expect(services.cases.listByStatus('submitted', { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('hands out no cursor on the last page, also when it is exactly full', async () => {
    const every = (await services.cases.everyByStatus('submitted')).map((c) => c.id);
    expect(every.length).toBeGreaterThan(2);
    const full = await services.cases.listByStatus('submitted', { limit: every.length });
    expect(full.items.map((c) => c.id)).toEqual(every);
    expect(full.cursor).toBeUndefined();

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await services.cases.listByStatus('submitted', {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeGreaterThan(0);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(every);
    expect(pages).toBe(Math.ceil(every.length / 2));
  });

  it('keeps the open overdue cases, and only those, where the overdue board reads them', async () => {
    // Arrange: three cases, two of them overdue, one of those then closed
    const [a, b, c] = await Promise.all(
      ['逾期一', '按期', '逾期二'].map((title, i) => file({ ...validFiling(), title }, `overdue-${i}`)),
    );
    const overdue = (record: CaseRecord) =>
      services.cases.save({ ...record, status: 'assigned', flags: { ...record.flags, overdue: true } });
    const first = await overdue(a!.record);
    await services.cases.save({ ...b!.record, status: 'assigned' });
    const second = await overdue(c!.record);
    const board = async () =>
      (await services.cases.search({ flag: 'overdue' }, { limit: 200 })).items.map((r) => r.id);

    // Act and Assess: both overdue cases, by filing time (the same instant here, then by id); not the one on time
    expect(await board()).toEqual([first.id, second.id].sort());
    expect(await board()).toEqual(
      (await services.cases.search({ status: 'open', flag: 'overdue' }, { limit: 200 })).items.map(
        (r) => r.id,
      ),
    );

    // Act: one is closed, the other answered in time again
    await services.cases.save({ ...first, status: 'closed' });
    await services.cases.save({ ...second, flags: { ...second.flags, overdue: false } });

    // Assess: the board is empty, and a closed case with its overdue flag is still found as one
    expect(await board()).toEqual([]);
    expect(
      (await services.cases.search({ status: 'closed', flag: 'overdue' })).items.map((r) => r.id),
    ).toEqual([first.id]);
  });
});
