import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityDefinition, isExactEntityName } from '../../src/exact/catalog';
import { ExactClient } from '../../src/exact/client';
import type { EdmType, EntityDefinition } from '../../src/exact/entity';
import { ExactApiError, ExactMalformedResponseError } from '../../src/exact/errors';
import type { ExactResponse, Transport } from '../../src/exact/transport';
import type { Endpoint } from '../../sandbox/exact/endpoint';
import { findEndpoint } from '../../sandbox/exact/entities';
import { edmTypeName } from '../../sandbox/exact/odata';
import { NL, startExact, type Harness } from '../support/exactEmulatorHarness';
import { edmMatches, errorCases, paddedWidth, recordFixtures, recordsOf, wireShape, type RecordFixture } from '../support/exactWire';

/**
 * Responses built from the facts of real recorded Exact responses (tests/fixtures/exact) go
 * through the client, and each property is held against the catalog and against what the
 * emulator serves for the same entity: same Edm type, same padding, same envelope. A change of
 * any catalog field's wire type fails here.
 */

const answering = (response: ExactResponse): Transport => ({ send: () => Promise.resolve(response) });

const intPattern = /^-?\d+$/;
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a JSON value is a valid wire form of the Edm type. */
function valueFits(edm: EdmType, value: unknown): boolean {
  switch (edm) {
    case 'Edm.Int64':
      return typeof value === 'string' && intPattern.test(value);
    case 'Edm.Byte':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
    case 'Edm.Int32':
      return Number.isInteger(value);
    case 'Edm.Double':
      return typeof value === 'number';
    case 'Edm.Boolean':
      return typeof value === 'boolean';
    case 'Edm.DateTime':
      return typeof value === 'string' && /^\/Date\(-?\d+\)\/$/.test(value);
    case 'Edm.Guid':
      return typeof value === 'string' && guidPattern.test(value);
    case 'Edm.String':
      return typeof value === 'string';
  }
}

async function parseWithClient(fixture: RecordFixture): Promise<Array<Record<string, unknown>>> {
  const client = new ExactClient(answering({ status: fixture.response.status, headers: {}, data: fixture.response.body }));
  if (fixture.shape === 'me') {
    return [(await client.me()) as Record<string, unknown>];
  }
  const entity = entityDefinition(fixture.entity as 'Account');
  if (fixture.shape === 'single') {
    const key = recordsOf(fixture.response.body)[0][entity.key] as string;
    return [(await client.entitySet(NL, fixture.entity as 'Account').get(key)) as Record<string, unknown>];
  }
  const page = await client.connection.getPage<Record<string, unknown>>(entity, `${NL}/${fixture.emulator}`);
  expect(page.next !== undefined, `${fixture.file}: __next`).toBe(fixture.expectNext ?? false);
  return page.records;
}

interface Side {
  fixture: Record<string, unknown>;
  emulator: Record<string, unknown>;
  parsed?: Record<string, unknown>;
}

