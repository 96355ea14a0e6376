import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OrderRun } from '../../src/orders/ports';
import {
  englishOrderReasons,
  legacyOrderReason,
  ORDER_REASON_CODES,
  orderReasonWordKey,
  reasonOfMessage,
  renderOrderReason,
  type OrderReason,
  type OrderReasonArgs,
  type OrderReasonCode,
  type OrderReasonWords,
} from '../../src/orders/reasons';
import { OrdersService, type OrdersServiceDeps } from '../../src/orders/service';
import { documentOrderRuns } from '../../src/orders/stores';
import { MemoryDocuments } from '../support/memoryStores';

/** The loc files are AMD modules, as SPFx loads them. */
function load(file: string): OrderReasonWords & Record<string, string> {
  let out = {} as OrderReasonWords & Record<string, string>;
  new Function('define', readFileSync(join(__dirname, '../../src/webparts/importProfiles/loc/orders', file), 'utf8'))((_deps: string[], factory: () => typeof out) => {
    out = factory();
  });
  return out;
}

/** Parts for every code; typed per code, so a new code without a sample does not compile. */
const samples: { [K in OrderReasonCode]: OrderReasonArgs[K] } = {
  customerAmbiguous: ['Jansen IT B.V.'],
  customerUnmapped: ['Onbekend B.V.'],
  vatUnknown: ['7', 'ESET-NOD32'],
  productUnmapped: ['M365-BP'],
  linkedOrder: [260001, 'IM-2026-11-IM-100231'],
  linkedInvoice: [26900001, 'INV-2026-11-IM-100231'],
  linkedConcept: ['INV-2026-11-IM-100231'],
  noAnswer: ['IM-2026-11-IM-100231'],
  unanswered: [],
  referenceOtherOrder: ['CRM-17', 260009, 'Bakkerij De Korenaar'],
  referenceOtherInvoice: ['CRM-17', 26900009, 'Bakkerij De Korenaar'],
  referenceOtherConcept: ['CRM-17', 'Bakkerij De Korenaar'],
  crmChanged: ['SO-0017'],
  orderKept: [260004, 'complete', 21],
  orderKeptMoved: [260004, 'partial', 20],
  invoiceProcessed: [],
  invoiceKept: [40, 'Blocked'],
  orderGone: [],
  invoiceGone: [],
  noJournal: [],
  notSalesJournal: ['60', 2950001, '70, 71'],
  noSalesJournals: ['60', 2950001],
  crmNotUpdated: [17, 'Sales Orders', 'SharePoint is busy (HTTP 503)'],
  crmNotUpdatedNoAnswer: [17, 'Sales Orders'],
  crmNotReopened: [17, 'The list is read-only (HTTP 403)'],
  exact: ['Ongeldige referentie: Artikel (regel 1)'],
  asWritten: ['Something the engine said before reasons had codes'],
};
const sample = (code: OrderReasonCode): OrderReason => ({ code, args: samples[code] });
const placeholders = (template: string): string[] => (template.match(/\{\d+(?:\|[^{}]*)?\}/g) ?? []).sort();

/** Words both languages use: names of things, not English. */
const shared = new Set(['exact', 'crm', 'order', 'orders', 'item', 'product', 'status', 'ready', 'for', 'dagboek', 'code']);
const englishWords = (template: string): string[] => (template.replace(/\{\d+\}/g, ' ').toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => w.length >= 3 && !shared.has(w));

