import { describe, expect, it } from 'vitest';
import { accountCreateAudit, createdAccountId, isPanelAccountRead } from '../../gateway/financePolicy';
import { HttpError } from '../../gateway/http';

const sales = { tenantId: 't', userId: 'u-sales', name: 'Sam Sales', roles: [], isAdmin: false };

describe('gateway: the customer panel policy', () => {
  it('caches the panel\'s account read by key, never a filtered account read', () => {
    expect(isPanelAccountRead('GET', "2950001/crm/Accounts(guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2')?$select=ID,CreditLineSales")).toBe(true);
    expect(isPanelAccountRead('GET', "2950001/crm/Accounts?$filter=ChamberOfCommerce eq '1'")).toBe(false);
    expect(isPanelAccountRead('PUT', "2950001/crm/Accounts(guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2')")).toBe(false);
    expect(isPanelAccountRead('GET', "2950001/crm/Accounts(guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2')/$count")).toBe(false);
  });

  it('lets a sales user create an account and says who, but only a new one with a name', () => {
    expect(accountCreateAudit(sales, 'POST', 'crm/Accounts', { Name: ' Zonnedak B.V. ', Status: 'C' })).toEqual({ by: 'Sam Sales', userId: 'u-sales', admin: false, name: 'Zonnedak B.V.' });
    expect(accountCreateAudit(sales, 'PUT', 'crm/Accounts', { Name: 'x' })).toBeUndefined();
    expect(accountCreateAudit(sales, 'POST', 'crm/Contacts', { LastName: 'x' })).toBeUndefined();
    expect(() => accountCreateAudit(sales, 'POST', 'crm/Accounts', { Status: 'C' })).toThrow(/field Name/);
    expect(() => accountCreateAudit(sales, 'POST', 'crm/Accounts', [])).toThrow(HttpError);
    expect(() => accountCreateAudit(sales, 'POST', 'crm/Accounts', { Name: 'x', ID: '0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2' })).toThrow(/field ID/);
  });

  it('reads the new ID from Exact\'s answer for the log', () => {
    expect(createdAccountId({ status: 201, headers: {}, data: { d: { ID: 'abc' } } })).toBe('abc');
    expect(createdAccountId({ status: 500, headers: {}, data: 'oops' })).toBeUndefined();
  });
});
