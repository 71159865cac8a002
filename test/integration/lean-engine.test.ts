import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NoticeMessage } from '../../shared/app/ports';
import { parseConfig } from '../../shared/config/config';
import type { CaseRecord } from '../../shared/domain/case';
import { type TestRuntime, testRuntime } from '../support/runtime';

// The embedded engine keeps no execution for a case that waits: only its parked wait (token, state,
// due time) under one timer, rebuilt from the case items on every start.
const runtimes: TestRuntime[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof testRuntime>[0] = {}) {
  const rt = await testRuntime(options);
  runtimes.push(rt);
  return rt;
}

describe('the lean embedded engine', () => {
  it('keeps no execution for waiting cases, only their parked waits', async () => {
    // Prepare and Act: three cases wait for triage, one of them then for its unit
    const rt = await start();
    const filed = [await rt.file({ title: '等待研判一' }), await rt.file({ title: '等待研判二' })];
    const assigned = await rt.file({ title: '等待承办' });
    await rt.api('POST', `/api/v1/office/cases/${assigned.id}/triage`, {
      as: 'office',
      body: { level: 'department', unitId: 'power-supply' },
    });
    await rt.settle();

    // Assess
    expect(rt.engine.isQuiet()).toBe(true);
    expect(rt.engine.parkedCount).toBe(3);
    for (const { id } of [...filed, assigned]) expect(rt.engine.isRunning(id)).toBe(true);
    expect((await rt.get(assigned.id)).wait?.state).toBe('AwaitUnit');
    expect(rt.clock.pendingTimers).toBe(1); // one timer for all waits
  });

  it('re-arms a wait after a restart with its token and due time, running nothing until it is due', async () => {
    // Prepare: a case waits for triage on disk
    const dataDir = await mkdtemp(join(tmpdir(), 'zhuqi-lean-'));
    dirs.push(dataDir);
    const first = await start({ dataDir });
    const { id } = await first.file({ title: '重启后仍在等待研判' });
    const before = await first.get(id);
    const stoppedAt = first.clock.now().toISOString();
    await first.close();
    runtimes.splice(runtimes.indexOf(first), 1);
    const dueAt = before.wait!.dueAt!;

    // Act: start again on the same data, at the same instant
    const second = await start({ dataDir, start: stoppedAt });
    await second.settle();

    // Assess: parked again as it was, and nothing ran
    expect(second.engine.parkedCount).toBe(1);
    expect(second.trace.entered.size).toBe(0);
    expect((await second.get(id)).wait).toEqual(before.wait);
    expect(second.clock.nextTimerAt()?.toISOString()).toBe(dueAt);

    // Act: one second before the wait is due, then at it
    await second.advanceTo(new Date(Date.parse(dueAt) - 1000));
    expect(second.trace.entered.size).toBe(0);
    await second.advanceTo(dueAt);

    // Assess: the timeout ran the definition on from the callback's Catch, and the case waits again
    expect(second.trace.entered.has('SuperviseTriage')).toBe(true);
    expect(second.trace.entered.has('Route')).toBe(false);
    expect(second.trace.failures).toEqual([]);
    const after = await second.get(id);
    expect(after.wait?.token).not.toBe(before.wait!.token);
    expect(second.engine.parkedCount).toBe(1);
  });

  it('times a wait at the instant of its checkpoint, not at the whole seconds Step Functions counts', async () => {
    // Prepare: filed a quarter of a second past a whole second
    const rt = await start({ start: '2026-11-23T02:00:00.250Z' });
    const { id } = await rt.file({ title: '黄牌准时' });
    await rt.settle();
    const filed = await rt.get(id);
    const warnAt = filed.clocks.find((c) => c.id === 'triage')!.warnAt;

    // Assess: the wait is due at the yellow checkpoint itself, and the engine's one timer with it
    expect(filed.wait?.dueAt).toBe(warnAt);
    expect(rt.clock.nextTimerAt()?.toISOString()).toBe(warnAt);

    // Act: a millisecond before the checkpoint nothing runs; at it, supervision does
    await rt.advanceTo(new Date(Date.parse(warnAt) - 1));
    expect(rt.trace.entered.has('SuperviseTriage')).toBe(false);
    await rt.advanceTo(warnAt);

    // Assess
    expect(rt.trace.entered.has('SuperviseTriage')).toBe(true);
    expect((await rt.get(id)).clocks.find((c) => c.id === 'triage')!.grade).toBe('yellow');
  });

  it('issues every notice of a burst of waits due together before it arms any of them again', async () => {
    // Prepare: more cases than the engine supervises at a time, all due at the same checkpoint
    const open = { max: 1000, windowSeconds: 60 };
    const rt = await start({
      config: parseConfig({ abuseLimits: { filingsPerAddress: open, filingsPerCreditCode: open } }),
    });
    const ids: string[] = [];
    for (let i = 0; i < 48; i++) ids.push((await rt.file({ title: `同一时刻到期 ${i}` })).id);
    const tokens = new Map(
      await Promise.all(ids.map(async (id) => [id, (await rt.get(id)).wait!.token] as const)),
    );
    const warnAt = (await rt.get(ids[0]!)).clocks.find((c) => c.id === 'triage')!.warnAt;
    const events: string[] = [];
    const send = rt.services.notices.send.bind(rt.services.notices);
    rt.services.notices.send = async (message: NoticeMessage) => {
      events.push(`notice ${message.caseId}`);
      return send(message);
    };
    const save = rt.services.cases.save.bind(rt.services.cases);
    rt.services.cases.save = async (next: CaseRecord) => {
      const stored = await save(next);
      if (next.wait && next.wait.token !== tokens.get(next.id)) events.push(`armed ${next.id}`);
      return stored;
    };

    // Act
    await rt.advanceTo(warnAt);

    // Assess: a yellow warning for every case, then every wait armed again
    const noticed = events.filter((e) => e.startsWith('notice'));
    const armed = events.filter((e) => e.startsWith('armed'));
    expect(new Set(noticed)).toEqual(new Set(ids.map((id) => `notice ${id}`)));
    expect(new Set(armed)).toEqual(new Set(ids.map((id) => `armed ${id}`)));
    expect(events.indexOf(armed[0]!)).toBeGreaterThan(events.lastIndexOf(noticed.at(-1)!));
    expect(rt.engine.parkedCount).toBe(ids.length);
    expect(rt.trace.failures).toEqual([]);
  });
});
