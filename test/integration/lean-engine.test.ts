import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
});
