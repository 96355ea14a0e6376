import { describe, expect, it } from 'vitest';
import { formatBatchResponse, parseBatch } from '../../sandbox/sharepoint/batch';
import { encodeInternalName } from '../../sandbox/sharepoint/fields';
import { evaluate, parseFilter, type Resolver } from '../../sandbox/sharepoint/filter';
import { pathKind } from '../../sandbox/sharepoint';
import { parseApiPath } from '../../sandbox/sharepoint/paths';

const row = (values: Record<string, unknown>, types: Record<string, string> = {}): Resolver => (path) => {
  if (!(path in values)) throw new Error(`unknown ${path}`);
  return { value: values[path], type: types[path] };
};
const matches = (filter: string, values: Record<string, unknown>, types?: Record<string, string>) => evaluate(parseFilter(filter), row(values, types));

describe('$filter', () => {
  it('binds and tighter than or, honours not and parentheses', () => {
    const r = { A: 1, B: 2, C: 3 };
    expect(matches('A eq 2 and B eq 2 or C eq 3', r)).toBe(true);
    expect(matches('A eq 2 and (B eq 2 or C eq 3)', r)).toBe(false);
    expect(matches('not (A eq 1)', r)).toBe(false);
    expect(matches('A lt B and B le 2 and C gt 2 and C ge 3 and A ne 3', r)).toBe(true);
  });

  it('compares text case-insensitively and unescapes doubled quotes', () => {
    expect(matches("Title eq 'o''BRIEN'", { Title: "O'Brien" })).toBe(true);
    expect(matches("substringof('bri', Title)", { Title: "O'Brien" })).toBe(true);
    expect(matches("startswith(Title, 'o''b') eq true", { Title: "O'Brien" })).toBe(true);
    expect(matches("startswith(Title, 'x') eq false", { Title: "O'Brien" })).toBe(true);
  });

  it('handles null, booleans as 0/1, numbers and datetime literals', () => {
    expect(matches('Code eq null', { Code: null })).toBe(true);
    expect(matches('Code ne null', { Code: '' })).toBe(false);
    expect(matches('Active eq 1 and Active eq true', { Active: true })).toBe(true);
    expect(matches('Amount gt -10.5', { Amount: -3 })).toBe(true);
    expect(matches("Since ge datetime'2024-01-01T00:00:00Z'", { Since: '2024-03-01T00:00:00Z' }, { Since: 'DateTime' })).toBe(true);
    expect(matches("Since lt datetime'2024-01-01'", { Since: '2024-03-01T00:00:00Z' }, { Since: 'DateTime' })).toBe(false);
    expect(matches('Amount gt 1', { Amount: null })).toBe(false);
  });

  it('rejects malformed filters with a SharePoint error', () => {
    expect(() => parseFilter("Title eq 'open")).toThrow(/is not valid/);
    expect(() => parseFilter('Title eq')).toThrow(/is not valid/);
    expect(() => parseFilter('(A eq 1')).toThrow(/is not valid/);
  });

  it('refuses nesting deeper than 100 with a 400, whether brackets or not', () => {
    const refused = (filter: string) => {
      try {
        parseFilter(filter);
      } catch (error) {
        return error;
      }
      throw new Error('expected a refusal');
    };
    for (const filter of [`${'('.repeat(10_000)}A eq 1${')'.repeat(10_000)}`, `${'not '.repeat(10_000)}A eq 1`, `${'('.repeat(101)}A eq 1${')'.repeat(101)}`]) {
      expect(refused(filter)).toMatchObject({ status: 400, code: '-1, Microsoft.SharePoint.SPException', message: expect.stringMatching(/nested deeper than 100/) });
    }
    expect(matches(`${'('.repeat(100)}A eq 1${')'.repeat(100)}`, { A: 1 })).toBe(true);
  });

  it('evaluates an and/or chain of 20,000 terms (a $batch part URL has no length limit) without overflowing', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `A eq ${i}`).join(' or ');
    expect(matches(chain, { A: 19_999 })).toBe(true);
    expect(matches(`B eq 1 and (${chain})`, { A: 20_000, B: 1 })).toBe(false);
  });
});

describe('REST paths', () => {
  it('splits outside quotes and decodes arguments', () => {
    const segments = parseApiPath("web/lists/getByTitle('It''s%2Fmine')/items(5)");
    expect(segments.map((s) => s.lower)).toEqual(['web', 'lists', 'getbytitle', 'items']);
    expect(segments[2].args?.positional).toEqual(["It's/mine"]);
    expect(segments[3].args?.positional).toEqual(['5']);
    const add = parseApiPath("web/getFolderByServerRelativePath(decodedUrl='%2Fsites%2Fcrm%2FA%2C%20B')/files/AddUsingPath(decodedurl='x.csv',Overwrite=true)");
    expect(add[1].args?.named.get('decodedurl')).toBe('/sites/crm/A, B');
    expect(add[3].args?.named.get('overwrite')).toBe('true');
  });

  it('classifies paths for request counting', () => {
    expect(pathKind("web/lists/getByTitle('A')/items(3)")).toBe('item');
    expect(pathKind("web/lists/getByTitle('A')/items")).toBe('items');
    expect(pathKind("web/lists/getByTitle('A')/fields/getByInternalNameOrTitle('X')")).toBe('field');
    expect(pathKind('web/lists')).toBe('lists');
    expect(pathKind('$batch')).toBe('batch');
  });

  it('encodes internal names like SharePoint', () => {
    expect(encodeInternalName('Exact Code')).toBe('Exact_x0020_Code');
    expect(encodeInternalName('Klant-nr.')).toBe('Klant_x002d_nr_x002e_');
    expect(encodeInternalName('A'.repeat(40))).toHaveLength(32);
  });
});

describe('$batch wire format', () => {
  it('reads top-level parts and changesets with LF or CRLF line ends', () => {
    const body = [
      '--batch_1', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '',
      "GET http://h/sites/crm/_api/web/lists/getByTitle('A')/items HTTP/1.1", 'Accept: application/json', '', '',
      '--batch_1', 'Content-Type: multipart/mixed; boundary="changeset_2"', '',
      '--changeset_2', 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '',
      "MERGE http://h/sites/crm/_api/web/lists/getByTitle('A')/items(1) HTTP/1.1", 'IF-Match: "1"', 'Content-Type: application/json;charset=utf-8', '',
      '{"Title":"x"}', '', '',
      '--changeset_2--', '', '--batch_1--', '',
    ];
    for (const eol of ['\n', '\r\n']) {
      const parts = parseBatch('multipart/mixed; boundary=batch_1', body.join(eol));
      expect(parts.map((p) => [p.method, p.body, p.changeset])).toEqual([
        ['GET', '', undefined],
        ['MERGE', '{"Title":"x"}', 'changeset_2'],
      ]);
      expect(parts[1].headers.get('if-match')).toBe('"1"');
    }
  });

  it('answers one flat part per request and ends with the closing boundary and a newline', async () => {
    const { body, contentType } = await formatBatchResponse([
      Response.json({ a: 1 }, { status: 201 }),
      new Response(null, { status: 204, headers: { ETag: '"2"' } }),
    ]);
    const boundary = contentType.split('boundary=')[1];
    expect(body.split(`--${boundary}\r\n`)).toHaveLength(3);
    expect(body).toContain('HTTP/1.1 201 Created\r\n');
    expect(body).toContain('HTTP/1.1 204 No Content\r\nETag: "2"\r\n\r\n--');
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });
});
