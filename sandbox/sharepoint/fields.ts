import { isValid, parseISO } from 'date-fns';
import { z } from 'zod';
import { SpCodes, SpError, badRequest } from './errors';
import { newGuid, type FieldState, type FieldType, type ListState } from './state';

const kindToType: Record<number, FieldType> = {
  1: 'Integer', 2: 'Text', 3: 'Note', 4: 'DateTime', 6: 'Choice', 7: 'Lookup', 8: 'Boolean', 9: 'Number',
  10: 'Currency', 11: 'URL', 15: 'MultiChoice', 17: 'Calculated', 20: 'User',
};
const typeToKind: Record<FieldType, number> = {
  Counter: 5, Text: 2, Note: 3, Number: 9, Currency: 10, Integer: 1, Boolean: 8, DateTime: 4, Choice: 6,
  MultiChoice: 15, URL: 11, Lookup: 7, User: 20, Computed: 12, Guid: 14, ContentTypeId: 25, File: 18,
  Attachments: 19, Calculated: 17,
};
const typeToClass: Partial<Record<FieldType, string>> = {
  Text: 'SP.FieldText', Note: 'SP.FieldMultiLineText', Number: 'SP.FieldNumber', Integer: 'SP.FieldNumber',
  Currency: 'SP.FieldCurrency', DateTime: 'SP.FieldDateTime', Choice: 'SP.FieldChoice', MultiChoice: 'SP.FieldMultiChoice',
  URL: 'SP.FieldUrl', Lookup: 'SP.FieldLookup', User: 'SP.FieldUser', Computed: 'SP.FieldComputed', Guid: 'SP.FieldGuid',
  Calculated: 'SP.FieldCalculated',
};
export const fieldODataType = (field: FieldState): string => typeToClass[field.TypeAsString] ?? 'SP.Field';

/** SharePoint's internal-name encoding: every character outside [A-Za-z0-9_] becomes `_xHHHH_`, 32 chars max. */
export function encodeInternalName(title: string): string {
  let out = '';
  for (const ch of title) {
    out += /[A-Za-z0-9_]/.test(ch) ? ch : `_x${ch.codePointAt(0)!.toString(16).padStart(4, '0')}_`;
  }
  return out.slice(0, 32);
}

/** Property name in OData payloads: names starting with `_` get SharePoint's `OData_` prefix. */
export const entityPropertyName = (field: FieldState): string =>
  field.InternalName.startsWith('_') ? `OData_${field.InternalName}` : field.InternalName;

/** Property that carries a lookup/person value on write and in unexpanded reads. */
export const idPropertyName = (field: FieldState): string => `${entityPropertyName(field)}Id`;
export const isReference = (field: FieldState): boolean => field.TypeAsString === 'Lookup' || field.TypeAsString === 'User';

function builtIn(Title: string, InternalName: string, TypeAsString: FieldType, extra: Partial<FieldState> = {}): FieldState {
  return {
    Id: newGuid(), Title, InternalName, StaticName: InternalName, TypeAsString, FieldTypeKind: typeToKind[TypeAsString],
    Description: '', Group: '_Hidden', Required: false, Indexed: false, EnforceUniqueValues: false, Hidden: false,
    ReadOnlyField: true, CanBeDeleted: false, BuiltIn: true, DefaultValue: null, ...extra,
  };
}

export function builtInFields(baseTemplate: number): FieldState[] {
  const library = baseTemplate === 101;
  const title: FieldState = {
    ...builtIn('Title', 'Title', 'Text'), Group: 'Custom Columns', ReadOnlyField: false, BuiltIn: false,
    Required: !library, MaxLength: 255,
  };
  const fields = [
    builtIn('ID', 'ID', 'Counter', { Indexed: true }),
    builtIn('Content Type ID', 'ContentTypeId', 'ContentTypeId', { Hidden: true }),
    title,
    builtIn('Created', 'Created', 'DateTime'),
    builtIn('Modified', 'Modified', 'DateTime'),
    builtIn('Created By', 'Author', 'User'),
    builtIn('Modified By', 'Editor', 'User'),
    builtIn('Attachments', 'Attachments', 'Attachments'),
    builtIn('GUID', 'GUID', 'Guid', { Hidden: true }),
    builtIn('Version', '_UIVersionString', 'Text'),
  ];
  if (library) {
    fields.push(builtIn('Name', 'FileLeafRef', 'File'), builtIn('URL Path', 'FileRef', 'Computed'), builtIn('Path', 'FileDirRef', 'Computed'));
  }
  return fields;
}

