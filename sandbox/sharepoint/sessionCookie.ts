import type { Queryable } from '@pnp/queryable';

/**
 * PnPjs behaviour that calls the emulator as the person behind `cookie` (a `FedAuth=…` value), like
 * a browser tab of theirs: the Cookie header on every request and a form digest of their own
 * session. PnPjs caches digests per web URL for the whole process, so without the own digest two
 * people in one Node process would share one (and the emulator refuses another session's digest).
 */
export function SessionCookie(siteUrl: string, cookie: string) {
  let digest: { value: string; expiresAt: number } | undefined;
  const ownDigest = async (): Promise<string> => {
    if (digest && digest.expiresAt > Date.now()) return digest.value;
    const answer = await fetch(`${siteUrl}/_api/contextinfo`, { method: 'POST', headers: { accept: 'application/json', cookie } });
    if (answer.status !== 200) throw new Error(`contextinfo for the session failed: ${answer.status} ${await answer.text()}`);
    const info = (await answer.json()) as { FormDigestValue: string; FormDigestTimeoutSeconds: number };
    digest = { value: info.FormDigestValue, expiresAt: Date.now() + (info.FormDigestTimeoutSeconds - 60) * 1000 };
    return digest.value;
  };
  return (instance: Queryable) => {
    instance.on.pre(async (url, init, result) => {
      const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined), Cookie: cookie };
      if (!/^get$/i.test(init.method ?? 'GET')) headers['X-RequestDigest'] = await ownDigest();
      init.headers = headers;
      return [url, init, result];
    });
    return instance;
  };
}
