/**
 * Time source for everything that reasons about token lifetimes and rate-limit windows.
 * Tests move a TestClock instead of waiting; production uses the system clock.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class TestClock implements Clock {
  private current: number;

  public constructor(start: number | Date = Date.now()) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  public now(): number {
    return this.current;
  }

  public advance(ms: number): void {
    this.current += ms;
  }

  public set(at: number | Date): void {
    this.current = typeof at === 'number' ? at : at.getTime();
  }
}
