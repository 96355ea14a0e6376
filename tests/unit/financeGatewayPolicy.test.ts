import { describe, expect, it } from 'vitest';
import { isPanelAccountRead } from '../../gateway/financePolicy';

describe('gateway: the customer panel policy', () => {
  it('caches the panel\'s account read by key, never a filtered account read', () => {
    expect(isPanelAccountRead('GET', "2950001/crm/Accounts(guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2')?$select=ID,CreditLineSales")).toBe(true);
    expect(isPanelAccountRead('GET', "2950001/crm/Accounts?$filter=ChamberOfCommerce eq '1'")).toBe(false);
    expect(isPanelAccountRead('PUT', "2950001/crm/Accounts(guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2')")).toBe(false);
    expect(isPanelAccountRead('GET', "2950001/crm/Accounts(guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2')/$count")).toBe(false);
  });
});
