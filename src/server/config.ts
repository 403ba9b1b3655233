import { join } from 'node:path';
import { z } from 'zod';
import { defaultMaxLinksPerJob } from '../contract/bff/jobs.ts';
import { roles, type Role } from '../contract/roles.ts';

/**
 * Linkdesk's configuration, read from the environment once at start-up (only `run-server.ts` calls this)
 * and passed down. Every message says what to change.
 */
export type BelvoMode = 'simulator' | 'sandbox' | 'production';

export interface AppConfig {
  host: string;
  port: number;
  belvo: {
    mode: BelvoMode;
    baseUrl: string;
    secretId: string;
    secretPassword: string;
    timeoutMs: number;
  };
  /** The full Authorization header Belvo must send with webhooks (`Bearer …` or `Basic …`). */
  webhookAuthorization: string | null;
  dataDir: string;
  /** PostgreSQL (a postgres:// URL) for every store; null keeps SQLite in `dataDir`. */
  databaseUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Serve the built SPA from this folder (start mode); null in dev and in tests. */
  staticDir: string | null;
  /** The origin users reach Linkdesk at (https://… behind a TLS proxy): secure cookies, HSTS, Origin checks. */
  publicOrigin: string | null;
  /** How many reverse proxies in front of Linkdesk append to X-Forwarded-For (0: use the socket's address). */
  trustedProxyHops: number;
  /** Host names Linkdesk answers to (DNS rebinding); the expected Origin is built only from these. */
  allowedHosts: string[];
  /** The audit chain's key, given directly (hex), or null to use `auditKeyFile`. */
  auditKey: string | null;
  /** Where the audit chain's key lives (created on first start when missing); never in the database. */
  auditKeyFile: string;
  index: IndexConfig;
  rateLimit: RateLimitConfig;
  jobs: JobsConfig;
  /** The in-process simulator's data and pace (simulator mode only). */
  simulator: { links: number; pageLatencyMs: number; recurrentFailuresPerDay: number };
  /** Sign-in through the company's OpenID Connect provider; null when LINKDESK_OIDC_ISSUER is unset. */
  oidc: OidcConfig | null;
  /** Whether staff may sign in with a local username and password (the break-glass admin). */
  localSignIn: boolean;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Always `openid profile email`, plus LINKDESK_OIDC_SCOPES. */
  scopes: string[];
  /** Provider group (or other claim value) → Linkdesk role. */
  roleMap: Map<string, Role>;
  roleClaim: string;
  /** What the sign-in button calls the provider. */
  displayName: string;
}

export interface IndexConfig {
  /** Full sync schedule. */
  syncIntervalMs: number;
  /** The cheap pass for new links between full syncs. */
  incrementalIntervalMs: number;
  /** A valid recurrent link is stale when not accessed for refresh_rate × this. */
  staleRefreshFactor: number;
  /** An invalid or token_required link is stale after this many days in that status. */
  staleBrokenDays: number;
}

/** One budget for every request Linkdesk sends to Belvo (belvo-api.md §2.6: 80 requests / 30 s). */
export interface RateLimitConfig {
  limit: number;
  windowMs: number;
  /** Slots of each window only interactive requests may use; background work (sync, bulk jobs) leaves them free. */
  reserveForInteractive: number;
}

/** Bulk jobs (`/bff/jobs`). */
export interface JobsConfig {
  /** The most links one job may hold; a larger selection is refused with a 400 that names this. */
  maxLinksPerJob: number;
}

export const defaultIndexConfig: IndexConfig = {
  syncIntervalMs: 15 * 60_000,
  incrementalIntervalMs: 60_000,
  staleRefreshFactor: 2,
  staleBrokenDays: 7,
};

export const defaultRateLimit: RateLimitConfig = { limit: 80, windowMs: 30_000, reserveForInteractive: 20 };

