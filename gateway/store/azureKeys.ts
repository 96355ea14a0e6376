/**
 * What Azure Table storage allows in keys and properties, and how records are made to fit.
 *
 * PartitionKey/RowKey may not contain `/ \ # ?` or control characters and are at most 1 KiB;
 * a string property is at most 64 KiB (32 K UTF-16 units) and an entity at most 1 MiB.
 */

/** Characters kept as they are; everything else (including `~`) becomes `~XX` per UTF-8 byte. */
const plainKeyChar = /[A-Za-z0-9._-]/;

/**
 * Reversible, URL-safe encoding of an id for use as a Table key or blob name. Entra tenant ids and
 * our connection ids are plain already, so stored keys stay readable in Storage Explorer.
 */
export function encodeKey(id: string): string {
  let out = '';
  for (const char of id) {
    if (plainKeyChar.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) {
      out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

export function decodeKey(key: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < key.length; i++) {
    if (key[i] === '~') {
      bytes.push(parseInt(key.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(key.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Table keys hold at most 1 KiB = 512 UTF-16 units. */
const maxKeyLength = 512;

/** Encodes `id` for a key, or throws naming the field when it cannot fit. */
export function tableKey(field: string, id: string): string {
  const key = encodeKey(id);
  if (key.length === 0) {
    throw new Error(`Azure store: ${field} is empty`);
  }
  if (key.length > maxKeyLength) {
    throw new Error(`Azure store: ${field} "${id.slice(0, 40)}…" is too long for an Azure Table key (${key.length} > ${maxKeyLength} after encoding)`);
  }
  return key;
}

/** UTF-16 units per string property: 32 K units = 64 KiB, with headroom. */
export const chunkLength = 30_000;
/** 15 × 60 KiB stays under the 1 MiB entity limit with room for keys and system properties. */
export const maxChunks = 15;

export type JsonColumns = Record<`Json${number}`, string> & { JsonParts: number };

/** Splits a JSON document over as many string properties as it needs. */
export function toJsonColumns(what: string, value: unknown): JsonColumns {
  const json = JSON.stringify(value);
  const parts = Math.max(1, Math.ceil(json.length / chunkLength));
  if (parts > maxChunks) {
    throw new Error(`Azure store: ${what} is ${json.length} characters, more than one Azure Table entity holds (${chunkLength * maxChunks})`);
  }
  const columns: JsonColumns = { JsonParts: parts };
  for (let part = 0; part < parts; part++) {
    columns[`Json${part}`] = json.slice(part * chunkLength, (part + 1) * chunkLength);
  }
  return columns;
}

/** Joins the columns written by `toJsonColumns`; throws naming the record when they are damaged. */
export function fromJsonColumns(what: string, entity: Record<string, unknown>): unknown {
  const parts = entity.JsonParts;
  if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1) {
    throw new Error(`Azure store: ${what} has no valid JsonParts property`);
  }
  let json = '';
  for (let part = 0; part < parts; part++) {
    const chunk = entity[`Json${part}`];
    if (typeof chunk !== 'string') {
      throw new Error(`Azure store: ${what} is missing property Json${part} of ${parts}`);
    }
    json += chunk;
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new Error(`Azure store: ${what} does not hold valid JSON`);
  }
}

/** Table names: 3–63 letters and digits, starting with a letter. */
export function assertTableName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) {
    throw new Error(`Azure store: "${name}" is not a valid Azure Table name (3–63 letters/digits, starting with a letter)`);
  }
  return name;
}

/** Blob container names: 3–63 lowercase letters, digits and single hyphens. */
export function assertContainerName(name: string): string {
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new Error(`Azure store: "${name}" is not a valid blob container name (3–63 lowercase letters, digits, hyphens)`);
  }
  return name;
}
