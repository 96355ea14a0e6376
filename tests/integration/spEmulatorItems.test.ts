import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InjectHeaders } from '@pnp/queryable';
import type { IList } from '@pnp/sp/lists';
import { startSp, type SpHarness } from '../support/spEmulatorHelpers';

let h: SpHarness;
let companies: IList;
let contacts: IList;

beforeAll(async () => {
  h = await startSp({ inMemory: true });
});
afterAll(async () => h.sandbox.close());
beforeEach(async () => {
  await h.control.reset();
  h.control.clearThrottle();
  await h.sp.web.lists.add('Companies');
  await h.sp.web.lists.add('Contacts');
  companies = h.sp.web.lists.getByTitle('Companies');
  contacts = h.sp.web.lists.getByTitle('Contacts');
  const { Id } = await companies.select('Id')();
  await companies.fields.addText('Code', { MaxLength: 20, Indexed: true, EnforceUniqueValues: true });
  await companies.fields.addNumber('Employees', { MinimumValue: 0, MaximumValue: 1000 });
  await companies.fields.addBoolean('Active');
  await companies.fields.addDateTime('Since');
  await companies.fields.addChoice('Status', { Choices: ['Prospect', 'Customer'] });
  await companies.fields.addUrl('Website');
  await companies.fields.addUser('Owner');
  await contacts.fields.addLookup('Company', { LookupListId: Id, LookupFieldName: 'Title' });
  h.control.resetCounts();
});

