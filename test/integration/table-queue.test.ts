import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleLogger } from '../../shared/embedded/console-logger';
import { type LocalStore, startLocalStore } from '../../shared/embedded/local-store';
import { ManualClock } from '../../shared/embedded/manual-clock';
import { type QueueOptions, TableQueue } from '../../shared/embedded/table-queue';

// The embedded runtime's stand-in for SQS, on dynalite. Visibility and back-off run on a manual
// clock; only the polling uses real (short) timers, and tests wait for conditions, never for time.
interface Job {
  id: string;
}

const logger = consoleLogger({ silent: true });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function memoryStore(): Promise<LocalStore> {
  const store = await startLocalStore(undefined);
  cleanups.push(() => store.close());
  return store;
}

/** A queue that is stopped after the test (a "crashed" one is created directly and never stopped). */
function queueOn(store: LocalStore, name: string, clock: ManualClock, options: Partial<QueueOptions> = {}) {
  const queue = new TableQueue<Job>(store.db, store.tableName, name, clock, logger, {
    pollIntervalMs: 5,
    ...options,
  });
  cleanups.push(() => queue.stop());
  return queue;
}

/** Polls until `probe` gives a truthy value, for at most `timeoutMs` of real time. */
async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const jobs = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `job-${from + i}`);

describe('TableQueue', () => {
  it('delivers messages in the order they were sent, also when sent in the same millisecond', async () => {
    // Prepare: the clock stands still, so every message carries the same timestamp.
    const clock = new ManualClock();
    const queue = queueOn(await memoryStore(), 'ordered', clock);
    for (const id of jobs(10)) await queue.send({ id });
    const delivered: string[] = [];

    // Act
    queue.start(async (job) => {
      delivered.push(job.id);
    });
    for (const id of jobs(10, 10)) await queue.send({ id });
    await until('twenty deliveries', () => delivered.length >= 20);

    // Assess
    expect(delivered).toEqual(jobs(20));
    await until('every message acknowledged', async () => (await queue.pending()).length === 0);
  });

  it('works off a backlog larger than a page with several deliveries at once, each message once', async () => {
    // Prepare: 45 messages, pages of 10, four at a time
    const clock = new ManualClock();
    const queue = queueOn(await memoryStore(), 'parallel', clock, { concurrency: 4, pageSize: 10 });
    for (const id of jobs(45)) await queue.send({ id });
    const delivered: string[] = [];
    let running = 0;
    let mostAtOnce = 0;

    // Act
    queue.start(async (job) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setImmediate(resolve));
      delivered.push(job.id);
      running--;
    });
    await until('every message acknowledged', async () => (await queue.pending()).length === 0);

    // Assess
    expect([...delivered].sort()).toEqual([...jobs(45)].sort());
    expect(mostAtOnce).toBe(4);
  });

  it('tells when the oldest message not yet acknowledged was sent', async () => {
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    const queue = queueOn(await memoryStore(), 'oldest', clock);
    expect(await queue.oldestPendingSentAt()).toBeUndefined();
    await queue.send({ id: 'first' });
    clock.advance(60_000);
    await queue.send({ id: 'second' });
    expect(await queue.oldestPendingSentAt()).toBe('2026-11-23T02:00:00.000Z');
  });

  it('delivers a message again after its handler failed, until it succeeds (at least once)', async () => {
    // Prepare
    const clock = new ManualClock();
    const queue = queueOn(await memoryStore(), 'retried', clock, {
      visibilityTimeoutMs: 2_000,
      maxReceives: 5,
    });
    const delivered: string[] = [];
    queue.start(async (job) => {
      delivered.push(job.id);
      if (delivered.length < 3) throw new Error(`attempt ${delivered.length} failed`);
    });

    // Act
    await queue.send({ id: 'flaky' });

    // Assess: each failure is recorded, and the message stays hidden until its back-off has passed.
    for (const attempt of [1, 2]) {
      const [waiting] = await until(`failure ${attempt} recorded`, async () => {
        const pending = await queue.pending();
        return pending[0]?.lastError?.includes(`attempt ${attempt} failed`) ? pending : undefined;
      });
      expect(waiting).toMatchObject({ body: { id: 'flaky' }, receiveCount: attempt });
      await queue.drain();
      expect(delivered).toHaveLength(attempt);
      clock.advance(2_000);
    }
    await until('the message acknowledged', async () => (await queue.pending()).length === 0);
    expect(delivered).toEqual(['flaky', 'flaky', 'flaky']);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('moves a message to the dead-letter list with its last error after maxReceives failures', async () => {
    // Prepare
    const clock = new ManualClock();
    const queue = queueOn(await memoryStore(), 'poisoned', clock, {
      visibilityTimeoutMs: 1_000,
      maxReceives: 3,
    });
    const delivered: string[] = [];
    queue.start(async (job) => {
      delivered.push(job.id);
      if (job.id === 'poison') throw new Error(`cannot handle, attempt ${delivered.length}`);
    });

    // Act
    await queue.send({ id: 'poison' });
    for (const attempt of [1, 2]) {
      await until(`failure ${attempt} recorded`, async () =>
        (await queue.pending())[0]?.lastError?.includes(`attempt ${attempt}`),
      );
      clock.advance(1_000);
    }
    const [dead] = await until('the message dead-lettered', async () => {
      // Moving is two writes: into the dead-letter list, then out of the queue.
      const [dead, pending] = [await queue.deadLetters(), await queue.pending()];
      return dead.length > 0 && pending.length === 0 ? dead : undefined;
    });

    // Assess
    expect(dead).toMatchObject({
      body: { id: 'poison' },
      receiveCount: 3,
      lastError: expect.stringContaining('cannot handle, attempt 3'),
    });
    clock.advance(60_000);
    await queue.send({ id: 'healthy' });
    await until('the next message delivered', async () => (await queue.pending()).length === 0);
    expect(delivered).toEqual(['poison', 'poison', 'poison', 'healthy']);
    expect(await queue.deadLetters()).toHaveLength(1);
  });

  it('gives a message leased by a dead consumer to the next one after the visibility timeout', async () => {
    // Prepare: a consumer takes the message and dies in its handler, never acknowledging it.
    const clock = new ManualClock();
    const store = await memoryStore();
    const crashed = new TableQueue<Job>(store.db, store.tableName, 'crashing', clock, logger, {
      visibilityTimeoutMs: 5_000,
      pollIntervalMs: 5,
    });
    let taken = 0;
    crashed.start(() => {
      taken += 1;
      return new Promise<void>(() => {});
    });
    await crashed.send({ id: 'orphan' });
    await until('the first consumer took the message', () => taken === 1);
    void crashed.stop(); // stops polling; the handler in flight never returns
    const successor = queueOn(store, 'crashing', clock, { visibilityTimeoutMs: 1_000 });
    const delivered: string[] = [];

    // Act
    successor.start(async (job) => {
      delivered.push(job.id);
    });
    await successor.drain();
    const whileLeased = [...delivered];
    const [leased] = await successor.pending();
    clock.advance(5_001);
    await until('the successor got the message', () => delivered.length === 1);

    // Assess
    expect(whileLeased).toEqual([]);
    expect(leased).toMatchObject({ body: { id: 'orphan' }, receiveCount: 1 });
    expect(delivered).toEqual(['orphan']);
    await until('the message acknowledged', async () => (await successor.pending()).length === 0);
    expect(await successor.deadLetters()).toEqual([]);
    expect(taken).toBe(1);
  });

  it('keeps messages across closing and reopening a store on disk', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'zhuqi-queue-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const clock = new ManualClock();
    const before = await startLocalStore(dir);
    const sender = new TableQueue<Job>(before.db, before.tableName, 'durable', clock, logger);
    for (const id of jobs(5)) await sender.send({ id });
    await before.close();

    // Act
    const after = await startLocalStore(dir);
    cleanups.push(() => after.close());
    const reopened = queueOn(after, 'durable', clock);
    const waiting = await reopened.pending();
    const delivered: string[] = [];
    reopened.start(async (job) => {
      delivered.push(job.id);
    });
    await until('every message delivered', () => delivered.length >= 5);

    // Assess
    expect(waiting.map((m) => m.body.id)).toEqual(jobs(5));
    expect(waiting.every((m) => m.receiveCount === 0)).toBe(true);
    expect(delivered).toEqual(jobs(5));
    await until('every message acknowledged', async () => (await reopened.pending()).length === 0);
  });
});
