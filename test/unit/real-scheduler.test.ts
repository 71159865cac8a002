import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realScheduler } from '../../shared/embedded/local-workflow';

const DAY = 86_400_000;

describe('the embedded runtime’s timers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a 30-day wait for 30 days, although Node timers overflow after 24.8 days', async () => {
    let fired = false;
    void realScheduler.sleep(30 * DAY, new AbortController().signal).then(() => {
      fired = true;
    });
    await vi.advanceTimersByTimeAsync(24.8 * DAY);
    expect(fired).toBe(false);
    await vi.advanceTimersByTimeAsync(5.2 * DAY - 1000);
    expect(fired).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired).toBe(true);
  });

  it('ends a wait at once when the runtime stops', async () => {
    const stop = new AbortController();
    let fired = false;
    void realScheduler.sleep(DAY, stop.signal).then(() => {
      fired = true;
    });
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(fired).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
