import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBelvoSim, defaultSimCredentials, type BelvoSim } from '../../src/belvo-sim/create-belvo-sim.ts';
import { serveBelvoSim } from '../../src/belvo-sim/serve.ts';
import type { Link } from '../../src/contract/links.ts';

/**
 * Belvo's official Node SDK (`belvo` 0.28.0 on npm), unchanged, against the simulator over HTTP on a
 * free loopback port, served exactly as `npm run belvo-sim` serves it. The SDK ships no types; this
 * is the part of its surface the suite uses.
 */
interface BelvoClient {
  connect(): Promise<void>;
  links: {
    list(options?: { limit?: number; filters?: Record<string, string | number> }): Promise<Link[]>;
    detail(id: string): Promise<Link>;
    register(institution: string, username: string, password: string, options?: Record<string, unknown>): Promise<unknown>;
    resume(session: string, token: string, link: string): Promise<Link>;
    update(id: string, options: { password?: string; token?: string }): Promise<Link>;
    patch(id: string, options: { accessMode: 'single' | 'recurrent' }): Promise<Link>;
    token(id: string, scopes: string): Promise<{ access: string; refresh: string }>;
    delete(id: string): Promise<boolean>;
  };
}
type ClientConstructor = new (secretId: string, secretPassword: string, url: string) => BelvoClient;
const require = createRequire(import.meta.url);
const Client = (require('belvo') as { default: ClientConstructor }).default;

let sim: BelvoSim;
let server: ReturnType<typeof serveBelvoSim>;
let baseUrl: string;

beforeAll(async () => {
  sim = createBelvoSim({ seed: 1, linkCount: 300, ticker: false });
  await new Promise<void>((resolve) => {
    server = serveBelvoSim(sim, { hostname: '127.0.0.1', port: 0 }, (info) => {
      baseUrl = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(async () => {
  sim.close();
  await new Promise((resolve) => server.close(resolve));
});

const connected = async () => {
  const client = new Client(defaultSimCredentials.secretId, defaultSimCredentials.secretPassword, baseUrl);
  await client.connect();
  return client;
};

describe('the official belvo-js SDK against the simulator', () => {
  it('connects with the keys, and is refused with wrong ones', async () => {
    await connected();
    await expect(new Client('wrong', 'keys', baseUrl).connect()).rejects.toThrow('Login failed.');
    expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
  });

  it('lists with filters, following next across pages up to its limit', async () => {
    const client = await connected();
    const invalid = await client.links.list({ limit: 30, filters: { status: 'invalid', page_size: 10 } });
    expect(invalid.length).toBe(Math.min(30, sim.links().filter((link) => link.status === 'invalid').length));
    expect(invalid.every((link) => link.status === 'invalid')).toBe(true);
    expect(new Set(invalid.map((link) => link.id)).size).toBe(invalid.length);
  });

  it('reads a detail', async () => {
    const client = await connected();
    const link = sim.links()[0] as Link;
    expect(await client.links.detail(link.id)).toMatchObject({ id: link.id, institution: link.institution });
  });

  it('registers, and resumes a registration paused for a token', async () => {
    const client = await connected();
    const created = (await client.links.register('erebor_mx_retail', 'bnk100', 'full', { accessMode: 'single', externalId: 'sdk-user-1' })) as Link;
    expect(created).toMatchObject({ status: 'valid', access_mode: 'single', external_id: 'sdk-user-1' });

    const paused = await client.links.register('erebor_mx_retail', 'mfa_inputless', 'pass_valid').catch((error: { statusCode: number; detail: { session: string; link: string }[] }) => error);
    expect(paused).toMatchObject({ statusCode: 428 });
    const [challenge] = (paused as { detail: { session: string; link: string }[] }).detail;
    const resumed = (await client.links.resume(challenge?.session ?? '', '111111', challenge?.link ?? '')) as unknown as { data?: Link } & Link;
    expect(sim.findLink(challenge?.link ?? '')?.status).toBe('valid');
    expect(resumed).toBeTruthy();
  });

  it('updates the credentials of an invalid link, and patches its access mode', async () => {
    const client = await connected();
    const link = sim.links().find((candidate) => candidate.status === 'invalid' && candidate.access_mode === 'single') as Link;
    expect(await client.links.update(link.id, { password: 'new-password' })).toMatchObject({ id: link.id, status: 'valid' });
    expect(await client.links.patch(link.id, { accessMode: 'recurrent' })).toMatchObject({ access_mode: 'recurrent', refresh_rate: '7d' });
  });

  it('asks for a widget token for a link', async () => {
    const client = await connected();
    const link = sim.links()[1] as Link;
    const answer = await client.links.token(link.id, 'read_institutions,write_links,read_links');
    expect(Object.keys(answer).sort()).toEqual(['access', 'refresh']);
  });

  it('deletes', async () => {
    const client = await connected();
    const link = sim.links()[2] as Link;
    expect(await client.links.delete(link.id)).toBe(true);
    expect(sim.findLink(link.id)).toBeUndefined();
  });
});
