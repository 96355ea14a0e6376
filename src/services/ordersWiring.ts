import axios from 'axios';
import type { Clock } from '../sync/clock';
import type { SPFI } from '../crm/pnp';
import { createDocumentStore } from '../crm/documentStore';
import { createListProvisioner } from '../crm/masterProvision';
import { createCrmOrderLists } from '../crm/orderLists';
import { ExactClient } from '../exact/client';
import { createGatewayTransport, GatewayError, type GatewayTransportOptions } from '../exact/gatewayTransport';
import { readDivisionCatalog } from '../exact/orderCatalog';
import { createSalesOrderTarget } from '../exact/salesOrders';
import { createOrderStatusReader, firstCursor } from '../exact/orderStatus';
import { createOrderStatusList } from '../crm/orderStatusList';
import type { GlobeValidation } from '../orders/globe';
import { OrdersService } from '../orders/service';
import { documentOrderProfiles, documentOrderRuns } from '../orders/stores';
import { z } from 'zod';

const validationSchema = z.object({ valid: z.boolean(), errors: z.array(z.object({ line: z.number().nullable(), message: z.string() })) });

/** The XSD check runs in the gateway (xmllint in WebAssembly, Node): the page posts the file it is about to offer. */
export function gatewayGlobeValidator(gateway: GatewayTransportOptions): (xml: string) => Promise<GlobeValidation> {
  return async (xml) => {
    const token = await gateway.getAccessToken();
    const url = `${gateway.gatewayUrl.replace(/\/+$/, '')}/globe/validate`;
    const response = await axios.post<unknown>(url, xml, { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/xml' }, validateStatus: () => true });
    if (response.status >= 400) {
      const body = z.object({ error: z.string(), message: z.string() }).safeParse(response.data);
      throw new GatewayError(response.status, body.success ? body.data.error : 'http-error', body.success ? body.data.message : `The Globe file could not be checked (HTTP ${response.status}).`);
    }
    return validationSchema.parse(response.data);
  };
}

/** The orders page's service over the gateway (Exact) and the Run Logs library (profiles, runs). */
export function createOrdersServices(options: { sp: SPFI; gateway: GatewayTransportOptions }, clock: Clock): OrdersService {
  const client = new ExactClient(createGatewayTransport(options.gateway), { clock });
  const documents = createDocumentStore(options.sp);
  return new OrdersService({
    profiles: documentOrderProfiles(documents),
    runs: documentOrderRuns(documents, clock),
    catalog: (division) => readDivisionCatalog(client.connection, division),
    target: createSalesOrderTarget(client.connection),
    validateGlobe: gatewayGlobeValidator(options.gateway),
    crmOrders: createCrmOrderLists(options.sp, createListProvisioner(options.sp)),
    clock,
    status: { reader: createOrderStatusReader(client.connection), crm: createOrderStatusList(options.sp), documents, firstCursor },
  });
}
