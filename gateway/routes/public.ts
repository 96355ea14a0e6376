/** The routes anyone may call: `GET /health` and `GET /teams-js.js` (for the connect outcome page in Teams). */
import { jsonResponse } from '../http';
import { teamsJsResponse } from '../teamsJs';
import type { Route } from './route';

export function createPublicRoute(): Route[] {
  return [
    { method: 'GET', path: '/health', handle: () => Promise.resolve(jsonResponse(200, { ok: true })) },
    { method: 'GET', path: '/teams-js.js', handle: () => teamsJsResponse() },
  ];
}
