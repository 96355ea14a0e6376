/**
 * What the engine works on: Exact records, CRM items, entity and field descriptions, and the
 * normalisers that make two spellings of one value compare equal.
 */

export type FieldValue = string | number | boolean | null;
export type ExactRecord = Record<string, FieldValue>;

// ---------------------------------------------------------------- Exact side

export type ExactFieldType = 'guid' | 'string' | 'int' | 'int64' | 'double' | 'boolean' | 'datetime';

export interface ExactFieldInfo {
  name: string;
  type: ExactFieldType;
  /** Longest accepted length for strings, when Exact documents one. */
  maxLength?: number;
  readOnly?: boolean;
  /** Exact shows it only to users with a role (HR rights for employees' personal fields); for others it is left out. */
  restricted?: boolean;
}

export interface ExactEntityInfo {
  /** Catalog name, e.g. `Account`, `Contact`. */
  name: string;
  /** Key field, e.g. `ID`. */
  key: string;
  fields: ExactFieldInfo[];
  /** True when a `sync/` endpoint exists (incremental reads with a Timestamp cursor). */
  supportsSync: boolean;
  /** `EntityType` number in `sync/Deleted`, when deletions can be tracked. */
  deletedEntityType?: number;
}

export type CrmFieldType =
  | 'text'
  | 'note'
  | 'number'
  | 'currency'
  | 'boolean'
  | 'datetime'
  | 'choice'
  | 'url'
  | 'lookup'
  | 'person';

export interface CrmFieldInfo {
  internalName: string;
  title: string;
  type: CrmFieldType;
  required?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  choices?: string[];
  /** For lookups: the title of the target list. */
  lookupList?: string;
  readOnly?: boolean;
}

/** One CRM list item as the engine sees it; `values` keyed by internal name (lookups as the target item id). */
export interface CrmItem {
  id: number;
  etag?: string;
  values: Record<string, FieldValue>;
}

export interface FieldProblem {
  field: string;
  /** The English sentence (logs, CSV); what a problem stored before codes has alone. */
  reason: string;
  /** A code of src/sync/journal/fieldProblems.ts and its parts: the sentence in the reader's language. */
  code?: string;
  args?: Array<string | number>;
}


/**
 * Normalisers for matching. Two spellings of the same company (`Bakkerij De Vries B.V.` and
 * `bakkerij de vries bv`) must compare equal, so each signal strips what people vary by hand.
 */

const LEGAL_FORMS = [
  'bv', 'nv', 'bvba', 'vof', 'cv', 'sprl', 'srl', 'sa', 'bvio', 'commv', 'cvba', 'vzw', 'asbl',
  'gmbh', 'ltd', 'holding bv',
];

