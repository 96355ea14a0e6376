import { describe, expect, it } from 'vitest';
import { entityDefinition, exactCatalog, type ExactEntityName } from '../../src/exact/catalog';
import { findEndpoint } from '../../sandbox/exact/entities';

/**
 * The client's entity catalog is what profiles may map; every field it declares must be one the
 * emulator can select and filter, or a profile that works against Exact fails in the sandbox.
 */
const names = Object.keys(exactCatalog) as ExactEntityName[];
/** Endpoints the emulator leaves out on purpose (its invoices are generated per account on first use, so it has no global Timestamp order for them). */
const notEmulated = new Set(['sync/SalesInvoice/SalesInvoices']);

describe('Exact emulator serves what the client catalog declares', () => {
  for (const name of names) {
    const definition = entityDefinition(name);
    const paths = [definition.service, definition.bulk, definition.sync].filter((p): p is string => typeof p === 'string');
    for (const path of paths.filter((p) => !p.startsWith('current/') && !notEmulated.has(p))) {
      it(`${name} at ${path}`, () => {
        const endpoint = findEndpoint(path);
        expect(endpoint, `no emulator endpoint for ${path}`).toBeDefined();
        const expected = definition.info.fields.map((f) => f.name).filter((field) => field !== 'Timestamp' || endpoint!.sync === true);
        const missing = expected.filter((field) => !(field in endpoint!.fields));
        expect(missing, `${path} lacks catalog fields`).toEqual([]);
      });
    }
  }
});
