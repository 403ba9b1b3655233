import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/contract/bff/jobs.ts';
import { addStaffAccount, startLinkdesk, startSimulator, type Linkdesk, type StandaloneSimulator } from './harness.ts';

const secretId = 'crash-test-secret-id-7b21';
const secretPassword = 'crash-test-secret-password-Kd93';
const webhookAuthorization = 'Bearer crash-test-webhook-secret-0c4e';
const supportPassword = 'e2e support passphrase 2026';

/**
 * A bulk delete interrupted by kill -9 while Belvo is still handling one of its requests: Belvo (the
 * standalone simulator, which outlives Linkdesk) must see each link's DELETE exactly once, and the
 * restarted Linkdesk must finish the job, looking up the link it cannot know the fate of.
 */
describe('a bulk delete job across kill -9', () => {
  let sim: StandaloneSimulator;
  let dataDir: string;
  let linkdesk: Linkdesk | undefined;

  /** Starts Linkdesk on the shared data folder, points the simulator's webhooks at it and signs in. */
  const start = async () => {
    const started = await startLinkdesk(
      { BELVO_SECRET_ID: secretId, BELVO_SECRET_PASSWORD: secretPassword, BELVO_ENV: 'sandbox', BELVO_BASE_URL: sim.url, LINKDESK_WEBHOOK_AUTHORIZATION: webhookAuthorization },
      { dataDir },
    );
    await sim.call('PUT', '/_sim/webhook', { url: `${started.url}/webhooks/belvo`, authorization: webhookAuthorization });
    const signIn = await fetch(`${started.url}/bff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' },
      body: JSON.stringify({ username: 'ops', password: supportPassword }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${started.url}${path}`, { ...init, headers: { cookie, 'x-linkdesk-csrf': '1', 'content-type': 'application/json', ...init.headers } });
    return { linkdesk: started, call };
  };

  beforeAll(async () => {
    sim = await startSimulator({ secretId, secretPassword }, { BELVO_SIM_RECURRENT_FAILURES_PER_DAY: '0' });
    dataDir = mkdtempSync(join(tmpdir(), 'linkdesk-jobs-crash-'));
    addStaffAccount({ LINKDESK_DATA_DIR: dataDir }, 'ops', 'support', supportPassword);
  });
  afterAll(async () => {
    await linkdesk?.stop();
    sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends each link’s DELETE to Belvo exactly once and finishes the job after the restart', { timeout: 120_000 }, async () => {
    const first = await start();
    linkdesk = first.linkdesk;
    const page = (await (await first.call('/api/links/?status=valid&page_size=8')).json()) as { results: { id: string }[] };
    const linkIds = page.results.map((link) => link.id);
    expect(linkIds).toHaveLength(8);

    // Belvo takes 1.5 s over each DELETE: the crash lands while it is handling one.
    await sim.call('PUT', '/_sim/latency', { route: 'DELETE /api/links/{id}/', ms: 1_500 });
    const created = await first.call('/bff/jobs', { method: 'POST', body: JSON.stringify({ action: 'delete', mode: 'async', link_ids: linkIds }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id: jobId } = (await created.json()) as Job;

    const deletesAtBelvo = async () => {
      const requests = (await sim.call('GET', '/_sim/requests')) as { method: string; path: string }[];
      return requests.filter((request) => request.method === 'DELETE').map((request) => /\/api\/links\/([^/]+)\//.exec(request.path)?.[1] ?? '');
    };
    // Some answered, one in Belvo's hands (Linkdesk says `sending`, Belvo has the DELETE): then the
    // process dies without any shutdown.
    let inFlight: string[] = [];
    await expect
      .poll(
        async () => {
          const job = (await (await first.call(`/bff/jobs/${jobId}`)).json()) as Job;
          const atBelvo = new Set(await deletesAtBelvo());
          inFlight = (job.items ?? []).filter((item) => item.state === 'sending' && atBelvo.has(item.link_id)).map((item) => item.link_id);
          return job.done >= 2 && inFlight.length > 0;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
    await first.linkdesk.crash();
    linkdesk = undefined;
    // Belvo finishes what it was handling; Linkdesk never hears the answer.
    await new Promise((resolveWait) => setTimeout(resolveWait, 2_000));
    await sim.call('PUT', '/_sim/latency', { route: 'DELETE /api/links/{id}/', ms: 0 });

    const second = await start();
    linkdesk = second.linkdesk;
    await expect
      .poll(async () => ((await (await second.call(`/bff/jobs/${jobId}`)).json()) as Job).state, { timeout: 60_000, interval: 250 })
      .toBe('done');
    const job = (await (await second.call(`/bff/jobs/${jobId}`)).json()) as Job;

    const deletes = await deletesAtBelvo();
    for (const id of linkIds) expect(deletes.filter((deleted) => deleted === id), id).toHaveLength(1);
    expect(deletes).toHaveLength(linkIds.length);
    // What Belvo was handling at the crash: looked up after the restart, never sent again.
    for (const item of job.items ?? []) {
      expect(item.state, item.link_id).toBe(inFlight.includes(item.link_id) && item.state === 'outcome_unknown' ? 'outcome_unknown' : 'done');
    }
    expect(job.done + job.outcome_unknown).toBe(linkIds.length);
  });
});