describe('items', () => {
  it('adds, reads, updates with ETags, deletes and recycles', async () => {
    const added = await companies.items.add({
      Title: 'Acme BV', Code: '000042', Employees: 12, Active: true, Since: '2024-03-01T00:00:00Z', Status: 'Customer',
      Website: { Url: 'https://acme.example', Description: 'Acme' }, OwnerId: 7,
    });
    expect(added).toMatchObject({ Id: 1, Title: 'Acme BV', Code: '000042', Employees: 12, Active: true, OwnerId: 7, OwnerStringId: '7' });
    expect(added['odata.etag']).toBe('"1"');
    expect(added.Website).toEqual({ Url: 'https://acme.example', Description: 'Acme' });

    const item = companies.items.getById(added.Id);
    const updated = await item.update({ Employees: 13 }, added['odata.etag']);
    expect(updated.etag).toBe('"2"');
    await expect(item.update({ Employees: 14 }, '"1"')).rejects.toMatchObject({ status: 412 });
    await item.update({ Title: 'Acme Holding BV' }); // IF-Match: * always matches
    expect(await item.select('Title', 'Employees')()).toMatchObject({ Title: 'Acme Holding BV', Employees: 13 });

    await expect(item.delete('"2"')).rejects.toMatchObject({ status: 412 });
    await item.delete('"3"');
    await expect(item()).rejects.toMatchObject({ status: 404 });

    const other = await companies.items.add({ Title: 'Beta NV' });
    const recycled = await companies.items.getById(other.Id).recycle();
    expect(typeof recycled).toBe('string');
    expect(h.control.items('Companies')).toHaveLength(0);
  });

  it('rejects values SharePoint would reject, naming the column', async () => {
    await expect(companies.items.add({ Title: 'x'.repeat(256) })).rejects.toThrow(/Title.*at most 255/);
    await expect(companies.items.add({ Status: 'Lost' })).rejects.toThrow(/Status.*'Lost' is not one of the choices/);
    await expect(companies.items.add({ Employees: 5000 })).rejects.toThrow(/above the maximum 1000/);
    await expect(companies.items.add({ __metadata: { type: 'SP.Data.ContactsListItem' }, Title: 'x' })).rejects.toThrow(/could not be resolved/);
    expect(await companies.items.add({ __metadata: { type: 'SP.Data.CompaniesListItem' }, Title: 'typed' })).toMatchObject({ Title: 'typed' });
    await expect(companies.items.add({ Nope: 1 })).rejects.toThrow(/The property 'Nope' does not exist on type 'SP.Data.CompaniesListItem'/);
    await companies.items.add({ Title: 'A', Code: 'K1' });
    await expect(companies.items.add({ Title: 'B', Code: 'k1' })).rejects.toThrow(/\[500\].*SPDuplicateValuesFoundException.*duplicate values were found in the following field\(s\) in the list: \[Code\]/);
    const error = await companies.items.add({ Status: 'Lost' }).catch((e: { response: Response }) => e.response.json());
    expect(error).toMatchObject({ 'odata.error': { code: expect.stringMatching(/^-\d+, Microsoft\.SharePoint\./), message: { lang: 'en-US' } } });
  });

  it('filters, selects, orders and expands lookups', async () => {
    const acme = await companies.items.add({ Title: 'Acme', Employees: 10, Active: true, Since: '2020-01-01T00:00:00Z', Status: 'Customer' });
    await companies.items.add({ Title: "O'Brien", Employees: 50, Active: false, Since: '2023-06-01T00:00:00Z', Status: 'Prospect' });
    await companies.items.add({ Title: 'Zeta', Employees: 5, Active: true });
    await contacts.items.add({ Title: 'Jan', CompanyId: acme.Id });
    await contacts.items.add({ Title: 'Piet', CompanyId: null });

    const titles = async (query: Promise<{ Title: string }[]>) => (await query).map((i) => i.Title);
    expect(await titles(companies.items.filter('Employees ge 10 and Active eq 1').select('Title')())).toEqual(['Acme']);
    expect(await titles(companies.items.filter("Title eq 'o''brien'").select('Title')())).toEqual(["O'Brien"]);
    expect(await titles(companies.items.filter("substringof('et', Title) or startswith(Title, 'Ac')").select('Title')())).toEqual(['Acme', 'Zeta']);
    expect(await titles(companies.items.filter("Since lt datetime'2021-01-01T00:00:00Z'").select('Title')())).toEqual(['Acme']);
    expect(await titles(companies.items.filter('Active eq false or Status ne null').select('Title').orderBy('Employees', false)())).toEqual(["O'Brien", 'Acme']);
    expect(await titles(companies.items.select('Title').orderBy('Title', false).top(2)())).toEqual(['Zeta', "O'Brien"]);

    const byLookup = await contacts.items.filter(`Company/Id eq ${acme.Id}`).select('Title', 'Company/Title', 'Company/Id').expand('Company')();
    expect(byLookup).toHaveLength(1);
    expect(byLookup[0]).toMatchObject({ Title: 'Jan', Company: { Id: acme.Id, Title: 'Acme' } });
    expect(await titles(contacts.items.filter(`CompanyId eq ${acme.Id}`).select('Title')())).toEqual(['Jan']);
    await expect(contacts.items.select('Company/Title')()).rejects.toThrow(/\$expand query string must contains Company/);
    const piet = await contacts.items.getById(2).select('CompanyId')();
    expect(piet.CompanyId).toBeNull();
  });

  it('pages 10,000 items with top(5000) and an absolute odata.nextLink', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ Title: `C${i + 1}`, Employees: i % 1000 }));
    h.control.addItems('Companies', rows);
    h.control.resetCounts();
    const pages: number[] = [];
    let seen = 0;
    let lastId = 0;
    for await (const page of companies.items.select('Id', 'Title').top(5000)) {
      pages.push(page.length);
      for (const item of page as { Id: number }[]) {
        expect(item.Id).toBeGreaterThan(lastId);
        lastId = item.Id;
        seen++;
      }
    }
    expect(pages).toEqual([5000, 5000]);
    expect(seen).toBe(10_000);
    expect(h.control.counts().byKind.items).toBe(2);

    // Above 5000 items SharePoint only filters on indexed columns.
    await companies.fields.getByInternalNameOrTitle('Employees').update({ Indexed: true });
    const first = await fetch(`${h.siteUrl}/_api/web/lists/getByTitle('Companies')/items?$select=Id&$top=3&$filter=Employees eq 7&$orderby=Title desc`, {
      headers: { accept: 'application/json' },
    });
    const body = (await first.json()) as { value: { Id: number }[]; 'odata.nextLink': string };
    expect(body.value.map((i) => i.Id)).toEqual([9008, 8008, 8]);
    expect(body['odata.nextLink'].startsWith(`${h.siteUrl}/_api/web/lists/getByTitle('Companies')/items?`)).toBe(true);
    expect(body['odata.nextLink']).toContain('skiptoken=Paged%3DTRUE%26p_ID%3D8');
    const next = (await (await fetch(body['odata.nextLink'], { headers: { accept: 'application/json' } })).json()) as { value: { Id: number }[] };
    expect(next.value.map((i) => i.Id)).toEqual([7008, 6008, 5008]);
    // Default page size is 100; $top above 5000 is capped.
    expect(await companies.items.select('Id')()).toHaveLength(100);
    expect(await companies.items.select('Id').top(6000)()).toHaveLength(5000);
  });

  it('refuses a $filter nested 3,000 parentheses deep with 400 and odata.error, in a request and in a $batch part', async () => {
    await companies.items.add({ Title: 'Acme' });
    const deep = `${'('.repeat(3_000)}Title eq 'Acme'${')'.repeat(3_000)}`;
    const direct = await fetch(`${h.siteUrl}/_api/web/lists/getByTitle('Companies')/items?$select=Id&$filter=${encodeURIComponent(deep)}`, {
      headers: { accept: 'application/json' },
    });
    expect(direct.status).toBe(400);
    const body = (await direct.json()) as { 'odata.error': { code: string; message: { value: string } } };
    expect(body['odata.error'].code).toBe('-1, Microsoft.SharePoint.SPException');
    expect(body['odata.error'].message.value).toMatch(/nested deeper than 100/);
    // `not` nests as a bracket does (1,000 of them: 3,000 would not fit Node's 16 KB request line).
    const nots = `${'not '.repeat(1_000)}(Title eq 'Acme')`;
    expect((await fetch(`${h.siteUrl}/_api/web/lists/getByTitle('Companies')/items?$filter=${encodeURIComponent(nots)}`)).status).toBe(400);
    // A $batch part's URL is not bounded by the request line: the same depth inside one.
    const [batched, execute] = h.sp.batched();
    const inBatch = batched.web.lists.getByTitle('Companies').items.filter(deep).select('Id')();
    await execute();
    await expect(inBatch).rejects.toMatchObject({ status: 400 });
    // Nesting up to the limit still works.
    const fine = `${'('.repeat(100)}Title eq 'Acme'${')'.repeat(100)}`;
    expect(await companies.items.filter(fine).select('Title')()).toHaveLength(1);
  });

  it('pages in any $orderby direction, numbers compared as numbers', async () => {
    h.control.addItems('Companies', Array.from({ length: 25 }, (_, i) => ({ Title: `C${i + 1}`, Employees: (i * 37) % 25 })));
    const collect = async (query: AsyncIterable<unknown>) => {
      const out: number[] = [];
      for await (const page of query) out.push(...(page as { Id: number }[]).map((i) => i.Id));
      return out;
    };
    const descending = await collect(companies.items.select('Id').orderBy('Id', false).top(4));
    expect(descending).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    const byEmployees = await collect(companies.items.select('Id', 'Employees').orderBy('Employees').top(3));
    const expected = h.control.items('Companies').slice().sort((a, b) => Number(a.values.Employees) - Number(b.values.Employees) || a.Id - b.Id).map((i) => i.Id);
    expect(byEmployees).toEqual(expected);
  });

  it('answers repeated key lookups from an equality index that follows every write', async () => {
    h.control.addItems('Companies', Array.from({ length: 1000 }, (_, i) => ({ Title: `C${i}`, Code: `K${i}`, Active: i % 2 === 0 })));
    const byCode = (code: string) => companies.items.filter(`Code eq '${code}'`).select('Id', 'Title')();
    expect(await byCode('k500')).toEqual([expect.objectContaining({ Id: 501, Title: 'C500' })]);
    await companies.items.getById(501).update({ Code: 'MOVED' });
    expect(await byCode('K500')).toEqual([]);
    expect(await byCode('moved')).toEqual([expect.objectContaining({ Id: 501 })]);
    await companies.items.add({ Title: 'New', Code: 'K500' });
    expect(await byCode('K500')).toEqual([expect.objectContaining({ Title: 'New' })]);
    await companies.items.getById(1001).delete();
    expect(await byCode('K500')).toEqual([]);
    const active = await companies.items.filter("Active eq 1 and startswith(Title, 'C99')").select('Title')();
    expect(active.map((i: { Title: string }) => i.Title)).toEqual(['C990', 'C992', 'C994', 'C996', 'C998']);
  });

  it('enforces the list view threshold on non-indexed filters of big lists', async () => {
    h.control.addItems('Companies', Array.from({ length: 5001 }, (_, i) => ({ Title: `C${i}`, Code: `K${i}` })));
    await expect(companies.items.filter('Employees eq 3')()).rejects.toThrow(/exceeds the list view threshold/);
    await expect(companies.items.orderBy('Title')()).rejects.toThrow(/exceeds the list view threshold/);
    expect(await companies.items.orderBy('Id', false).select('Id').top(1)()).toEqual([expect.objectContaining({ Id: 5001 })]);
    expect(await companies.items.filter("Code eq 'K4000'").select('Title')()).toEqual([expect.objectContaining({ Title: 'C4000' })]);
  });

  it('speaks verbose OData when asked (d.results, d.__next) and expands people', async () => {
    h.control.addItems('Companies', [{ Title: 'A', OwnerId: 7 }, { Title: 'B' }, { Title: 'C' }]);
    const verbose = InjectHeaders({ Accept: 'application/json;odata=verbose' });
    const pages: string[][] = [];
    for await (const page of companies.items.select('Title', 'Owner/Title', 'Author/EMail').expand('Owner', 'Author').top(2).using(verbose)) {
      pages.push((page as { Title: string }[]).map((i) => i.Title));
    }
    expect(pages).toEqual([['A', 'B'], ['C']]);
    const raw = await fetch(`${h.siteUrl}/_api/web/lists/getByTitle('Companies')/items?$top=1&$select=Title,Owner/Title&$expand=Owner`, {
      headers: { accept: 'application/json;odata=verbose' },
    });
    const body = (await raw.json()) as { d: { results: Record<string, unknown>[]; __next: string } };
    expect(body.d.results[0]).toMatchObject({ __metadata: { type: 'SP.Data.CompaniesListItem', etag: '"1"' }, Title: 'A', Owner: { Title: 'Sanne de Vries' } });
    expect(body.d.__next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sites\/crm\/_api\//);
    const missing = await fetch(`${h.siteUrl}/_api/web/lists/getByTitle('Nope')`, { headers: { accept: 'application/json;odata=verbose' } });
    expect(await missing.json()).toMatchObject({ error: { code: '-1, System.ArgumentException', message: { value: expect.stringContaining("List 'Nope' does not exist") } } });
  });
});

