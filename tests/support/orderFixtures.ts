/**
 * What the order-run tests share: the shipped sample billing report planned against a division
 * (mapped once, as an admin would), and a transport that can lose or refuse the n-th POST.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExactRequest, ExactResponse, Transport } from '../../src/exact/transport';
import { parseBillingReport } from '../../src/orders/billingReport';
import { planOrders, type DivisionCatalog, type OrderPlan } from '../../src/orders/plan';
import { withCustomer, withProduct, type OrderMapping } from '../../src/orders/profile';

export const sampleReport = parseBillingReport(readFileSync(join(__dirname, '../../src/orders/samples/billing-report-2026-11.csv'), 'utf8'), 'report.csv');

/** The sample report fully mapped: the customer without a KvK number chosen once, each SKU to a licence or contract item. */
export function sampleOrderPlan(catalog: DivisionCatalog, referencePrefix = 'IM'): OrderPlan {
  const stichting = catalog.accounts.find((a) => a.name === 'Stichting Buurtwerk Oost')!;
  let mapping: OrderMapping = withCustomer({ customers: {}, products: {} }, 'IM-100251', { accountId: stichting.id, accountCode: stichting.code, accountName: stichting.name });
  const licences = catalog.items.filter((i) => i.code.startsWith('LIC-') || i.code.startsWith('CTR-'));
  [...new Set(sampleReport.lines.map((l) => l.sku))].forEach((sku, i) => {
    const item = licences[i % licences.length];
    mapping = withProduct(mapping, sku, { itemId: item.id, itemCode: item.code, itemDescription: item.description, unitPrice: null, vatCode: null });
  });
  return planOrders({ profile: { grouping: 'perCustomerPerPeriod', referencePrefix, defaults: { vatCode: null, paymentCondition: null }, mapping }, lines: sampleReport.lines, catalog });
}

/** A transport that can lose the answer of the n-th POST (sent, but no reply) or refuse to send it. */
export function faultyTransport(inner: Transport) {
  const faults: Array<{ post: number; kind: 'lostAnswer' | 'notSent' | 'unavailable' | 'budget' }> = [];
  let posts = 0;
  const requests: ExactRequest[] = [];
  const transport: Transport = {
    async send(request): Promise<ExactResponse> {
      requests.push(request);
      if (request.method !== 'POST') return inner.send(request);
      posts += 1;
      const fault = faults.find((f) => f.post === posts);
      if (fault?.kind === 'notSent') throw new Error('socket hang up');
      if (fault?.kind === 'unavailable') return { status: 503, headers: {}, data: '<html>503 Service Unavailable</html>' };
      if (fault?.kind === 'budget') return { status: 429, headers: {}, data: { error: { code: '', message: { lang: '', value: 'API usage limit exceeded: the minutely limit of this division has been reached.' } } } };
      const response = await inner.send(request);
      if (fault?.kind === 'lostAnswer') throw new Error('timeout of 30000ms exceeded');
      return response;
    },
  };
  return { transport, faults, requests, reset: () => { faults.length = 0; posts = 0; requests.length = 0; } };
}
