/**
 * `GET /documents/{division}/invoices/{entryId}/pdf`: an invoice's PDF out of Exact. Finds the
 * document by the invoice's financial entry (`documents/Documents`), its PDF attachment
 * (`documents/DocumentAttachments`), then downloads the attachment's `Url` with Exact's token and
 * streams it on. The two reads go through the proxy (queue, budget, breaker, the division's
 * enabling); the browser never sees the token or Exact's URL. `PrintedSalesInvoices` is never
 * used: it processes the invoice and can e-mail the customer.
 *
 * Only a PDF is served, as a PDF: an attachment not named `.pdf`, or one whose bytes do not start
 * as a PDF, is refused rather than passed on under its own type, because the panel offers "the
 * invoice PDF" and a file of any other type (HTML, SVG) from the gateway's origin is a risk for
 * nothing the product needs.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { rawInstance } from '../../src/exact/axiosBase';
import { authorize } from '../access/authorize';
import { isEnabled } from '../access/divisions';
import type { GatewayConfig } from '../config';
import { HttpError } from '../http';
import type { Proxy, ProxyRequest } from '../proxy/service';
import type { GatewayStore } from '../store/types';
import type { TokenService } from '../tokens';
import { attachmentDisposition, downloadName, pdfBody } from './pdfDownload';
import { proxyRequestOf } from './proxy';
import type { Route } from './route';

const pathPattern = /^(\d+)\/invoices\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\/pdf$/;
const resultsSchema = <T extends z.ZodTypeAny>(row: T) => z.object({ d: z.object({ results: z.array(row) }) });
const documentRow = z.object({ ID: z.string() });
const attachmentRow = z.object({ ID: z.string(), FileName: z.string().nullable(), Url: z.string() });

interface ExactRead<T extends z.ZodTypeAny> {
  /** After `/exact/`, e.g. `{division}/documents/Documents`. */
  subPath: string;
  query: string;
  row: T;
}

export interface DocumentsDeps {
  config: GatewayConfig;
  proxy: Proxy;
  store: GatewayStore;
  tokens: TokenService;
}

export function createDocumentsRoute(deps: DocumentsDeps): Route[] {
  const { config, proxy, store, tokens } = deps;
  const http = rawInstance(config.upstreamTimeoutMs);

  async function read<T extends z.ZodTypeAny>(asked: ProxyRequest, { subPath, query, row }: ExactRead<T>): Promise<Array<z.infer<T>>> {
    const url = new URL(asked.request.url);
    const inner = new Request(`${url.origin}${config.basePath}/exact/${subPath}?${query}`, { headers: { accept: 'application/json' } });
    const response = await proxy.handle({ ...asked, request: inner, subPath, operation: 'invoice-pdf' });
    const text = await response.text();
    if (response.status !== 200) {
      throw new HttpError(response.status === 429 ? 429 : 502, response.status === 429 ? 'budget-spent' : 'exact-error', `Exact answered ${subPath} with HTTP ${response.status}.`);
    }
    const parsed = resultsSchema(row).safeParse(JSON.parse(text));
    if (!parsed.success) throw new HttpError(502, 'bad-response', `Exact's ${subPath} answer is not as expected: ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
    return parsed.data.d.results as Array<z.infer<T>>;
  }

  async function handle(asked: ProxyRequest): Promise<Response> {
    const { caller, subPath, logger } = asked;
    const match = pathPattern.exec(subPath);
    if (!match) throw new HttpError(404, 'not-found', `Not an invoice PDF path: ${subPath} (expected {division}/invoices/{entry id}/pdf).`);
    const division = Number(match[1]);
    const entryId = match[2]!.toLowerCase();
    authorize({ caller, operation: 'invoice-pdf', division, logger });
    const documents = await read(asked, { subPath: `${division}/documents/Documents`, query: `$select=ID&$filter=${encodeURIComponent(`FinancialTransactionEntryID eq guid'${entryId}'`)}`, row: documentRow });
    if (!documents.length) throw new HttpError(404, 'no-document', `Exact has no document for invoice entry ${entryId}.`);
    const attachments = await read(asked, { subPath: `${division}/documents/DocumentAttachments`, query: `$select=ID,FileName,Url&$filter=${encodeURIComponent(`Document eq guid'${documents[0]!.ID.toLowerCase()}'`)}`, row: attachmentRow });
    // A nameless attachment may still be the PDF: its first bytes decide (asPdf).
    const pdf = attachments.find((a) => /\.pdf$/i.test(a.FileName ?? '')) ?? attachments.find((a) => !a.FileName?.trim());
    if (!pdf) throw new HttpError(404, 'no-pdf', `Exact's document for invoice entry ${entryId} has no PDF attachment.`);

    const connection = (await store.listConnections(caller.tenantId)).find((c) => c.status === 'connected' && isEnabled(c, division));
    if (!connection) throw new HttpError(409, 'not-connected', 'Exact Online is not connected for your organisation.');
    // Only Exact's own host gets Exact's token, whatever a Url field says.
    const exactRoot = connection.exactBaseUrl.replace(/\/+$/, '');
    if (!pdf.Url.startsWith(`${exactRoot}/`)) throw new HttpError(502, 'bad-response', `Exact's attachment URL is not on ${new URL(exactRoot).host}.`);
    const upstream = await http.request<Readable>({
      method: 'GET',
      url: `${pdf.Url}&Download=1`,
      headers: { Authorization: `Bearer ${await tokens.getAccessToken(connection)}` },
      responseType: 'stream',
    });
    let response: Response;
    try {
      response = await asPdf({ upstream, fileName: downloadName(pdf.FileName, `invoice-${entryId}.pdf`), entryId });
    } catch (error) {
      // Whatever went wrong, Exact's answer is not left half read on an open connection.
      upstream.data.destroy();
      throw error;
    }
    logger.log('info', 'exact.invoice-pdf', { division, entryId, by: caller.userId });
    return response;
  }

  return [{ method: 'GET', path: '/documents/', prefix: true, handle: async (r) => handle(await proxyRequestOf(r)) }];
}

interface Download {
  upstream: { status: number; data: Readable };
  fileName: string;
  entryId: string;
}

async function asPdf({ upstream, fileName, entryId }: Download): Promise<Response> {
  if (upstream.status !== 200) {
    throw new HttpError(502, 'exact-error', `Exact answered the attachment download with HTTP ${upstream.status}.`);
  }
  const body = await pdfBody(Readable.toWeb(upstream.data) as ReadableStream<Uint8Array>);
  if (!body) throw new HttpError(502, 'not-a-pdf', `Exact's attachment for invoice entry ${entryId} is named as a PDF but is not one.`);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': attachmentDisposition(fileName),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
}
