/**
 * Issue 20.5: the invoice PDF route with whatever file names and files Exact holds. The names
 * come from Exact's DocumentAttachments (changed here on the way to the gateway), the files from
 * its attachment download.
 */
import { globalAgent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startConnectedHarness, type ConnectedHarness } from '../support/gatewayHarness';

const mb = 1024 * 1024;

interface Attachments {
  d: { results: Array<{ FileName: string | null }> };
}

/** What Exact holds for the next download, set per test. */
const exactHolds: { fileName?: string | null; file?: () => Response } = {};

/** Connections from the gateway to Exact whose answer is still being read (axios uses Node's global agent). */
const busyWithExact = (): number => Object.values(globalAgent.sockets).reduce((n, sockets) => n + (sockets?.length ?? 0), 0);

describe('gateway: invoice PDFs whatever Exact calls them (issue 20.5)', () => {
  let c: ConnectedHarness;
  let entryId: string;
  const pdf = (): Promise<Response> => call(c.h, `/gateway/documents/${c.division}/invoices/${entryId}/pdf`, c.sales);

  beforeAll(async () => {
    c = await startConnectedHarness({
      exactIntercept: async (request, exact) => {
        const path = new URL(request.url).pathname;
        if (/documents\/DocumentAttachments$/.test(path) && exactHolds.fileName !== undefined) {
          const answer = (await (await exact(request)).json()) as Attachments;
          for (const row of answer.d.results) row.FileName = exactHolds.fileName;
          return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
        }
        if (/SysAttachment\.aspx$/i.test(path) && exactHolds.file) {
          return exactHolds.file();
        }
        return exact(request);
      },
    });
    const token = c.h.exact.issueTokens().access_token;
    const documents = await fetch(c.h.url(`/exact/api/v1/${c.division}/documents/Documents?$select=FinancialTransactionEntryID&$top=1`), { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    entryId = ((await documents.json()) as { d: { results: Array<{ FinancialTransactionEntryID: string }> } }).d.results[0]!.FinancialTransactionEntryID;
  });
  afterAll(async () => c.h.close());

  it('serves names beyond Latin-1, with €, a right-to-left mark or NUL, with an ASCII filename and the real one as filename*', async () => {
    const names: Array<[string | null, string, string]> = [
      ['Factuur – Müller.pdf', 'Factuur _ Muller.pdf', 'Factuur – Müller.pdf'],
      ['Rechnung €12 (Kopie).pdf', 'Rechnung _12 (Kopie).pdf', 'Rechnung €12 (Kopie).pdf'],
      ['invoice\u202Efdp.exe.pdf', 'invoicefdp.exe.pdf', 'invoicefdp.exe.pdf'],
      ['Factuur\u0000 "1".pdf', 'Factuur _1_.pdf', 'Factuur "1".pdf'],
      ['חשבונית.pdf', '_______.pdf', 'חשבונית.pdf'],
      // No name at all: the bytes say whether it is a PDF; it is offered as invoice-{entry}.pdf.
      [null, '', ''],
    ];
    for (const [fileName, ascii, real] of names) {
      exactHolds.fileName = fileName;
      const answer = await pdf();
      expect({ fileName, status: answer.status }).toEqual({ fileName, status: 200 });
      expect(answer.headers.get('content-type')).toBe('application/pdf');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      const disposition = answer.headers.get('content-disposition')!;
      const [, plain, encoded] = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9%!#$&+.^_`|~-]+)$/.exec(disposition) ?? [];
      expect({ fileName, disposition, matched: plain !== undefined }).toEqual({ fileName, disposition, matched: true });
      if (fileName === null) {
        expect(plain).toBe(`invoice-${entryId}.pdf`);
      } else {
        expect(plain).toBe(ascii);
        expect(decodeURIComponent(encoded!)).toBe(real);
      }
      expect(Buffer.from(await answer.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    exactHolds.fileName = undefined;
  });

  it('serves only PDFs: a Word attachment is refused, and so is a ".pdf" that is not one', async () => {
    exactHolds.fileName = 'Factuur 2026-001.docx';
    const word = await pdf();
    expect(word.status).toBe(404);
    expect(await word.json()).toMatchObject({ error: 'no-pdf' });
    exactHolds.fileName = 'Factuur.pdf';
    exactHolds.file = () => new Response('<html><script>alert(document.domain)</script></html>', { status: 200, headers: { 'content-type': 'application/pdf' } });
    const html = await pdf();
    expect(html.status).toBe(502);
    expect(await html.json()).toMatchObject({ error: 'not-a-pdf' });
    exactHolds.file = undefined;
    exactHolds.fileName = undefined;
  });

  it('never leaves Exact\'s answer half read, whether it serves or refuses the download', async () => {
    const settled = async (): Promise<number> => {
      for (let i = 0; i < 200 && busyWithExact() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return busyWithExact();
    };
    const cases: Array<{ fileName: string; file?: () => Response; status: number }> = [
      { fileName: 'Factuur – Müller.pdf', status: 200 },
      { fileName: 'Factuur.pdf', file: () => new Response(Buffer.alloc(4 * mb, 0x41), { status: 200 }), status: 502 },
      { fileName: 'Factuur.pdf', file: () => new Response(Buffer.alloc(4 * mb, 0x41), { status: 500 }), status: 502 },
    ];
    for (const { fileName, file, status } of cases) {
      exactHolds.fileName = fileName;
      exactHolds.file = file;
      const answer = await pdf();
      await answer.arrayBuffer();
      expect({ fileName, status: answer.status, busy: await settled() }).toEqual({ fileName, status, busy: 0 });
    }
    exactHolds.file = undefined;
    exactHolds.fileName = undefined;
  });
});
