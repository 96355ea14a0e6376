import { connectOutcomeSchema, connectResultOf } from './connectOutcome';
import type { ConnectResult } from './types';

/**
 * The connect flow on a web page: a popup to the gateway, which walks the admin through Exact's
 * login and consent and posts `{type: 'exact-connect', ok, reason?, error?}` back to this page's
 * origin. The popup is opened empty, synchronously in the click, and sent to the gateway once the
 * ticket is there: a window opened after an `await` is blocked by every browser.
 */

export interface PopupHost {
  open(url: string, name: string, features: string): Window | null;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  location: { href: string };
  screenX: number;
  screenY: number;
  outerWidth: number;
  outerHeight: number;
}

export interface PopupConnectorOptions {
  /** The gateway's popup URL for this page (asks the gateway for a one-time ticket). */
  connectUrl: (returnUrl: string) => Promise<string>;
  /** The gateway's origin: the only origin whose messages count. */
  gatewayOrigin: string;
  host: PopupHost;
  /** How often to look whether the admin closed the popup. */
  pollMs?: number;
}

export function popupConnector(options: PopupConnectorOptions): () => Promise<ConnectResult> {
  const { host } = options;
  return () => {
    const width = 520;
    const height = 680;
    const left = Math.max(0, host.screenX + (host.outerWidth - width) / 2);
    const top = Math.max(0, host.screenY + (host.outerHeight - height) / 2);
    const popup = host.open('', 'exact-connect', `popup=yes,width=${width},height=${height},left=${left},top=${top}`);
    if (!popup) return Promise.resolve({ kind: 'blocked' });
    return new Promise<ConnectResult>((resolve) => {
      let settled = false;
      const finish = (result: ConnectResult): void => {
        if (settled) return;
        settled = true;
        host.removeEventListener('message', onMessage);
        clearInterval(watch);
        resolve(result);
      };
      const onMessage = (event: MessageEvent): void => {
        if (event.origin !== options.gatewayOrigin || event.source !== popup) return;
        const parsed = connectOutcomeSchema.safeParse(event.data);
        if (parsed.success) finish(connectResultOf(parsed.data));
      };
      host.addEventListener('message', onMessage);
      // The outcome message arrives just before the popup closes itself; give it a moment.
      let closedSeen = 0;
      const watch = setInterval(() => {
        if (!popup.closed) return;
        closedSeen += 1;
        if (closedSeen > 2) finish({ kind: 'closed' });
      }, options.pollMs ?? 250);
      options.connectUrl(host.location.href).then(
        (url) => {
          if (!popup.closed) popup.location.href = url;
        },
        (error: unknown) => {
          popup.close();
          finish({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
        },
      );
    });
  };
}