function compareRecord(file: string, entity: EntityDefinition, endpoint: Endpoint | undefined, side: Side, fixture: RecordFixture, prefix = ''): void {
  for (const [name, value] of Object.entries(side.fixture)) {
    if (name === '__metadata') continue;
    const where = `${file}: ${entity.name}.${prefix}${name}`;
    if (fixture.notEmulated.includes(name)) {
      expect(entity.fields[name], `${where} is listed as not emulated but the catalog has it`).toBeUndefined();
      expect(side.emulator, `${where} is listed as not emulated but the emulator sends it`).not.toHaveProperty(name);
      continue;
    }
    const shape = wireShape(value);
    if (shape === 'deferred') {
      expect(entity.navigation ?? [], `${where}: catalog navigation`).toContain(name);
      expect(side.emulator[name], `${where}: emulator's deferred link`).toHaveProperty('__deferred.uri');
      continue;
    }
    if (shape === 'expanded') {
      const nestedName = fixture.nested?.[name];
      expect(nestedName !== undefined && isExactEntityName(nestedName), `${where}: fixture names the expanded entity`).toBe(true);
      const nested = entityDefinition(nestedName as 'SalesInvoiceLine');
      const served = (side.emulator[name] as { results?: Array<Record<string, unknown>> } | undefined)?.results ?? [];
      expect(served.length, `${where}: emulator expands it`).toBeGreaterThan(0);
      const line = (value as { results: Array<Record<string, unknown>> }).results[0];
      compareRecord(file, nested, findEndpoint(nested.service), { fixture: line, emulator: served[0] }, fixture, `${name}/`);
      continue;
    }
    const declared = entity.fields[name];
    expect(declared, `${where} is missing from the catalog`).toBeDefined();
    const pinned = fixture.edm[`${prefix}${name}`];
    if (shape !== 'null') {
      expect(valueFits(declared.edm, value), `${where}: ${JSON.stringify(value)} is not a wire ${declared.edm}`).toBe(true);
    }
    if (shape !== 'null' || pinned !== undefined) {
      expect(edmMatches(declared.edm, shape, pinned), `${where}: catalog says ${declared.edm}, Exact sends ${pinned ?? shape}`).toBe(true);
    }
    expect(side.emulator, `${where}: the emulator does not send it`).toHaveProperty(name);
    if (endpoint) {
      expect(edmTypeName[endpoint.fields[name]], `${where}: emulator's declared type`).toBe(declared.edm);
    }
    const served = side.emulator[name];
    if (served !== null) {
      expect(valueFits(declared.edm, served), `${where}: emulator sends ${JSON.stringify(served)} for ${declared.edm}`).toBe(true);
    }
    const width = paddedWidth(value);
    if (width !== undefined) {
      expect(declared.width, `${where}: catalog column width`).toBe(width);
      if (typeof served === 'string') {
        expect(served.length, `${where}: emulator pads ${JSON.stringify(served)} to ${width}`).toBe(width);
        expect(served.startsWith(' '), `${where}: padding side`).toBe((value as string).startsWith(' '));
      }
    }
    if (side.parsed && shape !== 'null') {
      const parsed = side.parsed[name];
      if (declared.type === 'boolean') expect(typeof parsed, `${where}: client reads a boolean`).toBe('boolean');
      if (width !== undefined) expect(parsed, `${where}: client trims`).toBe((value as string).trim());
      if (declared.edm === 'Edm.DateTime') expect(parsed, `${where}: client reads ISO`).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  }
  const type = (side.fixture.__metadata as { type?: string } | undefined)?.type;
  if (fixture.checkModelType && type !== undefined) {
    expect(entity.modelType, `${file}: catalog's __metadata.type for ${entity.name}`).toBe(type);
    expect((side.emulator.__metadata as { type: string }).type, `${file}: emulator's __metadata.type`).toBe(type);
  }
}

describe('real Exact response facts against the client and the emulator', () => {
  let h: Harness;
  let token: string;
  let accountId: string;

  beforeAll(async () => {
    h = await startExact();
    token = h.control.issueTokens().access_token;
    // Seed position 7 is the customer that always has open and overdue invoices.
    accountId = String(h.control.records(NL, 'Accounts')[7].ID);
  });
  afterAll(async () => {
    await h.sandbox.close();
  });

  for (const fixture of recordFixtures()) {
    it(`${fixture.file}: ${fixture.entity} parses and matches the emulator type by type`, async () => {
      const parsed = await parseWithClient(fixture);
      const records = recordsOf(fixture.response.body);
      expect(parsed).toHaveLength(records.length);
      for (const name of fixture.notEmulated) {
        expect(parsed[0], `${fixture.file}: unknown ${name} is dropped, not an error`).not.toHaveProperty(name);
      }
      const path = fixture.emulator.replace('{accountId}', accountId);
      const response = await h.get(fixture.shape === 'me' ? path : `${NL}/${path}`, token);
      expect(response.status, `${fixture.file}: emulator status`).toBe(200);
      const served = recordsOf(await response.json());
      expect(served.length, `${fixture.file}: emulator returns records`).toBeGreaterThan(0);
      const entity = entityDefinition(fixture.entity as 'Account');
      const endpoint = fixture.shape === 'me' ? undefined : findEndpoint(path.split('?')[0].replace(/\(.*\)$/, ''));
      compareRecord(fixture.file, entity, endpoint, { fixture: records[0], emulator: served[0], parsed: parsed[0] }, fixture);
    });
  }

  for (const errorCase of errorCases()) {
    it(`error: ${errorCase.name}`, async () => {
      const response: ExactResponse = { status: errorCase.response.status, headers: errorCase.response.headers, data: errorCase.response.body };
      const client = new ExactClient(answering(response));
      const error = await client.connection.send('GET', `${NL}/crm/Accounts`).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ExactApiError);
      expect(error).not.toBeInstanceOf(ExactMalformedResponseError);
      const apiError = error as ExactApiError;
      expect(apiError.status).toBe(errorCase.response.status);
      expect(apiError.messages).toHaveLength(errorCase.messages);
      expect(apiError.messages.join(' ')).not.toMatch(/[<>]/);
      if (errorCase.reason) expect(apiError.reason).toBe(errorCase.response.headers.reason);
      const emulated = errorCase.emulator;
      if (!emulated) return;
      if (emulated.fault) h.control.injectFault({ kind: emulated.fault, path: emulated.path.split('?')[0] });
      let bearer = token;
      if (emulated.token === 'expired') {
        const stale = h.control.issueTokens().access_token;
        h.clock.advance(601_000);
        bearer = stale;
      }
      const served = await h.send(emulated.method, `${emulated.division ?? NL}/${emulated.path}`, bearer, emulated.body);
      expect(served.status, 'emulator status').toBe(errorCase.response.status);
      if (errorCase.reason) expect(served.headers.get('reason'), 'emulator Reason header').toBeTruthy();
      if (typeof errorCase.response.body === 'string') {
        expect(served.headers.get('content-type')).toMatch(/html/);
        return;
      }
      const body = (await served.json()) as { error: { code: unknown; message: { lang: unknown; value: unknown } } };
      expect(typeof body.error.code).toBe('string');
      expect(typeof body.error.message.lang).toBe('string');
      expect(String(body.error.message.value).split('\r\n')).toHaveLength(errorCase.messages);
    });
  }
});
