/**
 * What one row of the endpoint table says. Kept apart from the table because entities.ts and
 * documents.ts each contribute rows, and the table is assembled from both.
 */
import type { FieldType } from './odata';

export type Fields = Record<string, FieldType>;

/** Where an endpoint's rows come from. */
export type Dataset = 'accounts' | 'contacts' | 'salesInvoices' | 'salesInvoiceLines' | 'receivables' | 'receivablesList' | 'aging' | 'deleted' | 'divisions' | 'hrmDivisions' | 'webhooks' | 'documents' | 'documentAttachments' | 'salesOrders' | 'salesOrderLines'
  | MasterDataset;

/** Master data (masterEndpoints.ts), each kept per division in the store. */
export type MasterDataset = 'items' | 'vatCodes' | 'paymentConditions' | 'costCenters' | 'projects' | 'employees' | 'currencies' | 'bankAccounts' | 'journals';

export const masterDatasets: readonly MasterDataset[] = ['items', 'vatCodes', 'paymentConditions', 'costCenters', 'projects', 'employees', 'currencies', 'bankAccounts', 'journals'];

/** Query parameters of Exact's function-style reads (`ReceivablesListByAccount?accountId=guid'…'`). */
export type FunctionParameter = 'accountId' | 'ageGroup';

export interface Endpoint {
  /** Path after `/api/v1/{division}/`, as Exact spells it. */
  path: string;
  dataset: Dataset;
  /** Short model name: `__metadata.type` is `Exact.Web.Api.Models.{model}`. */
  model: string;
  key: string;
  fields: Fields;
  pageSize: number;
  methods: Array<'GET' | 'POST' | 'PUT' | 'DELETE'>;
  /** Bulk endpoints refuse a request with neither `$select` nor `$top=1`. */
  selectRequired?: boolean;
  /** Fields one of which a `$filter` must mention (Exact's 2021 mandatory filtering). */
  mandatoryFilter?: string[];
  /** Sync endpoints: ordered by Timestamp, which is also the key. */
  sync?: boolean;
  /** Navigation properties, sent as `__deferred` links unless `$expand`ed. */
  navigation?: string[];
  /** Required query parameters of a function-style read. */
  parameters?: FunctionParameter[];
}