export const belvoBaseUrls = {
  sandbox: 'https://sandbox.belvo.com',
  production: 'https://api.belvo.com',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Linkdesk cannot start:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const envSchema = z.object({
  HOST: z.preprocess(blankToUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'PORT must be a number' }).int('PORT must be a whole number').min(0).max(65_535, 'PORT must be 0-65535').default(8080),
  ),
  BELVO_SECRET_ID: z.preprocess(blankToUndefined, z.string().optional()),
  BELVO_SECRET_PASSWORD: z.preprocess(blankToUndefined, z.string().optional()),
  BELVO_ENV: z.preprocess(
    blankToUndefined,
    z.enum(['sandbox', 'production'], { error: 'BELVO_ENV must be "sandbox" or "production"' }).optional(),
  ),
  BELVO_BASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^https?:\/\/[^/?#]+\/?$/, 'BELVO_BASE_URL must be an origin such as https://sandbox.belvo.com (no path)')
      .optional(),
  ),
  BELVO_TIMEOUT_MS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1_000, 'BELVO_TIMEOUT_MS must be at least 1000').max(300_000).default(30_000),
  ),
  LINKDESK_WEBHOOK_AUTHORIZATION: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(Bearer|Basic) \S{8,}$/, 'LINKDESK_WEBHOOK_AUTHORIZATION must be "Bearer <token>" or "Basic <base64 user:password>", at least 8 characters of secret')
      .optional(),
  ),
  LINKDESK_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('.data')),
  // The message never repeats the value: a URL carries the database password.
  LINKDESK_DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(isDatabaseUrl, 'LINKDESK_DATABASE_URL must be a postgres:// or postgresql:// URL with a host, e.g. postgres://linkdesk:PASSWORD@db.internal:5432/linkdesk; unset it to keep SQLite in LINKDESK_DATA_DIR')
      .optional(),
  ),
  LINKDESK_PUBLIC_ORIGIN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^https?:\/\/[^/?#]+$/, 'LINKDESK_PUBLIC_ORIGIN must be an origin such as https://linkdesk.example.com (no path, no trailing slash)')
      .optional(),
  ),
  LINKDESK_TRUST_PROXY: z.preprocess(blankToUndefined, z.enum(['true', 'false'], { error: 'LINKDESK_TRUST_PROXY must be true or false' }).optional()),
  LINKDESK_TRUSTED_PROXY_HOPS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int('LINKDESK_TRUSTED_PROXY_HOPS must be a whole number').min(0).max(10, 'LINKDESK_TRUSTED_PROXY_HOPS must be 0-10').optional(),
  ),
  LINKDESK_ALLOWED_HOSTS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\s*[a-z0-9.:[\]-]+(\s*,\s*[a-z0-9.:[\]-]+)*\s*$/i, 'LINKDESK_ALLOWED_HOSTS must be host names separated by commas, e.g. linkdesk.internal,10.0.0.5')
      .optional(),
  ),
  LINKDESK_AUDIT_KEY: z.preprocess(
    blankToUndefined,
    z.string().regex(/^[0-9a-f]{64,128}$/i, 'LINKDESK_AUDIT_KEY must be 64 to 128 hex digits (32 to 64 random bytes), e.g. from openssl rand -hex 32').optional(),
  ),
  LINKDESK_AUDIT_KEY_FILE: z.preprocess(blankToUndefined, z.string().optional()),
  LINKDESK_INDEX_SYNC_MINUTES: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_INDEX_SYNC_MINUTES must be a number' }).int('LINKDESK_INDEX_SYNC_MINUTES must be a whole number of minutes').min(1, 'LINKDESK_INDEX_SYNC_MINUTES must be at least 1').max(1_440, 'LINKDESK_INDEX_SYNC_MINUTES must be at most 1440 (a day)').default(15),
  ),
  LINKDESK_INDEX_INCREMENTAL_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_INDEX_INCREMENTAL_SECONDS must be a number' }).int('LINKDESK_INDEX_INCREMENTAL_SECONDS must be a whole number of seconds').min(10, 'LINKDESK_INDEX_INCREMENTAL_SECONDS must be at least 10').max(3_600, 'LINKDESK_INDEX_INCREMENTAL_SECONDS must be at most 3600').default(60),
  ),
  LINKDESK_STALE_REFRESH_FACTOR: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_STALE_REFRESH_FACTOR must be a number such as 2 or 1.5' }).min(1, 'LINKDESK_STALE_REFRESH_FACTOR must be at least 1').max(100, 'LINKDESK_STALE_REFRESH_FACTOR must be at most 100').default(2),
  ),
  LINKDESK_STALE_BROKEN_DAYS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_STALE_BROKEN_DAYS must be a number' }).int('LINKDESK_STALE_BROKEN_DAYS must be a whole number of days').min(1, 'LINKDESK_STALE_BROKEN_DAYS must be at least 1').max(365, 'LINKDESK_STALE_BROKEN_DAYS must be at most 365').default(7),
  ),
  LINKDESK_BELVO_RATE_LIMIT: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_BELVO_RATE_LIMIT must be a number' }).int('LINKDESK_BELVO_RATE_LIMIT must be a whole number of requests').min(1, 'LINKDESK_BELVO_RATE_LIMIT must be at least 1').max(10_000).default(80),
  ),
  LINKDESK_BELVO_RATE_WINDOW_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_BELVO_RATE_WINDOW_SECONDS must be a number' }).int('LINKDESK_BELVO_RATE_WINDOW_SECONDS must be a whole number of seconds').min(1, 'LINKDESK_BELVO_RATE_WINDOW_SECONDS must be at least 1').max(3_600).default(30),
  ),
  LINKDESK_BELVO_INTERACTIVE_RESERVE: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_BELVO_INTERACTIVE_RESERVE must be a number' }).int('LINKDESK_BELVO_INTERACTIVE_RESERVE must be a whole number of requests').min(0, 'LINKDESK_BELVO_INTERACTIVE_RESERVE must be 0 or more').default(20),
  ),
  LINKDESK_JOB_MAX_LINKS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'LINKDESK_JOB_MAX_LINKS must be a number' }).int('LINKDESK_JOB_MAX_LINKS must be a whole number of links').min(1, 'LINKDESK_JOB_MAX_LINKS must be at least 1').max(100_000, 'LINKDESK_JOB_MAX_LINKS must be at most 100000').default(defaultMaxLinksPerJob),
  ),
  BELVO_SIM_LINKS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'BELVO_SIM_LINKS must be a number' }).int('BELVO_SIM_LINKS must be a whole number of links').min(0, 'BELVO_SIM_LINKS must be 0 or more').max(1_000_000, 'BELVO_SIM_LINKS must be at most 1000000').default(1_250),
  ),
  BELVO_SIM_PAGE_LATENCY_MS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'BELVO_SIM_PAGE_LATENCY_MS must be a number' }).int('BELVO_SIM_PAGE_LATENCY_MS must be a whole number of milliseconds').min(0).max(120_000, 'BELVO_SIM_PAGE_LATENCY_MS must be at most 120000').default(0),
  ),
  BELVO_SIM_RECURRENT_FAILURES_PER_DAY: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'BELVO_SIM_RECURRENT_FAILURES_PER_DAY must be a number' }).int('BELVO_SIM_RECURRENT_FAILURES_PER_DAY must be a whole number').min(0).max(100_000).default(24),
  ),
  LINKDESK_OIDC_ISSUER: z.preprocess(blankToUndefined, z.string().optional()),
  LINKDESK_OIDC_CLIENT_ID: z.preprocess(blankToUndefined, z.string().optional()),
  LINKDESK_OIDC_CLIENT_SECRET: z.preprocess(blankToUndefined, z.string().optional()),
  LINKDESK_OIDC_SCOPES: z.preprocess(blankToUndefined, z.string().optional()),
  LINKDESK_OIDC_ROLE_MAP: z.preprocess(blankToUndefined, z.string().optional()),
  LINKDESK_OIDC_ROLE_CLAIM: z.preprocess(blankToUndefined, z.string().default('groups')),
  LINKDESK_OIDC_DISPLAY_NAME: z.preprocess(blankToUndefined, z.string().max(40, 'LINKDESK_OIDC_DISPLAY_NAME must be at most 40 characters').optional()),
  LINKDESK_LOCAL_SIGN_IN: z.preprocess(blankToUndefined, z.enum(['true', 'false'], { error: 'LINKDESK_LOCAL_SIGN_IN must be true or false' }).default('true')),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

