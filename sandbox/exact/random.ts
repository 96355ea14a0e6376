/** Deterministic randomness for the seed: the same division and index always give the same data. */

/** FNV-1a over a string: a stable 32-bit seed from any label. */
export function hash32(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  guid(): string;
  digits(count: number): string;
}

/** mulberry32: small, fast and good enough for test data. A class, so 30,000 generators cost no closures. */
class Mulberry implements Rng {
  private state: number;

  public constructor(seed: number) {
    this.state = seed;
  }

  public next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  public pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  public chance(p: number): boolean {
    return this.next() < p;
  }

  private hex(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) {
      out += Math.floor(this.next() * 16).toString(16);
    }
    return out;
  }

  public guid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${(8 + this.int(0, 3)).toString(16)}${this.hex(3)}-${this.hex(12)}`;
  }

  public digits(count: number): string {
    let out = String(this.int(1, 9));
    for (let i = 1; i < count; i++) {
      out += String(this.int(0, 9));
    }
    return out;
  }
}

export function rng(label: string): Rng {
  return new Mulberry(hash32(label));
}

/** The same generator from a numeric seed (a chaos run's `CHAOS_SEED`): same seed, same sequence. */
export function seededRng(seed: number): Rng {
  return new Mulberry(seed >>> 0);
}