describe('order run reasons in the reader’s language', () => {
  const en = load('en-us.js');
  const nl = load('nl-nl.js');

  it('every reason code has words in en-us and nl-nl with the same placeholders, fully filled in, without English in the Dutch', () => {
    expect(ORDER_REASON_CODES).toEqual(expect.arrayContaining(Object.keys(samples)));
    expect(ORDER_REASON_CODES).toHaveLength(Object.keys(samples).length);
    for (const code of ORDER_REASON_CODES) {
      const reason = sample(code);
      const english = renderOrderReason(reason);
      if (code === 'exact' || code === 'asWritten') {
        // Exact's own words and older runs' text are shown as written, in either language.
        expect(renderOrderReason(reason, nl)).toBe(samples[code][0]);
        continue;
      }
      const key = orderReasonWordKey(code);
      expect(typeof en[key] === 'string' && typeof nl[key] === 'string' && nl[key] !== '', `loc lacks ${key}`).toBe(true);
      expect(en[key], `en-us says ${key} as the engine does`).toBe(englishOrderReasons[key]);
      expect(placeholders(nl[key]), `placeholders of ${key}`).toEqual(placeholders(englishOrderReasons[key]));
      const dutch = renderOrderReason(reason, nl);
      for (const text of [english, dutch]) {
        expect(text, code).not.toMatch(/\{\d+\}/);
        expect(text, code).not.toMatch(/undefined/);
      }
      expect(dutch, code).not.toBe(english);
      // The Dutch template, not the sentence: the parts (SharePoint's answer, Exact's status text) are as written.
      const words = new Set(nl[key].replace(/\{\d+\}/g, ' ').toLowerCase().match(/[a-z]+/g) ?? []);
      expect(englishWords(englishOrderReasons[key]).filter((w) => words.has(w)), `English in the Dutch for ${code}: ${dutch}`).toEqual([]);
    }
    expect(renderOrderReason(sample('customerUnmapped'), nl)).toBe('Klant Onbekend B.V. is niet gekoppeld aan een relatie (debiteur) in Exact.');
  });

  it('the loc files carry exactly the engine’s reason keys', () => {
    const keys = Object.keys(englishOrderReasons).sort();
    const whyKeys = (strings: Record<string, string>) => Object.keys(strings).filter((k) => k.startsWith('Why')).sort();
    expect(whyKeys(en)).toEqual(keys);
    expect(whyKeys(nl)).toEqual(keys);
  });

  it('each English sentence the engine wrote before codes reads back as its code; anything else stays as written', () => {
    for (const code of ORDER_REASON_CODES.filter((c) => c !== 'exact' && c !== 'asWritten')) {
      const english = renderOrderReason(sample(code));
      const read = legacyOrderReason(english);
      expect(read.code, english).toBe(code);
      expect(renderOrderReason(read)).toBe(english);
    }
    // Before codes a link was said without "linked, not created again".
    expect(legacyOrderReason('Exact already has invoice 26900001 with reference INV-1.')).toEqual({ code: 'linkedInvoice', args: ['26900001', 'INV-1'] });
    expect(legacyOrderReason('Ongeldige referentie: Artikel (regel 1)')).toEqual({ code: 'asWritten', args: ['Ongeldige referentie: Artikel (regel 1)'] });
  });

  it('a refusal or lost answer that is the engine\'s own sentence is logged as its code; Exact\'s words stay Exact\'s', () => {
    expect(reasonOfMessage('Ongeldige referentie: Artikel (regel 1)', 'exact')).toEqual({ code: 'exact', args: ['Ongeldige referentie: Artikel (regel 1)'] });
    const other = renderOrderReason(sample('referenceOtherOrder'));
    expect(reasonOfMessage(other, 'exact').code).toBe('referenceOtherOrder');
    expect(renderOrderReason(reasonOfMessage(other, 'exact'), nl)).toBe('Referentie CRM-17 wordt in Exact al gebruikt door verkooporder 260009 van een andere klant (relatie Bakkerij De Korenaar); wijzig het voorvoegsel van de referentie in het orderprofiel.');
    expect(reasonOfMessage(englishOrderReasons.WhyUnanswered, 'asWritten')).toEqual({ code: 'unanswered', args: [] });
    expect(reasonOfMessage('socket hang up', 'asWritten')).toEqual({ code: 'asWritten', args: ['socket hang up'] });
  });

  it('a run saved with English string reasons still loads, shows its English, and reads in Dutch where the sentence is known', async () => {
    const documents = new MemoryDocuments();
    const old = {
      id: 'old-run', profileId: 'im', division: 2950001, user: 'admin', startedAt: '2026-11-30T10:00:00.000Z', finishedAt: '2026-11-30T10:01:00.000Z', status: 'finished',
      entries: [
        { reference: 'IM-1', customerName: 'Jansen IT', accountCode: '1001', outcome: 'linked', orderId: 'o1', orderNumber: 260001, lines: 2, net: 100, gross: 121, reasons: ['Exact already has order 260001 with reference IM-1.'] },
        { reference: 'IM-2', customerName: 'De Vries', accountCode: '1002', outcome: 'failed', orderId: null, orderNumber: null, lines: 1, net: 10, gross: 12.1, reasons: ['Ongeldige referentie: Artikel (regel 1)'] },
        { reference: 'IM-3', customerName: 'Onbekend', accountCode: '', outcome: 'blocked', orderId: null, orderNumber: null, lines: 1, net: 5, gross: 6.05, reasons: ['Customer Onbekend is not mapped to an Exact account.', 'A sentence no code knows.'] },
        { reference: 'IM-4', customerName: 'Bakker', accountCode: '1004', outcome: 'created', orderId: 'o4', orderNumber: 260004, lines: 1, net: 5, gross: 6.05, reasons: [] },
      ],
      undo: [{ reference: 'IM-4', orderId: 'o4', orderNumber: 260004, outcome: 'refused', reason: 'Order 260004 is complete in Exact (status 21); only open orders are deleted.' }],
    };
    await documents.write('orders/runs/old-run.json', JSON.stringify(old));
    const runs = documentOrderRuns(documents, { now: () => 0 });
    const run = (await runs.get('old-run')) as OrderRun;
    expect((await runs.list('im')).map((r) => r.id)).toEqual(['old-run']);
    // Shown in English as it was written, every reason of it (a link said as it is said now, with "linked, not created again").
    expect(run.entries.map((e) => e.reasons.map((r) => renderOrderReason(r)))).toEqual([
      ['Exact already has order 260001 with reference IM-1: linked, not created again.'],
      ...old.entries.slice(1).map((e) => e.reasons),
    ]);
    expect(renderOrderReason(run.undo[0]!.reason!)).toBe(old.undo[0]!.reason);
    expect(run.entries[1]!.reasons[0]!.code).toBe('asWritten');
    // Known sentences read in Dutch; Exact's words and unknown text stay as written.
    const nlSaid = (r: OrderReason) => renderOrderReason(r, nl);
    expect(run.entries[0]!.reasons.map(nlSaid)).toEqual(['Exact heeft al verkooporder 260001 met referentie IM-1: gekoppeld, niet opnieuw aangemaakt.']);
    expect(run.entries[2]!.reasons.map(nlSaid)).toEqual(['Klant Onbekend is niet gekoppeld aan een relatie (debiteur) in Exact.', 'A sentence no code knows.']);
    expect(nlSaid(run.undo[0]!.reason!)).toBe('Verkooporder 260004 heeft in Exact de status complete (21); alleen openstaande verkooporders worden verwijderd.');

    // The CSV in the reader's language, as the import CSV: English without words, Dutch with nl-nl.
    const service = new OrdersService({ runs } as unknown as OrdersServiceDeps);
    const rows = (words?: OrderReasonWords) => service.logCsv(run, words).replace('\uFEFF', '').split('\r\n');
    expect(rows()[3]).toContain('Customer Onbekend is not mapped to an Exact account. | A sentence no code knows.');
    expect(rows(nl)[3]).toContain('Klant Onbekend is niet gekoppeld aan een relatie (debiteur) in Exact. | A sentence no code knows.');
    expect(rows(nl)[4]).toContain('refused;"Verkooporder 260004 heeft in Exact de status complete (21)');

    // Saved again (an undo saves the run), it keeps the codes.
    await runs.save(run);
    expect((await runs.get('old-run'))!.entries[0]!.reasons).toEqual([{ code: 'linkedOrder', args: ['260001', 'IM-1'] }]);
  });
});