export function asText(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Lower case, no diacritics, punctuation to spaces, single spaces. */
export function normalizeText(value: FieldValue | undefined): string {
  return stripDiacritics(asText(value))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Company name without legal form (B.V., BV, N.V., BVBA, V.O.F. ...) in any position. */
export function normalizeCompanyName(value: FieldValue | undefined): string {
  // Dotted forms (`B.V.`) become `b v` after punctuation stripping; join single letters first.
  const words = normalizeText(value).split(' ').filter((w) => w.length > 0);
  const joined: string[] = [];
  let letters = '';
  for (const word of words) {
    if (word.length === 1) {
      letters += word;
      continue;
    }
    if (letters) joined.push(letters);
    letters = '';
    joined.push(word);
  }
  if (letters) joined.push(letters);
  return joined.filter((w) => LEGAL_FORMS.indexOf(w) < 0).join(' ');
}

export function normalizeKey(value: FieldValue | undefined): string {
  // Exact's XML exports and hand-made imports write GUIDs in braces and upper case; the REST
  // API does neither. Both must land on the same key, or a run creates a duplicate.
  return asText(value).trim().toLowerCase().replace(/^\{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}$/, '$1');
}

/** Exact codes are space-padded and often zero-padded (`     0000011`); compare the number. */
export function normalizeCode(value: FieldValue | undefined): string {
  const text = asText(value).trim().toLowerCase();
  return /^\d+$/.test(text) ? text.replace(/^0+(?=\d)/, '') : text;
}

/** Chamber of Commerce (KvK 8 digits, KBO 10 digits): digits only. */
export function normalizeKvk(value: FieldValue | undefined): string {
  return asText(value).replace(/\D/g, '');
}

/**
 * VAT numbers: `NL 8591.23.456.B01`, `NL859123456B01` and `859123456` are one number;
 * `BE 0123.456.789` and `0123456789` too. Country prefix and the Dutch `B01` suffix go.
 */
export function normalizeVat(value: FieldValue | undefined): string {
  let text = asText(value).toUpperCase().replace(/[^A-Z0-9]/g, '');
  text = text.replace(/^[A-Z]{2}(?=\d)/, '');
  text = text.replace(/B\d{2}$/, '');
  return text.replace(/^0+(?=\d)/, '');
}

export function normalizePostcode(value: FieldValue | undefined): string {
  return asText(value).toUpperCase().replace(/\s+/g, '');
}

const PUBLIC_MAIL_DOMAINS = [
  'gmail.com', 'hotmail.com', 'hotmail.nl', 'outlook.com', 'live.nl', 'live.com', 'ziggo.nl',
  'kpnmail.nl', 'telenet.be', 'skynet.be', 'yahoo.com', 'icloud.com', 'planet.nl', 'xs4all.nl',
];

/** Domain of an e-mail address or website; public mail providers say nothing about a company. */
export function normalizeDomain(value: FieldValue | undefined): string {
  let text = asText(value).trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (at >= 0) text = text.slice(at + 1);
  text = text.replace(/^[a-z]+:\/\//, '').replace(/^www\./, '').split(/[/?#]/)[0];
  return PUBLIC_MAIL_DOMAINS.indexOf(text) >= 0 ? '' : text;
}

/** Equality of planner values: null and '' are one "empty", numbers and dates by value. */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const emptyA = a === null || a === undefined || a === '';
  const emptyB = b === null || b === undefined || b === '';
  if (emptyA || emptyB) return emptyA && emptyB;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    return !isNaN(x) && !isNaN(y) && Math.abs(x - y) < 1e-9;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    if (ISO_DATE.test(a) && ISO_DATE.test(b)) return Date.parse(a) === Date.parse(b);
    return false;
  }
  return a === b;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Compares decimal strings that may exceed 2^53 (Exact's sync Timestamp). */
export function compareDecimal(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The CRM column that says which Exact administration (division) an item is linked in. A link is
 * (division, Exact ID): a list with this column is read per division. Items without a value were
 * linked before divisions were recorded and belong to the connection's default division.
 */
export const DIVISION_FIELD = 'ExactDivision';

/** True when the item records the division it is linked in (in the list's column `field`). */
export function hasDivision(item: CrmItem, field: string): boolean {
  const division = item.values[field];
  return division !== null && division !== undefined && division !== '';
}

/** Fields that name a record for people (run log, review), in order of preference. */
export const LABEL_FIELDS = ['Name', 'FullName', 'Description', 'Code'];

export function labelOf(record: ExactRecord, key: string): string {
  for (const f of LABEL_FIELDS) {
    const v = record[f];
    if (v !== null && v !== undefined && String(v).trim() !== '') return String(v).trim();
  }
  return key;
}

/** The values in their first order, each once. */
export function unique<T>(values: T[]): T[] {
  return Array.from(new Set(values));
}

/**
 * The fields Exact left out of a record because the user may not read them (role-gated fields),
 * kept beside the record's values so a mapping can leave its column as it is instead of emptying it.
 */
export const UNREADABLE: unique symbol = Symbol('unreadable');

type MarkedRecord = ExactRecord & { [UNREADABLE]?: readonly string[] };

export function unreadableFields(record: ExactRecord): readonly string[] {
  return (record as MarkedRecord)[UNREADABLE] ?? [];
}

export function markUnreadable(record: ExactRecord, fields: readonly string[]): ExactRecord {
  if (fields.length > 0) (record as MarkedRecord)[UNREADABLE] = fields;
  return record;
}
