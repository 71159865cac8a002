import type { Clock } from '../../shared/app/ports';

/** A clock that stands still until a test moves it. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: string | Date = '2026-11-27T02:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
