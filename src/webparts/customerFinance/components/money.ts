import type { InvoiceStatus } from '../../../finance';
import { format, formatDate } from '../../../ui/format';
import * as strings from 'CustomerFinanceWebPartStrings';

/** `€ 1.234,56` in nl-NL, `€1,234.56` in en: the amount in its own currency, in the person's locale. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'symbol' }).format(amount);
}

export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function statusText(status: InvoiceStatus, locale: string): string {
  switch (status.kind) {
    case 'open':
      return strings.StatusOpen;
    case 'partly-paid':
      return strings.StatusPartlyPaid;
    case 'overdue':
      return format(status.days === 1 ? strings.StatusOverdueOneDay : status.partlyPaid ? strings.StatusOverduePartly : strings.StatusOverdue, status.days);
    case 'paid':
      return status.on ? format(strings.StatusPaidOn, formatDate(status.on, locale)) : strings.StatusPaid;
    case 'credit-note':
      return status.open ? strings.StatusCreditNoteOpen : strings.StatusCreditNote;
  }
}