/**
 * The host names Linkdesk answers to: the configured list; else the public origin's host; else
 * the listen address (unless it is a wildcard) and the loopback names.
 */
function allowedHosts(configured: string | undefined, publicOrigin: string | undefined, listenHost: string): string[] {
  if (configured) return configured.split(',').map((name) => normalizeHostName(name.trim()));
  if (publicOrigin) return [normalizeHostName(new URL(publicOrigin).hostname)];
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (!['0.0.0.0', '::', '[::]'].includes(listenHost)) names.push(normalizeHostName(listenHost));
  return [...new Set(names)];
}

/** Lower case, IPv6 in brackets (as a Host header carries it), no port. */
export function normalizeHostName(name: string): string {
  const lower = name.toLowerCase();
  const withPort = /^([^:[\]]+):\d+$/.exec(lower) ?? /^(\[[^\]]+\]):\d+$/.exec(lower);
  if (withPort?.[1]) return withPort[1];
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

function isDatabaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Where the stores live: the PostgreSQL URL, or the SQLite file in the data folder. */
export const databaseLocation = (config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>) => config.databaseUrl ?? join(config.dataDir, 'linkdesk.sqlite');

export function loadConfig(env: Record<string, string | undefined>, options: { staticDir?: string | null } = {}): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const hasId = e.BELVO_SECRET_ID !== undefined;
  const hasPassword = e.BELVO_SECRET_PASSWORD !== undefined;
  if (hasId !== hasPassword) {
    problems.push(
      `${hasId ? 'BELVO_SECRET_ID' : 'BELVO_SECRET_PASSWORD'} is set but ${hasId ? 'BELVO_SECRET_PASSWORD' : 'BELVO_SECRET_ID'} is not: set both (Belvo dashboard → Developers → API keys) or neither to use the built-in simulator`,
    );
  }
  const useSimulator = !hasId && !hasPassword;
  if (e.LINKDESK_BELVO_INTERACTIVE_RESERVE >= e.LINKDESK_BELVO_RATE_LIMIT) {
    problems.push(
      `LINKDESK_BELVO_INTERACTIVE_RESERVE (${e.LINKDESK_BELVO_INTERACTIVE_RESERVE}) must be less than LINKDESK_BELVO_RATE_LIMIT (${e.LINKDESK_BELVO_RATE_LIMIT}), or background syncs could never send`,
    );
  }
  if (useSimulator && (e.BELVO_ENV || e.BELVO_BASE_URL)) {
    problems.push('BELVO_ENV or BELVO_BASE_URL is set but no Belvo keys are: add BELVO_SECRET_ID and BELVO_SECRET_PASSWORD, or unset them to use the simulator');
  }
  if (e.LINKDESK_TRUST_PROXY !== undefined && e.LINKDESK_TRUSTED_PROXY_HOPS !== undefined) {
    problems.push('LINKDESK_TRUST_PROXY and LINKDESK_TRUSTED_PROXY_HOPS are both set: keep only LINKDESK_TRUSTED_PROXY_HOPS (the number of proxies in front of Linkdesk)');
  }
  const oidc = readOidcConfig(e, problems);
  if (e.LINKDESK_LOCAL_SIGN_IN === 'false' && !oidc) {
    problems.push('LINKDESK_LOCAL_SIGN_IN=false leaves nobody a way to sign in: set LINKDESK_OIDC_ISSUER (and its client) or set LINKDESK_LOCAL_SIGN_IN=true');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const mode: BelvoMode = useSimulator ? 'simulator' : (e.BELVO_ENV ?? 'sandbox');
  const baseUrl = (e.BELVO_BASE_URL ?? (mode === 'simulator' ? 'http://belvo-sim.internal' : belvoBaseUrls[mode])).replace(/\/$/, '');
  return {
    host: e.HOST,
    port: e.PORT,
    belvo: {
      mode,
      baseUrl,
      secretId: e.BELVO_SECRET_ID ?? '',
      secretPassword: e.BELVO_SECRET_PASSWORD ?? '',
      timeoutMs: e.BELVO_TIMEOUT_MS,
    },
    webhookAuthorization: e.LINKDESK_WEBHOOK_AUTHORIZATION ?? null,
    dataDir: e.LINKDESK_DATA_DIR,
    databaseUrl: e.LINKDESK_DATABASE_URL ?? null,
    logLevel: e.LOG_LEVEL,
    staticDir: options.staticDir ?? null,
    publicOrigin: e.LINKDESK_PUBLIC_ORIGIN ?? null,
    trustedProxyHops: e.LINKDESK_TRUSTED_PROXY_HOPS ?? (e.LINKDESK_TRUST_PROXY === 'true' ? 1 : 0),
    allowedHosts: allowedHosts(e.LINKDESK_ALLOWED_HOSTS, e.LINKDESK_PUBLIC_ORIGIN, e.HOST),
    auditKey: e.LINKDESK_AUDIT_KEY?.toLowerCase() ?? null,
    auditKeyFile: e.LINKDESK_AUDIT_KEY_FILE ?? join(e.LINKDESK_DATA_DIR, 'audit.key'),
    index: {
      syncIntervalMs: e.LINKDESK_INDEX_SYNC_MINUTES * 60_000,
      incrementalIntervalMs: e.LINKDESK_INDEX_INCREMENTAL_SECONDS * 1000,
      staleRefreshFactor: e.LINKDESK_STALE_REFRESH_FACTOR,
      staleBrokenDays: e.LINKDESK_STALE_BROKEN_DAYS,
    },
    rateLimit: {
      limit: e.LINKDESK_BELVO_RATE_LIMIT,
      windowMs: e.LINKDESK_BELVO_RATE_WINDOW_SECONDS * 1000,
      reserveForInteractive: e.LINKDESK_BELVO_INTERACTIVE_RESERVE,
    },
    jobs: { maxLinksPerJob: e.LINKDESK_JOB_MAX_LINKS },
    simulator: {
      links: e.BELVO_SIM_LINKS,
      pageLatencyMs: e.BELVO_SIM_PAGE_LATENCY_MS,
      recurrentFailuresPerDay: e.BELVO_SIM_RECURRENT_FAILURES_PER_DAY,
    },
    oidc,
    localSignIn: e.LINKDESK_LOCAL_SIGN_IN === 'true',
  };
}

