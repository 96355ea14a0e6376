import type { SPFI } from '@pnp/sp';
import { createListProvisioner } from '../src/crm/masterProvision';
import { ORDER_LISTS } from '../src/crm/orderSchema';
import { CRM_LISTS } from '../src/crm/schema';
import type { ExactEmulatorControl } from './exact';

/**
 * A few CRM sales orders of a Dutch IT reseller, so `npm start` shows a CRM order profile at work:
 * customers linked to Exact (by the company's Exact ID), one found by its KvK number, one the admin
 * maps once; lines by Exact item code, one by a CRM product to map, one without a quantity (held
 * back, named), and a draft that is not sent. Only into an empty Sales Orders list, so a restart
 * (or orders the admin entered) is left alone.
 */
export async function seedCrmOrders(input: { sp: SPFI; exact: ExactEmulatorControl; division: number }): Promise<{ orders: number; seeded: boolean }> {
  const { sp, exact, division } = input;
  await createListProvisioner(sp).ensure(ORDER_LISTS.salesOrderLines);
  const orders = sp.web.lists.getByTitle(ORDER_LISTS.salesOrders);
  const present = await orders.items.select('Id').top(1)();
  if (present.length > 0) return { orders: present.length, seeded: false };

  const accounts = exact.records(division, 'Accounts').filter((a) => a.Status === 'C' && !a.Blocked && a.ChamberOfCommerce);
  const items = exact.masterRecords(division, 'items');
  const code = (description: string): string => {
    const item = items.find((i) => i.Description === description);
    if (!item) throw new Error(`The Exact stand-in has no item "${description}".`);
    return String(item.Code).trim();
  };
  const companies = sp.web.lists.getByTitle(CRM_LISTS.companies);
  const company = async (values: Record<string, unknown>): Promise<number> => {
    // A company imported from Exact already carries the link; it is used, not added twice.
    const linked = typeof values.ExactId === 'string' ? await companies.items.select('Id').filter(`ExactId eq '${values.ExactId}'`).top(1)() : [];
    if (linked[0]) return (linked[0] as { Id: number }).Id;
    return ((await companies.items.add(values)) as { Id: number }).Id;
  };
  const [a, b] = accounts;
  const linked = await company({ Title: String(a.Name), ExactId: String(a.ID), ExactDivision: division, KvkNumber: a.ChamberOfCommerce, City: a.City });
  const byKvk = await company({ Title: String(b.Name), KvkNumber: b.ChamberOfCommerce, City: b.City });
  const mapOnce = await company({ Title: 'Tandartsenpraktijk Het Zuiden', City: 'Eindhoven' });

  const order = async (values: Record<string, unknown>): Promise<number> => ((await orders.items.add(values)) as { Id: number }).Id;
  const lines = sp.web.lists.getByTitle(ORDER_LISTS.salesOrderLines);
  const line = (values: Record<string, unknown>): Promise<unknown> => lines.items.add(values);
  const ready = 'Ready for Exact';

  const o1 = await order({ Title: 'VO-2026-0141', CompanyId: linked, OrderDate: '2026-11-23T00:00:00Z', CustomerReference: 'PO-88123', OrderDescription: 'Drie werkplekken nieuwe medewerkers', OrderStatus: ready });
  await line({ Title: 'Lenovo ThinkPad T14 Gen 5', SalesOrderId: o1, ItemCode: code('Lenovo ThinkPad T14 Gen 5'), Quantity: 3, UnitPrice: 1349, DiscountPercent: 5 });
  await line({ Title: 'Lenovo ThinkPad Universal USB-C Dock', SalesOrderId: o1, ItemCode: code('Lenovo ThinkPad Universal USB-C Dock'), Quantity: 3, UnitPrice: 239 });
  await line({ Title: 'Installatie werkplek', SalesOrderId: o1, ItemCode: code('Installatie werkplek'), Quantity: 3, UnitPrice: 85 });

  const o2 = await order({ Title: 'VO-2026-0142', CompanyId: byKvk, OrderDate: '2026-11-24T00:00:00Z', CustomerReference: 'Raamcontract 2027', OrderStatus: ready });
  await line({ Title: 'Microsoft 365 Business Premium (jaar)', SalesOrderId: o2, ItemCode: code('Microsoft 365 Business Premium (jaar)'), Quantity: 12, UnitPrice: 264 });
  await line({ Title: 'Beheercontract werkplek, 12 maanden', SalesOrderId: o2, ItemCode: code('Beheercontract werkplek per maand'), Quantity: 12, UnitPrice: 29.5, DiscountPercent: 10 });

  const o3 = await order({ Title: 'VO-2026-0143', CompanyId: mapOnce, OrderDate: '2026-11-25T00:00:00Z', OrderDescription: 'Schermen behandelkamers', OrderStatus: ready });
  await line({ Title: 'Dell P2425H 24"', SalesOrderId: o3, ItemCode: code('Dell P2425H 24"'), Quantity: 4, UnitPrice: 219 });
  await line({ Title: 'HDMI-kabel 2 m', SalesOrderId: o3, Product: 'KABEL-HDMI-2M', Quantity: 4, UnitPrice: 12.5 });

  const o4 = await order({ Title: 'VO-2026-0144', CompanyId: linked, OrderDate: '2026-11-26T00:00:00Z', OrderDescription: 'Offerte docking stations', OrderStatus: 'Draft' });
  await line({ Title: 'Dell WD19S dockingstation', SalesOrderId: o4, ItemCode: code('Dell WD19S dockingstation'), Quantity: 10, UnitPrice: 219 });

  const o5 = await order({ Title: 'VO-2026-0145', CompanyId: byKvk, OrderDate: '2026-11-27T00:00:00Z', CustomerReference: 'Mail 27-11', OrderStatus: ready });
  await line({ Title: 'Logitech MX Master 3S muis', SalesOrderId: o5, ItemCode: code('Logitech MX Master 3S muis'), UnitPrice: 99 });
  return { orders: 5, seeded: true };
}
