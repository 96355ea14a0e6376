import { describe, expect, it } from 'vitest';
import { entityDefinition, exactCatalog, isExactEntityName, type ExactEntityName } from '../../src/exact/catalog';
import { recordFixtures, recordsOf } from '../support/exactWire';

/**
 * Records are read with each entity's compiled `decode` (the fields' `read`), not a zod parse per
 * record; zod (`schema`) stays the reference and explains refusals. These hold the two to the same
 * answer on every field of the catalog, so neither can drift: `read` must accept exactly what the
 * schema accepts, with the same value, and refuse the rest.
 */

const entities = (Object.keys(exactCatalog) as ExactEntityName[]).map(entityDefinition);

const guid = '71b9a3c1-1d2e-4f00-8a6b-000000000001';
const wireValues: unknown[] = [
  null, '', ' ', 'abc', ' 1024 ', 'NL ', '12', '-12', '-0', '007', '+5', '1.0', '1e3', '0x10', ' 12', '9007199254740993', '18446744073709551615',
  guid, guid.toUpperCase(), `{${guid}}`, `${guid} `, guid.slice(1),
  '/Date(1723420800000)/', '/Date(1382667872203+0200)/', '/Date(-86400000)/', '/Date(8640000000000001)/', '/Date(abc)/', '/Date(1)', '2024-01-01', '2024-08-12T00:00:00Z',
  0, -0, 1, 2, 255, 256, -1, 1.5, 254.5, 2 ** 31, -(2 ** 53), 2 ** 53 + 2, Number.MAX_VALUE, Infinity, -Infinity, Number.NaN,
  true, false, {}, [], [1], { __deferred: { uri: 'x' } }, new Date(0),
];

type Outcome = { accepted: true; value: unknown } | { accepted: false } | { threw: string };

function zodOutcome(run: () => { success: boolean; data?: unknown }): Outcome {
  try {
    const parsed = run();
    return parsed.success ? { accepted: true, value: parsed.data } : { accepted: false };
  } catch (error) {
    return { threw: String(error) };
  }
}

function readOutcome(run: () => unknown): Outcome {
  try {
    const value = run();
    return value === undefined ? { accepted: false } : { accepted: true, value };
  } catch (error) {
    return { threw: String(error) };
  }
}

describe('compiled Exact decoders', () => {
  it('read each field exactly as its zod schema does, value for value', () => {
    let compared = 0;
    for (const entity of entities) {
      for (const name of entity.fieldNames) {
        const f = entity.fields[name];
        for (const raw of wireValues) {
          const expected = zodOutcome(() => f.schema.safeParse(raw));
          const actual = readOutcome(() => f.read(raw));
          expect({ entity: entity.name, field: name, raw, outcome: actual }).toEqual({ entity: entity.name, field: name, raw, outcome: expected });
          if ('value' in expected && 'value' in actual) expect(Object.is(actual.value, expected.value)).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('decode a record as the entity schema does: known fields only, in declaration order', () => {
    for (const entity of entities) {
      const good: Record<string, unknown> = { Extra: 1, __metadata: { uri: 'x' } };
      for (const name of [...entity.fieldNames].reverse()) {
        const raw = wireValues.find((v) => entity.fields[name].schema.safeParse(v).success && v !== null);
        good[name] = raw;
      }
      const decoded = entity.decode(good);
      expect(decoded).toBeDefined();
      expect(JSON.stringify(decoded)).toBe(JSON.stringify(entity.schema.parse(good)));
      for (const name of entity.fieldNames) {
        for (const raw of wireValues) {
          const record = { ...good, [name]: raw };
          const expected = zodOutcome(() => entity.schema.safeParse(record));
          const actual = readOutcome(() => entity.decode(record));
          expect({ entity: entity.name, field: name, raw, outcome: actual }).toEqual({ entity: entity.name, field: name, raw, outcome: expected });
        }
      }
      // `$select`ed records leave fields out; a key present as `undefined` is not JSON and left to zod.
      expect(entity.decode({})).toEqual({});
      expect(entity.decode({ [entity.fieldNames[0]]: undefined })).toBeUndefined();
    }
  });

  it('take the fast path for every record of the recorded-fact fixtures', () => {
    let records = 0;
    for (const fixture of recordFixtures()) {
      if (!isExactEntityName(fixture.entity)) continue;
      const entity = entityDefinition(fixture.entity);
      for (const record of recordsOf(fixture.response.body)) {
        expect(entity.decode(record), `${fixture.file}`).toEqual(entity.schema.parse(record));
        records++;
      }
    }
    expect(records).toBeGreaterThanOrEqual(10);
  });
});
