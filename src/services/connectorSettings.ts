/** Where a web part or extension finds the gateway and the CRM lists (its properties). */
export interface ConnectorSettings {
  gatewayUrl: string;
  /** The gateway's Entra application ID URI, e.g. `api://exact-crm-gateway`. */
  gatewayResource: string;
  /** The site with the CRM lists; empty: the page's own site. In Teams it must be set. */
  crmSiteUrl?: string;
}

// A module of its own, without spfx.ts's imports, so a command set can decide whether to show its
// commands before it loads the services (and their HTTP clients) on the first click.
export const isConfigured = <T extends Partial<ConnectorSettings>>(settings: T): settings is T & ConnectorSettings => !!settings.gatewayUrl && !!settings.gatewayResource;
