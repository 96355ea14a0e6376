import type {
  ExactDeletion,
  ExactEntityInfo,
  ExactReadRequest,
  ExactRecord,
  ExactRecordSource,
  FieldValue,
} from '../sync/ports';
import { markUnreadable } from '../sync/model';
import { exactCatalog, importableEntities, isExactEntityName, type ExactEntityName } from './catalog';
import type { ExactClient } from './client';
import type { FieldDecl } from './entity';

/**
 * The sync engine's port over the Exact client: full reads through `bulk/` endpoints, changes
 * through `sync/` with the Timestamp cursor, deletions through `sync/Deleted`.
 */
export function createExactRecordSource(client: ExactClient): ExactRecordSource {
  return {
    describeEntity(entity: string): ExactEntityInfo | undefined {
      return isExactEntityName(entity) ? exactCatalog[entity].info : undefined;
    },
    listEntities(): ExactEntityInfo[] {
      return importableEntities.map((name) => exactCatalog[name].info);
    },
    async *readAll(request: ExactReadRequest): AsyncGenerator<ExactRecord[], void, undefined> {
      const name = entityName(request.entity);
      const select = selectable(name, request.fields, false);
      for await (const page of client.bulk(request.division, name, { select, filter: request.filter })) {
        yield page.map((record) => toExactRecord(record, select, restrictedOf(name)));
      }
    },
    async *readChanges(request: ExactReadRequest & { since: string }): AsyncGenerator<ExactRecord[], void, undefined> {
      const name = entityName(request.entity);
      const select = selectable(name, request.fields, true);
      const read = client.sync(request.division, name, { select, since: request.since, filter: request.filter });
      for await (const page of read) {
        yield page.map((record) => toExactRecord(record, select, restrictedOf(name)));
      }
    },
    async *readDeletions(request: {
      division: number;
      entity: string;
      since: string;
    }): AsyncGenerator<ExactDeletion[], void, undefined> {
      const name = entityName(request.entity);
      for await (const page of client.deleted(request.division, name, { since: request.since })) {
        yield page.map((row) => {
          if (typeof row.EntityKey !== 'string' || typeof row.Timestamp !== 'string') {
            throw new RangeError(`sync/Deleted row without EntityKey or Timestamp for ${name}`);
          }
          return { key: row.EntityKey, timestamp: row.Timestamp, deletedAt: row.DeletedDate ?? null };
        });
      }
    },
  };
}

function entityName(entity: string): ExactEntityName {
  if (!isExactEntityName(entity)) {
    throw new RangeError(`Unknown Exact entity "${entity}"`);
  }
  return entity;
}

/** Key (and Timestamp for sync reads) first, then the requested fields, each once; unknown names refused. */
function selectable(name: ExactEntityName, fields: string[], forSync: boolean): string[] {
  const entity = exactCatalog[name];
  const declared: Record<string, FieldDecl<FieldValue>> = entity.fields;
  const out: string[] = [entity.key];
  if (forSync) {
    out.push('Timestamp');
  }
  for (const f of fields) {
    if (!Object.prototype.hasOwnProperty.call(declared, f)) {
      throw new RangeError(`${name} has no field ${f}`);
    }
    // Timestamp exists only on sync endpoints; a bulk read asking for it would be refused.
    if (declared[f].syncOnly && !forSync) {
      continue;
    }
    if (!out.includes(f)) {
      out.push(f);
    }
  }
  return out;
}

function restrictedOf(name: ExactEntityName): ReadonlySet<string> {
  const declared: Record<string, FieldDecl<FieldValue>> = exactCatalog[name].fields;
  return new Set(Object.keys(declared).filter((f) => declared[f].restricted));
}

/**
 * Selected fields Exact left out become `null`, per the port conventions; a role-gated one Exact
 * left out is marked unreadable instead (the user may not read it), so its column is left alone.
 */
function toExactRecord(record: Partial<Record<string, FieldValue>>, select: string[], restricted: ReadonlySet<string>): ExactRecord {
  const out: ExactRecord = {};
  const unreadable: string[] = [];
  for (const name of select) {
    const value = record[name];
    if (value === undefined && restricted.has(name)) unreadable.push(name);
    out[name] = value === undefined ? null : value;
  }
  return markUnreadable(out, unreadable);
}
