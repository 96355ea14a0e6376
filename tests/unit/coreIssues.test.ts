import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkJson, formatZodIssues, issuePath, zodIssues } from '../../src/sync/profile/issues';
import { parseDocument, profileStateSchema } from '../../src/sync/journal/records';

describe('zod issues, worded one way', () => {
  const schema = z.object({ title: z.string().min(1), mappings: z.array(z.object({ exactField: z.string() })) });
  const failed = (value: unknown) => {
    const result = schema.safeParse(value);
    if (result.success) throw new Error('expected a failure');
    return result.error;
  };

  it('writes paths as a person reads them', () => {
    expect(issuePath(['mappings', 2, 'exactField'])).toBe('mappings[2].exactField');
    expect(issuePath([0, 'a'])).toBe('[0].a');
    expect(issuePath([])).toBe('');
  });

  it('names the record and each field', () => {
    const error = failed({ title: '', mappings: [{ exactField: 'Name' }, {}, {}] });
    expect(zodIssues(error).map((i) => i.path)).toEqual(['title', 'mappings[1].exactField', 'mappings[2].exactField']);
    expect(formatZodIssues(error, { record: 'Profile "Klanten"' })).toBe(
      'Profile "Klanten": field title: String must contain at least 1 character(s); field mappings[1].exactField: Required; field mappings[2].exactField: Required',
    );
    expect(formatZodIssues(failed({ title: 'x', mappings: [{}] }))).toBe('Field mappings[0].exactField: Required');
    expect(formatZodIssues(failed('text'), { record: 'Run record r1' })).toBe('Run record r1: Expected object, received string');
  });

  it('checks stored JSON: the field, the document as a whole, or not JSON at all', () => {
    const nested = z.object({ a: z.object({ b: z.number() }) });
    expect(checkJson(nested, '{"a":{"b":"x"}}')).toEqual({ ok: false, issues: [{ path: 'a.b', message: 'Expected number, received string', zod: { code: 'invalid_type', expected: 'number', received: 'string' } }] });
    expect(checkJson(nested, '[]')).toMatchObject({ ok: false, issues: [{ path: '', message: 'Expected object, received array' }] });
    expect(checkJson(nested, '{')).toMatchObject({ ok: false, issues: [{ path: '', message: expect.stringMatching(/^not valid JSON: /) }] });
    expect(checkJson(nested, null)).toEqual({ ok: false, issues: [{ path: '', message: 'no JSON stored', code: 'noJson' }] });
    expect(checkJson(nested, '{"a":{"b":1}}')).toEqual({ ok: true, value: { a: { b: 1 } } });
    expect(() => parseDocument('profiles/p/state.json', '{"a":{}}', nested)).toThrow('Document profiles/p/state.json: field a.b: Required');
    expect(parseDocument('missing.json', undefined, nested)).toBeUndefined();
  });

  it('a state document whose written values are not field values names the first one', () => {
    const state = (written: unknown) => JSON.stringify({ cursor: '12', deletionsCursor: null, lastRunId: 'run-1', written });
    expect(parseDocument('profiles/p/state.json', state({ k1: { City: 'Zwolle', CreditLine: 5000, Blocked: false, Phone: null } }), profileStateSchema)?.written.k1.CreditLine).toBe(5000);
    expect(() => parseDocument('profiles/p/state.json', state({ k1: { City: 'Zwolle' }, k2: { City: { nested: 1 } } }), profileStateSchema)).toThrow('Document profiles/p/state.json: field written: Expected values by Exact key and field; written.k2.City is not a string, number, boolean or null');
    expect(() => parseDocument('profiles/p/state.json', state({ k1: 'Zwolle' }), profileStateSchema)).toThrow('written.k1 is not');
    expect(() => parseDocument('profiles/p/state.json', state([]), profileStateSchema)).toThrow('field written');
  });
});