const jsonBool = z.union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE']).transform((v) => v.toLowerCase() === 'true')]);
const jsonNum = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const choicesInput = z.union([z.array(z.string()), z.object({ results: z.array(z.string()) }).transform((c) => c.results)]);

/** Properties PnPjs sends with `fields.add*` (verbose) and `fields.addField` (parameters). */
export const fieldInputSchema = z
  .object({
    Title: z.string().min(1),
    FieldTypeKind: z.number(),
    StaticName: z.string().optional(),
    InternalName: z.string().optional(),
    Description: z.string().optional(),
    Group: z.string().optional(),
    Required: jsonBool.optional(),
    Indexed: jsonBool.optional(),
    EnforceUniqueValues: jsonBool.optional(),
    Hidden: jsonBool.optional(),
    DefaultValue: z.string().nullable().optional(),
    MaxLength: jsonNum.optional(),
    MinimumValue: jsonNum.optional(),
    MaximumValue: jsonNum.optional(),
    Choices: choicesInput.optional(),
    FillInChoice: jsonBool.optional(),
    LookupList: z.string().optional(),
    LookupListId: z.string().optional(),
    LookupField: z.string().optional(),
    LookupFieldName: z.string().optional(),
    DisplayFormat: z.number().optional(),
  })
  .passthrough();
export type FieldInput = z.infer<typeof fieldInputSchema>;

function uniqueInternalName(list: ListState, wanted: string): string {
  const taken = new Set(list.fields.map((f) => f.InternalName.toLowerCase()));
  if (!taken.has(wanted.toLowerCase())) {
    return wanted;
  }
  for (let i = 0; ; i++) {
    const candidate = `${wanted.slice(0, 31 - String(i).length)}${i}`;
    if (!taken.has(candidate.toLowerCase())) {
      return candidate;
    }
  }
}

function assertNoDuplicateTitle(list: ListState, title: string): void {
  if (list.fields.some((f) => f.Title.toLowerCase() === title.toLowerCase())) {
    throw badRequest(SpCodes.duplicateField, `A duplicate field name "${title}" was found.`);
  }
}

const braced = (guid: string): string => (guid.startsWith('{') ? guid : `{${guid}}`);

