/**
 * Teams' incoming webhooks, as the stand-in plays them: `POST /teams/webhook/{channel}` takes a
 * card (the MessageCard JSON the gateway posts for a failed background run) and answers `1`, as
 * Teams does; `GET /teams/webhook/{channel}` shows what the channel received, newest first, so a
 * person running `npm start` can see the post. Kept in memory.
 */
const received = new Map<string, Array<{ at: string; card: unknown }>>();
const channelPattern = /^\/teams\/webhook\/([A-Za-z0-9_-]{1,64})$/;

/** What a channel received so far (tests). */
export const incomingWebhookPosts = (channel: string): unknown[] => (received.get(channel) ?? []).map((post) => post.card);

/** Answers a request under `/teams/webhook/`, or undefined when the path is not one. */
export async function incomingWebhook(request: Request, url: URL): Promise<Response | undefined> {
  const channel = channelPattern.exec(url.pathname)?.[1];
  if (!channel) return undefined;
  if (request.method === 'POST') {
    const text = await request.text();
    let card: unknown;
    try {
      card = JSON.parse(text);
    } catch {
      return new Response('Bad payload: the body must be a card (JSON).', { status: 400 });
    }
    received.set(channel, [{ at: new Date().toISOString(), card }, ...(received.get(channel) ?? [])].slice(0, 100));
    return new Response('1', { status: 200, headers: { 'content-type': 'text/plain' } });
  }
  return Response.json({ channel, received: received.get(channel) ?? [] });
}
