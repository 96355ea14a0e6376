import { z } from 'zod';
import type { ExactEntityInfo, ExactFieldInfo, ExactFieldType, FieldValue } from '../sync/ports';
import { int64Value, isIntegerText, normaliseDecimal, parseExactDate, trimCode } from './values';

/**
 * One declaration per Exact entity: the zod schema that validates and normalises a record, the
 * typed record shape, and the `ExactEntityInfo` the sync engine sees all come from it.
 */

/** The property types Exact's REST reference gives (its `$metadata` names). */
export type EdmType =
  | 'Edm.Guid'
  | 'Edm.String'
  | 'Edm.Byte'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Double'
  | 'Edm.Boolean'
  | 'Edm.DateTime';

export interface FieldDecl<T extends FieldValue> {
  /** What the sync engine sees (ports convention). */
  type: ExactFieldType;
  /** What Exact sends and expects on the wire. */
  edm: EdmType;
  /** Fixed-width text columns: Exact pads `Code` on the left, `Country`/`Language`/VAT codes on the right. */
  width?: number;
  readOnly: boolean;
  maxLength?: number;
  /** Present only on `sync/` endpoints (`Timestamp`), so never `$select`ed elsewhere. */
  syncOnly: boolean;
  /** Role-gated: Exact leaves it out for users without the role (not an error). */
  restricted: boolean;
  /** Raw Exact JSON value to the port convention; `null` stays `null`. */
  schema: z.ZodType<T | null, z.ZodTypeDef, unknown>;
  /**
   * `schema` as a plain function, for reading pages (a zod parse per record was most of a run's
   * Exact-side CPU): the same value wherever `schema` accepts, `undefined` wherever it refuses.
   * `schema` stays the reference; it decides the rare value this refuses and says why.
   */
  read: (raw: unknown) => T | null | undefined;
}

interface FieldOptions {
  readOnly?: boolean;
  maxLength?: number;
  syncOnly?: boolean;
  restricted?: boolean;
}

