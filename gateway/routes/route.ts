/** What a route module gives the router (router.ts), and what the router gives a route for one request. */
import { z } from 'zod';
import type { Caller } from '../auth';
import { HttpError } from '../http';
import type { Logger } from '../log';

export interface RouteRequest {
  request: Request;
  url: URL;
  /** For a prefix route, the path after the prefix; otherwise empty. */
  rest: string;
  logger: Logger;
  /** Checks the bearer token; the request's log line names the caller from then on. */
  authenticate(): Promise<Caller>;
  /** Names a caller known another way (a connect ticket) in the request's log line. */
  identify(caller: Caller): void;
  /** `?connection=`, checked (400 otherwise); `default` when absent. */
  connectionId(): string;
}

export interface Route {
  method: string;
  /** Under the base path: the whole path, or with `prefix` its start (ending in `/`). */
  path: string;
  prefix?: boolean;
  handle(request: RouteRequest): Promise<Response>;
}

const connectionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

export function connectionIdOf(url: URL): string {
  const parsed = connectionIdSchema.safeParse(url.searchParams.get('connection') ?? 'default');
  if (!parsed.success) {
    throw new HttpError(400, 'bad-request', 'Query parameter connection must be 1-40 letters, digits, - or _.');
  }
  return parsed.data;
}
