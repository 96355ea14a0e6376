import '@pnp/sp/webs';
import '@pnp/sp/lists';
import '@pnp/sp/items';
import { z } from 'zod';
import { READ_PAGE_SIZE, type SPFI } from './pnp';
import { odataString } from './jsonEntries';
import { CRM_LISTS } from './schema';
import { DIVISION_FIELD } from '../sync/model';
import { hasRegistration, registrationDigits, sameRegistrationFilter } from './registration';
import type { Company, CompanyService } from '../finance/company';
import { convertValues, toRestBody } from './convert';
import { companiesList } from './schema';

const text = z.string().nullish().transform((v) => (v && v.trim() ? v.trim() : undefined));
// SharePoint's URL field comes as `{Url, Description}`.
const url = z.union([z.object({ Url: z.string().nullish() }).nullish().transform((v) => v?.Url ?? undefined), z.string().transform((v) => v || undefined)]);

const itemSchema = z.object({
  Id: z.number(),
  Title: text,
  ExactId: text,
  ExactCode: text,
  KvkNumber: text,
  VatNumber: text,
  Email: text,
  Phone: text,
  Website: url.optional(),
  AddressLine1: text,
  Postcode: text,
  City: text,
  Country: text,
  [DIVISION_FIELD]: z.number().int().positive().nullish(),
});

const fields = Object.keys(itemSchema.shape);
/** For a Companies list from before divisions were recorded (no division column yet): SharePoint refuses a $select of a missing column. */
const fieldsWithoutDivision = fields.filter((f) => f !== DIVISION_FIELD);
const missingDivisionColumn = (error: unknown): boolean => error instanceof Error && error.message.indexOf(DIVISION_FIELD) >= 0;

function toCompany(raw: unknown): Company {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const id = (raw as { Id?: unknown } | null)?.Id;
    throw new Error(`Company ${String(id ?? '?')} in ${CRM_LISTS.companies}: field ${issue?.path.join('.') ?? '?'} ${issue?.message ?? 'is not as expected'}`);
  }
  const item = parsed.data;
  return {
    id: item.Id,
    name: item.Title ?? '',
    exactId: item.ExactId?.toLowerCase(),
    exactCode: item.ExactCode,
    division: item[DIVISION_FIELD] ?? undefined,
    kvk: item.KvkNumber,
    vat: item.VatNumber,
    email: item.Email,
    phone: item.Phone,
    website: item.Website ?? undefined,
    addressLine1: item.AddressLine1,
    postcode: item.Postcode,
    city: item.City,
    country: item.Country,
  };
}

/** SharePoint's answer to a filter or sort on columns without an index in a list over 5,000 items. */
export const isListViewThresholdError = (error: unknown): boolean =>
  error instanceof Error && /list view threshold|SPQueryThrottledException/i.test(error.message);

/** Every word in the name, city or postcode (numbers also in the Exact code and KvK number), as companySearchFilter asks. */
export function matchesCompanySearch(company: Company, text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  return words.every((word) => {
    const values = /^\d+$/.test(word) ? [company.name, company.city, company.postcode, company.exactCode, company.kvk] : [company.name, company.city, company.postcode];
    return values.some((value) => value !== undefined && value.toLowerCase().includes(word));
  });
}

