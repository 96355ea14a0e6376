import { z } from 'zod';
import type { ExactEntityInfo, ExactFieldInfo, ExactFieldType, FieldValue } from '../core/ports';
import { int64Value, isIntegerText, normaliseDecimal, parseExactDate, trimCode } from './values';

/**
 * One declaration per Exact entity: the zod schema that validates and normalises a record, the
 * typed record shape, and the `ExactEntityInfo` the sync engine sees all come from it.
 */

export interface FieldDecl<T extends FieldValue> {
  type: ExactFieldType;
  readOnly: boolean;
  maxLength?: number;
  /** Present only on `sync/` endpoints (`Timestamp`), so never `$select`ed elsewhere. */
  syncOnly: boolean;
  /** Raw Exact JSON value to the port convention; `null` stays `null`. */
  schema: z.ZodType<T | null, z.ZodTypeDef, unknown>;
}

interface FieldOptions {
  readOnly?: boolean;
  maxLength?: number;
  syncOnly?: boolean;
}

function decl<T extends FieldValue>(
  type: ExactFieldType,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  options: FieldOptions = {},
): FieldDecl<T> {
  return {
    type,
    readOnly: options.readOnly ?? false,
    maxLength: options.maxLength,
    syncOnly: options.syncOnly ?? false,
    schema: schema.nullable(),
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

/** Field builders named after Exact's Edm types. */
export const field = {
  guid: (options?: FieldOptions) =>
    decl('guid', z.string().regex(guidPattern, 'expected a GUID'), options),
  string: (options?: FieldOptions) => decl('string', z.string(), options),
  /** Fixed-width, space-padded text (`Code`, `Country`): trimmed on the way in. */
  padded: (options?: FieldOptions) => decl('string', z.string().transform(trimCode), options),
  int: (options?: FieldOptions) => decl('int', z.number().int(), options),
  int64: (options?: FieldOptions) => decl('int64', int64Text.transform(int64Value), options),
  /** Row versions (`Timestamp`): Int64 that may exceed 2^53, so always a decimal string. */
  cursor: (options?: FieldOptions) =>
    decl('int64', int64Text.transform((v) => normaliseDecimal(String(v))), { readOnly: true, syncOnly: true, ...options }),
  double: (options?: FieldOptions) => decl('double', z.number(), options),
  boolean: (options?: FieldOptions) => decl('boolean', z.boolean(), options),
  datetime: (options?: FieldOptions) => decl('datetime', exactDate, options),
};

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
  deletedEntityType?: number;
  /** True when the client may POST and PUT this entity (accounts, contacts). */
  writable?: boolean;
}

export interface EntityDefinition<F extends AnyFields = AnyFields> extends EntityDeclaration<F> {
  divisionScoped: boolean;
  writable: boolean;
  schema: z.ZodObject<z.ZodRawShape>;
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
    info,
    fieldNames,
  };
}
