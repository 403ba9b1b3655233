import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../contract/clock.ts';
import type { WebhookTarget } from './webhooks.ts';

export interface SimClock extends Clock {
  advance(ms: number): void;
}

export interface BelvoSimOptions {
  seed?: number;
  linkCount?: number;
  clock?: SimClock;
  credentials?: { secretId: string; secretPassword: string };
  /** Control endpoints (`/_sim/…`) exist only in sandbox mode. */
  mode?: 'sandbox' | 'production';
  webhook?: WebhookTarget | null;
  /** Used to deliver webhooks; in-process tests pass the proxy's own `fetch`. */
  fetch?: typeof fetch;
  timings?: Partial<SimTimings>;
  /** Run due work on a wall-clock ticker (default: on unless a clock is injected). */
  ticker?: boolean;
  /** Wall-clock delay of every `GET /api/links/` answer, like Belvo's page latency (0: none). */
  pageLatencyMs?: number;
  /** Failed recurrent updates per simulated day (LINK webhooks); default 0 = none. */
  recurrentFailuresPerDay?: number;
}

export interface SimTimings {
  asyncDeleteMs: number;
  historicalUpdateMs: number;
  syncDeleteLimit: number;
  syncDeleteWindowMs: number;
  refreshCooldownMs: number;
}

/** What `npm start` and `npm run belvo-sim` use, so LINK webhooks happen in a demo: about one a hour. */
export const defaultRecurrentFailuresPerDay = 24;

export const defaultSimCredentials = { secretId: 'linkdesk-sim-id', secretPassword: 'linkdesk-sim-password' } as const;
/** The Authorization header a Belvo client sends with the default keys (HTTP Basic, as Belvo takes them). */
export const defaultSimAuthorization = `Basic ${Buffer.from(`${defaultSimCredentials.secretId}:${defaultSimCredentials.secretPassword}`).toString('base64')}`;

export const defaultTimings: SimTimings = {
  asyncDeleteMs: 3_000,
  historicalUpdateMs: 2_000,
  syncDeleteLimit: 5,
  syncDeleteWindowMs: 60_000,
  refreshCooldownMs: 10 * 60_000,
};

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  query: string;
  route: string;
  headers: Record<string, string>;
  authenticated: boolean;
  body: string | null;
}

/** Marks a response the HTTP adapter must answer by dropping the connection. */
export const dropMarker = 'x-belvo-sim-drop';

/** Bank passwords, MFA tokens and certificate keys in a logged body, masked as the playground's trace masks them. */
const secretField = /pass|token|private_key|certificate|secret/i;
const mask = (value: string) => '•'.repeat(Math.min(value.length, 12));

export function maskSecrets(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: nothing can be told apart, so nothing of it is kept but its size.
    return body === '' ? '' : `(${body.length} characters, not JSON)`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  const masked = Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([key, value]) => [key, secretField.test(key) && typeof value === 'string' ? mask(value) : value]),
  );
  return JSON.stringify(masked);
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** HTTP Basic with the simulator's keys; remembers the header that last passed, so the hot path skips two hashes. */
export function createAuthenticator(credentials: { secretId: string; secretPassword: string }) {
  let lastGoodAuthorization: string | null = null;
  return (authorization: string | null | undefined): boolean => {
    if (!authorization?.startsWith('Basic ')) return false;
    if (authorization === lastGoodAuthorization) return true;
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const ok =
      colon > 0 &&
      sameSecret(decoded.slice(0, colon), credentials.secretId) &&
      sameSecret(decoded.slice(colon + 1), credentials.secretPassword);
    if (ok) lastGoodAuthorization = authorization;
    return ok;
  };
}
