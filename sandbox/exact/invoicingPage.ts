/**
 * `/exact/sandbox/invoicing`: the stand-in's back office for a person trying the product with
 * `npm start` (what the tests do through `control.invoiceSalesOrder` / `registerPayment`). It
 * lists a division's sales orders; an open one can be invoiced, an invoiced one paid in part or
 * in full. Plain HTML forms; each POST redirects back to the list (303), so a reload sends nothing twice.
 */
import { ODataError } from './errors';
import { invoicedReceivables, invoiceSalesOrder, registerPayment } from './invoicing';
import { ordersOf } from './salesOrders';
import type { DivisionInfo } from './seed';
import type { DivisionData } from './store';

export const invoicingPagePath = '/exact/sandbox/invoicing';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const money = (n: unknown): string => Number(n ?? 0).toFixed(2);
const date = (ms: unknown): string => (typeof ms === 'number' ? new Date(ms).toISOString().slice(0, 10) : '');

function html(body: string, status = 200): Response {
  return new Response(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invoicing and payments - Exact Online (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: 'Segoe UI', sans-serif; margin: 1rem; max-width: 60rem">
<main><h1>Invoicing and payments (Exact stand-in)</h1>${body}</main></body></html>`, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

function list(data: DivisionData, divisions: readonly DivisionInfo[], message: string): Response {
  const book = ordersOf(data);
  const receivables = invoicedReceivables(data);
  const invoices = [...book.invoices.values()];
  const rows = [...book.orders.values()].sort((a, b) => Number(b.OrderNumber) - Number(a.OrderNumber)).map((order) => {
    const invoice = invoices.find((i) => [...book.invoiceLines.values()].some((l) => l.InvoiceID === i.InvoiceID && l.SalesOrder === order.OrderID));
    const open = invoice ? receivables.filter((r) => r.TransactionEntryID === invoice.InvoiceID && r.IsFullyPaid !== true).reduce((s, r) => s + Number(r.AmountDC), 0) : 0;
    const ref = escapeHtml(String(order.YourRef ?? ''));
    const action = !invoice
      ? `<form method="post"><input type="hidden" name="order" value="${escapeHtml(String(order.OrderID))}"><button>Invoice order ${escapeHtml(String(order.OrderNumber))}</button></form>`
      : open > 0.005
        ? `<form method="post"><input type="hidden" name="invoice" value="${escapeHtml(String(invoice.InvoiceID))}">
<label for="amount-${escapeHtml(String(invoice.InvoiceNumber))}">Amount received (empty: all ${money(open)})</label>
<input id="amount-${escapeHtml(String(invoice.InvoiceNumber))}" name="amount" inputmode="decimal" size="8"> <button>Register payment</button></form>`
        : 'Paid';
    return `<tr><td>${escapeHtml(String(order.OrderNumber))}</td><td>${ref}</td><td>${escapeHtml(String(order.OrderedByName ?? ''))}</td><td>${money(order.AmountDC)}</td>
<td>${escapeHtml(String(order.StatusDescription ?? ''))}</td><td>${invoice ? `${escapeHtml(String(invoice.InvoiceNumber))}, due ${date(invoice.DueDate)}, open ${money(open)}` : ''}</td><td>${action}</td></tr>`;
  });
  const switcher = divisions.map((d) => `<a href="${invoicingPagePath}?division=${d.code}"${d.code === data.info.code ? ' aria-current="page"' : ''}>${d.code} ${escapeHtml(d.description)}</a>`).join(' · ');
  return html(`<p>Division: ${switcher}</p>${message ? `<p role="status">${escapeHtml(message)}</p>` : ''}
${rows.length ? `<table><caption>Sales orders of ${data.info.code}</caption><thead><tr><th scope="col">Order</th><th scope="col">Your ref.</th><th scope="col">Customer</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Invoice</th><th scope="col">Action</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>` : '<p>No sales orders in this division yet: send some from an order profile first.</p>'}`);
}

export async function handleInvoicingPage(request: Request, data: (code: number) => DivisionData, divisions: readonly DivisionInfo[]): Promise<Response> {
  const url = new URL(request.url);
  const code = Number(url.searchParams.get('division') ?? divisions[0].code);
  if (!divisions.some((d) => d.code === code)) return html('<p role="alert">No such division.</p>', 404);
  const division = data(code);
  if (request.method !== 'POST') return list(division, divisions, url.searchParams.get('done') ?? '');
  const form = new URLSearchParams(await request.text());
  let done: string;
  try {
    const order = form.get('order');
    const invoice = form.get('invoice');
    if (order) {
      const made = invoiceSalesOrder(division, order);
      done = `Invoice ${String(made.invoice.InvoiceNumber)} made, due ${date(made.invoice.DueDate)}.`;
    } else if (invoice) {
      const text = (form.get('amount') ?? '').trim().replace(',', '.');
      const amount = text ? Number(text) : undefined;
      if (amount !== undefined && !Number.isFinite(amount)) throw new ODataError(400, `"${text}" is not an amount.`);
      registerPayment(division, invoice, { amount });
      done = 'Payment registered.';
    } else {
      throw new ODataError(400, 'Nothing to do: the form names no order or invoice.');
    }
  } catch (error) {
    if (!(error instanceof ODataError)) throw error;
    done = error.message;
  }
  return new Response(null, { status: 303, headers: { location: `${invoicingPagePath}?division=${code}&done=${encodeURIComponent(done)}` } });
}
