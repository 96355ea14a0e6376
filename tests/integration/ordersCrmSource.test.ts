/**
 * CRM Sales Orders → Exact Online sales orders, end to end over both stand-ins: PnPjs reads the
 * `Ready for Exact` orders and their lines from the SharePoint emulator, the plan finds customers
 * by the company's Exact link, KvK number or the saved mapping and items by code or mapping, the
 * exactly-once engine sends one Exact order per CRM order (YourRef = prefix + CRM order id), and
 * Exact's order goes back onto the CRM order. A re-run, a lost write-back and a second profile run
 * create no second Exact order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createListProvisioner } from '../../src/crm/masterProvision';
import { createCrmOrderLists } from '../../src/crm/orderLists';
import { ORDER_LISTS } from '../../src/crm/orderSchema';
import { provisionCrm } from '../../src/crm/provision';
import { CRM_LISTS } from '../../src/crm/schema';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { CrmProfileExistsError, DEFAULT_CRM_ORDER_LISTS, IN_EXACT, READY_FOR_EXACT, type CrmOrderSource } from '../../src/orders/crmSource';
import type { DivisionCatalog } from '../../src/orders/plan';
import { OrderRefusedError } from '../../src/orders/ports';
import type { OrderProfile } from '../../src/orders/profile';
import { orderBecause, renderOrderReason } from '../../src/orders/reasons';
import { OrdersService } from '../../src/orders/service';
import { documentOrderProfiles, documentOrderRuns } from '../../src/orders/stores';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';
import { BE, NL, startExact, type Harness } from '../support/exactEmulatorHarness';

describe('CRM Sales Orders as an order source (SharePoint and Exact stand-ins)', () => {
  let crm: CrmSandbox;
  let h: Harness;
  let catalog: DivisionCatalog;
  let service: OrdersService;
  let profile: OrderProfile;
  let failWrites = 0;
  /** Creates before the next one is cut short, as Exact's budget running out does; -1 for never. */
  let cutAfter = -1;
  /** Exact orders whose delete Exact refuses (delivered meanwhile, or throttled). */
  const refuseDelete = new Set<string>();
  const ids: Record<string, number> = {};
  const itemCode = (description: string): string => catalog.items.find((i) => i.description === description)!.code.trim();
  const exactOrders = () => h.control.salesOrders(NL).filter((o) => String(o.order.YourRef).startsWith('CRM-'));
  const crmOrder = (id: number) => crm.control.items(ORDER_LISTS.salesOrders).find((i) => i.Id === id)!.values;

  beforeAll(async () => {
    [crm, h] = await Promise.all([startCrmSandbox(), startExact()]);
    const token = h.control.issueTokens().access_token;
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => token, timeoutMs: 20_000 }));
    catalog = await readDivisionCatalog(connection, NL);
    await provisionCrm(crm.sp);
    await createListProvisioner(crm.sp).ensure(ORDER_LISTS.salesOrderLines);

    const [linked, byKvk, unknown] = catalog.accounts.filter((a) => a.kvk);
    const companies = crm.control.addItems(CRM_LISTS.companies, [
      { Title: linked.name, ExactId: linked.id, ExactDivision: NL },
      { Title: byKvk.name, KvkNumber: byKvk.kvk },
      { Title: 'Huisartsenpraktijk De Linde' },
    ]);
    expect(unknown).toBeDefined();
    [ids.linkedCompany, ids.kvkCompany, ids.unknownCompany] = companies;
    const orders = crm.control.addItems(ORDER_LISTS.salesOrders, [
      { Title: 'VO-1001', CompanyId: companies[0], OrderDate: '2026-11-24T00:00:00Z', CustomerReference: 'PO 4471', OrderStatus: READY_FOR_EXACT },
      { Title: 'VO-1002', CompanyId: companies[1], OrderDate: '2026-11-25T00:00:00Z', OrderDescription: 'Werkplekken nieuwe medewerkers', OrderStatus: READY_FOR_EXACT },
      { Title: 'VO-1003', CompanyId: companies[2], OrderDate: '2026-11-26T00:00:00Z', OrderStatus: READY_FOR_EXACT },
      { Title: 'VO-1004', CompanyId: companies[0], OrderDate: '2026-11-27T00:00:00Z', OrderStatus: 'Draft' },
      { Title: 'VO-1005', CompanyId: companies[1], OrderDate: '2026-11-27T00:00:00Z', OrderStatus: READY_FOR_EXACT },
    ]);
    [ids.linked, ids.kvk, ids.mapped, ids.draft, ids.bad] = orders;
    crm.control.addItems(ORDER_LISTS.salesOrderLines, [
      { Title: 'Laptop', SalesOrderId: orders[0], ItemCode: itemCode('Lenovo ThinkPad T14 Gen 5'), Quantity: 2, UnitPrice: 1349, DiscountPercent: 10 },
      { Title: 'Dock', SalesOrderId: orders[0], ItemCode: itemCode('Lenovo ThinkPad Universal USB-C Dock'), Quantity: 2, UnitPrice: 239 },
      { Title: 'Microsoft 365 Business Premium', SalesOrderId: orders[1], ItemCode: itemCode('Microsoft 365 Business Premium (jaar)'), Quantity: 5, UnitPrice: 264 },
      { Title: 'Installatie', SalesOrderId: orders[1], Product: 'INSTALL-WP', Quantity: 5, UnitPrice: 85 },
      { Title: 'Headset', SalesOrderId: orders[1], ItemCode: itemCode('Jabra Evolve2 65 headset'), Quantity: 8, UnitPrice: 229, DiscountPercent: 7.5 },
      { Title: 'Back-up', SalesOrderId: orders[2], ItemCode: itemCode('Back-up as a service per maand'), Quantity: 12, UnitPrice: 49 },
      { Title: 'Draft', SalesOrderId: orders[3], ItemCode: itemCode('Dell P2425H 24"'), Quantity: 1, UnitPrice: 219 },
      { Title: 'Geen aantal', SalesOrderId: orders[4], ItemCode: itemCode('Dell P2425H 24"'), UnitPrice: 219 },
    ]);

    const documents = createDocumentStore(crm.sp);
    const lists = createCrmOrderLists(crm.sp);
    // Write-backs can be made to fail, as when SharePoint throttles or the item is locked.
    const crmOrders: CrmOrderSource = {
      read: (source) => lists.read(source),
      writeBack: (source, updates) => (failWrites > 0 ? (failWrites--, Promise.reject(new Error('SharePoint is busy'))) : lists.writeBack(source, updates)),
      versions: (source, ids) => lists.versions(source, ids),
      reopen: (source, orders) => lists.reopen(source, orders),
    };
    let n = 0;
    const exactTarget = createSalesOrderTarget(connection);
    service = new OrdersService({
      profiles: documentOrderProfiles(documents),
      runs: documentOrderRuns(documents, { now: () => Date.now() }),
      catalog: async () => catalog,
      target: {
        ...exactTarget,
        create: (division, draft) => (cutAfter-- === 0 ? Promise.reject(new Error('429 Too Many Requests')) : exactTarget.create(division, draft)),
        delete: (division, orderId) => (refuseDelete.has(orderId.toLowerCase()) ? Promise.reject(new OrderRefusedError(['Order is delivered'], 400)) : exactTarget.delete(division, orderId)),
      },
      validateGlobe: async () => ({ valid: true, errors: [] }),
      crmOrders,
      clock: { now: () => Date.UTC(2026, 11, 1, 9, 0, n++) },
      newId: () => `run-${n++}`,
    });
    profile = await service.createProfile({ title: 'CRM verkooporders', division: NL, target: 'exactOnline', source: 'crmLists', referencePrefix: 'CRM', vatCode: null, paymentCondition: null });
  });
  afterAll(async () => {
    await crm?.close();
    await h?.sandbox.close();
  });

  it('reads the ready orders, names the bad line by order and field, and blocks what is not mapped', async () => {
    expect(DEFAULT_CRM_ORDER_LISTS).toEqual({ ordersList: ORDER_LISTS.salesOrders, linesList: ORDER_LISTS.salesOrderLines });
    expect(profile.source).toEqual({ kind: 'crmLists', ...DEFAULT_CRM_ORDER_LISTS });
    expect(profile.grouping).toBe('perSourceOrder');
    // One CRM profile per pair of lists, whatever its division: the read takes every Ready order, so a
    // second profile (here or in BE) would send the same CRM order again and overwrite its write-back.
    const second = { title: 'Nog een', division: NL, target: 'exactOnline' as const, source: 'crmLists' as const, referencePrefix: 'VK', vatCode: null, paymentCondition: null };
    await expect(service.createProfile(second)).rejects.toBeInstanceOf(CrmProfileExistsError);
    await expect(service.createProfile({ ...second, division: BE })).rejects.toMatchObject({ existingTitle: 'CRM verkooporders', division: NL });
    expect((await service.listProfiles()).filter((p) => p.valid && p.profile.source.kind === 'crmLists')).toHaveLength(1);
    // Nor to Exact Globe: nothing marks a CRM order that went into a file, so Globe would import it again and again.
    await expect(service.createProfile({ ...second, division: BE, target: 'exactGlobe' })).rejects.toThrow('CRM orders are sent to Exact Online only');
    await expect(service.globeFile(profile, { orders: [], blockedCustomers: [], blockedProducts: [], heldBack: [] })).rejects.toThrow('CRM orders are sent to Exact Online only');
    // A billing-report profile in BE is still fine.
    await expect(service.createProfile({ ...second, division: BE, source: 'billingReport' })).resolves.toMatchObject({ division: BE });
    const read = await service.readCrmOrders(profile);
    expect(read.orders.map((o) => o.id).sort()).toEqual([ids.linked, ids.kvk, ids.mapped, ids.bad].sort());
    expect(read.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ list: 'Sales Order Lines', orderId: ids.bad, order: 'VO-1005', column: 'Quantity', message: 'is empty' }),
      expect.objectContaining({ list: 'Sales Orders', itemId: ids.bad, column: 'Lines', message: 'is held back until its bad lines are fixed' }),
    ]));
    const plan = await service.plan(profile, read.lines);
    expect(plan.orders.map((o) => o.reference).sort()).toEqual([`CRM-${ids.linked}`, `CRM-${ids.kvk}`, `CRM-${ids.mapped}`].sort());
    expect(plan.orders.find((o) => o.reference === `CRM-${ids.linked}`)?.accountVia).toBe('link');
    expect(plan.orders.find((o) => o.reference === `CRM-${ids.kvk}`)?.accountVia).toBe('kvk');
    expect(plan.blockedCustomers.map((c) => c.customerName)).toEqual(['Huisartsenpraktijk De Linde']);
    expect(plan.blockedProducts.map((p) => p.sku)).toEqual(['INSTALL-WP']);
    const laptop = plan.orders.find((o) => o.reference === `CRM-${ids.linked}`)!.lines[0];
    expect(laptop).toMatchObject({ quantity: 2, unitPrice: 1349, discount: 10, net: 2428.2 });
  });

  it('sends one Exact order per CRM order and writes it back; a re-run creates nothing and sends nothing In Exact', async () => {
    const unknown = catalog.accounts.filter((a) => a.kvk)[2];
    // Two admins map at the same time, each from the profile as their page read it: neither mapping is lost.
    const pageCopy = profile;
    await service.mapCustomer(pageCopy, String(ids.unknownCompany), unknown.id);
    profile = await service.mapProduct(pageCopy, 'INSTALL-WP', catalog.items.find((i) => i.description === 'Installatie werkplek')!.id, null);
    expect(Object.keys(profile.mapping.customers)).toEqual([String(ids.unknownCompany)]);
    expect(Object.keys(profile.mapping.products)).toEqual(['INSTALL-WP']);
    expect((await service.listProfiles()).find((p) => p.id === profile.id)).toMatchObject({ profile: { mapping: { customers: { [String(ids.unknownCompany)]: { accountId: unknown.id } } } } });
    const read = await service.readCrmOrders(profile);
    const plan = await service.plan(profile, read.lines);
    expect(plan.heldBack).toEqual([]);
    const run = await service.send(profile, plan, { user: 'admin@contoso.test' });
    expect(run.entries.map((e) => e.outcome)).toEqual(['created', 'created', 'created']);
    expect(exactOrders()).toHaveLength(3);
    // The numbers match Exact's, a discount that leaves half a cent per unit included (229 less 7.5 %).
    for (const planned of plan.orders) {
      const exact = exactOrders().find((o) => o.order.YourRef === planned.reference)!;
      expect([exact.order.AmountFCExclVat, exact.order.AmountFC]).toEqual([planned.net, planned.gross]);
    }

    const linked = exactOrders().find((o) => o.order.YourRef === `CRM-${ids.linked}`)!;
    expect(linked.order.OrderedBy).toBe(catalog.accounts.filter((a) => a.kvk)[0].id);
    expect(linked.order.Description).toMatch(/VO-1001 PO 4471/);
    // 10 % off 1349 goes as the net unit price, no `Discount` (Exact reckons that from the item's default price).
    expect(linked.lines[0]).toMatchObject({ Quantity: 2, UnitPrice: 1214.1, Discount: 0 });
    expect(exactOrders().find((o) => o.order.YourRef === `CRM-${ids.mapped}`)!.order.OrderedBy).toBe(unknown.id);

    for (const key of ['linked', 'kvk', 'mapped'] as const) {
      const exact = exactOrders().find((o) => o.order.YourRef === `CRM-${ids[key]}`)!;
      expect(crmOrder(ids[key])).toMatchObject({ OrderStatus: IN_EXACT, ExactReference: `CRM-${ids[key]}`, ExactOrderNumber: exact.order.OrderNumber, ExactDivision: NL });
      expect(String(crmOrder(ids[key]).ExactOrderId).toLowerCase()).toBe(String(exact.order.OrderID).toLowerCase());
    }
    expect(crmOrder(ids.draft).OrderStatus).toBe('Draft');
    expect(crmOrder(ids.bad).OrderStatus).toBe(READY_FOR_EXACT);

    // Re-run: only the held-back order is still ready; it is not planned, and nothing new reaches Exact.
    h.control.resetCounters();
    const again = await service.readCrmOrders(profile);
    expect(again.orders.map((o) => o.id)).toEqual([ids.bad]);
    const rerun = await service.send(profile, await service.plan(profile, again.lines), { user: 'admin@contoso.test' });
    expect(rerun.entries).toEqual([]);
    expect(exactOrders()).toHaveLength(3);
  });

  it('a write-back that failed is done by the next run, which links the Exact order instead of creating another', async () => {
    const lines = crm.control.addItems(ORDER_LISTS.salesOrders, [
      { Title: 'VO-1006', CompanyId: ids.linkedCompany, OrderDate: '2026-11-30T00:00:00Z', OrderStatus: READY_FOR_EXACT },
    ]);
    ids.retry = lines[0];
    crm.control.addItems(ORDER_LISTS.salesOrderLines, [{ Title: 'Muis', SalesOrderId: ids.retry, ItemCode: itemCode('Logitech MX Master 3S muis'), Quantity: 3, UnitPrice: 99 }]);
    failWrites = 1;
    const first = await service.readCrmOrders(profile);
    const cut = await service.send(profile, await service.plan(profile, first.lines), { user: 'admin@contoso.test' });
    expect(cut.entries[0].outcome).toBe('created');
    expect(cut.entries[0].reasons.map((r) => renderOrderReason(r)).join(' ')).toMatch(/CRM order \d+ \(Sales Orders\) was not updated: SharePoint is busy/);
    expect(exactOrders().filter((o) => o.order.YourRef === `CRM-${ids.retry}`)).toHaveLength(1);
    expect(crmOrder(ids.retry).OrderStatus).toBe(READY_FOR_EXACT);

    const second = await service.readCrmOrders(profile);
    const run = await service.send(profile, await service.plan(profile, second.lines), { user: 'admin@contoso.test' });
    expect(run.entries.map((e) => [e.reference, e.outcome])).toEqual([[`CRM-${ids.retry}`, 'linked']]);
    expect(exactOrders().filter((o) => o.order.YourRef === `CRM-${ids.retry}`)).toHaveLength(1);
    expect(crmOrder(ids.retry)).toMatchObject({ OrderStatus: IN_EXACT, ExactOrderNumber: exactOrders().find((o) => o.order.YourRef === `CRM-${ids.retry}`)!.order.OrderNumber });
  });

  it('a run cut short marks the CRM orders Exact already has; the next run creates only the rest; undo reopens the CRM order', async () => {
    const company = ids.linkedCompany;
    const [a, b] = crm.control.addItems(ORDER_LISTS.salesOrders, [
      { Title: 'VO-1007', CompanyId: company, OrderDate: '2026-11-30T00:00:00Z', OrderStatus: READY_FOR_EXACT },
      { Title: 'VO-1008', CompanyId: company, OrderDate: '2026-11-30T00:00:00Z', OrderStatus: READY_FOR_EXACT },
    ]);
    crm.control.addItems(ORDER_LISTS.salesOrderLines, [
      { Title: 'Toetsenbord', SalesOrderId: a, ItemCode: itemCode('Logitech MX Keys toetsenbord'), Quantity: 1, UnitPrice: 119 },
      { Title: 'Toetsenbord', SalesOrderId: b, ItemCode: itemCode('Logitech MX Keys toetsenbord'), Quantity: 2, UnitPrice: 119 },
    ]);
    cutAfter = 1;
    const read = await service.readCrmOrders(profile);
    await expect(service.send(profile, await service.plan(profile, read.lines), { user: 'admin@contoso.test' })).rejects.toThrow('429');
    expect(crmOrder(a).OrderStatus).toBe(IN_EXACT);
    expect(crmOrder(b).OrderStatus).toBe(READY_FOR_EXACT);

    const next = await service.readCrmOrders(profile);
    expect(next.orders.map((o) => o.id)).toEqual([ids.bad, b]);
    const run = await service.send(profile, await service.plan(profile, next.lines), { user: 'admin@contoso.test' });
    expect(run.entries.map((e) => [e.reference, e.outcome])).toEqual([[`CRM-${b}`, 'created']]);
    expect(exactOrders().filter((o) => [`CRM-${a}`, `CRM-${b}`].includes(String(o.order.YourRef)))).toHaveLength(2);
    expect(crmOrder(b).OrderStatus).toBe(IN_EXACT);

    // Undo: Exact's order is deleted, and the CRM order is Ready for Exact again, without its number.
    const undone = await service.undo(run.id);
    expect(undone.undo.map((u) => [u.reference, u.outcome])).toEqual([[`CRM-${b}`, 'deleted']]);
    expect(exactOrders().filter((o) => o.order.YourRef === `CRM-${b}`)).toHaveLength(0);
    expect(crmOrder(b)).toMatchObject({ OrderStatus: READY_FOR_EXACT, ExactOrderNumber: null, ExactReference: null, ExactOrderId: null });
    expect(crmOrder(a).OrderStatus).toBe(IN_EXACT);
    expect((await service.readCrmOrders(profile)).orders.map((o) => o.id)).toEqual([ids.bad, b]);
  });

  it('a retried undo reopens only what it undid itself, and never a CRM order that shows another Exact order', async () => {
    const company = ids.linkedCompany;
    const [a, b, c] = crm.control.addItems(ORDER_LISTS.salesOrders, ['VO-1009', 'VO-1010', 'VO-1011'].map((Title) => ({ Title, CompanyId: company, OrderDate: '2026-11-30T00:00:00Z', OrderStatus: READY_FOR_EXACT })));
    crm.control.addItems(ORDER_LISTS.salesOrderLines, [a, b, c].map((SalesOrderId) => ({ Title: 'Muis', SalesOrderId, ItemCode: itemCode('Logitech MX Master 3S muis'), Quantity: 1, UnitPrice: 99 })));
    const ours = (id: number) => exactOrders().filter((o) => o.order.YourRef === `CRM-${id}`);
    const read = await service.readCrmOrders(profile);
    const run = await service.send(profile, await service.plan(profile, read.lines.filter((l) => [a, b, c].map(String).includes(l.sourceOrder ?? ''))), { user: 'admin@contoso.test' });
    expect(run.entries.map((e) => e.outcome)).toEqual(['created', 'created', 'created']);
    const orderOf = (id: number) => run.entries.find((e) => e.reference === `CRM-${id}`)!.orderId!.toLowerCase();

    // First undo: a is deleted and reopened; Exact refuses b's delete; c's CRM order was meanwhile pointed at another order.
    refuseDelete.add(orderOf(b));
    await crm.sp.web.lists.getByTitle(ORDER_LISTS.salesOrders).items.getById(c).update({ ExactOrderId: '00000000-0000-4000-8000-00000000c0de' });
    const first = await service.undo(run.id);
    expect(first.undo.map((u) => [u.reference, u.outcome])).toEqual([[`CRM-${a}`, 'deleted'], [`CRM-${b}`, 'refused'], [`CRM-${c}`, 'deleted']]);
    expect(crmOrder(a)).toMatchObject({ OrderStatus: READY_FOR_EXACT, ExactOrderId: null });
    // c shows an Exact order the undo did not delete: it is left as it is.
    expect(crmOrder(c)).toMatchObject({ OrderStatus: IN_EXACT, ExactOrderId: '00000000-0000-4000-8000-00000000c0de' });

    // a is sent again: a new Exact order, written back.
    const again = await service.readCrmOrders(profile);
    const resend = await service.send(profile, await service.plan(profile, again.lines.filter((l) => l.sourceOrder === String(a))), { user: 'admin@contoso.test' });
    expect(resend.entries.map((e) => [e.reference, e.outcome])).toEqual([[`CRM-${a}`, 'created']]);
    const resent = ours(a)[0].order;
    expect(crmOrder(a)).toMatchObject({ OrderStatus: IN_EXACT, ExactOrderNumber: resent.OrderNumber });

    // The undo retried (b now deletable): b is reopened; a keeps its new order, in Exact and in the CRM.
    refuseDelete.clear();
    const retried = await service.undo(run.id);
    expect(retried.status).toBe('undone');
    expect(crmOrder(b)).toMatchObject({ OrderStatus: READY_FOR_EXACT, ExactOrderId: null, ExactOrderNumber: null });
    expect(ours(a)).toHaveLength(1);
    expect(crmOrder(a)).toMatchObject({ OrderStatus: IN_EXACT, ExactOrderNumber: resent.OrderNumber, ExactReference: `CRM-${a}` });
    expect(String(crmOrder(a).ExactOrderId).toLowerCase()).toBe(String(resent.OrderID).toLowerCase());
    expect(service.lastCrmOrders(profile.id).find((o) => o.id === a)).toMatchObject({ status: IN_EXACT, exactOrderNumber: resent.OrderNumber });
  });
});

