/**
 * What a "Create in Exact" asks for: the create form's fields (and nothing else: no supplier
 * flags, no credit line, never another status than customer) and, in headers, which CRM company
 * it is (`Idempotency-Key: crm-company:<site>/<item id>`), the company's current Exact link
 * (`X-Crm-Linked-Account`) and the look-alikes the person declined (`X-Declined-Duplicates`).
 */
import { z } from 'zod';
import { HttpError } from '../http';

/** The fields src/services/financeServices.ts sends from the create form (src/finance/accountDraft.ts). */
const text = (most: number) => z.string().trim().max(most).nullish();

export const customerDraftSchema = z
  .object({
    Name: z.string().trim().min(1).max(100),
    // Status C makes it a customer; S (suspect) and P (prospect) are Exact's own pipeline, not the CRM's.
    Status: z.literal('C').default('C'),
    Country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').transform((c) => c.toUpperCase()),
    ChamberOfCommerce: text(30),
    VATNumber: text(30),
    AddressLine1: text(100),
    Postcode: text(20),
    City: text(60),
    Email: text(100),
    Phone: text(30),
    Website: text(100),
  })
  .strict();

export type CustomerDraft = z.infer<typeof customerDraftSchema>;

/** `crm-company:` + the CRM site's server-relative path + `/` + the list item id, printable ASCII. */
const companyKeySchema = z.string().max(150).regex(/^crm-company:(?:\/[\x21-\x2e\x30-\x7e]+)*\/\d{1,9}$/);
const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/).transform((g) => g.toLowerCase());

export interface CustomerCreateAsk {
  company: string;
  /** The CRM company's Exact link as the client knows it. */
  linkedAccount?: string;
  declined: string[];
  draft: CustomerDraft;
}

export type ParsedCreate = { ok: true; ask: CustomerCreateAsk } | { ok: false; refused: string };

function companyKey(headers: Headers): string {
  const given = headers.get('idempotency-key');
  const parsed = companyKeySchema.safeParse(given);
  if (!parsed.success) {
    throw new HttpError(400, 'bad-request', given
      ? 'Header Idempotency-Key must be crm-company:<site path>/<list item id> (printable ASCII, at most 150 characters).'
      : 'Creating a customer needs the header Idempotency-Key: crm-company:<site path>/<list item id>, so that a repeat cannot create it twice.');
  }
  return parsed.data;
}

function guids(value: string | null, header: string, most: number): string[] {
  const parts = (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const parsed = z.array(guid).max(most).safeParse(parts);
  if (!parsed.success) throw new HttpError(400, 'bad-request', `Header ${header} must be at most ${most} Exact account IDs (GUIDs), comma-separated.`);
  return parsed.data;
}

/** Fields outside the create form are refused (403, audited); a form field of the wrong shape is a 400. */
export function parseCustomerCreate(headers: Headers, body: unknown): ParsedCreate {
  const company = companyKey(headers);
  const [linkedAccount] = guids(headers.get('x-crm-linked-account'), 'X-Crm-Linked-Account', 1);
  const declined = guids(headers.get('x-declined-duplicates'), 'X-Declined-Duplicates', 50);
  const parsed = customerDraftSchema.safeParse(body);
  if (parsed.success) return { ok: true, ask: { company, linkedAccount, declined, draft: parsed.data } };
  const { issues } = parsed.error;
  const extra = issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
  if (extra.length) {
    return { ok: false, refused: `Creating a customer takes only the create form's fields; ${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not among them.` };
  }
  if (issues.some((i) => i.path[0] === 'Status')) {
    return { ok: false, refused: 'The connector creates customers only (Status C).' };
  }
  const issue = issues[0];
  throw new HttpError(400, 'bad-request', `Field ${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'not valid'}.`);
}