function decl<T extends FieldValue>(
  type: ExactFieldType,
  edm: EdmType,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  read: (raw: unknown) => T | undefined,
  options: FieldOptions & { width?: number } = {},
): FieldDecl<T> {
  return {
    type,
    edm,
    width: options.width,
    readOnly: options.readOnly ?? false,
    maxLength: options.maxLength,
    syncOnly: options.syncOnly ?? false,
    restricted: options.restricted ?? false,
    schema: schema.nullable(),
    read: (raw) => (raw === null ? null : read(raw)),
  };
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const exactDate = z.string().transform((text, ctx) => {
  const iso = parseExactDate(text);
  if (iso === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected /Date(ms)/, got "${text}"` });
    return z.NEVER;
  }
  return iso;
});

const int64Text = z.union([
  z.string().refine(isIntegerText, { message: 'expected an Int64 as a decimal string' }),
  z.number().int(),
]);

const byteNumber = z.number().int().min(0, 'expected an Edm.Byte (0..255)').max(255, 'expected an Edm.Byte (0..255)');

// The `read` twins of the schemas above (see FieldDecl.read); tests/unit/exactClientDecode.test.ts holds them to agreement.
const isText = (raw: unknown): raw is string => typeof raw === 'string';
const isInteger = (raw: unknown): raw is number => typeof raw === 'number' && Number.isInteger(raw);
const isByte = (raw: unknown): raw is number => isInteger(raw) && raw >= 0 && raw <= 255;
const isInt64 = (raw: unknown): raw is string | number => (isText(raw) && isIntegerText(raw)) || isInteger(raw);

/** Field builders named after Exact's Edm types. */
export const field = {
  guid: (options?: FieldOptions) =>
    decl('guid', 'Edm.Guid', z.string().regex(guidPattern, 'expected a GUID'), (raw) => (isText(raw) && guidPattern.test(raw) ? raw : undefined), options),
  string: (options?: FieldOptions) => decl('string', 'Edm.String', z.string(), (raw) => (isText(raw) ? raw : undefined), options),
  /**
   * Fixed-width, space-padded text (`Code` to 18, `Country` to 3, `Language` to 10, VAT codes to 3):
   * trimmed on the way in. `width` documents the column; Exact pads whatever is written.
   */
  padded: (options?: FieldOptions & { width?: number }) =>
    decl('string', 'Edm.String', z.string().transform(trimCode), (raw) => (isText(raw) ? trimCode(raw) : undefined), options),
  int: (options?: FieldOptions) => decl('int', 'Edm.Int32', z.number().int(), (raw) => (isInteger(raw) ? raw : undefined), options),
  /** Edm.Byte that is a number to the caller (e.g. `IsAccountant`: 0, 1 or 2). */
  byte: (options?: FieldOptions) => decl('int', 'Edm.Byte', byteNumber, (raw) => (isByte(raw) ? raw : undefined), options),
  /**
   * Edm.Byte used as a yes/no flag (`IsCompetitor`, `IsMailing`): `0`/`1` on the wire, a boolean
   * to the caller. Exact's own booleans (`IsSales`) are `field.boolean`.
   */
  flag: (options?: FieldOptions) =>
    decl('boolean', 'Edm.Byte', byteNumber.transform((n) => n !== 0), (raw) => (isByte(raw) ? raw !== 0 : undefined), options),
  int64: (options?: FieldOptions) =>
    decl('int64', 'Edm.Int64', int64Text.transform(int64Value), (raw) => (isInt64(raw) ? int64Value(raw) : undefined), options),
  /** Row versions (`Timestamp`): Int64 that may exceed 2^53, so always a decimal string. */
  cursor: (options?: FieldOptions) =>
    decl(
      'int64',
      'Edm.Int64',
      int64Text.transform((v) => normaliseDecimal(String(v))),
      (raw) => (isInt64(raw) ? normaliseDecimal(String(raw)) : undefined),
      { readOnly: true, syncOnly: true, ...options },
    ),
  double: (options?: FieldOptions) =>
    decl('double', 'Edm.Double', z.number(), (raw) => (typeof raw === 'number' && !Number.isNaN(raw) ? raw : undefined), options),
  boolean: (options?: FieldOptions) =>
    decl('boolean', 'Edm.Boolean', z.boolean(), (raw) => (typeof raw === 'boolean' ? raw : undefined), options),
  datetime: (options?: FieldOptions) =>
    decl('datetime', 'Edm.DateTime', exactDate, (raw) => (isText(raw) ? parseExactDate(raw) : undefined), options),
};

/** A port value as Exact wants it in a body or a literal: Byte flags become 0/1. */
export function toWireValue(f: Pick<FieldDecl<FieldValue>, 'edm'>, value: FieldValue): FieldValue {
  if (f.edm === 'Edm.Byte' && typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  return value;
}

type AnyFields = Record<string, FieldDecl<FieldValue>>;

type ValueOf<D> = D extends FieldDecl<infer T> ? T | null : never;

/** A record as read: only the selected fields are present. */
export type RecordOf<F extends AnyFields> = { [K in keyof F]?: ValueOf<F[K]> };

/** Values for a create or update: writable fields only. */
export type WritableValues<F extends AnyFields> = Partial<Record<keyof F & string, FieldValue>>;

export interface EntityDeclaration<F extends AnyFields> {
  name: string;
  /** Service path under the division, e.g. `crm/Accounts`; for `current/Me` no division. */
  service: string;
  /** False for `current/Me`, the one entity read without a division segment. */
  divisionScoped?: boolean;
  key: keyof F & string;
  fields: F;
  bulk?: string;
  sync?: string;
  /**
   * What picks this entity's records out of its sync stream, where Exact serves more than them:
   * sync/SalesInvoice/SalesInvoices carries each invoice's header (LineNumber 0) and its lines
   * (1 and up) with the header's fields, so an import keyed by InvoiceID would otherwise take a
   * line's amount for the invoice's.
   */
  syncRows?: string;
  deletedEntityType?: number;
  /** True when the client may POST and PUT this entity (accounts, contacts). */
  writable?: boolean;
  /** `__metadata.type` as Exact names it, e.g. `Exact.Web.Api.Models.Account`. */
  modelType?: string;
  /** Navigation properties Exact sends as `{"__deferred":{"uri":…}}` unless expanded. */
  navigation?: readonly string[];
}

export interface EntityDefinition<F extends AnyFields = AnyFields> extends EntityDeclaration<F> {
  divisionScoped: boolean;
  writable: boolean;
  schema: z.ZodObject<z.ZodRawShape>;
  /**
   * `schema.parse` of a plain JSON object, built once from the fields' `read`: the same record
   * (declared fields only, in declaration order), or `undefined` where `schema` would refuse it
   * or where only zod knows the answer.
   */
  decode: (record: Record<string, unknown>) => Record<string, FieldValue> | undefined;
  info: ExactEntityInfo;
  fieldNames: Array<keyof F & string>;
}

export function defineEntity<F extends AnyFields>(declaration: EntityDeclaration<F>): EntityDefinition<F> {
  const fieldNames = Object.keys(declaration.fields) as Array<keyof F & string>;
  const shape: z.ZodRawShape = {};
  const infos: ExactFieldInfo[] = [];
  for (const name of fieldNames) {
    const f = declaration.fields[name];
    shape[name] = f.schema.optional();
    const info: ExactFieldInfo = { name, type: f.type };
    if (f.maxLength !== undefined) {
      info.maxLength = f.maxLength;
    }
    if (f.readOnly) {
      info.readOnly = true;
    }
    if (f.restricted) {
      info.restricted = true;
    }
    infos.push(info);
  }
  const info: ExactEntityInfo = {
    name: declaration.name,
    key: declaration.key,
    fields: infos,
    supportsSync: declaration.sync !== undefined,
  };
  if (declaration.deletedEntityType !== undefined) {
    info.deletedEntityType = declaration.deletedEntityType;
  }
  return {
    ...declaration,
    divisionScoped: declaration.divisionScoped ?? true,
    writable: declaration.writable ?? false,
    schema: z.object(shape),
    decode: compileDecoder(declaration.fields, fieldNames),
    info,
    fieldNames,
  };
}

function compileDecoder(fields: AnyFields, names: readonly string[]): EntityDefinition['decode'] {
  const readers = names.map((name) => [name, fields[name].read] as const);
  return (record) => {
    const out: Record<string, FieldValue> = {};
    for (const [name, read] of readers) {
      const raw = record[name];
      if (raw === undefined) {
        // Absent is fine (`$select`); present but undefined is not JSON, and zod keeps it as a key.
        if (name in record) return undefined;
        continue;
      }
      const value = read(raw);
      if (value === undefined) return undefined;
      out[name] = value;
    }
    return out;
  };
}
