import { createBelvoSim, defaultRecurrentFailuresPerDay, defaultSimCredentials } from './create-belvo-sim.ts';
import { serveBelvoSim } from './serve.ts';
import { defaultLinkCount } from './seed-links.ts';

/**
 * The simulator on its own: `npm run belvo-sim`, then point curl (or Linkdesk, with
 * BELVO_BASE_URL) at it. Reads its environment here and nowhere else.
 */
const env = process.env;
const host = env.BELVO_SIM_HOST ?? '127.0.0.1';
const port = Number(env.BELVO_SIM_PORT ?? 8090);
const seed = Number(env.BELVO_SIM_SEED ?? 1);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`BELVO_SIM_PORT must be a port number (0-65535), got "${env.BELVO_SIM_PORT}"`);
  process.exit(1);
}
if (!Number.isInteger(seed)) {
  console.error(`BELVO_SIM_SEED must be a whole number, got "${env.BELVO_SIM_SEED}"`);
  process.exit(1);
}
function wholeNumberFrom(name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`${name} must be a whole number from 0 to ${max}, got "${raw}"`);
    process.exit(1);
  }
  return value;
}
const linkCount = wholeNumberFrom('BELVO_SIM_LINKS', defaultLinkCount, 1_000_000);
const pageLatencyMs = wholeNumberFrom('BELVO_SIM_PAGE_LATENCY_MS', 0, 120_000);
const recurrentFailuresPerDay = wholeNumberFrom('BELVO_SIM_RECURRENT_FAILURES_PER_DAY', defaultRecurrentFailuresPerDay, 100_000);
const mode = env.BELVO_SIM_MODE === 'production' ? 'production' : 'sandbox';
const credentials = {
  secretId: env.BELVO_SIM_SECRET_ID ?? defaultSimCredentials.secretId,
  secretPassword: env.BELVO_SIM_SECRET_PASSWORD ?? defaultSimCredentials.secretPassword,
};
const sim = createBelvoSim({
  seed,
  linkCount,
  pageLatencyMs,
  recurrentFailuresPerDay,
  mode,
  credentials,
  webhook: env.BELVO_SIM_WEBHOOK_URL
    ? { url: env.BELVO_SIM_WEBHOOK_URL, authorization: env.BELVO_SIM_WEBHOOK_AUTHORIZATION ?? null }
    : null,
});

const server = serveBelvoSim(
  sim,
  { hostname: host, port },
  (info) => {
    const usingDefaults = credentials.secretId === defaultSimCredentials.secretId;
    console.log(
      [
        `Belvo simulator (${mode}) listening on http://${host}:${info.port}`,
        `  ${sim.links().length} links, seed ${seed}`,
        usingDefaults
          ? `  keys: ${defaultSimCredentials.secretId} / ${defaultSimCredentials.secretPassword} (the documented defaults)`
          : '  keys: from BELVO_SIM_SECRET_ID / BELVO_SIM_SECRET_PASSWORD',
        `  try: curl -u ${usingDefaults ? `${credentials.secretId}:${credentials.secretPassword}` : 'ID:PASSWORD'} 'http://${host}:${info.port}/api/links/?page_size=5'`,
      ].join('\n'),
    );
  },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    sim.close();
    server.close(() => process.exit(0));
  });
}
