/**
 * Issue 20.1: the gateway authorises by intent. Probed as a hostile or clumsy tenant user would:
 * the product's own operations pass for the roles that do them, everything else is 403 with an
 * audit line, whoever asks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUsers } from '../../sandbox/idp';
import { call, createCustomer, invoicesPath, lookupPath, startConnectedHarness, type ConnectedHarness } from '../support/gatewayHarness';

interface AuditLine {
  event: string;
  operation: string;
  outcome: string;
  tenant: string;
  user: string;
  division?: number;
  reason?: string;
}

const auditLines = (c: ConnectedHarness): AuditLine[] =>
  c.h.logger.lines.map((line) => JSON.parse(line) as AuditLine).filter((line) => line.event === 'audit');

describe('gateway authorisation by intent (issue 20.1)', () => {
  let c: ConnectedHarness;
  let intern: string;
  let accountId: string;
  const exactPath = (rest: string): string => `/gateway/exact/${c.division}/${rest}`;

  beforeAll(async () => {
    c = await startConnectedHarness();
    intern = await c.h.tokenFor(demoUsers.noRole);
    accountId = String(c.h.exact.records(c.division, 'Accounts')[0]!.ID);
  });
  afterAll(async () => c.h.close());

  it('a sales user cannot change Exact: the account update, the contact and the supplier are refused, audited, and Exact is unchanged', async () => {
    const { h, sales, division } = c;
    const accountsBefore = JSON.stringify(h.exact.records(division, 'Accounts'));
    const contactsBefore = h.exact.records(division, 'Contacts').length;
    h.exact.resetCounters();
    const put = await call(h, exactPath(`crm/Accounts(guid'${accountId}')`), sales, { method: 'PUT', body: JSON.stringify({ Email: 'payments@attacker.test', CreditLineSales: 999999 }) });
    const contact = await call(h, exactPath('crm/Contacts'), sales, { method: 'POST', body: JSON.stringify({ Account: accountId, FirstName: 'Mallory', LastName: 'Mint' }) });
    const supplier = await createCustomer(h, sales, { division, item: 901, body: { Name: 'Mint Supplies', Country: 'NL', Status: 'S', IsSupplier: true } });
    const creditLine = await createCustomer(h, sales, { division, item: 902, body: { Name: 'Mint Trading', Country: 'NL', CreditLineSales: 999999 } });
    const prospect = await createCustomer(h, sales, { division, item: 903, body: { Name: 'Mint Prospect', Country: 'NL', Status: 'P' } });
    for (const answer of [put, contact, supplier, creditLine, prospect]) {
      expect(answer.status).toBe(403);
    }
    expect(((await put.json()) as { error: string; message: string }).message).toMatch(/PUT crm\/Accounts.*not something the connector does/);
    expect(((await supplier.json()) as { message: string }).message).toMatch(/IsSupplier is not among/);
    expect(((await creditLine.json()) as { message: string }).message).toMatch(/CreditLineSales/);
    expect(JSON.stringify(h.exact.records(division, 'Accounts'))).toBe(accountsBefore);
    expect(h.exact.records(division, 'Contacts')).toHaveLength(contactsBefore);
    expect(h.exact.calls(division)).toBe(0);
    const refused = auditLines(c).filter((line) => line.outcome === 'refused' && line.user === demoUsers.sales.oid);
    expect(refused).toHaveLength(5);
    expect(refused.map((line) => line.operation)).toEqual(['unknown', 'unknown', 'create-customer', 'create-customer', 'create-customer']);
    for (const line of refused) {
      expect(line).toMatchObject({ tenant: demoUsers.sales.tid, division });
      expect(line.reason).toBeTruthy();
    }
  });

  it('an admin is refused the same: the product never updates an account or writes a contact', async () => {
    const { h, admin } = c;
    const put = await call(h, exactPath(`crm/Accounts(guid'${accountId}')`), admin, { method: 'PUT', body: JSON.stringify({ Email: 'x@y.test' }) });
    const contact = await call(h, exactPath('crm/Contacts'), admin, { method: 'POST', body: JSON.stringify({ Account: accountId, LastName: 'x' }) });
    expect([put.status, contact.status]).toEqual([403, 403]);
  });

  it('a token with neither role gets 403 everywhere, naming the role it lacks', async () => {
    const { h, division } = c;
    const attempts: Array<[string, RequestInit]> = [
      ['/gateway/connection', {}],
      [exactPath(`crm/Accounts(guid'${accountId}')?$select=ID,Name`), {}],
      [lookupPath(division), {}],
      ['/gateway/exact/current/Me', {}],
      [`/gateway/documents/${division}/invoices/${accountId}/pdf`, {}],
    ];
    for (const [path, init] of attempts) {
      const answer = await call(h, path, intern, init);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(((await answer.json()) as { message: string }).message).toContain('Connector.User');
    }
    const create = await createCustomer(h, intern, { division, item: 904, body: { Name: 'Iris BV', Country: 'NL' } });
    expect(create.status).toBe(403);
    expect(auditLines(c).filter((line) => line.user === demoUsers.noRole.oid && line.outcome === 'refused')).toHaveLength(attempts.length + 1);
  });

  it('sales read the customer panel and look customers up; imports, division lists and ledger-wide reads need Connector.Admin', async () => {
    const { h, sales, admin, division } = c;
    const panel = [
      exactPath(`crm/Accounts(guid'${accountId}')?$select=ID,Code,Name,CreditLineSales,Blocked`),
      exactPath(`cashflow/Receivables?$select=InvoiceNumber,AmountDC&$filter=Account eq guid'${accountId}' and (IsFullyPaid eq false or InvoiceDate ge datetime'2025-05-01T00:00:00Z')`),
      exactPath(`read/financial/ReceivablesList?$select=HID,Amount&$filter=AccountId eq guid'${accountId}'`),
      invoicesPath(division, accountId),
      lookupPath(division),
      '/gateway/exact/current/Me?$select=FullName',
    ];
    for (const path of panel) {
      expect({ path, status: (await call(h, path, sales)).status }).toEqual({ path, status: 200 });
    }
    const adminOnly = [
      exactPath('bulk/CRM/Accounts?$select=ID,Name'),
      exactPath('sync/CRM/Accounts?$select=ID,Timestamp&$filter=Timestamp gt 1L'),
      exactPath('sync/Deleted?$select=EntityKey,Timestamp&$filter=Timestamp gt 1L'),
      exactPath('crm/Accounts?$select=ID,Name&$filter=Blocked eq false'),
      exactPath(`crm/Contacts?$select=ID&$filter=Account eq guid'${accountId}'`),
      exactPath('system/Divisions?$select=Code,Description'),
    ];
    for (const path of adminOnly) {
      const refused = await call(h, path, sales);
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
      expect(((await refused.json()) as { message: string }).message).toContain('Connector.Admin');
      expect({ path, status: (await call(h, path, admin)).status }).toEqual({ path, status: 200 });
    }
  });

  it('a sales user cannot widen a panel read to the whole ledger', async () => {
    const { h, sales, division } = c;
    h.exact.resetCounters();
    const widened = [
      exactPath(`cashflow/Receivables?$select=AccountName,AmountDC&$filter=Account eq guid'${accountId}' or IsFullyPaid eq false`),
      exactPath(`cashflow/Receivables?$select=AccountName,AmountDC&$filter=Account eq guid'${accountId}' and IsFullyPaid eq false OR 1 eq 1`),
      exactPath(`cashflow/Receivables?$select=AccountName&$filter=Account eq guid'${accountId}'&$filter=IsFullyPaid eq false`),
      exactPath('cashflow/Receivables?$select=AccountName,AmountDC'),
      exactPath(`read/financial/ReceivablesList?$filter=(AccountId eq guid'${accountId}') or (Amount gt 0)`),
      exactPath(`crm/Accounts?$select=ID,Name,Email&$filter=Name eq 'x' or Blocked eq false`),
      exactPath(`crm/Accounts?$select=ID,Name&$filter=substringof('a', Name) eq true`),
      exactPath(`crm/Accounts(guid'${accountId}')?$expand=BankAccounts`),
    ];
    for (const path of widened) {
      expect({ path, status: (await call(h, path, sales)).status }).toEqual({ path, status: 403 });
    }
    expect(h.exact.calls(division)).toBe(0);
  });
});