describe('sending from a read the CRM has moved past (SharePoint and Exact stand-ins)', () => {
  let crm: CrmSandbox;
  let h: Harness;
  afterAll(async () => {
    await crm?.close();
    await h?.sandbox.close();
  });

  it('holds back the orders cancelled, set back to Draft or edited since the read, names them, and sends the rest', async () => {
    [crm, h] = await Promise.all([startCrmSandbox(), startExact()]);
    const token = h.control.issueTokens().access_token;
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => token, timeoutMs: 20_000 }));
    const catalog = await readDivisionCatalog(connection, NL);
    await provisionCrm(crm.sp);
    await createListProvisioner(crm.sp).ensure(ORDER_LISTS.salesOrderLines);
    const account = catalog.accounts.find((a) => a.kvk)!;
    const [company] = crm.control.addItems(CRM_LISTS.companies, [{ Title: account.name, ExactId: account.id, ExactDivision: NL }]);
    const titles = ['VO-2001', 'VO-2002', 'VO-2003', 'VO-2004', 'VO-2005'];
    const orders = crm.control.addItems(ORDER_LISTS.salesOrders, titles.map((Title) => ({ Title, CompanyId: company, OrderDate: '2026-11-30T00:00:00Z', OrderStatus: READY_FOR_EXACT })));
    const [cancelled, draft, lineEdited, lineAdded, untouched] = orders;
    const item = catalog.items.find((i) => i.description === 'Logitech MX Master 3S muis')!.code.trim();
    const lineIds = crm.control.addItems(ORDER_LISTS.salesOrderLines, orders.map((SalesOrderId) => ({ Title: 'Muis', SalesOrderId, ItemCode: item, Quantity: 1, UnitPrice: 99 })));
    const documents = createDocumentStore(crm.sp);
    const service = new OrdersService({
      profiles: documentOrderProfiles(documents), runs: documentOrderRuns(documents, { now: () => Date.now() }), catalog: async () => catalog,
      target: createSalesOrderTarget(connection), validateGlobe: async () => ({ valid: true, errors: [] }), crmOrders: createCrmOrderLists(crm.sp), clock: { now: () => Date.now() },
    });
    const profile = await service.createProfile({ title: 'CRM', division: NL, target: 'exactOnline', source: 'crmLists', referencePrefix: 'CRM', vatCode: null, paymentCondition: null });
    const read = await service.readCrmOrders(profile);
    const plan = await service.plan(profile, read.lines);
    expect(plan.orders).toHaveLength(5);

    // Between the read and "Create": the CRM moves on.
    const items = (list: string) => crm.sp.web.lists.getByTitle(list).items;
    await items(ORDER_LISTS.salesOrders).getById(cancelled).update({ OrderStatus: 'Cancelled' });
    await items(ORDER_LISTS.salesOrders).getById(draft).update({ OrderStatus: 'Draft' });
    await items(ORDER_LISTS.salesOrderLines).getById(lineIds[2]).update({ Quantity: 40 });
    crm.control.addItems(ORDER_LISTS.salesOrderLines, [{ Title: 'Dock', SalesOrderId: lineAdded, ItemCode: item, Quantity: 1, UnitPrice: 99 }]);

    const run = await service.send(profile, plan, { user: 'admin@contoso.test' });
    const outcome = (id: number) => run.entries.find((e) => e.reference === `CRM-${id}`);
    expect(outcome(untouched)?.outcome).toBe('created');
    for (const [id, title] of [[cancelled, 'VO-2001'], [draft, 'VO-2002'], [lineEdited, 'VO-2003'], [lineAdded, 'VO-2004']] as const) {
      expect(outcome(id)).toMatchObject({ outcome: 'blocked', orderId: null, reasons: [orderBecause('crmChanged', title)] });
      expect(renderOrderReason(outcome(id)!.reasons[0]!)).toBe(`CRM order ${title} changed in the CRM since it was read; read the orders again.`);
    }
    expect(h.control.salesOrders(NL).map((o) => o.order.YourRef)).toEqual([`CRM-${untouched}`]);
    const values = (id: number) => crm.control.items(ORDER_LISTS.salesOrders).find((i) => i.Id === id)!.values;
    expect([cancelled, draft, lineEdited, lineAdded, untouched].map((id) => values(id).OrderStatus)).toEqual(['Cancelled', 'Draft', READY_FOR_EXACT, READY_FOR_EXACT, IN_EXACT]);

    // Read again: the edited orders go as they are now (40 mice; two lines).
    const again = await service.readCrmOrders(profile);
    const rerun = await service.send(profile, await service.plan(profile, again.lines), { user: 'admin@contoso.test' });
    expect(rerun.entries.map((e) => [e.reference, e.outcome, e.lines])).toEqual([[`CRM-${lineEdited}`, 'created', 1], [`CRM-${lineAdded}`, 'created', 2]]);
    expect(h.control.salesOrders(NL).find((o) => o.order.YourRef === `CRM-${lineEdited}`)!.lines[0]).toMatchObject({ Quantity: 40 });
  });
});

