import '@pnp/sp/webs';
import { z } from 'zod';
import { createCrmSp, type ISPFXContext, type SPFI } from '../crm/pnp';
import { zodIssueData, type ZodIssueData } from '../sync/words';
import { packagedGateways, type GatewayPair } from './gatewayAllowlist';

export type { GatewayPair } from './gatewayAllowlist';
/** Where a web part or extension finds the gateway and the CRM lists. */
export interface ConnectorSettings {
  gatewayUrl: string;
  /** The gateway's Entra application ID URI, e.g. `api://exact-crm-gateway`. */
  gatewayResource: string;
  /** The site with the CRM lists; empty: the page's own site. In Teams it must be set. */
  crmSiteUrl?: string;
}

export const isConfigured = <T extends Partial<ConnectorSettings>>(settings: T): settings is T & ConnectorSettings => !!settings.gatewayUrl && !!settings.gatewayResource;

/**
 * The connector's settings for the whole tenant, as one SharePoint tenant property (storage entity
 * in the app catalog; `Set-PnPStorageEntity`). A Teams personal app has no property pane and a new
 * page's web part starts empty: with this set once, every web part, Teams tab and extension of the
 * tenant finds the gateway and the CRM site without being configured one by one. A web part's own
 * properties still win, field by field, except that its own gateway must be this one or one built
 * into the package (gatewayAllowlist.ts; `pinnedSettings`).
 */
export const tenantSettingsKey = 'ExactCrmConnector';

/** Hosts that are the person's own machine: the sandbox and a developer's gateway, which have no TLS. */
const loopbackHosts = ['localhost', '127.0.0.1'];

/** Why a URL may not receive the connector's requests: not absolute, or plain http off the loopback. */
export type UrlIssue = 'not-absolute' | 'not-https';

export function urlIssue(value: string): UrlIssue | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'not-absolute';
  }
  if (url.protocol === 'https:') return undefined;
  // Over plain http on a network anyone on the way reads the bearer token.
  return url.protocol === 'http:' && loopbackHosts.includes(url.hostname) ? undefined : 'not-https';
}

/** The fields that hold a URL, with the example their message gives. */
export const urlFields = {
  gatewayUrl: 'https://<func>.azurewebsites.net/gateway',
  crmSiteUrl: 'https://contoso.sharepoint.com/sites/crm',
} as const;
export type UrlField = keyof typeof urlFields;

/**
 * The one check of a connector URL, wherever one comes from (the tenant property, the property
 * pane, the package's gateways, the sandbox's pages): absolute, https except on the loopback. The
 * issue's message names the field; its `params.issue` is the UrlIssue, for a translated message.
 */
export function connectorUrl(field: UrlField): z.ZodEffects<z.ZodString> {
  return z.string().superRefine((value, context) => {
    const issue = urlIssue(value);
    if (!issue) return;
    context.addIssue({
      code: z.ZodIssueCode.custom,
      params: { issue },
      message:
        issue === 'not-absolute'
          ? `${field} must be an absolute URL such as ${urlFields[field]}`
          : `${field} must use https:// (plain http:// only on localhost or 127.0.0.1), such as ${urlFields[field]}`,
    });
  });
}

/** The UrlIssue of a value for a field, as the schema reports it; undefined: the value is fine. */
export function connectorUrlIssue(field: UrlField, value: string): UrlIssue | undefined {
  const result = connectorUrl(field).safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue?.code === z.ZodIssueCode.custom && issue.params?.issue === 'not-https' ? 'not-https' : 'not-absolute';
}

const settingsSchema = z
  .object({
    gatewayUrl: connectorUrl('gatewayUrl'),
    gatewayResource: z.string().min(1, 'must be the gateway app’s Application ID URI, e.g. api://<client-id>'),
    // Required here: tenant-wide, the page's own site is rarely the CRM's (a Teams personal app runs
    // on the root site, a channel tab on the team's), and the Administration menu shows only there.
    crmSiteUrl: connectorUrl('crmSiteUrl'),
  })
  .strict();

/** A gateway of the package's list (gatewayAllowlist.ts). */
export const gatewayPairSchema = z.object({ gatewayUrl: connectorUrl('gatewayUrl'), gatewayResource: z.string().trim().min(1) }).strict();

// GetStorageEntity answers a missing key with `odata.null`, a set one with its Value (a string).
const entitySchema = z.union([
  z.object({ Value: z.string() }).passthrough(),
  z.object({ Value: z.null().optional() }).passthrough(),
]);

const filled = (value: string | undefined): value is string => typeof value === 'string' && value.trim() !== '';

