import type { ConnectorSettings } from '../../services/connectorSettings';

export interface ICustomerFinanceWebPartProps extends Partial<ConnectorSettings> {
  /** A fixed company (CRM item ID); empty: the page's query string decides. */
  companyId?: string;
  /** The query-string parameter with the company ID on a company's page. */
  queryParameter?: string;
}
