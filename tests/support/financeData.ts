/**
 * What a customer's numbers are, computed straight from the Exact emulator's own rows (raw
 * OData JSON, not through the connector's client or rules), so tests compare the panel with Exact.
 */
export interface ExpectedFinance {
  openBalance: number;
  overdueAmount: number;
  overdueCount: number;
  buckets: [number, number, number, number, number];
  openInvoiceNumbers: number[];
}

interface RawRow {
  [field: string]: unknown;
}

const epochDay = (wire: unknown): number => Math.floor(Number(/\d+/.exec(String(wire))?.[0]) / 86_400_000);

async function allRows(url: string, token: string): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  let next: string | undefined = url;
  while (next) {
    const response = await fetch(next, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (!response.ok) throw new Error(`${next}: HTTP ${response.status}`);
    const body = (await response.json()) as { d: { results: RawRow[]; __next?: string } };
    rows.push(...body.d.results);
    next = body.d.__next;
  }
  return rows;
}

/** All open items of a division (ReceivablesList), each with its account. */
export function openItems(apiBase: string, division: number, token: string): Promise<RawRow[]> {
  return allRows(`${apiBase}${division}/read/financial/ReceivablesList`, token);
}

export function receivables(apiBase: string, division: number, token: string, accountId: string): Promise<RawRow[]> {
  return allRows(`${apiBase}${division}/cashflow/Receivables?$filter=Account eq guid'${accountId}'`, token);
}

/**
 * `today` as a day number. Amounts in euro: a row in another currency is converted at its
 * receivable's AmountDC / AmountFC.
 */
export function expectedFinance(open: RawRow[], facts: RawRow[], accountId: string, today: number): ExpectedFinance {
  const mine = open.filter((row) => String(row.AccountId).toLowerCase() === accountId.toLowerCase());
  let balance = 0;
  let overdue = 0;
  const late = new Set<number>();
  const buckets: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const row of mine) {
    const fact = facts.find((f) => f.InvoiceNumber === row.InvoiceNumber);
    const rate = fact && String(row.CurrencyCode).trim() !== 'EUR' ? Number(fact.AmountDC) / Number(fact.AmountFC) : 1;
    const cents = Math.round(Number(row.Amount) * rate * 100);
    balance += cents;
    const days = today - epochDay(row.DueDate);
    const index = cents < 0 || days <= 0 ? 0 : days <= 30 ? 1 : days <= 60 ? 2 : days <= 90 ? 3 : 4;
    buckets[index] += cents;
    if (index > 0) {
      overdue += cents;
      late.add(Number(row.InvoiceNumber));
    }
  }
  return {
    openBalance: balance / 100,
    overdueAmount: overdue / 100,
    overdueCount: late.size,
    buckets: buckets.map((c) => c / 100) as ExpectedFinance['buckets'],
    openInvoiceNumbers: [...new Set(mine.map((row) => Number(row.InvoiceNumber)))].sort((a, b) => a - b),
  };
}

/** The account in a division with the most overdue open items. */
export function mostOverdueAccount(open: RawRow[], today: number): string {
  const counts = new Map<string, number>();
  for (const row of open) {
    if (today - epochDay(row.DueDate) > 0) counts.set(String(row.AccountId), (counts.get(String(row.AccountId)) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error('No account in the emulator has overdue items.');
  return best[0];
}