export function createField(list: ListState, input: FieldInput, internalNameHint?: string): FieldState {
  const type = kindToType[input.FieldTypeKind];
  if (!type) {
    throw badRequest(SpCodes.notSupported, `Field type kind ${input.FieldTypeKind} of column '${input.Title}' is not supported by the emulator.`);
  }
  assertNoDuplicateTitle(list, input.Title);
  const InternalName = uniqueInternalName(list, internalNameHint ?? encodeInternalName(input.Title));
  if (input.EnforceUniqueValues && !input.Indexed) {
    throw badRequest(SpCodes.generic, `The column '${input.Title}' must be indexed before it can enforce unique values.`);
  }
  const lookupList = input.LookupList ?? input.LookupListId;
  if (type === 'Lookup' && !lookupList) {
    throw badRequest(SpCodes.argument, `Lookup column '${input.Title}' needs a LookupListId.`);
  }
  const field: FieldState = {
    Id: newGuid(), Title: input.Title, InternalName, StaticName: InternalName, TypeAsString: type,
    FieldTypeKind: input.FieldTypeKind, Description: input.Description ?? '', Group: input.Group ?? 'Custom Columns',
    Required: input.Required ?? false, Indexed: input.Indexed ?? false, EnforceUniqueValues: input.EnforceUniqueValues ?? false,
    Hidden: input.Hidden ?? false, ReadOnlyField: type === 'Calculated', CanBeDeleted: true, BuiltIn: false,
    DefaultValue: input.DefaultValue ?? null,
  };
  if (type === 'Text') field.MaxLength = Math.min(input.MaxLength ?? 255, 255);
  if (type === 'Number' || type === 'Currency' || type === 'Integer') {
    if (input.MinimumValue !== undefined) field.MinimumValue = input.MinimumValue;
    if (input.MaximumValue !== undefined) field.MaximumValue = input.MaximumValue;
  }
  if (type === 'Choice' || type === 'MultiChoice') {
    field.Choices = input.Choices ?? [];
    field.FillInChoice = input.FillInChoice ?? false;
  }
  if (type === 'Lookup' && lookupList) {
    field.LookupList = braced(lookupList);
    field.LookupField = input.LookupField ?? input.LookupFieldName ?? 'Title';
  }
  if (type === 'User') field.LookupField = 'ImnName';
  if (input.DisplayFormat !== undefined) field.DisplayFormat = input.DisplayFormat;
  field.SchemaXml = toSchemaXml(field);
  return field;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const xmlUnescape = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function toSchemaXml(field: FieldState): string {
  const attrs: string[] = [
    `Type="${field.TypeAsString}"`, `DisplayName="${xmlEscape(field.Title)}"`, `Required="${field.Required ? 'TRUE' : 'FALSE'}"`,
    `ID="{${field.Id}}"`, `StaticName="${field.StaticName}"`, `Name="${field.InternalName}"`,
  ];
  if (field.Indexed) attrs.push('Indexed="TRUE"');
  if (field.EnforceUniqueValues) attrs.push('EnforceUniqueValues="TRUE"');
  if (field.MaxLength !== undefined) attrs.push(`MaxLength="${field.MaxLength}"`);
  if (field.MinimumValue !== undefined) attrs.push(`Min="${field.MinimumValue}"`);
  if (field.MaximumValue !== undefined) attrs.push(`Max="${field.MaximumValue}"`);
  if (field.LookupList) attrs.push(`List="${field.LookupList}"`, `ShowField="${field.LookupField ?? 'Title'}"`);
  const choices = field.Choices?.length
    ? `<CHOICES>${field.Choices.map((c) => `<CHOICE>${xmlEscape(c)}</CHOICE>`).join('')}</CHOICES>`
    : '';
  return `<Field ${attrs.join(' ')}>${choices}</Field>`;
}

const AddFieldInternalNameHint = 8;

/**
 * `createfieldasxml`: like SharePoint, the internal name comes from DisplayName unless the caller
 * passes Options with AddFieldInternalNameHint (8); PnPjs's `createFieldAsXml(string)` sends no Options.
 */
export function createFieldFromXml(list: ListState, schemaXml: string, options: number): FieldState {
  const open = /<Field\b([^>]*?)\/?>/i.exec(schemaXml);
  if (!open) {
    throw badRequest(SpCodes.generic, 'The SchemaXml has no <Field> element.');
  }
  const attrs = new Map<string, string>();
  for (const m of open[1].matchAll(/([A-Za-z_:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs.set(m[1].toLowerCase(), xmlUnescape(m[2] ?? m[3] ?? ''));
  }
  const typeName = attrs.get('type') ?? 'Text';
  const kind = Object.entries(kindToType).find(([, t]) => t.toLowerCase() === typeName.toLowerCase())?.[0];
  if (!kind) {
    throw badRequest(SpCodes.notSupported, `Field type '${typeName}' in SchemaXml is not supported by the emulator.`);
  }
  const name = attrs.get('name') ?? attrs.get('staticname');
  const title = attrs.get('displayname') ?? name;
  if (!title) {
    throw badRequest(SpCodes.generic, 'The SchemaXml <Field> needs a DisplayName or Name.');
  }
  const flag = (key: string) => (attrs.has(key) ? attrs.get(key)!.toUpperCase() === 'TRUE' : undefined);
  const num = (key: string) => (attrs.has(key) ? Number(attrs.get(key)) : undefined);
  const choices = [...schemaXml.matchAll(/<CHOICE>([\s\S]*?)<\/CHOICE>/gi)].map((m) => xmlUnescape(m[1]));
  const defaultMatch = /<Default>([\s\S]*?)<\/Default>/i.exec(schemaXml);
  const hint = (options & AddFieldInternalNameHint) !== 0 && name ? name : undefined;
  const field = createField(
    list,
    {
      Title: title, FieldTypeKind: Number(kind), Required: flag('required'), Indexed: flag('indexed'),
      EnforceUniqueValues: flag('enforceuniquevalues'), Hidden: flag('hidden'), MaxLength: num('maxlength'),
      MinimumValue: num('min'), MaximumValue: num('max'), Choices: choices.length ? choices : undefined,
      FillInChoice: flag('fillinchoice'), LookupList: attrs.get('list'), LookupField: attrs.get('showfield'),
      Description: attrs.get('description'), Group: attrs.get('group'),
      DefaultValue: defaultMatch ? xmlUnescape(defaultMatch[1]) : undefined,
    },
    hint ?? (name && name === title ? name : encodeInternalName(title)),
  );
  field.SchemaXml = schemaXml;
  return field;
}

const invalidValue = (list: ListState, field: FieldState, message: string): SpError =>
  badRequest(SpCodes.validation, `List '${list.Title}', column '${field.Title}' (${field.InternalName}): ${message}`);

export const toSpDate = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/** Validates one written value the way SharePoint does for its column type; returns what is stored. */
export function coerceValue(list: ListState, field: FieldState, value: unknown): unknown {
  if (value === null || value === undefined || value === '') {
    return field.TypeAsString === 'MultiChoice' ? null : value === '' && isText(field) ? '' : null;
  }
  switch (field.TypeAsString) {
    case 'Text':
    case 'Note': {
      if (typeof value !== 'string') throw invalidValue(list, field, `a ${typeof value} cannot be converted to Edm.String.`);
      const max = field.MaxLength ?? (field.TypeAsString === 'Text' ? 255 : 63999);
      if (value.length > max) {
        throw invalidValue(list, field, `the value is ${value.length} characters long; the column allows at most ${max}.`);
      }
      return value;
    }
    case 'Number':
    case 'Currency':
    case 'Integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw invalidValue(list, field, `'${String(value)}' is not a number.`);
      if (field.MinimumValue !== undefined && n < field.MinimumValue) throw invalidValue(list, field, `${n} is below the minimum ${field.MinimumValue}.`);
      if (field.MaximumValue !== undefined && n > field.MaximumValue) throw invalidValue(list, field, `${n} is above the maximum ${field.MaximumValue}.`);
      return n;
    }
    case 'Boolean': {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw invalidValue(list, field, `'${String(value)}' is not a boolean.`);
    }
    case 'DateTime': {
      const date = typeof value === 'string' ? parseISO(value) : new Date(NaN);
      if (!isValid(date)) throw invalidValue(list, field, `'${String(value)}' is not an ISO 8601 date.`);
      return toSpDate(date);
    }
    case 'Choice': {
      if (typeof value !== 'string') throw invalidValue(list, field, 'a choice must be a string.');
      assertChoice(list, field, value);
      return value;
    }
    case 'MultiChoice': {
      const parsed = z.union([z.array(z.string()), z.object({ results: z.array(z.string()) })]).safeParse(value);
      if (!parsed.success) throw invalidValue(list, field, 'a multi-choice value must be an array of strings or { results }.');
      const values = Array.isArray(parsed.data) ? parsed.data : parsed.data.results;
      values.forEach((v) => assertChoice(list, field, v));
      return values;
    }
    case 'URL': {
      const parsed = z.object({ Url: z.string(), Description: z.string().nullable().optional() }).passthrough().safeParse(value);
      if (!parsed.success) throw invalidValue(list, field, 'a hyperlink value must be { Url, Description }.');
      if (parsed.data.Url.length > 255) throw invalidValue(list, field, 'the URL is longer than 255 characters.');
      return { Url: parsed.data.Url, Description: parsed.data.Description ?? parsed.data.Url };
    }
    case 'Lookup':
    case 'User': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n) || n < 0) throw invalidValue(list, field, `'${String(value)}' is not a valid item id.`);
      return n === 0 ? null : n;
    }
    default:
      throw invalidValue(list, field, 'the column is read-only.');
  }
}

const isText = (field: FieldState): boolean => field.TypeAsString === 'Text' || field.TypeAsString === 'Note';

function assertChoice(list: ListState, field: FieldState, value: string): void {
  if (!field.FillInChoice && !(field.Choices ?? []).includes(value)) {
    throw invalidValue(list, field, `'${value}' is not one of the choices (${(field.Choices ?? []).join(', ')}).`);
  }
}
