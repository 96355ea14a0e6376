import { describe, expect, it } from 'vitest';
import { validateFilter } from '../../src/sync';
import { entityInfo } from '../../src/exact/catalog';
import { buildFilter, incompleteConditions, literalFor, operatorsFor, parseFilter, type FilterModel } from '../../src/webparts/importProfiles/components/editor/filterBuilder';

const account = entityInfo('Account')!;
const field = (name: string) => account.fields.find((f) => f.name === name)!;

describe('profile editor filter builder', () => {
  it('writes OData literals by the Exact field type', () => {
    expect(literalFor(field('City'), "'s-Hertogenbosch")).toEqual({ ok: true, literal: "'''s-Hertogenbosch'" });
    expect(literalFor(field('Blocked'), 'true')).toEqual({ ok: true, literal: 'true' });
    expect(literalFor(field('Blocked'), 'yes')).toEqual({ ok: false, reason: 'boolean' });
    expect(literalFor(field('Modified'), '2026-01-31')).toEqual({ ok: true, literal: "datetime'2026-01-31T00:00:00'" });
    expect(literalFor(field('Modified'), '2026-01-31T08:30')).toEqual({ ok: true, literal: "datetime'2026-01-31T08:30:00'" });
    expect(literalFor(field('ID'), 'not-a-guid')).toEqual({ ok: false, reason: 'guid' });
    expect(literalFor(field('CreditLineSales'), '12,5')).toEqual({ ok: false, reason: 'double' });
  });

  it('builds a filter Exact accepts and reads it back into the same conditions', () => {
    const model: FilterModel = {
      join: 'and',
      conditions: [
        { field: 'City', operator: 'eq', value: "'s-Hertogenbosch" },
        { field: 'Blocked', operator: 'eq', value: 'false' },
        { field: 'Modified', operator: 'ge', value: '2026-01-01' },
        { field: 'Name', operator: 'startswith', value: 'Bakkerij' },
        { field: 'Email', operator: 'substringof', value: '@example.nl' },
      ],
    };
    const text = buildFilter(model, account);
    expect(text).toBe(
      "City eq '''s-Hertogenbosch' and Blocked eq false and Modified ge datetime'2026-01-01T00:00:00' and startswith(Name, 'Bakkerij') eq true and substringof('@example.nl', Email) eq true",
    );
    expect(validateFilter(text, account)).toEqual([]);
    expect(parseFilter(text)).toEqual(model);
    expect(parseFilter("City eq 'Delft' or City eq 'Gouda'")).toEqual({ join: 'or', conditions: [{ field: 'City', operator: 'eq', value: 'Delft' }, { field: 'City', operator: 'eq', value: 'Gouda' }] });
  });

  it('keeps the words and/or inside a quoted value', () => {
    expect(parseFilter("Name eq 'Jansen and Zonen'")).toEqual({ join: 'and', conditions: [{ field: 'Name', operator: 'eq', value: 'Jansen and Zonen' }] });
  });

  it('leaves text it cannot show as raw text', () => {
    expect(parseFilter("(City eq 'Delft' or City eq 'Gouda') and Blocked eq false")).toBeUndefined();
    expect(parseFilter("City eq 'Delft' or City eq 'Gouda' and Blocked eq false")).toBeUndefined();
    expect(parseFilter('year(Modified) eq 2026')).toBeUndefined();
    expect(parseFilter('  ')).toEqual({ join: 'and', conditions: [] });
  });

  it('skips incomplete conditions and names them', () => {
    const model: FilterModel = { join: 'or', conditions: [{ field: '', operator: 'eq', value: '' }, { field: 'Blocked', operator: 'eq', value: 'ja' }, { field: 'City', operator: 'ne', value: 'Delft' }] };
    expect(buildFilter(model, account)).toBe("City ne 'Delft'");
    expect(incompleteConditions(model, account)).toEqual([0, 1]);
  });

  it('offers text functions only on text fields', () => {
    expect(operatorsFor(field('Name'))).toContain('substringof');
    expect(operatorsFor(field('Blocked'))).toEqual(['eq', 'ne']);
    expect(operatorsFor(field('Modified'))).not.toContain('startswith');
  });
});
