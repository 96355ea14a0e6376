import { describe, expect, it } from 'vitest';
import { isLookup, isScopedToOne, topLevelParts } from '../../gateway/access/odataFilter';
import { classifyExactRequest, type ExactRequestShape } from '../../gateway/access/operations';
import { enabledAfterConnect, enabledDivisions } from '../../gateway/access/divisions';

const id = '0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2';
const other = '1f0c2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const q = (options: Record<string, string>): string => `?${Object.entries(options).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')}`;
const shape = (method: string, rest: string, search = ''): ExactRequestShape => ({ method, endpoint: rest.replace(/\(.*$|\/\$count$/, ''), rest, search });
const operationOf = (s: ExactRequestShape): string => {
  const classified = classifyExactRequest(s);
  return 'operation' in classified ? classified.operation : 'refused';
};

describe('gateway operations: what the connector does with Exact', () => {
  it('reads the filter\'s top level only: quotes and brackets hide their and/or', () => {
    expect(topLevelParts(`Account eq guid'${id}' and (IsFullyPaid eq false or InvoiceDate ge datetime'2025-01-01')`, 'or')).toHaveLength(1);
    expect(topLevelParts("Name eq 'Jansen and Zonen or so' and Blocked eq false", 'and')).toEqual(["Name eq 'Jansen and Zonen or so'", 'Blocked eq false']);
    expect(topLevelParts("Name eq 'it''s' OR Name eq 'x'", 'or')).toEqual(["Name eq 'it''s'", "Name eq 'x'"]);
    expect(topLevelParts('(a)or(b)', 'or')).toEqual(['(a)', '(b)']);
    expect(topLevelParts("Name eq 'open", 'or')).toBeUndefined();
    expect(topLevelParts('a) or (b', 'or')).toBeUndefined();
  });

  it('a panel read is scoped to one customer only when nothing at the top can widen it', () => {
    expect(isScopedToOne(`Account eq guid'${id}'`, 'Account')).toBe(true);
    expect(isScopedToOne(`Account eq guid'${id}' and (IsFullyPaid eq false or InvoiceDate ge datetime'2025-01-01T00:00:00Z')`, 'Account')).toBe(true);
    for (const widened of [
      `Account eq guid'${id}' or Blocked eq false`,
      `Account eq guid'${id}' and IsFullyPaid eq false OR 1 eq 1`,
      `(Account eq guid'${id}') or (1 eq 1)`,
      `(Account eq guid'${id}' or 1 eq 1)`,
      `Account ne guid'${id}'`,
      `Account eq guid'${id}'x`,
      `AccountId eq guid'${id}'`,
      'IsFullyPaid eq false',
    ]) {
      expect({ widened, scoped: isScopedToOne(widened, 'Account') }).toEqual({ widened, scoped: false });
    }
  });

  it('a lookup finds customers by what identifies them, and cannot list the rest', () => {
    const fields = ['Name', 'ChamberOfCommerce', 'VATNumber'];
    expect(isLookup("(ChamberOfCommerce eq '61234567') or (VATNumber eq 'NL861234567B01') or (Name eq 'Bakkerij ''t Hoekje')", fields)).toBe(true);
    expect(isLookup("Name eq 'Zonnedak'", fields)).toBe(true);
    expect(isLookup("Name ne 'Zonnedak'", fields)).toBe(false);
    expect(isLookup("(Name eq 'a') and (Blocked eq false)", fields)).toBe(false);
    expect(isLookup("(Name eq 'a' or 1 eq 1)", fields)).toBe(false);
    expect(isLookup("substringof('a', Name) eq true", fields)).toBe(false);
    expect(isLookup("Email eq 'x@y.nl'", fields)).toBe(false);
  });

  it('knows the product\'s operations and nothing else', () => {
    const division = '2950001/';
    const cases: Array<[ExactRequestShape, string]> = [
      [shape('GET', 'current/Me', '?$select=FullName'), 'read-exact-user'],
      [shape('GET', `crm/Accounts(guid'${id}')`, q({ $select: 'ID,Code,Name,CreditLineSales,Blocked' })), 'read-customer'],
      [shape('GET', 'crm/Accounts', q({ $filter: "(ChamberOfCommerce eq '1') or (Name eq 'x')", $select: 'ID', $top: '20' })), 'find-customer'],
      [shape('GET', 'cashflow/Receivables', q({ $filter: `Account eq guid'${id}' and (IsFullyPaid eq false or InvoiceDate ge datetime'2025-05-01T00:00:00Z')`, $select: 'InvoiceNumber' })), 'read-customer-finance'],
      [shape('GET', 'read/financial/ReceivablesList', q({ $filter: `AccountId eq guid'${id}'` })), 'read-customer-finance'],
      [shape('GET', 'salesinvoice/SalesInvoices', q({ $filter: `InvoiceTo eq guid'${id}'` })), 'read-customer-finance'],
      [shape('POST', 'crm/Accounts'), 'create-customer'],
      // An admin's import reads, and the same shapes from a sales user are refused by role, not here.
      [shape('GET', 'bulk/CRM/Accounts', q({ $select: 'ID,Name' })), 'read-import-source'],
      [shape('GET', 'sync/Deleted', q({ $filter: 'Timestamp gt 1L' })), 'read-import-source'],
      [shape('GET', 'crm/Accounts', q({ $filter: 'Blocked eq false' })), 'read-import-source'],
      [shape('GET', 'cashflow/Receivables', q({ $filter: `Account eq guid'${id}' or 1 eq 1` })), 'read-import-source'],
      [shape('GET', 'crm/Accounts', `${q({ $filter: `ID eq guid'${id}'` })}&$filter=Blocked%20eq%20false`), 'read-import-source'],
      [shape('GET', `crm/Accounts(guid'${id}')`, q({ $expand: 'BankAccounts' })), 'read-import-source'],
      [shape('GET', 'crm/Contacts', q({ $filter: `Account eq guid'${id}'` })), 'read-import-source'],
      [shape('GET', 'system/Divisions', q({ $select: 'Code' })), 'read-divisions'],
      // Never, for anyone.
      [shape('PUT', `crm/Accounts(guid'${id}')`), 'refused'],
      [shape('POST', 'crm/Contacts'), 'refused'],
      [shape('POST', `crm/Accounts(guid'${other}')`), 'refused'],
      [shape('DELETE', `crm/Accounts(guid'${id}')`), 'refused'],
      [shape('GET', 'documents/Documents', q({ $filter: `FinancialTransactionEntryID eq guid'${id}'` })), 'refused'],
      [shape('GET', 'hrm/Employees'), 'refused'],
      [shape('PUT', `salesinvoice/SalesInvoices(guid'${id}')`), 'refused'],
      [shape('POST', `salesinvoice/SalesInvoices(guid'${id}')`), 'refused'],
      // An order run's concept invoices: created, looked up by reference or id (never from the cache), undone.
      [shape('POST', 'salesinvoice/SalesInvoices'), 'send-orders'],
      [shape('DELETE', `salesinvoice/SalesInvoices(guid'${id}')`), 'undo-orders'],
      [shape('GET', 'salesinvoice/SalesInvoices', q({ $filter: "YourRef eq 'IM-2026-11-IM-100231' or YourRef eq 'IM-2026-11-IM-100232'", $select: 'InvoiceID,YourRef' })), 'read-order-data'],
      [shape('GET', 'salesinvoice/SalesInvoices', q({ $filter: `InvoiceID eq guid'${id}' or InvoiceID eq guid'${other}'`, $select: 'InvoiceID,Status' })), 'read-order-data'],
      [shape('GET', 'salesinvoice/SalesInvoices', q({ $filter: "YourRef eq 'x' or Status eq 20" })), 'read-import-source'],
      [shape('GET', 'financial/Journals', q({ $filter: 'Type eq 20', $select: 'Code,Description,Type' })), 'read-order-data'],
    ];
    for (const [asked, expected] of cases) {
      expect({ asked: `${asked.method} ${division}${asked.rest}${asked.search}`, operation: operationOf(asked) }).toEqual({ asked: `${asked.method} ${division}${asked.rest}${asked.search}`, operation: expected });
    }
  });

  it('enables only the working division on a first connect and keeps the admin\'s choice on a reconnect', () => {
    const divisions = [{ code: 1, description: 'NL' }, { code: 2, description: 'BE' }, { code: 3, description: 'DE' }];
    expect(enabledAfterConnect({ codes: [1, 2, 3], division: 1, previous: undefined })).toEqual([1]);
    expect(enabledAfterConnect({ codes: [1, 2, 3], division: null, previous: undefined })).toEqual([]);
    const previous = { divisions, division: 1, enabledDivisions: [1, 3] };
    expect(enabledAfterConnect({ codes: [1, 2, 3], division: 1, previous })).toEqual([1, 3]);
    // The new consent no longer covers 3; the working division moved to 2.
    expect(enabledAfterConnect({ codes: [1, 2], division: 2, previous })).toEqual([1, 2]);
    // A record from before the choice existed: its working division only.
    expect(enabledDivisions({ divisions, division: 2 })).toEqual([2]);
    expect(enabledDivisions({ divisions, division: 2, enabledDivisions: [2, 9] })).toEqual([2]);
  });
});
