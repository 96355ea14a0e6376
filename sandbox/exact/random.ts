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

/** mulberry32: small, fast and good enough for test data. */
export function rng(label: string): Rng {
  let state = hash32(label);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (count: number): string => {
    let out = '';
    for (let i = 0; i < count; i++) {
      out += Math.floor(next() * 16).toString(16);
    }
    return out;
  };
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + int(0, 3)).toString(16)}${hex(3)}-${hex(12)}`,
    digits: (count) => {
      let out = String(int(1, 9));
      for (let i = 1; i < count; i++) {
        out += String(int(0, 9));
      }
      return out;
    },
  };
}
