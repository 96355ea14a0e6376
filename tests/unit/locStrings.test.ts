import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every string module in config/config.json's localizedResources: what its .d.ts declares is in
 * en-us and nl-nl, nothing more, with the same placeholders. A string added for one language only
 * would show `undefined` to the other's users.
 */
const root = join(__dirname, '../..');
const resources = (JSON.parse(readFileSync(join(root, 'config/config.json'), 'utf8')) as { localizedResources: Record<string, string> }).localizedResources;

/** The loc files are AMD modules, as SPFx loads them. */
function load(file: string): Record<string, string> {
  let out: Record<string, string> = {};
  const define = (_deps: string[], factory: () => Record<string, string>): void => {
    out = factory();
  };
  new Function('define', readFileSync(file, 'utf8'))(define);
  return out;
}

function declared(folder: string, moduleName: string): string[] {
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(join(folder, file), 'utf8');
    if (text.includes(`declare module '${moduleName}'`)) return [...text.matchAll(/^\s+(\w+): string;$/gm)].map((m) => m[1]!);
  }
  throw new Error(`no .d.ts in ${folder} declares ${moduleName}`);
}

describe.each(Object.entries(resources))('%s', (name, pattern) => {
  const file = (locale: string): string => join(root, pattern.replace(/^lib\//, 'src/').replace('{locale}', locale));
  const keys = declared(dirname(file('en-us')), name);
  const en = load(file('en-us'));
  const nl = load(file('nl-nl'));

  it('has every declared string in both languages, and nothing else', () => {
    expect(keys.length).toBeGreaterThan(0);
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
    expect(Object.keys(nl).sort()).toEqual([...keys].sort());
  });

  it('has the same placeholders in both languages, and no empty string', () => {
    const places = (text: string) => [...new Set(text.match(/\{\d\}/g) ?? [])].sort();
    for (const key of keys) {
      expect(places(nl[key] ?? ''), key).toEqual(places(en[key] ?? ''));
      expect(en[key]?.trim(), key).toBeTruthy();
      expect(nl[key]?.trim(), key).toBeTruthy();
    }
  });
});
