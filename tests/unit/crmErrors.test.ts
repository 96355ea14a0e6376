import { describe, expect, it } from 'vitest';
import { mergeFields } from '../../src/crm/crmList';
import { contactsList } from '../../src/crm/schema';
import { siteFieldSchema } from '../../src/crm/siteFields';
import { describeSharePointError, fieldsNamedIn } from '../../src/crm/spErrors';

/** Shaped like PnPjs's HttpRequestError (status + the Response it came from). */
class FakeHttpError extends Error {
  public constructor(
    public readonly status: number,
    public readonly response: Response,
  ) {
    super(`Error making HttpClient request in queryable [${status}]`);
  }
}

const known = [
  { internalName: 'ExactId', title: 'Exact ID' },
  { internalName: 'Company', title: 'Company' },
];

describe('SharePoint error messages', () => {
  it('reads odata.error.message.value and names the field from its display title', async () => {
    const body = {
      'odata.error': {
        code: '-2130575169, Microsoft.SharePoint.SPDuplicateValuesFoundException',
        message: {
          lang: 'en-US',
          value:
            'The list item could not be added or updated because duplicate values were found in the following field(s) in the list: [Exact ID].',
        },
      },
    };
    const failure = await describeSharePointError(new FakeHttpError(400, Response.json(body, { status: 400 })), known);
    expect(failure.status).toBe(400);
    expect(failure.message).toContain('duplicate values were found');
    expect(failure.problems?.map((p) => p.field)).toEqual(['ExactId']);
  });

  it('reads the verbose error shape and maps <Name>Id back to the lookup column', async () => {
    const body = { error: { code: '-1, Microsoft.SharePoint.Client.InvalidClientQueryException', message: { value: "The property 'CompanyId' does not exist on type 'SP.Data.ContactsListItem'." } } };
    const failure = await describeSharePointError(new FakeHttpError(400, Response.json(body, { status: 400 })), known);
    expect(failure.problems?.map((p) => p.field)).toEqual(['Company']);
  });

  it('keeps a non-JSON body as text and passes other errors through', async () => {
    const failure = await describeSharePointError(new FakeHttpError(502, new Response('Bad gateway', { status: 502 })));
    expect(failure).toMatchObject({ status: 502, message: 'SharePoint answered 502: Bad gateway' });
    expect(await describeSharePointError(new Error('socket hang up'))).toEqual({ message: 'socket hang up' });
    expect(fieldsNamedIn("Column 'Foo' does not exist. It may have been deleted by another user.")).toEqual(['Foo']);
  });
});

describe('describing a list from schema and site', () => {
  it("overlays the site's MaxLength and choices and reports declared columns the site lacks", () => {
    const site = [
      { InternalName: 'Title', Title: 'Name', FieldTypeKind: 2, MaxLength: 255, Required: true },
      { InternalName: 'Email', Title: 'Email', FieldTypeKind: 2, MaxLength: 100 },
      { InternalName: 'Company', Title: 'Company', FieldTypeKind: 7, LookupList: '{abc}' },
      { InternalName: 'Region', Title: 'Region', FieldTypeKind: 6, Choices: { results: ['Noord', 'Zuid'] } },
      { InternalName: 'Modified', Title: 'Modified', FieldTypeKind: 4, ReadOnlyField: true },
      { InternalName: 'Hidden1', Title: 'h', FieldTypeKind: 2, Hidden: true },
    ].map((f) => siteFieldSchema.parse(f));
    const { fields, missing } = mergeFields(contactsList, site);
    expect(fields.map((f) => f.internalName)).toEqual(['Title', 'Email', 'Company', 'Region']);
    expect(fields.find((f) => f.internalName === 'Email')?.maxLength).toBe(100);
    expect(fields.find((f) => f.internalName === 'Title')?.title).toBe('Name');
    expect(fields.find((f) => f.internalName === 'Company')?.lookupList).toBe('Companies');
    expect(fields.find((f) => f.internalName === 'Region')).toMatchObject({ type: 'choice', choices: ['Noord', 'Zuid'] });
    expect(missing).toEqual(['FirstName', 'LastName', 'Phone', 'Mobile', 'JobTitle', 'ExactId', 'ExactAccountId', 'DeletedInExact', 'ExactDivision']);
  });
});
