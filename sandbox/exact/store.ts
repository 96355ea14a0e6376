/**
 * One division's data: seeded accounts and contacts plus every change made since (creates,
 * updates, deletes), the Timestamp counter that sync endpoints order by, and sync/Deleted rows.
 * Only the changes are persisted; the seed is regenerated from (division, size, seed day).
 */
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { generateFinance, type AccountFinance } from './seedFinance';
import { mixFinance } from './financeMix';
import { day, padCode, seedCrm, type DivisionInfo, type Row } from './seed';
import { rng } from './random';
import type { Value } from './odata';
import { orderBookChangesSchema, type OrderBookChanges, type OrderCatalog } from './salesOrderState';
import { demoUserId } from './demoUser';
import { masterDatasets, type MasterDataset } from './endpoint';
import { seedMaster, type MasterSizes } from './seedMaster';

export type Writable = 'accounts' | 'contacts';

/** One record's create, update or delete, as persistence and webhooks hear of it. */
export interface RecordChange {
  dataset: Writable;
  id: string;
  /** Spelled as the `Action` of Exact's webhook notification. */
  action: 'Create' | 'Update' | 'Delete';
}

/** `EntityType` values in sync/Deleted. */
const deletedEntityType: Record<Writable, number> = { accounts: 2, contacts: 5 };

/**
 * `EntityType` of master data in sync/Deleted: Items 9, Projects 21, Employees 42. VAT codes,
 * payment conditions, cost centres, currencies and crm/BankAccounts have none: a deletion leaves no trace.
 */
const masterDeletedType: Partial<Record<MasterDataset, number>> = { items: 9, projects: 21, employees: 42 };

/** The key of a master row: `Code` for currencies, `ID` for the rest. */
export const masterKey = (dataset: MasterDataset): string => (dataset === 'currencies' ? 'Code' : 'ID');

const valueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const rowSchema = z.record(valueSchema);
export const divisionChangesSchema = z.object({
  accounts: z.record(rowSchema.nullable()),
  contacts: z.record(rowSchema.nullable()),
  deleted: z.array(rowSchema),
  timestamp: z.number(),
  nextCode: z.number(),
  /** Sales orders and API-posted invoices; absent in state saved before they existed. */
  orders: orderBookChangesSchema.optional(),
  /** Master data changed since the seed (control edits), by dataset and key; null = deleted. */
  master: z.record(z.record(rowSchema.nullable())).optional(),
  /** Receivables of invoiced orders (invoicing.ts); absent in state saved before invoicing existed. */
  invoicing: z.object({ receivables: z.record(rowSchema) }).optional(),
});
export type DivisionChanges = z.infer<typeof divisionChangesSchema>;

/** Sync timestamps start high, like Exact's row versions, so `1L` and `0L` cursors both work. */
const timestampBase = 84_000_000;

export class DivisionData {
  public readonly accounts = new Map<string, Row>();
  public readonly contacts = new Map<string, Row>();
  public readonly deleted: Row[] = [];
  public readonly master = Object.fromEntries(masterDatasets.map((d) => [d, new Map<string, Row>()])) as Record<MasterDataset, Map<string, Row>>;
  /** Seed position and seed status: finance follows the seed, not later edits of Status. */
  private readonly seedIndex = new Map<string, { index: number; status: Value }>();
  private readonly finance = new Map<string, AccountFinance>();
  private timestamp = timestampBase;
  private nextCode: number;
  private readonly changes: DivisionChanges;
  /** Sales orders as saved; salesOrders.ts builds the division's order book from it on first use. */
  public readonly savedOrders: OrderBookChanges | undefined;
  /** Set by the order book once it exists, so that a save includes its orders. */
  public ordersSnapshot: (() => OrderBookChanges) | undefined;
  /** Invoicing's receivables as saved, and its snapshot once invoicing.ts has built them. */
  public readonly savedInvoicing: DivisionChanges['invoicing'];
  public invoicingSnapshot: (() => NonNullable<DivisionChanges['invoicing']>) | undefined;
  /** The master data the order rules check against: sales items, VAT codes that are not blocked, payment conditions. */
  public orderCatalog(): OrderCatalog {
    const byCode = (dataset: MasterDataset, code: string): Row | undefined =>
      [...this.master[dataset].values()].find((row) => String(row.Code ?? '').trim().toUpperCase() === code.trim().toUpperCase());
    return {
      item: (id) => {
        const item = this.master.items.get(id.toLowerCase());
        return item && item.IsSalesItem !== false ? item : undefined;
      },
      vatCode: (code) => {
        const vat = byCode('vatCodes', code);
        return vat && vat.IsBlocked !== true ? vat : undefined;
      },
      paymentCondition: (code) => byCode('paymentConditions', code),
    };
  }

