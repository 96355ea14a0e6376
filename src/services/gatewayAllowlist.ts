/** A gateway and the Application ID URI its tokens are for: they are allowed only together. */
export interface GatewayPair {
  gatewayUrl: string;
  gatewayResource: string;
}

/**
 * Gateways that a web part's or extension's own properties may name besides the tenant property's
 * (`ExactCrmConnector`). Anyone who can edit a page can set a component's properties, and the
 * component sends the signed-in person's gateway token wherever they point: so the list is built
 * into the package, where only the deployer can change it. Empty: every component uses the tenant
 * property's gateway.
 *
 * A deployer who configures components one by one (no tenant property), or runs a second gateway,
 * adds each gateway here before `npm run package`, URL and resource together, e.g.
 * `{ gatewayUrl: 'https://<func>.azurewebsites.net/gateway', gatewayResource: 'api://<client-id>' }`.
 * An entry must use https (plain http only on localhost or 127.0.0.1); one that does not is ignored,
 * and `npm test` fails on it (tests/unit/gatewayPinning.test.ts).
 */
export const packagedGateways: readonly GatewayPair[] = [];
