/**
 * Exact answers in Atom XML when the request has no `Accept: application/json` (reference §5.1),
 * so a client that forgets the header breaks here as it would against Exact. Only successful
 * reads are rendered; errors stay JSON (a simplification).
 */
import type { Fields } from './endpoint';
import { edmTypeName } from './odata';

const xmlEscape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);


export function wantsJson(accept: string | null): boolean {
  return /json/i.test(accept ?? '');
}

function property(name: string, value: unknown, fields: Fields): string {
  const type = fields[name];
  // Atom leaves Edm.String untyped.
  const typeAttr = type && type !== 'string' ? ` m:type="${edmTypeName[type]}"` : typeof value === 'boolean' ? ' m:type="Edm.Boolean"' : '';
  if (value === null || value === undefined) {
    return `<d:${name}${typeAttr} m:null="true" />`;
  }
  if (typeof value === 'object') {
    return '';
  }
  let text = String(value);
  const date = /^\/Date\((-?\d+)\)\/$/.exec(text);
  if (date) {
    text = new Date(Number(date[1])).toISOString().replace(/\.000Z$/, '').replace(/Z$/, '');
  }
  return `<d:${name}${typeAttr}>${xmlEscape(text)}</d:${name}>`;
}

function entry(record: Record<string, unknown>, fields: Fields, updated: string): string {
  const metadata = record.__metadata as { uri: string; type: string };
  const properties = Object.entries(record)
    .filter(([name]) => name !== '__metadata')
    .map(([name, value]) => property(name, value, fields))
    .join('');
  return `<entry><id>${xmlEscape(metadata.uri)}</id><category term="${metadata.type}" scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme" /><link rel="edit" href="${xmlEscape(metadata.uri)}" /><title /><updated>${updated}</updated><author><name /></author><content type="application/xml"><m:properties>${properties}</m:properties></content></entry>`;
}

const namespaces = 'xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"';

/** Renders `d` (a collection with `results` or one entity) as an Atom feed or entry. */
export function atomResponse(d: Record<string, unknown>, feedUrl: string, fields: Fields, now: number, headers: Record<string, string> = {}): Response {
  const updated = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let xml: string;
  if (Array.isArray(d.results)) {
    const title = feedUrl.split('/').pop() ?? '';
    const count = typeof d.__count === 'string' ? `<m:count>${d.__count}</m:count>` : '';
    const next = typeof d.__next === 'string' ? `<link rel="next" href="${xmlEscape(d.__next)}" />` : '';
    const entries = (d.results as Array<Record<string, unknown>>).map((r) => entry(r, fields, updated)).join('');
    xml = `<feed xml:base="${xmlEscape(feedUrl)}" ${namespaces}><id>${xmlEscape(feedUrl)}</id><title type="text">${xmlEscape(title)}</title><updated>${updated}</updated><link rel="self" title="${xmlEscape(title)}" href="${xmlEscape(title)}" />${count}${entries}${next}</feed>`;
  } else {
    xml = entry(d, fields, updated).replace('<entry>', `<entry xml:base="${xmlEscape(feedUrl)}" ${namespaces}>`);
  }
  return new Response(`<?xml version="1.0" encoding="utf-8"?>${xml}`, {
    status: 200,
    headers: { 'content-type': 'application/atom+xml;type=feed;charset=utf-8', ...headers },
  });
}