  public constructor(
    public readonly info: DivisionInfo,
    size: number,
    private readonly seedDay: number,
    private readonly clock: Clock,
    saved: DivisionChanges | undefined,
    /** Persistence and webhooks; `change` is absent only for changes that are not a record's. */
    private readonly onChange: (change?: RecordChange) => void,
    masterSizes?: MasterSizes,
  ) {
    const seed = seedCrm(info, size, seedDay);
    seed.accounts.forEach((account, index) => {
      account.Timestamp = ++this.timestamp;
      this.accounts.set(account.ID as string, account);
      this.seedIndex.set(account.ID as string, { index, status: account.Status });
    });
    for (const contact of seed.contacts) {
      contact.Timestamp = ++this.timestamp;
      this.contacts.set(contact.ID as string, contact);
    }
    // Two accounts that were deleted before the seed day: a first full sync sees them in sync/Deleted.
    const r = rng(`${info.code}:deleted`);
    for (let i = 0; i < 2; i++) {
      this.deleted.push({ Timestamp: ++this.timestamp, ID: r.guid(), Division: info.code, EntityKey: r.guid(), EntityType: deletedEntityType.accounts, DeletedBy: demoUserId, DeletedDate: seedDay - (10 + i) * day });
    }
    // Master data after the CRM rows, so their row versions follow and the CRM ones stay as they were.
    if (masterSizes) {
      const master = seedMaster(info, masterSizes, seed.accounts, seedDay);
      for (const dataset of masterDatasets) {
        for (const row of master[dataset]) {
          row.Timestamp = ++this.timestamp;
          this.master[dataset].set(String(row[masterKey(dataset)]).toLowerCase(), row);
        }
      }
    }
    this.nextCode = 20001 + size;
    this.changes = saved ?? { accounts: {}, contacts: {}, deleted: [], timestamp: this.timestamp, nextCode: this.nextCode };
    if (saved) {
      this.replay(saved);
    }
    this.savedOrders = saved?.orders;
    this.savedInvoicing = saved?.invoicing;
  }

  private replay(saved: DivisionChanges): void {
    for (const dataset of ['accounts', 'contacts'] as const) {
      for (const [id, row] of Object.entries(saved[dataset])) {
        if (row) {
          this[dataset].set(id, { ...row });
        } else {
          this[dataset].delete(id);
        }
      }
    }
    for (const [dataset, rows] of Object.entries(saved.master ?? {})) {
      const map = this.master[dataset as MasterDataset];
      for (const [key, row] of Object.entries(rows)) {
        if (row) map?.set(key, { ...row });
        else map?.delete(key);
      }
    }
    this.deleted.push(...saved.deleted.map((row) => ({ ...row })));
    this.timestamp = Math.max(this.timestamp, saved.timestamp);
    this.nextCode = Math.max(this.nextCode, saved.nextCode);
  }

  public snapshot(): DivisionChanges {
    return { ...this.changes, timestamp: this.timestamp, nextCode: this.nextCode, orders: this.ordersSnapshot?.() ?? this.savedOrders, invoicing: this.invoicingSnapshot?.() ?? this.savedInvoicing };
  }

