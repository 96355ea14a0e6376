/**
 * The locale figures and dates are written in: the person's language, in the site's regional
 * style (SharePoint's regional settings, `cultureInfo.currentCultureName`). English on a Dutch or
 * Belgian site writes day-month-year like en-GB, as SharePoint itself does there; only a site set
 * to the United States gets month-day-year.
 */
export function formattingLocale(language: string, regional?: string): string {
  if (/^nl/i.test(language)) return /^nl-BE$/i.test(regional ?? '') ? 'nl-BE' : 'nl-NL';
  return /^en-US$/i.test(regional ?? '') ? 'en-US' : 'en-GB';
}