export interface TenantSettings {
  settings?: ConnectorSettings;
  /** Why a tenant property that is there could not be used; names the key and the field (English, for logs). */
  problem?: string;
  /** The same problem as parts, for a sentence in the reader's language (settingsRefusal.ts). */
  problemParts?: TenantProblem;
}

/** What is wrong with the tenant property: not JSON, a field that does not fit (zod's issue as data), or no answer. */
export type TenantProblem =
  | { kind: 'not-json' }
  | { kind: 'invalid'; field: string; issue: ZodIssueData; urlIssue?: UrlIssue }
  | { kind: 'unreadable'; detail: string };

/** Reads an answer of `_api/web/GetStorageEntity('ExactCrmConnector')`. */
export function parseTenantSettings(answer: unknown): TenantSettings {
  const entity = entitySchema.safeParse(answer);
  if (!entity.success || typeof entity.data.Value !== 'string' || entity.data.Value.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(entity.data.Value);
  } catch {
    return { problem: `The tenant property ${tenantSettingsKey} is not JSON: it must look like {"gatewayUrl":"…","gatewayResource":"…","crmSiteUrl":"…"}.`, problemParts: { kind: 'not-json' } };
  }
  const settings = settingsSchema.safeParse(value);
  if (!settings.success) {
    const issue = settings.error.issues[0]!;
    const field = issue.path.join('.');
    // A URL's message names its field already (connectorUrl).
    const named = issue.code === 'unrecognized_keys' || issue.code === z.ZodIssueCode.custom;
    const urlProblem = issue.code === z.ZodIssueCode.custom && (issue.params?.issue === 'not-https' || issue.params?.issue === 'not-absolute') ? { urlIssue: issue.params.issue as UrlIssue } : {};
    return {
      problem: `The tenant property ${tenantSettingsKey}: ${named ? issue.message : `${field || 'its value'} ${issue.message}`}.`,
      problemParts: { kind: 'invalid', field, issue: zodIssueData(issue), ...urlProblem },
    };
  }
  return { settings: settings.data };
}

/** The tenant property, read through the page's own site (every site answers for the tenant's app catalog). */
export async function readTenantSettings(sp: SPFI): Promise<TenantSettings> {
  try {
    return parseTenantSettings(await sp.web.getStorageEntity(tenantSettingsKey));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { problem: `The tenant property ${tenantSettingsKey} could not be read: ${detail}`, problemParts: { kind: 'unreadable', detail } };
  }
}

const readsBySite = new Map<string, Promise<TenantSettings>>();

/** Once per page and site: several web parts and extensions on a page share one request. */
export function tenantSettingsOnce(siteUrl: string, sp: () => SPFI): Promise<TenantSettings> {
  const key = siteUrl.toLowerCase();
  let read = readsBySite.get(key);
  if (!read) {
    read = readTenantSettings(sp());
    readsBySite.set(key, read);
  }
  return read;
}

/** Whether settings leave a field empty, for the tenant property to fill. */
export const needsTenantSettings = (own: Partial<ConnectorSettings>): boolean => !filled(own.gatewayUrl) || !filled(own.gatewayResource) || !filled(own.crmSiteUrl);

/** The spelling two gateway URLs are compared in: as URL writes it, without a trailing slash. */
function gatewayKey(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    url.pathname = url.pathname.replace(/\/+$/, '');
    return url.href;
  } catch {
    return undefined;
  }
}

const sameGateway = (a: string, b: string): boolean => {
  const key = gatewayKey(a);
  return key !== undefined && key === gatewayKey(b);
};

const samePair = (a: GatewayPair, b: GatewayPair): boolean => sameGateway(a.gatewayUrl, b.gatewayUrl) && a.gatewayResource.trim() === b.gatewayResource.trim();

/** The package's gateways that pass the URL check; a bad entry is left out rather than stopping every component. */
export const allowedPackagedGateways = (list: readonly GatewayPair[] = packagedGateways): GatewayPair[] => list.filter((pair) => gatewayPairSchema.safeParse(pair).success);

const onList = (own: Partial<ConnectorSettings>, list: readonly GatewayPair[]): boolean =>
  filled(own.gatewayUrl) && filled(own.gatewayResource) && allowedPackagedGateways(list).some((pair) => samePair(pair, { gatewayUrl: own.gatewayUrl!, gatewayResource: own.gatewayResource! }));

/**
 * Whether a component must read the tenant property: to fill an empty field, or to check that the
 * gateway it names is the tenant's (one from the package's list needs no check).
 */
