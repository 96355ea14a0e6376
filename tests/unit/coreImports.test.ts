import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The engine runs in the browser and in the gateway: no UI, SPFx or HTTP library, no other src folder. */
describe('src/core imports', () => {
  const dir = join(__dirname, '../../src/core');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const allowed = ['zod', 'date-fns'];

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    it(`${file} imports only zod, date-fns and core itself`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const specifiers = Array.from(text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)).map(
        (m) => m[1] ?? m[2] ?? m[3],
      );
      for (const s of specifiers) {
        const ok = (s.startsWith('./') && !s.includes('..')) || allowed.some((a) => s === a || s.startsWith(`${a}/`));
        expect(ok, `${file} imports "${s}"`).toBe(true);
      }
      expect(text).not.toMatch(/\b(react|@microsoft\/sp-|axios|@pnp\/|XMLHttpRequest|fetch\()/);
    });
  }
});
