/**
 * POST, PUT and DELETE on crm/Accounts and crm/Contacts with Exact's answers: 400 for a body
 * that is not a valid resource, 500 with Dutch validation texts joined by `\r\n` for business
 * rules (the demo user's language is Dutch), 404 for an unknown key.
 */
import { z } from 'zod';
import { ODataError } from './errors';
import type { Endpoint } from './endpoint';
import { edmTypeName as edm, parseDateTimeLiteral, type FieldType, type Value } from './odata';
import { padCode, type Row } from './seed';
import type { DivisionData, Writable } from './store';
import { rng } from './random';
import { modelType } from './query';

const bodySchema = z.record(z.unknown());

/** Set by Exact, ignored when a client sends them. */
const readOnly = new Set(['ID', 'Created', 'Modified', 'Timestamp', 'Division', 'FullName', 'AccountName', 'AccountIsCustomer', 'AccountIsSupplier', 'AccountMainContact', 'CountryName', 'PaymentConditionSalesDescription', 'AccountManagerFullName']);

const invalidBody = (): ODataError =>
  new ODataError(400, 'Error processing request stream. The request should be a valid top-level resource object.');

function convert(name: string, type: FieldType, value: unknown, endpoint: Endpoint): Value {
  const wrong = (): ODataError =>
    new ODataError(400, `Error processing request stream. Cannot convert a primitive value to the expected type '${edm[type]}'. See the inner exception for more details. (property '${name}' of '${modelType(endpoint)}')`);
  if (value === null) {
    return null;
  }
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw wrong();
      return value;
    case 'guid':
      if (typeof value !== 'string' || !/^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(value)) throw wrong();
      return value.replace(/[{}]/g, '').toLowerCase();
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong();
      return value;
    case 'byte':
      // Edm.Byte: a JSON number 0..255; `true` is not a byte.
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) throw wrong();
      return value;
    case 'datetime': {
      const match = typeof value === 'string' ? /^\/Date\((-?\d+)\)\/$/.exec(value) : null;
      const ms = match ? Number(match[1]) : typeof value === 'string' ? parseDateTimeLiteral(value) : undefined;
      if (ms === undefined) throw wrong();
      return ms;
    }
    default: {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n) || ((type === 'int' || type === 'int64') && !Number.isInteger(n))) throw wrong();
      return n;
    }
  }
}

/** Parses a JSON body into typed field values; unknown properties are a 400 like Exact's. */
export function parseBody(endpoint: Endpoint, text: string): Row {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidBody();
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success || Array.isArray(json)) {
    throw invalidBody();
  }
  const row: Row = {};
  for (const [name, value] of Object.entries(parsed.data)) {
    if (name === '__metadata' || readOnly.has(name)) {
      continue;
    }
    const type = endpoint.fields[name];
    if (!type || name === 'Timestamp') {
      throw new ODataError(400, `Error processing request stream. The property '${name}' does not exist on type '${modelType(endpoint)}'. Make sure to only use property names that are defined by the type.`);
    }
    row[name] = convert(name, type, value, endpoint);
  }
  return row;
}

const blank = (value: Value | undefined): boolean => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

function validateAccount(data: DivisionData, row: Row): void {
  const problems: string[] = [];
  if (blank(row.Name)) problems.push('Verplicht: Naam');
  if (row.Status !== null && row.Status !== undefined && !['A', 'S', 'P', 'C'].includes(String(row.Status))) {
    problems.push(`Ongeldige waarde: Status (${String(row.Status)})`);
  }
  const code = row.Code;
  if (typeof code === 'string') {
    for (const other of data.accounts.values()) {
      if (other.ID !== row.ID && other.Code === code) {
        problems.push(`Bestaat al: Code (${code.trim()})`);
        break;
      }
    }
  }
  if (problems.length) {
    throw new ODataError(500, problems.join('\r\n'));
  }
}

function validateContact(data: DivisionData, row: Row): Row | undefined {
  const problems: string[] = [];
  const account = typeof row.Account === 'string' ? data.accounts.get(row.Account) : undefined;
  if (blank(row.Account)) problems.push('Verplicht: Relatie');
  else if (!account) problems.push('Ongeldige referentie: Relatie');
  if (blank(row.LastName)) problems.push('Verplicht: Achternaam');
  if (problems.length) {
    throw new ODataError(500, problems.join('\r\n'));
  }
  return account;
}

function derive(dataset: Writable, data: DivisionData, row: Row): void {
  if (dataset === 'accounts') {
    row.Code = typeof row.Code === 'string' && row.Code.trim() ? padCode(row.Code) : row.Code ?? null;
    return;
  }
  const account = validateContact(data, row);
  row.FullName = [row.FirstName, row.MiddleName, row.LastName].filter((p) => typeof p === 'string' && p).join(' ');
  row.AccountName = account?.Name ?? null;
  row.AccountIsCustomer = account?.Status === 'C';
  row.AccountIsSupplier = account?.IsSupplier ?? false;
  row.AccountMainContact = account?.MainContact ?? null;
}

export function createRecord(dataset: Writable, endpoint: Endpoint, data: DivisionData, values: Row, now: number): Row {
  const row: Row = Object.fromEntries(Object.keys(endpoint.fields).map((name) => [name, null]));
  const id = rng(`${data.info.code}:new:${dataset}:${data.nextTimestamp()}:${now}`).guid();
  Object.assign(row, values, { ID: id, Created: now, Division: data.info.code });
  if (dataset === 'accounts') {
    row.Type ??= 'A';
    row.Status ??= 'C';
    row.Blocked ??= false;
    row.IsSales ??= row.Status === 'C';
    row.IsSupplier ??= false;
    row.SalesCurrency ??= 'EUR';
    if (blank(row.Code) && !blank(row.Name)) {
      row.Code = data.allocateCode();
    }
    derive(dataset, data, row);
    validateAccount(data, row);
  } else {
    row.IsMainContact ??= false;
    derive(dataset, data, row);
  }
  return data.put(dataset, row);
}

export function updateRecord(dataset: Writable, endpoint: Endpoint, data: DivisionData, id: string, values: Row): Row {
  const current = data[dataset].get(id);
  if (!current) {
    throw new ODataError(404, `${modelType(endpoint)} with key '${id}' not found.`);
  }
  const row: Row = { ...current, ...values };
  derive(dataset, data, row);
  if (dataset === 'accounts') {
    validateAccount(data, row);
  }
  return data.put(dataset, row);
}

/** `force` skips Exact's refusal to delete an account with transactions (test control only). */
export function deleteRecord(dataset: Writable, endpoint: Endpoint, data: DivisionData, id: string, force = false): void {
  const current = data[dataset].get(id);
  if (!current) {
    throw new ODataError(404, `${modelType(endpoint)} with key '${id}' not found.`);
  }
  if (dataset === 'accounts') {
    const finance = data.financeOf(id);
    if (!force && finance && finance.invoices.length) {
      throw new ODataError(500, `Verwijderen is niet toegestaan: ${String(current.Name)} heeft financiële transacties.`);
    }
    for (const contact of [...data.contacts.values()]) {
      if (contact.Account === id) {
        data.remove('contacts', contact.ID as string);
      }
    }
  }
  data.remove(dataset, id);
}


