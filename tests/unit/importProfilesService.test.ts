import { because } from '../../src/sync/journal/reasons';
import { describe, expect, it } from 'vitest';
import { paths, type ReviewItem } from '../../src/sync/journal/records';
import type { CrmTarget } from '../../src/sync/ports';
import { ImportProfilesService } from '../../src/sync/service';
import { memoryHarness, type Harness } from '../support/memoryHarness';

/** The CRM with every read of a whole list refused, and each read by id noted. */
function readsByIdOnly(crm: CrmTarget, readIds: number[][]): CrmTarget {
  return {
    openList: async (title) => {
      const list = await crm.openList(title);
      const whole = (): Promise<never> => Promise.reject(new Error(`the whole of ${title} was read`));
      return {
        title: list.title,
        fields: list.fields,
        convert: (values) => list.convert(values),
        write: (writes) => list.write(writes),
        readItems: whole,
        readItemsByKey: whole,
        readItemsById: (ids, fields) => {
          readIds.push([...ids]);
          return list.readItemsById(ids, fields);
        },
      };
    },
  };
}

function serviceOver(h: Harness, crm: CrmTarget): ImportProfilesService {
  return new ImportProfilesService({ engine: h.engine, profiles: h.profiles, runs: h.runs, documents: h.documents, crm, exact: h.exact, clock: h.clock });
}

function pendingEntry(exactKey: string, itemIds: number[]): ReviewItem {
  return {
    exactKey,
    exactValue: exactKey,
    label: `Exact ${exactKey}`,
    reason: because('reviewMany', itemIds.length, 'nameAndPostcode'),
    candidates: itemIds.map((itemId) => ({ itemId, signal: 'nameAndPostcode', confidence: 0.7, label: `item ${itemId}` })),
    status: 'pending',
    rejectedItemIds: [],
  };
}

describe('import-profiles service: review candidates', () => {
  it('reads only the CRM items the pending entries name, by id, with the asked columns the list has', async () => {
    const h = memoryHarness();
    const companies = h.crm.list('Companies');
    const ids: number[] = [];
    for (let n = 1; n <= 60; n++) ids.push(companies.seed({ Title: `Café ${n}`, Postcode: `25${String(n).padStart(2, '0')} BT` }));
    const [first, second, third] = [ids[4], ids[17], ids[41]];
    await h.documents.write(paths.review('companies'), JSON.stringify({ items: [pendingEntry('a', [first, second]), pendingEntry('b', [second, third])] }));
    const readIds: number[][] = [];
    const service = serviceOver(h, readsByIdOnly(h.crm, readIds));

    const entries = await service.review.list('companies', 'pending');
    const found = await service.review.candidates({ targetList: 'Companies', entries, columns: ['Title', 'Postcode', 'NoSuchColumn'] });

    expect(readIds).toEqual([[first, second, third]]);
    expect(found.columns).toEqual(['Title', 'Postcode']);
    expect([...found.values.keys()].sort((x, y) => x - y)).toEqual([first, second, third]);
    expect(found.values.get(second)).toMatchObject({ Title: 'Café 18', Postcode: '2518 BT' });
  });

  it('reads no items when nothing waits for review', async () => {
    const h = memoryHarness();
    h.crm.list('Companies').seed({ Title: 'Café het Hoekje' });
    const readIds: number[][] = [];
    const service = serviceOver(h, readsByIdOnly(h.crm, readIds));

    const found = await service.review.candidates({ targetList: 'Companies', entries: [], columns: ['Title'] });

    expect(readIds).toEqual([]);
    expect(found).toEqual({ columns: ['Title'], values: new Map() });
  });
});

describe('import-profiles service: what the editor offers', () => {
  it('gives a list’s columns and the Exact entities without the page opening either itself', async () => {
    const h = memoryHarness();
    const service = serviceOver(h, h.crm);

    const columns = await service.listColumns('Companies');

    expect(columns.map((c) => c.internalName)).toEqual((await h.crm.openList('Companies')).fields.map((f) => f.internalName));
    expect(service.entities().map((e) => e.name)).toEqual(h.exact.listEntities().map((e) => e.name));
  });
});