describe('reading CRM orders over the list view threshold', () => {
  let crm: CrmSandbox;
  beforeAll(async () => {
    crm = await startCrmSandbox();
  });
  afterAll(async () => crm?.close());

  it('provisions the lists on first read, and past 5,000 orders still finds the ready ones (paging by ID)', async () => {
    await provisionCrm(crm.sp);
    const lists = createCrmOrderLists(crm.sp, createListProvisioner(crm.sp));
    // First read on a site without the order lists: they are created, and read empty.
    expect(await lists.read(DEFAULT_CRM_ORDER_LISTS)).toMatchObject({ orders: [], lines: [] });
    expect(crm.control.listTitles()).toEqual(expect.arrayContaining([ORDER_LISTS.salesOrders, ORDER_LISTS.salesOrderLines]));

    const [company] = crm.control.addItems(CRM_LISTS.companies, [{ Title: 'Kok Schilderwerken V.O.F.' }]);
    const drafts = crm.control.addItems(ORDER_LISTS.salesOrders, Array.from({ length: 5_050 }, (_, i) => ({ Title: `VO-${i}`, CompanyId: company, OrderDate: '2026-11-01T00:00:00Z', OrderStatus: i % 1000 === 7 ? READY_FOR_EXACT : 'In Exact' })));
    const ready = drafts.filter((_, i) => i % 1000 === 7);
    crm.control.addItems(ORDER_LISTS.salesOrderLines, ready.map((orderId) => ({ Title: 'Muis', SalesOrderId: orderId, ItemCode: 'DOCK-00014', Quantity: 1, UnitPrice: 99 })));
    const read = await lists.read(DEFAULT_CRM_ORDER_LISTS);
    expect(read.orders.map((o) => (o as { Id: number }).Id)).toEqual(ready);
    expect(read.lines).toHaveLength(ready.length);
  });
});
