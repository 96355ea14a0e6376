/**
 * `documents/Documents` and `documents/DocumentAttachments` for sales invoices, and the
 * attachment download behind their `Url` (`/docs/SysAttachment.aspx?ID=…&_Division_=…`, which
 * Exact only serves with the bearer token). About two invoices in three have a PDF; the rest have
 * no document, as in an administration where not every invoice was archived.
 */
import type { Endpoint, Fields } from './endpoint';
import { errorResponse, ODataError } from './errors';
import type { OAuthServer } from './oauth';
import { rng } from './random';
import type { Row } from './seed';
import type { AccountFinance } from './seedFinance';
import type { DivisionData } from './store';

export const documentFields: Fields = {
  ID: 'guid',
  Account: 'guid',
  AccountName: 'string',
  Subject: 'string',
  Type: 'int',
  TypeDescription: 'string',
  DocumentDate: 'datetime',
  FinancialTransactionEntryID: 'guid',
  SalesInvoiceNumber: 'int',
  HasEmptyBody: 'boolean',
  Created: 'datetime',
  Division: 'int',
};

export const documentAttachmentFields: Fields = {
  ID: 'guid',
  Document: 'guid',
  FileName: 'string',
  FileSize: 'double',
  Url: 'string',
};

export const documentEndpoints: Endpoint[] = [
  { path: 'documents/Documents', dataset: 'documents', model: 'Document', key: 'ID', fields: documentFields, pageSize: 60, methods: ['GET'] },
  { path: 'documents/DocumentAttachments', dataset: 'documentAttachments', model: 'DocumentAttachment', key: 'ID', fields: documentAttachmentFields, pageSize: 60, methods: ['GET'] },
];

interface InvoiceDocument {
  document: Row;
  attachment: Row;
  invoice: Row;
}

const byFinance = new WeakMap<AccountFinance, InvoiceDocument[]>();

/** Exact's sales-invoice document type. */
const salesInvoiceDocumentType = 10;

function documentsOf(finance: AccountFinance, division: number, baseUrl: string): InvoiceDocument[] {
  let docs = byFinance.get(finance);
  if (docs) return docs;
  docs = finance.invoices
    .filter((invoice) => (invoice.InvoiceNumber as number) % 3 !== 0)
    .map((invoice) => {
      const r = rng(`${division}:document:${String(invoice.InvoiceID)}`);
      const documentId = r.guid();
      const attachmentId = r.guid();
      const number = invoice.InvoiceNumber as number;
      const document: Row = {
        ID: documentId,
        Account: invoice.InvoiceTo,
        AccountName: invoice.InvoiceToName,
        Subject: `${invoice.Type === 8021 ? 'Creditnota' : 'Factuur'} ${number}`,
        Type: salesInvoiceDocumentType,
        TypeDescription: 'Verkoopfactuur',
        DocumentDate: invoice.InvoiceDate,
        FinancialTransactionEntryID: invoice.InvoiceID,
        SalesInvoiceNumber: number,
        HasEmptyBody: false,
        Created: invoice.Created,
        Division: division,
      };
      const attachment: Row = {
        ID: attachmentId,
        Document: documentId,
        FileName: `Factuur_${number}.pdf`,
        FileSize: invoicePdf(invoice).length,
        Url: `${baseUrl}/docs/SysAttachment.aspx?ID=${attachmentId}&_Division_=${division}`,
      };
      return { document, attachment, invoice };
    });
  byFinance.set(finance, docs);
  return docs;
}

/** Rows for the two OData endpoints; the router applies `$filter` on them. */
export function documentRows(data: DivisionData, kind: 'documents' | 'documentAttachments', baseUrl: string): Row[] {
  return data.financeRows((finance) => documentsOf(finance, data.info.code, baseUrl).map((d) => (kind === 'documents' ? d.document : d.attachment)));
}

export function findAttachment(data: DivisionData, attachmentId: string, baseUrl: string): InvoiceDocument | undefined {
  const wanted = attachmentId.toLowerCase();
  for (const id of data.accounts.keys()) {
    const finance = data.financeOf(id);
    const found = finance ? documentsOf(finance, data.info.code, baseUrl).find((d) => String(d.attachment.ID).toLowerCase() === wanted) : undefined;
    if (found) return found;
  }
  return undefined;
}

const pdfText = (text: string): string => text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');

/** A real, small PDF (one page, Helvetica) with the invoice's number, date, customer and total. */
export function invoicePdf(invoice: Row): Uint8Array {
  const date = new Date(invoice.InvoiceDate as number).toISOString().slice(0, 10);
  const lines = [
    `${invoice.Type === 8021 ? 'Creditnota' : 'Factuur'} ${String(invoice.InvoiceNumber)}`,
    `Datum: ${date}`,
    `Klant: ${String(invoice.InvoiceToName)}`,
    `Totaal: ${String(invoice.Currency)} ${(invoice.AmountFC as number).toFixed(2)}`,
  ];
  const stream = `BT /F1 14 Tf 72 760 Td 18 TL ${lines.map((l) => `(${pdfText(l)}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/**
 * `GET /docs/SysAttachment.aspx?ID=…&_Division_=…&Download=1`: the file itself, for a bearer
 * token with that division; without the token Exact sends its login page, here a 401.
 */
export function attachmentDownload(request: Request, deps: { oauth: OAuthServer; data: (code: number) => DivisionData; baseUrl: string }): Response {
  const url = new URL(request.url);
  const auth = deps.oauth.authenticate(request.headers.get('authorization'));
  if ('error' in auth) return errorResponse(new ODataError(401, auth.error, { 'WWW-Authenticate': 'Bearer' }));
  const division = Number(url.searchParams.get('_Division_'));
  if (!auth.grant.divisions.includes(division)) return errorResponse(new ODataError(403, 'Forbidden', { Reason: 'No access to this division.' }));
  const found = findAttachment(deps.data(division), url.searchParams.get('ID') ?? '', deps.baseUrl);
  if (!found) return errorResponse(new ODataError(404, 'Attachment not found.'));
  const bytes = invoicePdf(found.invoice);
  const download = url.searchParams.get('Download') === '1';
  return new Response(bytes, {
    status: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-length': String(bytes.length),
      'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${String(found.attachment.FileName)}"`,
    },
  });
}
