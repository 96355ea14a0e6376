import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEntry } from '../../src/sync/journal/records';
import { reasonText, type ReasonStrings } from '../../src/webparts/importProfiles/components/reasonText';
import { accountId, DIVISION } from '../support/memoryExact';
import { memoryHarness } from '../support/memoryHarness';

/** The loc files are AMD modules, as SPFx loads them. */
function load(file: string): ReasonStrings {
  let out = {} as ReasonStrings;
  new Function('define', readFileSync(join(__dirname, '../../src/webparts/importProfiles/loc', file), 'utf8'))((_deps: string[], factory: () => ReasonStrings) => {
    out = factory();
  });
  return out;
}

/**
 * The reasons the engine writes into a run log are English; a Dutch reader sees them in Dutch.
 * The reasons here come from real runs of the engine (create, unchanged, changed, kept edits, a
 * reported deletion, undo), so a sentence the engine changes without its translation fails here.
 */
describe('run log reasons in the reader’s language', () => {
  const en = load('en-us.js');
  const nl = load('nl-nl.js');

  it('every reason real runs and an undo write is translated, and reads the same in English', async () => {
    const h = memoryHarness();
    const reasons = new Set<string>();
    const collect = (entries: RunEntry[]) => entries.forEach((e) => [e.reason, ...e.problems.map((p) => p.reason)].forEach((r) => reasons.add(r)));
    const first = await h.engine.run('companies', { user: 'admin' });
    collect(await h.engine.readLog(first.id));
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort' });
    h.exact.remove(DIVISION, 'Account', accountId(3));
    const second = await h.engine.run('companies', { user: 'admin', full: true });
    collect(await h.engine.readLog(second.id));
    const undo = await h.engine.undo(second.id, { user: 'admin' });
    collect(await h.engine.readLog(undo.id));
    expect(reasons.size).toBeGreaterThan(4);
    for (const reason of reasons) {
      expect(reasonText(reason, en), `English: ${reason}`).toBe(reason);
      expect(reasonText(reason, nl), `Dutch: ${reason}`).not.toBe(reason);
    }
  });

  it('fills in the parts of a sentence, and shows a reason it does not know as written', () => {
    expect(reasonText('linked by kvk; 3 field(s) changed in Exact', nl)).toBe('gekoppeld op kvk; 3 veld(en) gewijzigd in Exact');
    expect(reasonText('unchanged; CRM edits kept: Email, Phone', nl)).toBe('ongewijzigd; wijzigingen in het CRM behouden: Email, Phone');
    expect(reasonText('2 CRM items have ExactId abc: 4, 9', nl)).toBe('2 CRM-items hebben ExactId abc: 4, 9');
    expect(reasonText('awaiting review: only a weak match on name+city (confidence 0.6)', nl)).toBe('wacht op beoordeling: alleen een zwakke overeenkomst op name+city (zekerheid 0.6)');
    expect(reasonText("item 12 (Bakkerij 't Hoekje) no longer exists; nothing to restore", nl)).toBe("item 12 (Bakkerij 't Hoekje) bestaat niet meer; er valt niets te herstellen");
    expect(reasonText('Exact said something new', nl)).toBe('Exact said something new');
  });
});
