import type { Company } from '../../../src/finance/company';
import { matchesCompanySearch } from '../../../src/crm/companySearch';

/** A company as the list shows it: with the name of its link's division, when there are several. */
export type ListedCompany = Company & { divisionName?: string };

export type SortKey = 'name' | 'city' | 'code' | 'division';
export interface ListView {
  search: string;
  sort: SortKey;
  descending: boolean;
  page: number;
  pageSize: number;
}

const valueOf: Record<SortKey, (company: ListedCompany) => string | undefined> = {
  name: (c) => c.name,
  city: (c) => c.city,
  code: (c) => c.exactCode,
  division: (c) => c.divisionName,
};

/**
 * What one page of the list shows: the companies matching the search (every word in the name,
 * city or postcode; digits also in the Exact code or KvK number), sorted, and the page asked for
 * (the last one when the search left fewer). Empty values sort last either way, as in SharePoint.
 */
export function companiesPage(all: readonly ListedCompany[], view: ListView): { rows: ListedCompany[]; total: number; page: number; pages: number } {
  const matching = view.search.trim() ? all.filter((c) => matchesCompanySearch(c, view.search)) : [...all];
  const read = valueOf[view.sort];
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  matching.sort((a, b) => {
    const x = read(a);
    const y = read(b);
    if (!x || !y) return x === y ? collator.compare(a.name, b.name) : x ? -1 : 1;
    const order = collator.compare(x, y) || collator.compare(a.name, b.name) || a.id - b.id;
    return view.descending ? -order : order;
  });
  const pages = Math.max(1, Math.ceil(matching.length / view.pageSize));
  const page = Math.min(Math.max(1, view.page), pages);
  return { rows: matching.slice((page - 1) * view.pageSize, page * view.pageSize), total: matching.length, page, pages };
}
