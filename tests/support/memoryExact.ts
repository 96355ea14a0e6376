import type { ExactDeletion, ExactEntityInfo, ExactFieldInfo, ExactReadRequest, ExactRecord, ExactRecordSource, FieldValue } from '../../src/sync/ports';

/**
 * Exact in memory: per division and entity, records with a rising `Timestamp` (Exact's row
 * version), deletions for sync/Deleted, pages of `pageSize`, and a tiny `$filter` evaluator
 * (`Field eq 'x'`, `ne`, joined by `and`) that rejects anything else like Exact's 400 would.
 */

const f = (name: string, type: ExactFieldInfo['type'] = 'string', extra: Partial<ExactFieldInfo> = {}): ExactFieldInfo => ({ name, type, ...extra });
const audit = [f('Created', 'datetime', { readOnly: true }), f('Modified', 'datetime', { readOnly: true }), f('Timestamp', 'int64', { readOnly: true })];

export const memoryEntities: ExactEntityInfo[] = [
  {
    name: 'Account',
    key: 'ID',
    supportsSync: true,
    deletedEntityType: 2,
    fields: [
      f('ID', 'guid', { readOnly: true }), f('Code', 'string', { maxLength: 18 }), f('Name'), f('Status', 'string', { maxLength: 1 }),
      f('Blocked', 'boolean'), f('Email'), f('Phone'), f('Website'), f('VATNumber'), f('ChamberOfCommerce'),
      f('AddressLine1'), f('Postcode'), f('City'), f('Country'), f('CreditLineSales', 'double'), f('StartDate', 'datetime'),
      ...audit,
    ],
  },
  {
    name: 'Contact',
    key: 'ID',
    supportsSync: true,
    deletedEntityType: 5,
    fields: [
      f('ID', 'guid', { readOnly: true }), f('Account', 'guid'), f('AccountName', 'string', { readOnly: true }), f('FirstName'),
      f('MiddleName'), f('LastName'), f('FullName', 'string', { readOnly: true }), f('Email'), f('Phone'), f('Mobile'),
      f('JobTitleDescription'), ...audit,
    ],
  },
  {
    // No sync endpoint: full reads only, no cursor.
    name: 'Item',
    key: 'ID',
    supportsSync: false,
    fields: [f('ID', 'guid', { readOnly: true }), f('Code'), f('Description'), f('SalesPrice', 'double'), ...audit],
  },
];

interface Stored {
  record: ExactRecord;
  timestamp: number;
}

export class MemoryExact implements ExactRecordSource {
  private timestamp = 1000;
  private readonly data = new Map<string, Map<string, Stored>>();
  private readonly deleted = new Map<string, ExactDeletion[]>();
  public pageSize = 4;
  public calls = 0;

  public describeEntity(entity: string): ExactEntityInfo | undefined {
    return memoryEntities.find((e) => e.name === entity);
  }

  public listEntities(): ExactEntityInfo[] {
    return memoryEntities;
  }

  private table(division: number, entity: string): Map<string, Stored> {
    const name = `${division}/${entity}`;
    let table = this.data.get(name);
    if (!table) {
      table = new Map();
      this.data.set(name, table);
    }
    return table;
  }

  /** Creates or changes a record, as a user in Exact would; the row version moves on. */
  public upsert(division: number, entity: string, record: ExactRecord): void {
    const info = this.describeEntity(entity);
    if (!info) throw new Error(`unknown entity ${entity}`);
    const key = String(record[info.key]);
    const table = this.table(division, entity);
    const previous = table.get(key);
    this.timestamp++;
    table.set(key, { record: { ...(previous ? previous.record : {}), ...record }, timestamp: this.timestamp });
  }

  public remove(division: number, entity: string, key: string): void {
    const table = this.table(division, entity);
    if (!table.delete(key)) throw new Error(`no ${entity} ${key}`);
    this.timestamp++;
    const name = `${division}/${entity}`;
    const list = this.deleted.get(name) ?? [];
    list.push({ key, timestamp: String(this.timestamp), deletedAt: '2026-11-21T12:00:00.000Z' });
    this.deleted.set(name, list);
  }

  public get(division: number, entity: string, key: string): ExactRecord | undefined {
    return this.table(division, entity).get(key)?.record;
  }

  public async *readAll(request: ExactReadRequest): AsyncIterable<ExactRecord[]> {
    yield* this.pages(request, -1, false);
  }

  public async *readChanges(request: ExactReadRequest & { since: string }): AsyncIterable<ExactRecord[]> {
    yield* this.pages(request, Number(request.since), true);
  }

  public async *readDeletions(request: { division: number; entity: string; since: string }): AsyncIterable<ExactDeletion[]> {
    this.calls++;
    const list = (this.deleted.get(`${request.division}/${request.entity}`) ?? []).filter((d) => Number(d.timestamp) > Number(request.since));
    yield list;
  }

  private async *pages(request: ExactReadRequest, since: number, withTimestamp: boolean): AsyncIterable<ExactRecord[]> {
    const info = this.describeEntity(request.entity);
    if (!info) throw new Error(`Unknown Exact entity "${request.entity}"`);
    const known = new Set(info.fields.map((x) => x.name));
    for (const field of request.fields) if (!known.has(field)) throw new Error(`400: unknown field ${field} in $select`);
    const test = request.filter ? compileFilter(request.filter) : () => true;
    const rows = Array.from(this.table(request.division, request.entity).values())
      .filter((s) => s.timestamp > since && test(s.record))
      .sort((a, b) => a.timestamp - b.timestamp);
    const select = [info.key, ...request.fields.filter((x) => x !== info.key)];
    for (let i = 0; i < rows.length || i === 0; i += this.pageSize) {
      this.calls++;
      yield rows.slice(i, i + this.pageSize).map((s) => {
        const out: ExactRecord = {};
        for (const field of select) out[field] = s.record[field] ?? null;
        if (withTimestamp) out.Timestamp = String(s.timestamp);
        return out;
      });
      if (rows.length === 0) break;
    }
  }
}

