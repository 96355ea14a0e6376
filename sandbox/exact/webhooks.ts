/**
 * `webhooks/WebhookSubscriptions` and the callbacks Exact sends (reference §8): an empty POST to
 * validate a new subscription, then one POST per changed record with
 * `{"Content":{…},"HashCode":"…"}`, where HashCode is the upper-case hex HMAC-SHA256 of the raw
 * Content text under the app's webhook secret. The notification carries only the key.
 * A callback answered with anything but 200/201 (or not answered) is sent again, 10 times, with a
 * delay that doubles from `retryDelayMs` (Exact: 2^n minutes over about 34 hours, reference §3; the
 * only source for that schedule is secondary, so a real tenant may differ). The validation POST
 * is not retried: a subscription whose validation fails is simply not validated.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { ODataError } from './errors';
import { rng } from './random';
import type { Row } from './seed';
import type { RecordChange, Writable } from './store';

/** Topics the emulator can raise; Exact knows more (Items, SalesInvoices, …) but none change here. */
const topicOf: Record<Writable, { topic: string; path: string }> = {
  accounts: { topic: 'Accounts', path: 'crm/Accounts' },
  contacts: { topic: 'Contacts', path: 'crm/Contacts' },
};

const knownTopics = ['Accounts', 'Contacts', 'Items', 'StockPositions', 'SalesInvoices', 'SalesOrders', 'FinancialTransactions', 'BankEntries', 'GoodsDeliveries'];

const subscriptionBody = z
  .object({
    CallbackURL: z.string(),
    Topic: z.string(),
    Description: z.string().nullable().optional(),
  })
  .passthrough();

/** Exact wants HTTPS callbacks; the sandbox also takes plain HTTP on the loopback so tests can listen. */
function callbackAllowed(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname));
  } catch {
    return false;
  }
}

/** The signature Exact puts in `HashCode`: the raw `Content` JSON text, HMAC-SHA256, upper-case hex. */
export function webhookHash(contentJson: string, secret: string): string {
  return createHmac('sha256', secret).update(contentJson, 'utf8').digest('hex').toUpperCase();
}

export interface WebhookHubOptions {
  clock: Clock;
  secret: string;
  clientId: string;
  userId: string;
  userFullName: string;
  /** `{origin}/exact/api/v1/`, for `ExactOnlineEndpoint`. */
  apiBase: () => string;
  /** First retry delay of a refused callback (real ms), doubling. */
  retryDelayMs?: () => number;
}

const maxRetries = 10;

export class WebhookHub {
  private readonly subscriptions = new Map<number, Row[]>();
  private readonly pending = new Set<Promise<void>>();
  private sequence = 0;
  /** Every callback POST made, newest last: what a test (or a curious developer) can inspect. */
  public readonly sent: Array<{ url: string; body: string; status: number | 'failed'; attempt: number }> = [];

  public constructor(private readonly options: WebhookHubOptions) {}

  public rows(division: number): Row[] {
    return [...(this.subscriptions.get(division) ?? [])];
  }

  public subscribe(division: number, bodyText: string): Row {
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      throw new ODataError(400, 'Error processing request stream. The request should be a valid top-level resource object.');
    }
    const parsed = subscriptionBody.safeParse(json);
    if (!parsed.success) {
      throw new ODataError(400, 'Error processing request stream. The request should be a valid top-level resource object.');
    }
    const problems: string[] = [];
    if (!callbackAllowed(parsed.data.CallbackURL)) problems.push('Ongeldige waarde: CallbackURL (HTTPS vereist)');
    if (!knownTopics.includes(parsed.data.Topic)) problems.push(`Ongeldige waarde: Topic (${parsed.data.Topic})`);
    if (problems.length) {
      throw new ODataError(500, problems.join('\r\n'));
    }
    const row: Row = {
      ID: rng(`webhook:${division}:${++this.sequence}:${this.options.clock.now()}`).guid(),
      CallbackURL: parsed.data.CallbackURL,
      Topic: parsed.data.Topic,
      Description: parsed.data.Description ?? null,
      // A real subscription read back shows ClientID null.
      ClientID: null,
      UserID: this.options.userId,
      Division: division,
      Created: this.options.clock.now(),
      Creator: this.options.userId,
      CreatorFullName: this.options.userFullName,
    };
    this.subscriptions.set(division, [...this.rows(division), row]);
    this.post(parsed.data.CallbackURL, '', maxRetries);
    return row;
  }

  public unsubscribe(division: number, id: string): void {
    const rows = this.rows(division);
    const kept = rows.filter((row) => String(row.ID).toLowerCase() !== id);
    if (kept.length === rows.length) {
      throw new ODataError(404, `WebhookSubscription with key '${id}' not found.`);
    }
    this.subscriptions.set(division, kept);
  }

  public notify(division: number, change: RecordChange): void {
    const { topic, path } = topicOf[change.dataset];
    for (const row of this.rows(division).filter((r) => r.Topic === topic)) {
      const content = JSON.stringify({
        Topic: topic,
        ClientId: this.options.clientId,
        Division: division,
        Action: change.action,
        Key: change.id,
        ExactOnlineEndpoint: `${this.options.apiBase()}${division}/${path}(guid'${change.id}')`,
        // Local time without a zone, as in real deliveries.
        EventCreatedOn: new Date(this.options.clock.now()).toISOString().slice(0, 23),
      });
      const body = `{"Content":${content},"HashCode":"${webhookHash(content, this.options.secret)}"}`;
      this.post(String(row.CallbackURL), body, 0);
    }
  }

  /** Waits for every callback sent so far, retries included. */
  public async settle(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  private post(url: string, body: string, attempt: number): void {
    const delivery = fetch(url, { method: 'POST', headers: body ? { 'content-type': 'application/json' } : {}, body })
      .then(async (response) => {
        await response.body?.cancel();
        return response.status;
      })
      .catch((): 'failed' => 'failed')
      .then(async (status) => {
        this.sent.push({ url, body, status, attempt });
        if (status !== 200 && status !== 201 && attempt < maxRetries) {
          await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs?.() ?? 60_000) * 2 ** attempt));
          this.post(url, body, attempt + 1);
        }
      })
      .finally(() => {
        this.pending.delete(delivery);
      });
    this.pending.add(delivery);
  }
}
