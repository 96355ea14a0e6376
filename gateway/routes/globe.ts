/**
 * `POST /globe/validate`: checks an Exact Globe eExact XML file (the orders page's download)
 * against eExact-Schema.xsd with xmllint compiled to WebAssembly, before the page offers it.
 * The XML is validated, never stored or forwarded; Exact is not called. Admins only: the file is
 * the output of an order profile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorize } from '../access/authorize';
import { HttpError, jsonResponse, readBoundedText } from '../http';
import { validateGlobeXml } from '../../src/orders/globeValidate';
import type { Route } from './route';

/** A 500-customer report is about 1 MiB of XML. */
export const maxGlobeXmlBytes = 8 * 1024 * 1024;

let schema: string | undefined;
const xsd = (): string => (schema ??= readFileSync(join(__dirname, '../../src/orders/eExact-Schema.xsd'), 'utf8'));

export function createGlobeRoute(): Route[] {
  return [{
    method: 'POST',
    path: '/globe/validate',
    async handle(r) {
      const caller = await r.authenticate();
      authorize({ caller, operation: 'validate-globe-file', logger: r.logger });
      const xml = await readBoundedText(r.request, maxGlobeXmlBytes);
      if (!xml.trim()) throw new HttpError(400, 'bad-request', 'The request holds no XML to validate.');
      const result = await validateGlobeXml(xml, xsd());
      return jsonResponse(200, { valid: result.valid, errors: result.errors.slice(0, 50) });
    },
  }];
}
