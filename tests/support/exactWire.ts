import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EdmType } from '../../src/exact/entity';

/**
 * Reading the recorded-fact fixtures in tests/fixtures/exact and telling what Edm type a JSON
 * value on Exact's wire stands for.
 */

export interface RecordFixture {
  file: string;
  entity: string;
  shape: 'single' | 'collection' | 'me';
  emulator: string;
  checkModelType: boolean;
  expectNext?: boolean;
  nested?: Record<string, string>;
  notEmulated: string[];
  edm: Record<string, EdmType>;
  response: { status: number; headers?: Record<string, string>; body: unknown };
}

export interface ErrorCase {
  name: string;
  emulator?: { method: string; path: string; body?: unknown; division?: number; token?: 'expired'; fault?: 'error503' };
  response: { status: number; headers: Record<string, string>; body: unknown };
  messages: number;
  reason?: boolean;
}

export const fixtureDir = join(__dirname, '..', 'fixtures', 'exact');

export function recordFixtures(): RecordFixture[] {
  return readdirSync(fixtureDir)
    .filter((file) => file.endsWith('.json') && file !== 'errors.json')
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(fixtureDir, file), 'utf8')) as Omit<RecordFixture, 'file'>) }));
}

export function errorCases(): ErrorCase[] {
  return (JSON.parse(readFileSync(join(fixtureDir, 'errors.json'), 'utf8')) as { cases: ErrorCase[] }).cases;
}

/** The records of a response body, whatever envelope it uses. */
export function recordsOf(body: unknown): Array<Record<string, unknown>> {
  const d = (body as { d: unknown }).d;
  if (Array.isArray(d)) {
    return d as Array<Record<string, unknown>>;
  }
  const results = (d as { results?: unknown }).results;
  return Array.isArray(results) ? (results as Array<Record<string, unknown>>) : [d as Record<string, unknown>];
}

const datePattern = /^\/Date\(-?\d+([+-]\d{4})?\)\/$/;
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type WireShape = 'null' | 'deferred' | 'expanded' | EdmType | 'number';

/**
 * What a JSON value says about its Edm type. Numbers stay `number` (Byte, Int32 or Double: the
 * fixture's `edm` map decides); digit strings are text unless `edm` says Int64.
 */
export function wireShape(value: unknown): WireShape {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'Edm.Boolean';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') {
    if (datePattern.test(value)) return 'Edm.DateTime';
    if (guidPattern.test(value)) return 'Edm.Guid';
    return 'Edm.String';
  }
  if (typeof value === 'object' && '__deferred' in value) return 'deferred';
  if (typeof value === 'object' && Array.isArray((value as { results?: unknown }).results)) return 'expanded';
  throw new TypeError(`unexpected JSON value ${JSON.stringify(value)}`);
}

/** Whether a declared Edm type can be what the fixture shows for one property. */
export function edmMatches(declared: EdmType, observed: WireShape, pinned: EdmType | undefined): boolean {
  if (pinned !== undefined) {
    return declared === pinned;
  }
  if (observed === 'number') {
    return declared === 'Edm.Byte' || declared === 'Edm.Int32' || declared === 'Edm.Double';
  }
  return declared === observed;
}

/** Width of a fixed char column shown by padding (`"NL "`, `"                25"`), else undefined. */
export function paddedWidth(value: unknown): number | undefined {
  return typeof value === 'string' && /^ +\S|\S +$/.test(value) ? value.length : undefined;
}
