import axios from 'axios';
import type { Clock } from '../sync/clock';
import type { SPFI } from '../crm/pnp';
import { ExactClient } from '../exact/client';
import { createGatewayTransport, GatewayError, type GatewayTransportOptions } from '../exact/gatewayTransport';
import { sharePointCompanies } from '../crm/companySearch';
import { createFinanceService, type FinanceConnection, type FinanceService } from '../finance/financeService';

/**
 * The invoice PDF comes through the gateway's documents route: Exact's attachment URL only
 * answers with Exact's bearer token, which never reaches the browser.
 */
export function gatewayPdfDownloader(gateway: GatewayTransportOptions): (division: number, entryId: string) => Promise<Blob> {
  return async (division, entryId) => {
    const token = await gateway.getAccessToken();
    const url = `${gateway.gatewayUrl.replace(/\/+$/, '')}/documents/${division}/invoices/${encodeURIComponent(entryId)}/pdf${gateway.connectionId ? `?connection=${encodeURIComponent(gateway.connectionId)}` : ''}`;
    const response = await axios.get<Blob>(url, { responseType: 'blob', headers: { Authorization: `Bearer ${token}` }, validateStatus: () => true });
    if (response.status >= 400) {
      const text = await response.data.text().catch(() => '');
      let body: { error?: string; message?: string } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // Not the gateway's JSON error: the status says enough.
      }
      throw new GatewayError(response.status, body.error ?? 'http-error', body.message ?? `The invoice PDF could not be downloaded (HTTP ${response.status}).`);
    }
    return response.data;
  };
}

export function createFinanceServices(options: { sp: SPFI; gateway: GatewayTransportOptions }, clock: Clock, status: () => Promise<FinanceConnection>): FinanceService {
  return createFinanceService({
    client: new ExactClient(createGatewayTransport(options.gateway), { clock }),
    companies: sharePointCompanies(options.sp),
    status,
    downloadPdf: gatewayPdfDownloader(options.gateway),
    clock,
    crmSite: new URL(options.sp.web.toUrl()).pathname.replace(/\/_api\/web\/?$/i, ''),
  });
}
