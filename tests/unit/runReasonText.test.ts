import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paths, type RunEntry } from '../../src/sync/journal/records';
import { csvField } from '../../src/sync/journal/runLog';
import {
  englishReasons,
  legacyReason,
  reasonParts,
  reasonOrSentenceSchema,
  reasonSchema,
  REASON_CODES,
  reasonWordKey,
  renderReason,
  type Reason,
  type ReasonArgs,
  type ReasonCode,
  type ReasonWords,
} from '../../src/sync/journal/reasons';
import { accountId, DIVISION } from '../support/memoryExact';
import { memoryHarness } from '../support/memoryHarness';

/** The loc files are AMD modules, as SPFx loads them. */
function load(file: string): ReasonWords & Record<string, string> {
  let out = {} as ReasonWords & Record<string, string>;
  new Function('define', readFileSync(join(__dirname, '../../src/webparts/importProfiles/loc', file), 'utf8'))((_deps: string[], factory: () => typeof out) => {
    out = factory();
  });
  return out;
}

/** Parts for every code; typed per code, so a new code without a sample does not compile. */
const samples: { [K in ReasonCode]: ReasonArgs[K] } = {
  newInExact: [],
  unchanged: [],
  unchangedKept: ['Email, Phone'],
  fieldsChanged: [3],
  linkedFieldsChanged: ['kvk', 3],
  linkedImportOnly: ['kvk'],
  alreadyInCrm: [],
  divisionRecorded: [2950001],
  divisionRecordedFieldsChanged: [2950001, 2],
  notLinked: [],
  deletedReported: [],
  deletedFlagged: ['DeletedInExact'],
  noKey: ['Code'],
  emptyKey: [],
  fieldProblems: [2],
  duplicateKey: [2, 'ExactId', 'abc', '4, 9'],
  reviewMany: [2, 'nameAndPostcode'],
  reviewWeak: ['nameAndPostcode', 0.7],
  reviewClaimed: ['4', 'kvk'],
  createdByRun: ['run-001'],
  changedByRun: ['run-001'],
  alreadyRemoved: [],
  alreadyRestored: [],
  itemGone: [12, "Bakkerij 't Hoekje"],
  changedSince: [12, '', 'run-001', 'Phone', '+31 6 12345678', '', 'City', 'Zwolle', 'Kampen'],
  asWritten: ['Exact said something new'],
};
const sample = (code: ReasonCode): Reason => ({ code, args: samples[code] });

/** Words both languages use: names of things, not English. */
const shared = new Set(['exact', 'crm', 'item', 'items', 'run', 'record']);
const englishWords = (template: string): string[] =>
  (template.replace(/\{\d+\}/g, ' ').toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => w.length >= 3 && !shared.has(w));

