import type { Clock } from '../../src/domain/clock';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private t = Date.now()) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