const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Whether a URL's host is this machine (an http:// provider is acceptable only there). */
export const isLoopback = (url: URL) => loopbackHosts.test(url.hostname);

function readOidcConfig(e: z.infer<typeof envSchema>, problems: string[]): OidcConfig | null {
  const { LINKDESK_OIDC_ISSUER: issuer, LINKDESK_OIDC_CLIENT_ID: clientId, LINKDESK_OIDC_CLIENT_SECRET: clientSecret } = e;
  if (issuer === undefined) {
    if (clientId || clientSecret || e.LINKDESK_OIDC_ROLE_MAP) {
      problems.push('LINKDESK_OIDC_CLIENT_ID, LINKDESK_OIDC_CLIENT_SECRET or LINKDESK_OIDC_ROLE_MAP is set but LINKDESK_OIDC_ISSUER is not: set the issuer URL your provider shows (e.g. https://login.example.com/realms/staff) or unset them');
    }
    return null;
  }
  let issuerUrl: URL | null = null;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    problems.push(`LINKDESK_OIDC_ISSUER must be a URL such as https://login.example.com/realms/staff, not ${issuer.slice(0, 100)}`);
  }
  if (issuerUrl && issuerUrl.protocol !== 'https:' && !(issuerUrl.protocol === 'http:' && isLoopback(issuerUrl))) {
    problems.push(`LINKDESK_OIDC_ISSUER must use https:// (http:// is accepted only for a provider on this machine, such as http://127.0.0.1:9000): change ${issuer.slice(0, 100)}`);
  }
  if (!clientId) problems.push('LINKDESK_OIDC_ISSUER is set but LINKDESK_OIDC_CLIENT_ID is not: copy the client ID the provider gave Linkdesk when you registered it');
  if (!clientSecret) problems.push('LINKDESK_OIDC_ISSUER is set but LINKDESK_OIDC_CLIENT_SECRET is not: copy the client secret the provider gave Linkdesk when you registered it');
  const roleMap = new Map<string, Role>();
  for (const pair of (e.LINKDESK_OIDC_ROLE_MAP ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const value = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || !(roles as readonly string[]).includes(role)) {
      problems.push(`LINKDESK_OIDC_ROLE_MAP: "${pair.slice(0, 100)}" must be <group>=<role>, the role one of ${roles.join(', ')}`);
      continue;
    }
    roleMap.set(value, role as Role);
  }
  if (roleMap.size === 0) {
    problems.push('LINKDESK_OIDC_ROLE_MAP is empty, so nobody could sign in through the provider: map groups to roles, e.g. LINKDESK_OIDC_ROLE_MAP=linkdesk-admins=admin,linkdesk-support=support');
  }
  const extraScopes = (e.LINKDESK_OIDC_SCOPES ?? '').split(/[\s,]+/).filter(Boolean);
  return {
    issuer,
    clientId: clientId ?? '',
    clientSecret: clientSecret ?? '',
    scopes: [...new Set(['openid', 'profile', 'email', ...extraScopes])],
    roleMap,
    roleClaim: e.LINKDESK_OIDC_ROLE_CLAIM,
    displayName: e.LINKDESK_OIDC_DISPLAY_NAME ?? (issuerUrl ? issuerUrl.hostname : 'your identity provider'),
  };
}