describe('run log reasons in the reader’s language', () => {
  const en = load('en-us.js');
  const nl = load('nl-nl.js');

  it('every reason code has its sentence in en-us and nl-nl, fully filled in, and no English left in the Dutch', () => {
    expect(REASON_CODES.length).toBeGreaterThan(20);
    for (const code of REASON_CODES) {
      const reason = sample(code);
      const english = renderReason(reason);
      expect(renderReason(reason, en), `en-us: ${code}`).toBe(english);
      const dutch = renderReason(reason, nl);
      for (const text of [english, dutch]) {
        expect(text, code).not.toMatch(/\{\d+\}/);
        expect(text, code).not.toMatch(/undefined/);
      }
      if (code === 'asWritten') {
        expect(dutch).toBe('Exact said something new');
        continue;
      }
      const key = reasonWordKey(code);
      expect(typeof nl[key] === 'string' && nl[key] !== '', `nl-nl lacks ${key}`).toBe(true);
      expect(dutch, code).not.toBe(english);
      const words = new Set(dutch.toLowerCase().match(/[a-z]+/g) ?? []);
      expect(englishWords(englishReasons[key]).filter((w) => words.has(w)), `English in the Dutch for ${code}: ${dutch}`).toEqual([]);
    }
    expect(renderReason(sample('changedSince'), nl)).toBe('item 12 (zonder titel) is sindsdien gewijzigd: Phone is nu "+31 6 12345678", run run-001 schreef (leeg); City is nu "Zwolle", run run-001 schreef "Kampen"');
  });

  it('the loc files carry exactly the engine’s words, and en-us says them as the engine does', () => {
    const keys = Object.keys(englishReasons).sort();
    const reasonKeys = (strings: Record<string, string>) => Object.keys(strings).filter((k) => k.startsWith('Reason')).sort();
    expect(reasonKeys(en)).toEqual(keys);
    expect(reasonKeys(nl)).toEqual(keys);
    for (const key of keys) expect(en[key], key).toBe(englishReasons[key as keyof ReasonWords]);
  });

  it('every reason real runs and an undo write is translated, and reads the same in English', async () => {
    const h = memoryHarness();
    const entries: RunEntry[] = [];
    const first = await h.engine.run('companies', { user: 'admin' });
    entries.push(...(await h.engine.readLog(first.id)));
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort' });
    h.exact.remove(DIVISION, 'Account', accountId(3));
    const second = await h.engine.run('companies', { user: 'admin', full: true });
    entries.push(...(await h.engine.readLog(second.id)));
    const undo = await h.engine.undo(second.id, { user: 'admin' });
    entries.push(...(await h.engine.readLog(undo.id)));
    expect(new Set(entries.map((e) => e.reason.code)).size).toBeGreaterThan(4);
    for (const entry of entries) {
      const english = reasonParts(entry);
      expect(reasonParts(entry, en)).toEqual(english);
      reasonParts(entry, nl).forEach((dutch, i) => expect(dutch, `Dutch: ${english[i]}`).not.toBe(english[i]));
    }
  });

  it('an English sentence of an older log is read as its code, every kind of them', () => {
    // Codes newer than logs written as sentences have no sentence to read back.
    const newer: ReasonCode[] = ['fieldProblems', 'divisionRecorded', 'divisionRecordedFieldsChanged'];
    for (const code of REASON_CODES.filter((c) => !newer.includes(c))) {
      const reason = sample(code);
      expect(legacyReason(renderReason(reason)), code).toEqual(reason);
    }
    // An error's sentence was its field problems, one after the other.
    const problems = [{ field: 'Title', reason: 'required: the column needs a value' }, { field: 'Email', reason: 'expects text, got number 5' }];
    expect(legacyReason('Title: required: the column needs a value; Email: expects text, got number 5', problems)).toEqual({ code: 'fieldProblems', args: [2] });
    // A sentence that only looks like one of them stays as written: no reason changes or is lost.
    expect(legacyReason('02 CRM items have ExactId abc: 4, 9')).toEqual({ code: 'asWritten', args: ['02 CRM items have ExactId abc: 4, 9'] });
    expect(legacyReason('item 7 (X) was changed since: Phone went away')).toEqual({ code: 'asWritten', args: ['item 7 (X) was changed since: Phone went away'] });
  });

  it('fills in the parts of a sentence, and shows a reason it does not know as written', () => {
    const dutch = (sentence: string) => renderReason(legacyReason(sentence), nl);
    expect(dutch('linked by kvk; 3 field(s) changed in Exact')).toBe('gekoppeld op kvk; 3 velden gewijzigd in Exact');
    expect(dutch('unchanged; CRM edits kept: Email, Phone')).toBe('ongewijzigd; wijzigingen in het CRM behouden: Email, Phone');
    expect(dutch('2 CRM items have ExactId abc: 4, 9')).toBe('2 CRM-items hebben ExactId abc: 4, 9');
    expect(dutch('awaiting review: only a weak match on name+city (confidence 0.6)')).toBe('wacht op beoordeling: alleen een zwakke overeenkomst op name+city (zekerheid 0.6)');
    expect(dutch("item 12 (Bakkerij 't Hoekje) no longer exists; nothing to restore")).toBe("item 12 (Bakkerij 't Hoekje) bestaat niet meer; er valt niets te herstellen");
    expect(dutch('item 3 (untitled) was changed since: Phone is now (empty), run run-002 wrote "06; 12"')).toBe('item 3 (zonder titel) is sindsdien gewijzigd: Phone is nu (leeg), run run-002 schreef "06; 12"');
    expect(dutch('Exact said something new')).toBe('Exact said something new');
  });

  it('a stored reason is a known code with its parts; anything else is named, not guessed', () => {
    expect(reasonSchema.parse({ code: 'fieldsChanged', args: [3] })).toEqual({ code: 'fieldsChanged', args: [3] });
    expect(reasonOrSentenceSchema.parse('unchanged')).toEqual({ code: 'unchanged', args: [] });
    expect(reasonSchema.safeParse('unchanged').success).toBe(false);
    expect(reasonSchema.safeParse({ code: 'somethingNew', args: [] }).success).toBe(false);
    expect(reasonSchema.safeParse({ code: 'fieldsChanged', args: [] }).success).toBe(false);
    expect(reasonSchema.safeParse({ code: 'noKey', args: [{ field: 'Code' }] }).success).toBe(false);
    expect(reasonSchema.safeParse({ code: 'reviewWeak', args: ['kvk', Number.NaN] }).success).toBe(false);
  });

  it('a log written before reasons had codes still loads, shows in Dutch, and exports with every reason', async () => {
    const h = memoryHarness();
    const old = (exactKey: string, action: RunEntry['action'], reason: string, problems: RunEntry['problems'] = []) =>
      ({ exactKey, label: exactKey, action, reason, itemId: null, changes: [], problems, kept: [], outcome: 'none' });
    await h.documents.write(paths.log('run-old'), JSON.stringify([
      old('a', 'create', 'new in Exact'),
      old('b', 'skip', 'unchanged; CRM edits kept: Phone'),
      old('c', 'error', 'Title: text too long: 300 characters, the column allows 255', [{ field: 'Title', reason: 'text too long: 300 characters, the column allows 255' }]),
      old('d', 'error', 'record has no Code', [{ field: 'Code', reason: 'empty key' }]),
      old('e', 'conflict', 'something a later version wrote'),
    ]));
    const log = await h.engine.readLog('run-old');
    expect(log.map((e) => e.reason.code)).toEqual(['newInExact', 'unchangedKept', 'fieldProblems', 'noKey', 'asWritten']);
    expect(log.map((e) => reasonParts(e, nl).join(' · '))).toEqual([
      'nieuw in Exact',
      'ongewijzigd; wijzigingen in het CRM behouden: Phone',
      '1 veld kan niet in het CRM worden geschreven · Title: tekst te lang: 300 tekens, de kolom staat er 255 toe',
      'record heeft geen Code · Code: lege sleutel',
      'something a later version wrote',
    ]);
    // The Reason column is the last one: each row ends with its reason, as a CSV cell.
    const rows = async (options: { reasonWords?: ReasonWords } = {}) => (await h.engine.exportCsv('run-old', { bom: false, ...options })).trim().split('\r\n').slice(1);
    const english = [
      'new in Exact',
      'unchanged; CRM edits kept: Phone',
      '1 field cannot be written to the CRM; Title: text too long: 300 characters, the column allows 255',
      'record has no Code; Code: empty key',
      'something a later version wrote',
    ];
    (await rows()).forEach((row, i) => expect(row.endsWith(`,${csvField(english[i], ',')}`), row).toBe(true));
    // Quoted: a reason with either list separator is one cell whichever one Excel reads the file with.
    expect((await rows({ reasonWords: nl }))[3].endsWith(',"record heeft geen Code; Code: lege sleutel"')).toBe(true);
    // The review list stores the reason of each question too.
    await h.documents.write(paths.review('companies'), JSON.stringify({ items: [{ exactKey: 'e', exactValue: 'E', label: 'E', reason: 'awaiting review: 2 CRM items match on kvk', candidates: [], status: 'pending' }] }));
    const [question] = await h.review.list('companies');
    expect(renderReason(question.reason, nl)).toBe('wacht op beoordeling: 2 CRM-items komen overeen op kvk');
  });
});