export const readsTenantSettings = (own: Partial<ConnectorSettings>, list: readonly GatewayPair[] = packagedGateways): boolean => needsTenantSettings(own) || !onList(own, list);

/** What a web part or extension reads at start: the tenant property, through its page's site, when its own settings leave a field empty or name a gateway to check. */
export async function tenantSettingsFor(context: ISPFXContext & { pageContext: { web: { absoluteUrl: string } } }, own: Partial<ConnectorSettings>): Promise<TenantSettings> {
  if (!readsTenantSettings(own)) return {};
  const site = context.pageContext.web.absoluteUrl;
  return tenantSettingsOnce(site, () => createCrmSp(context, site));
}

/**
 * A component's own settings, completed from the tenant's: the gateway URL and its resource as a
 * pair (one from the component and one from the tenant could be two gateways, and the person's
 * token for one would go to the other), the CRM site on its own.
 */
export function withTenantSettings<T extends Partial<ConnectorSettings>>(own: T, tenant: ConnectorSettings | undefined): T {
  if (!tenant) return own;
  const ownGateway = filled(own.gatewayUrl) || filled(own.gatewayResource);
  return {
    ...own,
    gatewayUrl: ownGateway ? own.gatewayUrl : tenant.gatewayUrl,
    gatewayResource: ownGateway ? own.gatewayResource : tenant.gatewayResource,
    crmSiteUrl: filled(own.crmSiteUrl) ? own.crmSiteUrl : tenant.crmSiteUrl,
  };
}

/**
 * Why a component's own settings are refused: the field, the value it carries, and the reason.
 * `not-allowed`: a gateway neither the tenant property's nor the package's; `other-resource`: an
 * allowed gateway with another Application ID URI than its own; `insecure`: a URL that fails
 * connectorUrl (gatewayUrl or crmSiteUrl).
 */
export type SettingsRefusal =
  | { reason: 'not-allowed'; field: 'gatewayUrl'; value: string }
  | { reason: 'other-resource'; field: 'gatewayResource'; value: string; gatewayUrl: string }
  | { reason: 'insecure'; field: UrlField; value: string; issue: UrlIssue };

export interface PinnedSettings<T> {
  /** What the component may use: its settings completed from the tenant's, with no gateway when it is refused. */
  settings: T;
  refusal?: SettingsRefusal;
  /** The tenant property's own problem, if it has one (tenantSettingsFor), in English and as parts. */
  problem?: string;
  problemParts?: TenantProblem;
}

/**
 * A component's settings as it may use them. Its own gateway is honoured only as a pair that is the
 * tenant property's or on the package's list (gatewayAllowlist.ts): whoever edits a page sets its
 * properties, and the signed-in person's token for the gateway's resource, an admin's included,
 * goes to that URL with every request. Refused, the settings lose their gateway, so nothing asks a
 * token or calls out; `refusal` says which field and why.
 */
export function pinnedSettings<T extends Partial<ConnectorSettings>>(own: T, tenant: TenantSettings, list: readonly GatewayPair[] = packagedGateways): PinnedSettings<T> {
  const merged = withTenantSettings(own, tenant.settings);
  const problem = tenant.problem ? { problem: tenant.problem, ...(tenant.problemParts ? { problemParts: tenant.problemParts } : {}) } : {};
  const refuse = (refusal: SettingsRefusal): PinnedSettings<T> => ({ settings: { ...merged, gatewayUrl: '', gatewayResource: '' }, refusal, ...problem });
  if (filled(own.crmSiteUrl)) {
    const issue = urlIssue(own.crmSiteUrl);
    if (issue) return refuse({ reason: 'insecure', field: 'crmSiteUrl', value: own.crmSiteUrl, issue });
  }
  if (!isConfigured(merged)) return { settings: merged, ...problem };
  const pair = { gatewayUrl: merged.gatewayUrl, gatewayResource: merged.gatewayResource };
  const allowed = [...(tenant.settings ? [tenant.settings] : []), ...allowedPackagedGateways(list)];
  if (allowed.some((known) => samePair(known, pair))) return { settings: merged, ...problem };
  if (allowed.some((known) => sameGateway(known.gatewayUrl, pair.gatewayUrl))) {
    return refuse({ reason: 'other-resource', field: 'gatewayResource', value: pair.gatewayResource, gatewayUrl: pair.gatewayUrl });
  }
  const issue = urlIssue(pair.gatewayUrl);
  return refuse(issue ? { reason: 'insecure', field: 'gatewayUrl', value: pair.gatewayUrl, issue } : { reason: 'not-allowed', field: 'gatewayUrl', value: pair.gatewayUrl });
}
