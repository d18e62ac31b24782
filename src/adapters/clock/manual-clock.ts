// A clock that stands still until told to move (TOLLGATE_CLOCK=manual, POST /dev/clock, the simulator).
import type { Clock } from '../../ports.ts';

export class ManualClock implements Clock {
  private current: number;
  constructor(start: number = Date.now()) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advanceMs must be a non-negative number');
    this.current += ms;
    return this.current;
  }
  set(ms: number): number {
    if (!Number.isFinite(ms)) throw new RangeError('now must be a valid time');
    this.current = ms;
    return this.current;
  }
}