export function sharePointCompanies(sp: SPFI): CompanyService {
  const list = () => sp.web.lists.getByTitle(CRM_LISTS.companies);
  let selected = fields;
  /** Reads with the division column, and without it from then on when the list does not have one. */
  const reading = async <T>(read: (select: string[]) => Promise<T>): Promise<T> => {
    try {
      return await read(selected);
    } catch (error) {
      if (selected === fieldsWithoutDivision || !missingDivisionColumn(error)) throw error;
      selected = fieldsWithoutDivision;
      return read(selected);
    }
  };
  // A Companies list over SharePoint's list view threshold refuses substringof and a sort by name
  // (no index can serve them): then the list is read once in pages by ID, which SharePoint always
  // allows (2 requests per 10,000 companies), and searched here for the rest of the page's life.
  let everything: Promise<Company[]> | undefined;
  const allCompanies = (): Promise<Company[]> =>
    (everything ??= (async () => {
      const companies: Company[] = [];
      await reading(async (select) => {
        companies.length = 0;
        for await (const page of list().items.select(...select).top(READ_PAGE_SIZE)) for (const raw of page as unknown[]) companies.push(toCompany(raw));
      });
      return companies.sort((a, b) => a.name.localeCompare(b.name));
    })().catch((error: unknown) => {
      everything = undefined;
      throw error;
    }));
  return {
    get: async (id) => toCompany(await reading((select) => list().items.getById(id).select(...select)())),
    list: async () => (await reading((select) => list().items.select(...select).orderBy('Title').top(200)())).map(toCompany),
    search: async (text, top = 50) => {
      if (!everything) {
        const filter = companySearchFilter(text);
        try {
          return (await reading((select) => {
            const items = list().items.select(...select).orderBy('Title').top(top);
            return (filter ? items.filter(filter) : items)();
          })).map(toCompany);
        } catch (error) {
          if (!isListViewThresholdError(error)) throw error;
        }
      }
      return (await allCompanies()).filter((company) => matchesCompanySearch(company, text)).slice(0, top);
    },
    sameRegistration: async (company) => {
      const numbers = registrationDigits(company);
      const filter = sameRegistrationFilter(numbers);
      if (!filter) return [];
      const same = (found: Company[]) => found.filter((other) => other.id !== company.id && other.exactId && hasRegistration(other, numbers));
      if (!everything) {
        try {
          return same((await reading((select) => list().items.select(...select).filter(filter).top(READ_PAGE_SIZE)())).map(toCompany));
        } catch (error) {
          if (!isListViewThresholdError(error)) throw error;
        }
      }
      return same(await allCompanies());
    },
    // ExactId is indexed (and unique), so this filter is allowed over the list view threshold too.
    linkedTo: async (exactId) => {
      const found = await reading((select) => list().items.select(...select).filter(`ExactId eq ${odataString(exactId.toLowerCase())}`).top(2)());
      return found.length ? toCompany(found[0]) : undefined;
    },
    link: async (id, exact) => {
      // Values the list's columns refuse are left for the next import, never sent half-converted.
      const mapped = convertValues(companiesList.fields, { ...(exact.values ?? {}) }).values;
      const body = toRestBody(companiesList.fields, { ...mapped, ExactId: exact.id, [DIVISION_FIELD]: exact.division, ...(exact.code ? { ExactCode: exact.code.trim() } : {}) });
      await list().items.getById(id).update(body);
    },
  };
}

/**
 * Every company, read in pages by ID (which SharePoint allows over the list view threshold too:
 * 2 requests per 10,000 companies), for a list screen that searches, sorts and pages them itself.
 */
export async function readAllCompanies(sp: SPFI): Promise<Company[]> {
  const companies: Company[] = [];
  const read = async (select: string[]): Promise<void> => {
    companies.length = 0;
    for await (const page of sp.web.lists.getByTitle(CRM_LISTS.companies).items.select(...select).top(READ_PAGE_SIZE)) for (const raw of page as unknown[]) companies.push(toCompany(raw));
  };
  try {
    await read(fields);
  } catch (error) {
    if (!missingDivisionColumn(error)) throw error;
    await read(fieldsWithoutDivision);
  }
  return companies;
}

/** The `$filter` for {@link CompanyService.search}; undefined for empty text (all companies). */
export function companySearchFilter(text: string): string | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean).slice(0, 5);
  if (!words.length) return undefined;
  const clauses = words.map((word) => {
    const value = odataString(word);
    // Dutch postcodes are written "3511 AB": both halves are words of their own.
    const fieldsFor = /^\d+$/.test(word) ? ['Title', 'City', 'Postcode', 'ExactCode', 'KvkNumber'] : ['Title', 'City', 'Postcode'];
    return `(${fieldsFor.map((field) => `substringof(${value}, ${field})`).join(' or ')})`;
  });
  return clauses.join(' and ');
}
