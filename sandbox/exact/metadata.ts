/**
 * `GET /api/v1/{division}/{service}/$metadata`: the OData v2 EDMX document of the entities the
 * emulator serves under that service, built from the same table the router reads, so a type
 * here is always the type on the wire. Navigation properties are left out (no associations).
 */
import type { Endpoint } from './endpoint';
import { endpoints } from './entities';
import { edmTypeName } from './odata';

const modelsNamespace = 'Exact.Web.Api.Models';

const xmlAttr = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** `System.Division` lives in namespace `Exact.Web.Api.Models.System` as type `Division`. */
function splitModel(model: string): { namespace: string; name: string } {
  const parts = model.split('.');
  const name = parts.pop() as string;
  return { namespace: [modelsNamespace, ...parts].join('.'), name };
}

function entityType(endpoint: Endpoint, name: string): string {
  const properties = Object.entries(endpoint.fields)
    .map(([field, type]) => `<Property Name="${xmlAttr(field)}" Type="${edmTypeName[type]}" Nullable="${field === endpoint.key ? 'false' : 'true'}" />`)
    .join('');
  return `<EntityType Name="${xmlAttr(name)}"><Key><PropertyRef Name="${xmlAttr(endpoint.key)}" /></Key>${properties}</EntityType>`;
}

/** The EDMX for one service (`crm`, `bulk/CRM`, `read/financial`, …); undefined when the emulator serves nothing there. */
export function metadataDocument(service: string): string | undefined {
  const prefix = `${service.toLowerCase()}/`;
  const served = endpoints.filter((e) => e.path.toLowerCase().startsWith(prefix) && !e.path.slice(prefix.length).includes('/'));
  if (served.length === 0) {
    return undefined;
  }
  const byNamespace = new Map<string, Map<string, Endpoint>>();
  for (const endpoint of served) {
    const { namespace, name } = splitModel(endpoint.model);
    const types = byNamespace.get(namespace) ?? new Map<string, Endpoint>();
    // Function-style variants share their model; the first endpoint defines it.
    if (!types.has(name)) {
      types.set(name, endpoint);
    }
    byNamespace.set(namespace, types);
  }
  const schemas = [...byNamespace.entries()].map(([namespace, types]) => {
    const body = [...types.entries()].map(([name, endpoint]) => entityType(endpoint, name)).join('');
    return `<Schema Namespace="${xmlAttr(namespace)}" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">${body}</Schema>`;
  });
  const sets = served
    .map((e) => {
      const { namespace, name } = splitModel(e.model);
      return `<EntitySet Name="${xmlAttr(e.path.slice(prefix.length))}" EntityType="${xmlAttr(`${namespace}.${name}`)}" />`;
    })
    .join('');
  const container = `<Schema Namespace="${modelsNamespace}.Container" xmlns="http://schemas.microsoft.com/ado/2008/09/edm"><EntityContainer Name="ExactOnline" m:IsDefaultEntityContainer="true">${sets}</EntityContainer></Schema>`;
  return (
    '<?xml version="1.0" encoding="utf-8" standalone="yes"?>' +
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">' +
    '<edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">' +
    schemas.join('') +
    container +
    '</edmx:DataServices></edmx:Edmx>'
  );
}
