/** A CRM company as the customer panel and the create form read it. */
export interface Company {
  id: number;
  name: string;
  exactId?: string;
  exactCode?: string;
  /**
   * The Exact division (administration) the link is in: a link is (division, Exact ID). Undefined
   * on companies linked before divisions were recorded: they belong to the connection's default.
   */
  division?: number;
  kvk?: string;
  vat?: string;
  email?: string;
  phone?: string;
  website?: string;
  addressLine1?: string;
  postcode?: string;
  city?: string;
  country?: string;
}

/** The Companies list as the customer panel uses it; src/crm implements it over SharePoint. */
export interface CompanyService {
  get(id: number): Promise<Company>;
  /**
   * The first page of the Companies list by name, for the workbench's company picker, with each
   * link's division (the workbench's list always has that column).
   */
  list(): Promise<Company[]>;
  /**
   * Companies by name, for a person typing: every word must be in the name, city or postcode (or,
   * for digits, the Exact code or KvK number), so "bakker utrecht" finds Bakkerij De Gouden Korenaar
   * in Utrecht and "7411 ab" what is in Deventer's 7411 AB. SharePoint compares text case-insensitively.
   */
  search(text: string, top?: number): Promise<Company[]>;
  /**
   * Other linked companies with this company's KvK or VAT number, however either is written
   * (normalised as the match cascade does): the same customer, perhaps in another division.
   */
  sameRegistration(company: Pick<Company, 'id' | 'kvk' | 'vat'>): Promise<Company[]>;
  /** The company linked to this Exact account, if any: an Exact account is linked to one CRM company. */
  linkedTo(exactId: string): Promise<Company | undefined>;
  /**
   * Writes the Exact link, (division, Exact ID), and the account's mapped values (CRM column →
   * value, as an import would write them) to the CRM item in one update.
   */
  link(id: number, exact: { id: string; code?: string; division: number; values?: Readonly<Record<string, string | number | boolean | null>> }): Promise<void>;
}