  public now(): number {
    return this.clock.now();
  }

  /** A change that is no record's own (orders, invoices): saved, no webhook. */
  public notifyChanged(): void {
    this.onChange();
  }

  public nextTimestamp(): number {
    this.timestamp += 1;
    return this.timestamp;
  }

  public allocateCode(): string {
    const code = padCode(String(this.nextCode));
    this.nextCode += 1;
    return code;
  }

  /** Finance of one account, generated on first use; accounts created later have none. */
  public financeOf(accountId: string): AccountFinance | undefined {
    const seeded = this.seedIndex.get(accountId);
    const account = this.accounts.get(accountId);
    if (!seeded || !account) {
      return undefined;
    }
    let finance = this.finance.get(accountId);
    if (!finance) {
      finance = mixFinance(this.info, seeded.index, generateFinance(this.info, { ...account, Status: seeded.status }, seeded.index, this.seedDay), this.seedDay);
      this.finance.set(accountId, finance);
    }
    return finance;
  }

  /** Invoices etc. for one account (when a filter pins it) or for all accounts. */
  public financeRows(pick: (finance: AccountFinance) => Row[], accountId?: string): Row[] {
    const ids = accountId ? [accountId.toLowerCase()] : [...this.accounts.keys()];
    return ids.flatMap((id) => {
      const finance = this.financeOf(id);
      return finance ? pick(finance) : [];
    });
  }

  /** Stores a new or changed record: bumps Timestamp and Modified, records the change for persistence. */
  public put(dataset: Writable, row: Row): Row {
    row.Timestamp = this.nextTimestamp();
    row.Modified = this.clock.now();
    const action = this[dataset].has(row.ID as string) ? 'Update' : 'Create';
    this[dataset].set(row.ID as string, row);
    this.changes[dataset][row.ID as string] = row;
    this.onChange({ dataset, id: row.ID as string, action });
    return row;
  }

  public remove(dataset: Writable, id: string): boolean {
    const row = this[dataset].get(id);
    if (!row) {
      return false;
    }
    this[dataset].delete(id);
    this.changes[dataset][id] = null;
    this.recordDeletion(deletedEntityType[dataset], id);
    this.onChange({ dataset, id, action: 'Delete' });
    return true;
  }

  /** A sync/Deleted row for a record that went. */
  public recordDeletion(entityType: number, id: string): void {
    const deletedRow: Row = {
      Timestamp: this.nextTimestamp(),
      ID: rng(`${this.info.code}:deletion:${this.timestamp}`).guid(),
      Division: this.info.code,
      EntityKey: id,
      EntityType: entityType,
      DeletedBy: demoUserId,
      DeletedDate: this.clock.now(),
    };
    this.deleted.push(deletedRow);
    this.changes.deleted.push(deletedRow);
  }

  /** Stores a new or changed master row as an edit in Exact would: new Timestamp and Modified. */
  public putMaster(dataset: MasterDataset, row: Row): Row {
    row.Timestamp = this.nextTimestamp();
    row.Modified = this.clock.now();
    const key = String(row[masterKey(dataset)]).toLowerCase();
    this.master[dataset].set(key, row);
    this.masterChanges(dataset)[key] = row;
    this.onChange();
    return row;
  }

  /** Deletes a master row; only items, projects and employees leave a sync/Deleted row. */
  public removeMaster(dataset: MasterDataset, key: string): boolean {
    const id = key.toLowerCase();
    if (!this.master[dataset].delete(id)) {
      return false;
    }
    this.masterChanges(dataset)[id] = null;
    const entityType = masterDeletedType[dataset];
    if (entityType !== undefined) {
      this.recordDeletion(entityType, id);
    }
    this.onChange();
    return true;
  }

  private masterChanges(dataset: MasterDataset): Record<string, Row | null> {
    this.changes.master ??= {};
    this.changes.master[dataset] ??= {};
    return this.changes.master[dataset];
  }
}

export { demoUserId };