function compileFilter(filter: string): (r: ExactRecord) => boolean {
  const parts = filter.split(/\s+and\s+/i).map((part) => {
    const m = /^\s*(\w+)\s+(eq|ne)\s+(?:'((?:[^']|'')*)'|guid'([0-9a-fA-F-]{36})'|(true|false|\d+))\s*$/.exec(part);
    if (!m) throw new Error(`400: this $filter is not supported by the memory Exact: ${part}`);
    const [, field, op, text, guid, other] = m;
    const expected: FieldValue = text !== undefined ? text.replace(/''/g, "'") : guid !== undefined ? guid.toLowerCase() : other === 'true' ? true : other === 'false' ? false : Number(other);
    return (r: ExactRecord) => ((typeof r[field] === 'string' && guid !== undefined ? String(r[field]).toLowerCase() : r[field]) === expected) === (op === 'eq');
  });
  return (r) => parts.every((p) => p(r));
}

// ------------------------------------------------------------------ seed

export const DIVISION = 1234567;

export function accountId(n: number): string {
  return `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function contactId(n: number): string {
  return `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Dutch and Belgian SMB accounts; Codes trimmed as the Exact client delivers them. */
export const seedAccounts: ExactRecord[] = [
  ['Bakkerij De Vries B.V.', 'C', 'NL', '1012 AB', 'Amsterdam', 'Damstraat 1', '12345678', 'NL859123456B01', 'info@bakkerijdevries.nl'],
  ['Installatiebedrijf Jansen', 'C', 'NL', '3511 CE', 'Utrecht', 'Oudegracht 22', '23456789', 'NL001234567B02', 'contact@jansen-installatie.nl'],
  ['Brouwerij Van Damme BVBA', 'C', 'BE', '9000', 'Gent', 'Korenmarkt 5', '0456789123', 'BE0456789123', 'bier@vandamme.be'],
  ['Dijkstra & Zonen V.O.F.', 'P', 'NL', '9711 LM', 'Groningen', 'Grote Markt 3', '34567890', 'NL123456789B01', 'info@dijkstrazonen.nl'],
  ['Café Het Hoekje', 'S', 'NL', '2511 BT', 'Den Haag', 'Plein 10', '45678901', 'NL234567890B01', 'hoekje@gmail.com'],
  ['Müller Techniek N.V.', 'C', 'NL', '5611 AA', 'Eindhoven', 'Stratumseind 8', '56789012', 'NL345678901B01', 'service@mullertechniek.nl'],
  ['Peeters Logistiek NV', 'C', 'BE', '2000', 'Antwerpen', 'Meir 50', '0567891234', 'BE0567891234', 'planning@peeters-logistiek.be'],
  ['Smit Advies', 'P', 'NL', '6511 PA', 'Nijmegen', 'Burchtstraat 4', '67890123', 'NL456789012B01', 'advies@smit.nl'],
].map(([name, status, country, postcode, city, street, kvk, vat, email], i) => ({
  ID: accountId(i + 1),
  Code: String(i + 1).padStart(7, '0'),
  Name: name,
  Status: status,
  Blocked: false,
  Email: email,
  Phone: `+31 20 555 ${String(1000 + i)}`,
  Website: `https://www.${email.split('@')[1]}`,
  VATNumber: vat,
  ChamberOfCommerce: kvk,
  AddressLine1: street,
  Postcode: postcode,
  City: city,
  Country: country,
  CreditLineSales: 5000 + i * 1250.5,
  StartDate: `202${i % 5}-0${(i % 9) + 1}-01T00:00:00.000Z`,
  Modified: '2026-11-01T10:00:00.000Z',
}));

export const seedContacts: ExactRecord[] = [
  [1, 'Anna', null, 'de Vries', 'Eigenaar'],
  [1, 'Pieter', 'van', 'Dam', 'Bedrijfsleider'],
  [2, 'Kees', null, 'Jansen', 'Directeur'],
  [3, 'Sofie', null, 'Van Damme', 'Zaakvoerder'],
  [3, 'Lotte', null, 'Claes', 'Boekhouding'],
  [4, 'Henk', null, 'Dijkstra', 'Vennoot'],
  [6, 'Jürgen', null, 'Müller', 'Directeur'],
  [7, 'Els', null, 'Peeters', 'Planner'],
  [8, 'Fleur', null, 'Smit', 'Adviseur'],
].map(([account, first, middle, last, job], i) => ({
  ID: contactId(i + 1),
  Account: accountId(account as number),
  FirstName: first as string,
  MiddleName: middle as string | null,
  LastName: last as string,
  FullName: [first, middle, last].filter((x) => x).join(' '),
  Email: `${String(first).toLowerCase()}@example.nl`,
  Phone: null,
  Mobile: `+31 6 1234 ${String(5600 + i)}`,
  JobTitleDescription: job as string,
  Modified: '2026-11-01T10:00:00.000Z',
}));

export function seededExact(): MemoryExact {
  const exact = new MemoryExact();
  for (const a of seedAccounts) exact.upsert(DIVISION, 'Account', a);
  for (const c of seedContacts) exact.upsert(DIVISION, 'Contact', c);
  return exact;
}
