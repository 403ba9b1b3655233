import { describe, expect, it } from 'vitest';
import { createSimHarness } from '../support/sim.ts';

const setup = (mode: 'sandbox' | 'production' = 'sandbox') => createSimHarness({ mode });

describe('simulator controls', () => {
  it('injects the next N failures of a route, then behaves again', async () => {
    const { call } = setup();
    const fault = await call('/_sim/faults', { method: 'POST', body: JSON.stringify({ route: 'GET /api/links/', kind: '500', count: 2 }) });
    expect(fault.status).toBe(201);
    for (let i = 0; i < 2; i += 1) {
      const response = await call('/api/links/');
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual([expect.objectContaining({ code: 'unexpected_error' })]);
    }
    expect((await call('/api/links/')).status).toBe(200);
  });

  it('answers a 408 fault with request_timeout, only on the matching route', async () => {
    const { call, sim } = setup();
    await call('/_sim/faults', { method: 'POST', body: JSON.stringify({ route: 'GET /api/links/{id}/', kind: '408' }) });
    expect((await call('/api/links/')).status).toBe(200);
    const response = await call(`/api/links/${sim.links()[0]?.id}/`);
    expect(response.status).toBe(408);
    expect(await response.json()).toEqual([expect.objectContaining({ code: 'request_timeout' })]);
  });

  it('drops the connection on a drop fault (in-process fetch rejects)', async () => {
    const { call } = setup();
    await call('/_sim/faults', { method: 'POST', body: JSON.stringify({ route: '*', kind: 'drop' }) });
    await expect(call('/api/links/')).rejects.toThrow(TypeError);
    expect((await call('/api/links/')).status).toBe(200);
  });

  it('delays answers by the configured latency', async () => {
    const { call } = setup();
    await call('/_sim/latency', { method: 'PUT', body: JSON.stringify({ route: 'GET /api/links/', ms: 120 }) });
    const started = performance.now();
    await call('/api/links/?page_size=1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('rejects a fault it cannot apply with a message listing what it can', async () => {
    const { call } = setup();
    const response = await call('/_sim/faults', { method: 'POST', body: JSON.stringify({ route: 'GET /api/accounts/', kind: '500' }) });
    expect(response.status).toBe(400);
    const [error] = (await response.json()) as { message: string; field: string }[];
    expect(error?.field).toBe('route');
    expect(error?.message).toContain('GET /api/links/');
  });

  it('moves its clock forward and resets its data', async () => {
    const { call, clock, sim } = setup();
    const advanced = await call('/_sim/clock/advance', { method: 'POST', body: JSON.stringify({ seconds: 600 }) });
    expect(await advanced.json()).toEqual({ now: '2026-11-25T12:10:00.000Z' });
    expect(clock.now()).toBe(Date.parse('2026-11-25T12:10:00Z'));
    const firstId = sim.links()[0]?.id;
    await call('/_sim/reset', { method: 'POST', body: JSON.stringify({ seed: 2 }) });
    expect(sim.links()[0]?.id).not.toBe(firstId);
  });

  it('requires the keys for its controls too', async () => {
    const { sim } = setup();
    expect((await sim.fetch('http://sim.test/_sim/', {})).status).toBe(401);
  });

  it('has no controls in production mode', async () => {
    const { call } = setup('production');
    expect((await call('/_sim/')).status).toBe(404);
    const fault = await call('/_sim/faults', { method: 'POST', body: JSON.stringify({ route: '*', kind: '500' }) });
    expect(fault.status).toBe(404);
    expect((await call('/api/links/?page_size=1')).status).toBe(200);
  });
});
