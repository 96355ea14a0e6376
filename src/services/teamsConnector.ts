import { connectOutcomeSchema, connectResultOf } from './connectOutcome';
import type { ConnectResult } from './types';

/**
 * The connect flow inside Teams. A tab may not open a browser popup of its own; teams-js's
 * `authentication.authenticate` asks the Teams host to open one instead, and the gateway's outcome
 * page (told by `host=teams` that Teams is waiting) ends it with `notifySuccess`/`notifyFailure`,
 * passing the same outcome the popup connector receives as a message.
 */

/** The part of teams-js's `authentication` namespace this uses (SPFx: `sdks.microsoftTeams.teamsJs`). */
export interface TeamsAuthentication {
  authenticate(parameters: { url: string; width?: number; height?: number; isExternal?: boolean }): Promise<string>;
}

export interface TeamsConnectorOptions {
  /** The gateway's connect URL for a return URL (asks the gateway for a one-time ticket). */
  connectUrl: (returnUrl: string) => Promise<string>;
  authentication: TeamsAuthentication;
  /** The tab's own address: the gateway checks its origin against the allowed return origins. */
  returnUrl: () => string;
}

/** What teams-js rejects with when the host ends the popup itself (teams-js 2.32 wording). */
const hostReasons: Record<string, ConnectResult> = {
  CancelledByUser: { kind: 'closed' },
  FailedToOpenWindow: { kind: 'blocked' },
};

function fromOutcome(text: string): ConnectResult | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = connectOutcomeSchema.safeParse(json);
  return parsed.success ? connectResultOf(parsed.data) : undefined;
}

export function teamsConnector(options: TeamsConnectorOptions): () => Promise<ConnectResult> {
  return async () => {
    let url: string;
    try {
      const connectUrl = new URL(await options.connectUrl(options.returnUrl()));
      connectUrl.searchParams.set('host', 'teams');
      url = connectUrl.toString();
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    try {
      const result = await options.authentication.authenticate({ url, width: 520, height: 680 });
      return fromOutcome(result) ?? { kind: 'failed', message: `The connect window answered something unexpected: ${result.slice(0, 200)}` };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return hostReasons[reason] ?? fromOutcome(reason) ?? { kind: 'failed', message: reason };
    }
  };
}
