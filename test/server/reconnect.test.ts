import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/bff/audit.ts';
import type { LinkdeskEvent } from '../../src/contract/bff/events.ts';
import type { ReconnectLink } from '../../src/contract/bff/reconnect.ts';
import type { Link } from '../../src/contract/links.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const form = (fields: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const brokenLink = (s: TestStack, status: Link['status']) => s.sim.links().find((link) => link.status === status && !link.institution.includes('_br_')) as Link;

describe('POST /bff/links/{id}/reconnect', () => {
  it('gives support a widget URL in update mode, valid 10 minutes, and the end user repairs the link there', async () => {
    stack = await createTestStack();
    const events: LinkdeskEvent[] = [];
    stack.events.subscribe((event) => events.push(event));
    const link = brokenLink(stack, 'invalid');
    const response = await stack.as('support')(`/bff/links/${link.id}/reconnect`, { method: 'POST', ...json({}) });
    expect(response.status).toBe(201);
    const reconnect = (await response.json()) as ReconnectLink;
    const url = new URL(reconnect.url);
    expect(url.pathname).toBe('/belvo-sim/widget/');
    expect(url.searchParams.get('locale')).toBe('es');
    expect(reconnect.expires_at - stack.clock.now()).toBe(10 * 60_000);
    const access = url.searchParams.get('access_token') ?? '';
    expect(access.length).toBeGreaterThan(20);

    // The end user, with no Linkdesk session, opens the page and sends a new password.
    const page = await stack.anonymous(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="password"');
    const done = await stack.anonymous(url.pathname, { method: 'POST', ...form({ access_token: access, locale: 'es', password: 'new-password' }) });
    expect(done.status).toBe(200);
    expect(stack.sim.findLink(link.id)?.status).toBe('valid');
    await stack.sim.webhooks.settle();
    expect(events).toContainEqual(expect.objectContaining({ type: 'link-changed', link_id: link.id, status: 'valid' }));

    // Used once: Belvo invalidates the token when the user connects.
    expect((await stack.anonymous(`${url.pathname}${url.search}`)).status).toBe(410);

    // Audited without the token; never logged either.
    const audit = ((await (await stack.request('/bff/audit')).json()) as { entries: AuditEntry[] }).entries.filter((entry) => entry.action === 'link.reconnect');
    expect(audit.map((entry) => [entry.actor, entry.phase, entry.link_id])).toEqual([
      ['support', 'result', link.id],
      ['support', 'attempt', link.id],
    ]);
    expect(JSON.stringify(audit)).not.toContain(access);
    expect(stack.logLines.join('\n')).not.toContain(access);
  });

  it('asks a token_required link for the token on the page', async () => {
    stack = await createTestStack();
    const link = brokenLink(stack, 'token_required');
    const reconnect = (await (await stack.as('admin')(`/bff/links/${link.id}/reconnect`, { method: 'POST', ...json({ locale: 'pt' }) })).json()) as ReconnectLink;
    const url = new URL(reconnect.url);
    expect(reconnect.locale).toBe('pt');
    const access = url.searchParams.get('access_token') ?? '';
    expect(await (await stack.anonymous(`${url.pathname}${url.search}`)).text()).toContain('name="token"');
    expect((await stack.anonymous(url.pathname, { method: 'POST', ...form({ access_token: access, token: '000000' }) })).status).toBe(400);
    expect((await stack.anonymous(url.pathname, { method: 'POST', ...form({ access_token: access, token: '111111' }) })).status).toBe(200);
    expect(stack.sim.findLink(link.id)?.status).toBe('valid');
  });

  it('expires after 10 minutes', async () => {
    stack = await createTestStack();
    const link = brokenLink(stack, 'invalid');
    const reconnect = (await (await stack.as('support')(`/bff/links/${link.id}/reconnect`, { method: 'POST', ...json({}) })).json()) as ReconnectLink;
    stack.clock.advance(10 * 60_000);
    const url = new URL(reconnect.url);
    expect((await stack.anonymous(`${url.pathname}${url.search}`)).status).toBe(410);
  });

  it('refuses a valid link (409), viewers and qa (403)', async () => {
    stack = await createTestStack();
    const valid = stack.sim.links().find((link) => link.status === 'valid') as Link;
    expect((await stack.as('support')(`/bff/links/${valid.id}/reconnect`, { method: 'POST', ...json({}) })).status).toBe(409);
    const broken = brokenLink(stack, 'invalid');
    for (const role of ['viewer', 'qa'] as const) {
      expect((await stack.as(role)(`/bff/links/${broken.id}/reconnect`, { method: 'POST', ...json({}) })).status).toBe(403);
    }
    const refused = ((await (await stack.request('/bff/audit')).json()) as { entries: AuditEntry[] }).entries.filter((entry) => entry.action === 'link.reconnect' && entry.actor === 'viewer');
    expect(refused[0]).toMatchObject({ link_id: broken.id, outcome: 'denied' });
  });

  it('points at Belvo’s hosted widget outside simulator mode', async () => {
    stack = await createTestStack({ mode: 'sandbox' });
    const link = brokenLink(stack, 'invalid');
    const response = await stack.as('support')(`/bff/links/${link.id}/reconnect`, { method: 'POST', ...json({}) });
    expect(response.status).toBe(201);
    const url = new URL(((await response.json()) as ReconnectLink).url);
    expect(url.origin + url.pathname).toBe('https://widget.belvo.io/');
    expect((await stack.anonymous('/belvo-sim/widget/?access_token=x')).status).toBe(404);
  });
});
