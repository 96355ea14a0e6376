import { describe, expect, it } from 'vitest';
import { entityDefinition, exactCatalog, type ExactEntityName } from '../../src/exact/catalog';
import { findEndpoint } from '../../sandbox/exact/entities';
import { edmTypeName } from '../../sandbox/exact/odata';

/**
 * The client's entity catalog is what profiles may map; every field it declares must be one the
 * emulator can select and filter, with the same Edm type, or a profile that works against the
 * sandbox breaks on a real tenant (Edm.Byte sent as 0/1 where one side expected a boolean).
 */
const names = Object.keys(exactCatalog) as ExactEntityName[];

describe('Exact emulator serves what the client catalog declares', () => {
  for (const name of names) {
    const definition = entityDefinition(name);
    const paths = [definition.service, definition.bulk, definition.sync].filter((p): p is string => typeof p === 'string');
    for (const path of paths.filter((p) => !p.startsWith('current/'))) {
      it(`${name} at ${path}`, () => {
        const endpoint = findEndpoint(path);
        expect(endpoint, `no emulator endpoint for ${path}`).toBeDefined();
        const expected = definition.fieldNames.filter((field) => field !== 'Timestamp' || endpoint!.sync === true);
        const missing = expected.filter((field) => !(field in endpoint!.fields));
        expect(missing, `${path} lacks catalog fields`).toEqual([]);
        const types = Object.fromEntries(expected.map((field) => [field, edmTypeName[endpoint!.fields[field]]]));
        const declared = Object.fromEntries(expected.map((field) => [field, definition.fields[field].edm]));
        expect(types, `${path}: Edm types differ between emulator and catalog`).toEqual(declared);
      });
    }
  }
});
