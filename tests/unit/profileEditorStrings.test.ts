import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(__dirname, '../../src/webparts/importProfiles/loc/editor');
const editorDir = join(__dirname, '../../src/webparts/importProfiles/components/editor');

/** The loc files are AMD modules, as SPFx loads them. */
function load(file: string): Record<string, string> {
  let out: Record<string, string> = {};
  const define = (_deps: string[], factory: () => Record<string, string>): void => {
    out = factory();
  };
  new Function('define', readFileSync(join(dir, file), 'utf8'))(define);
  return out;
}

describe('ProfileEditorStrings', () => {
  const en = load('en-us.js');
  const nl = load('nl-nl.js');
  const declared = [...readFileSync(join(dir, 'mystrings.d.ts'), 'utf8').matchAll(/^\s+(\w+): string;$/gm)].map((m) => m[1]);

  it('has every declared string in both languages, and nothing else', () => {
    expect(Object.keys(en).sort()).toEqual([...declared].sort());
    expect(Object.keys(nl).sort()).toEqual([...declared].sort());
  });

  it('has the same placeholders in both languages', () => {
    for (const key of declared) {
      const places = (text: string) => [...new Set(text.match(/\{\d\}/g) ?? [])].sort();
      expect(places(nl[key]!), key).toEqual(places(en[key]!));
    }
  });

  it('words every problem code of the instant checks', () => {
    const source = readFileSync(join(editorDir, 'localChecks.ts'), 'utf8');
    const union = /export type LocalProblemCode =([^;]+);/.exec(source)?.[1] ?? '';
    const codes = [...union.matchAll(/'(\w+)'/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(en, code).toHaveProperty(`P_${code}`);
  });

  it('reads as Dutch in nl-nl, with Exact’s own words', () => {
    const same = declared.filter((k) => en[k] === nl[k] && !/^(ProblemAt|SectionFilter|PathFilter)$/.test(k));
    expect(same).toEqual([]);
    expect(nl.FieldDivision).toContain('administratie');
    expect(nl.EntityAccount).toMatch(/Relaties \(debiteuren/);
    expect(nl.SignalCode).toBe('Relatiecode');
  });
});
