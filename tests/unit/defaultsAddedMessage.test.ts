import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inSentence } from '../../src/ui/format';
import { defaultsAddedMessage } from '../../src/webparts/importProfiles/components/defaultsAddedMessage';
import { masterDefaultProfile } from '../../src/sync/profile/masterDefaults';

type Words = Parameters<typeof defaultsAddedMessage>[2];

/** The loc files are AMD modules, as SPFx loads them; read so a reworded sentence changes the input, not the logic. */
function load(file: string): Words {
  let out = {} as Words;
  new Function('define', readFileSync(join(__dirname, '../../src/webparts/importProfiles/loc', file), 'utf8'))((_deps: string[], factory: () => Words) => {
    out = factory();
  });
  return out;
}
const words = load('en-us.js');

describe('the message after adding default profiles', () => {
  const items = masterDefaultProfile('items', 1);

  it('ends at the sentence when no list kept its profile (no trailing space)', () => {
    const text = defaultsAddedMessage({ division: 1, profiles: [items], kept: [] }, 'Jansen IT BV', words);
    expect(text).toBe('Added for Jansen IT BV: “Items from Exact”.');
  });

  it('names the lists that kept theirs after the added ones', () => {
    const text = defaultsAddedMessage({ division: 1, profiles: [items], kept: ['Companies'] }, 'Jansen IT BV', words);
    expect(text).toBe('Added for Jansen IT BV: “Items from Exact”. Lists that already had a profile for it kept theirs: Companies.');
  });

  it('nothing added with no list known to the page (another admin was quicker) is a whole sentence', () => {
    const text = defaultsAddedMessage({ division: 1, profiles: [], kept: [] }, 'Jansen IT BV', words);
    expect(text).not.toMatch(/ for \.$/);
    expect(text).toBe('Nothing added: Jansen IT BV already has these profiles (another admin may have just added them).');
  });

  it('nothing added because a list has its profile names that list', () => {
    expect(defaultsAddedMessage({ division: 1, profiles: [], kept: ['Items'] }, 'Jansen IT BV', words)).toBe('Nothing added: Jansen IT BV already has a profile for Items.');
  });
});

describe('a source name inside the Add defaults sentence', () => {
  const en = load('en-us.js') as unknown as Record<string, string>;
  const nl = load('nl-nl.js') as unknown as Record<string, string>;

  it('keeps an acronym\'s capitals (VAT codes, not "vat codes") and lowers the rest', () => {
    expect(inSentence(en.SourceVATCode)).toBe('VAT codes');
    expect(inSentence(en.SourceItem)).toBe('items');
    expect(inSentence(nl.SourceVATCode)).toBe('btw-codes');
    expect(inSentence(nl.SourceCostCenter)).toBe('kostenplaatsen');
  });
});
