import type { Clock } from '../app/ports';
import type { Scheduler } from './local-workflow';

interface Timer {
  at: number;
  fire: () => void;
}

/**
 * A clock that stands still until it is moved; the workflow's timers fire as it passes them. Tests
 * drive it in-process, and through `ZHUQI_TEST_CLOCK` (test-clock.ts) in a child process.
 */
export class ManualClock implements Clock, Scheduler {
  private current: number;
  private timers: Timer[] = [];

  constructor(start: string | Date = '2026-11-27T02:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock to an instant without firing timers (for tests of code without timers). */
  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }

  /** Moves the clock forward, firing every timer it passes, earliest first. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fire();
    }
    this.current = target;
  }

  /** Moves the clock to an instant, firing the timers on the way. */
  advanceTo(at: string | Date): void {
    this.advance(Math.max(0, new Date(at).getTime() - this.current));
  }

  /** When the earliest armed timer fires, if any. */
  nextTimerAt(): Date | undefined {
    const next = Math.min(...this.timers.map((t) => t.at));
    return Number.isFinite(next) ? new Date(next) : undefined;
  }

  /** How many timers are armed (a wait that is never re-armed would be lost). */
  get pendingTimers(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer: Timer = { at: this.current + ms, fire: () => resolve() };
      this.timers.push(timer);
      signal.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
