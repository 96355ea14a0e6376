import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSp, type SpHarness } from '../support/spEmulatorHelpers';

let h: SpHarness;
beforeAll(async () => {
  h = await startSp({ inMemory: true });
});
afterAll(async () => h.sandbox.close());
beforeEach(async () => {
  await h.control.reset();
  h.control.resetCounts();
  h.control.clearThrottle();
});

describe('SharePoint emulator through PnPjs: web and lists', () => {
  it('serves the web and creates lists with add and ensure (twice)', async () => {
    const web = await h.sp.web.select('Title', 'ServerRelativeUrl', 'Url')();
    expect(web).toMatchObject({ Title: 'CRM', ServerRelativeUrl: '/sites/crm', Url: h.siteUrl });

    const first = await h.sp.web.lists.ensure('Companies', 'CRM companies', 100);
    expect(first.created).toBe(true);
    expect(first.data).toMatchObject({ Title: 'Companies', BaseTemplate: 100, ListItemEntityTypeFullName: 'SP.Data.CompaniesListItem' });
    const second = await h.sp.web.lists.ensure('Companies', 'CRM companies, again', 100);
    expect(second.created).toBe(false);
    expect((await second.list.select('Description')()).Description).toBe('CRM companies, again');

    const added = await h.sp.web.lists.add("It's mine", '', 100);
    expect(added.Title).toBe("It's mine");
    const byQuote = await h.sp.web.lists.getByTitle("it's MINE").select('Id', 'Title')();
    expect(byQuote.Id).toBe(added.Id);
    const byId = await h.sp.web.lists.getById(added.Id).select('Title')();
    expect(byId.Title).toBe("It's mine");
    await expect(h.sp.web.lists.add('Companies')).rejects.toThrow(/already exists/);
    await expect(h.sp.web.lists.getByTitle('Nope')()).rejects.toMatchObject({ status: 404 });

    expect((await h.sp.web.getList('/sites/crm/Lists/Companies').select('Title')()).Title).toBe('Companies');
    expect((await h.sp.web.getList(`${h.siteUrl}/Shared Documents`).select('BaseTemplate')()).BaseTemplate).toBe(101);
    const libs = await h.sp.web.lists.filter('BaseTemplate eq 101').select('Title')();
    expect(libs.map((l: { Title: string }) => l.Title)).toEqual(['Documents']);
  });
});

describe('fields', () => {
  it('adds each column kind PnPjs offers and finds them by internal name or title', async () => {
    await h.sp.web.lists.add('Companies');
    await h.sp.web.lists.add('Contacts');
    const companies = h.sp.web.lists.getByTitle('Companies');
    const contacts = h.sp.web.lists.getByTitle('Contacts');
    const { Id: companiesId } = await companies.select('Id')();

    const text = await companies.fields.addText('Exact Code', { MaxLength: 20, Indexed: true, EnforceUniqueValues: true });
    expect(text).toMatchObject({ InternalName: 'Exact_x0020_Code', TypeAsString: 'Text', MaxLength: 20, EnforceUniqueValues: true });
    await companies.fields.addMultilineText('Notes');
    await companies.fields.addNumber('Employees', { MinimumValue: 0, MaximumValue: 100000 });
    await companies.fields.addCurrency('Credit Limit');
    await companies.fields.addBoolean('Active');
    await companies.fields.addDateTime('Customer Since');
    await companies.fields.addChoice('Status', { Choices: ['Prospect', 'Customer'], FillInChoice: false });
    await companies.fields.addUrl('Website');
    await companies.fields.addUser('Account Manager');
    await companies.fields.createFieldAsXml('<Field Type="Text" Name="VatNumber" DisplayName="VatNumber" MaxLength="30" />');
    await companies.fields.createFieldAsXml({ SchemaXml: '<Field Type="Number" Name="KvK" DisplayName="KvK number" />', Options: 8 });
    const lookup = await contacts.fields.addLookup('Company', { LookupListId: companiesId, LookupFieldName: 'Title' });
    expect(lookup).toMatchObject({ TypeAsString: 'Lookup', LookupField: 'Title' });

    const status = await companies.fields.getByInternalNameOrTitle('Status')();
    expect(status.Choices).toEqual(['Prospect', 'Customer']);
    const byTitle = await companies.fields.getByInternalNameOrTitle('KvK number').select('InternalName')();
    expect(byTitle.InternalName).toBe('KvK');
    await expect(companies.fields.getByInternalNameOrTitle('Missing')()).rejects.toMatchObject({ status: 404 });
    await expect(companies.fields.addText('Status')).rejects.toThrow(/duplicate field name/);

    const custom = await companies.fields.filter("Group eq 'Custom Columns'").select('InternalName')();
    expect(custom.map((f: { InternalName: string }) => f.InternalName)).toEqual([
      'Title', 'Exact_x0020_Code', 'Notes', 'Employees', 'Credit_x0020_Limit', 'Active', 'Customer_x0020_Since', 'Status', 'Website',
      'Account_x0020_Manager', 'VatNumber', 'KvK',
    ]);
  });
});

describe('site users', () => {
  it('knows the current user, finds people and ensures new ones for person columns', async () => {
    expect(await h.sp.web.currentUser()).toMatchObject({ Id: 6, Email: 'admin@contoso.test', IsSiteAdmin: true });
    expect(await h.sp.web.siteUsers.getByEmail('SALES@contoso.test')()).toMatchObject({ Id: 7, Title: 'Sanne de Vries' });
    expect(await h.sp.web.siteUsers.getByLoginName("i:0#.f|membership|pieter@contoso.test")()).toMatchObject({ Id: 8 });
    const ensured = await h.sp.web.ensureUser('i:0#.f|membership|jan.de-boer@contoso.test');
    expect(ensured).toMatchObject({ Id: 11, Title: 'Jan De Boer', Email: 'jan.de-boer@contoso.test' });
    expect((await h.sp.web.ensureUser('jan.de-boer@contoso.test')).Id).toBe(11);
    expect(await h.sp.web.getUserById(11).select('Title')()).toEqual(expect.objectContaining({ Title: 'Jan De Boer' }));
    await expect(h.sp.web.siteUsers.getByEmail('nobody@contoso.test')()).rejects.toMatchObject({ status: 404 });
    await expect(h.sp.web.ensureUser('not a login')).rejects.toThrow(/could not be found/);
  });
});

