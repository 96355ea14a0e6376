/** Euros as the person's locale writes them: € 1.234,50 (nl) or €1,234.50 (en). */
export function money(value: number, locale: string, currency = 'EUR'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
}

/** A VAT rate as a percentage: 0.21 → "21%". */
export function rate(percentage: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(percentage);
}
