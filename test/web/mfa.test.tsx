import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { readQrValue } from '../../src/web/features/mfa/components/qr-value.tsx';
import { createTestStack } from '../support/stack.ts';
import { currentSearch, renderApp } from './render-app.tsx';

afterEach(() => vi.useRealTimers());

async function startScenario(preset: RegExp) {
  const view = await renderApp('/playground');
  await view.user.click(await screen.findByRole('button', { name: preset }));
  await view.user.click(screen.getByRole('button', { name: 'Register' }));
  const dialog = await screen.findByRole('dialog', { name: /Token needed to connect heimdall_mx_retail/ });
  return { ...view, dialog };
}

describe('the MFA modal', () => {
  it('numeric: shows the code large and announced, rejects a wrong token inline, completes with the right one', async () => {
    const { user, dialog } = await startScenario(/Numeric code/);
    const code = within(dialog).getByText(/^\d{6}$/);
    expect(code).toHaveClass('text-4xl');
    expect(within(dialog).getByRole('status', { name: '' })).toHaveTextContent(`Code: ${code.textContent?.split('').join(' ')}`);
    expect(within(dialog).getByText('Use this code to generate the token')).toBeInTheDocument();
    // The code has its own countdown (it changes every 30 s), apart from the session's.
    const [codeTimer, sessionTimer] = within(dialog).getAllByRole('timer');
    expect(codeTimer?.parentElement).toHaveTextContent(/^This code changes in about 00:(29|30)$/);
    expect(sessionTimer).toHaveTextContent(/^0[23]:\d\d$/);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    expect(await within(dialog).findByText(/This code has probably changed by now/)).toBeInTheDocument();
    vi.useRealTimers();

    const input = within(dialog).getByLabelText('Token the user’s app shows after entering this code');
    await user.type(input, '000000{Enter}');
    const alert = await within(dialog).findByRole('alert');
    expect(within(alert).getByText('The token you provided is invalid. Check it and try again.')).toBeInTheDocument();
    expect(within(alert).getByText(/^[a-f0-9]{32}$/)).toBeInTheDocument();

    await user.clear(input);
    await user.type(input, '111111{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('Link created (valid).')).toBeInTheDocument();
    const trace = screen.getByRole('region', { name: 'Exchange' });
    expect(within(trace).getAllByText(/PATCH \/api\/links\//)).toHaveLength(2);
    expect(trace.textContent).toContain('token ••••••');
    expect(trace.textContent).not.toContain('111111');
    expect(trace.textContent).not.toContain('pass_valid');
  });

  it('qr: shows Belvo’s image when the value is a base64 image', async () => {
    const { dialog } = await startScenario(/QR as an image/);
    const image = within(dialog).getByRole('img', { name: /QR code to scan/ });
    expect(image.tagName).toBe('IMG');
    expect(image.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(within(dialog).getByText('Image sent by Belvo')).toBeInTheDocument();
  });

  it('qr: draws a QR code when the value is base64 text', async () => {
    const { dialog } = await startScenario(/QR as text to draw/);
    const drawn = within(dialog).getByRole('img', { name: /QR code to scan/ });
    expect(drawn.tagName.toLowerCase()).toBe('svg');
    expect(drawn.querySelectorAll('path').length).toBeGreaterThan(0);
    expect(within(dialog).getByText('Drawn from the value Belvo sent')).toBeInTheDocument();
  });

  it('text: asks the security question as the label of the answer', async () => {
    const { user, dialog } = await startScenario(/Security question/);
    const answer = within(dialog).getByLabelText('What was the name of your first pet?');
    await user.type(answer, 'firulais{Enter}');
    expect(await screen.findByText('Link created (valid).')).toBeInTheDocument();
  });

  it('inputless: shows the instructions and a token input', async () => {
    const { user, dialog } = await startScenario(/^Inputless/);
    expect(within(dialog).getByText('Use your app or device to generate a token')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Token from the user’s app or device'), '111111{Enter}');
    expect(await screen.findByText('Link created (valid).')).toBeInTheDocument();
  });

  it('expects_user_input false: no input, confirm elsewhere, then Continue', async () => {
    const { user, dialog, stack } = await startScenario(/Confirm on another device/);
    expect(within(dialog).queryByRole('textbox')).not.toBeInTheDocument();
    expect(within(dialog).getByText('Confirm the login on the other device, then press Continue.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText('Link created (valid).')).toBeInTheDocument();
    const patch = stack.sim.requests.find((request) => request.route === 'PATCH /api/links/');
    expect(JSON.parse(patch?.body ?? '{}')).not.toHaveProperty('token');
  });

  it('an unknown type: shows the instructions and a generic input, never crashes', async () => {
    const { user, dialog } = await startScenario(/Unknown token type/);
    expect(within(dialog).getByText(/a kind of token Linkdesk does not know \(push_code\)/)).toBeInTheDocument();
    expect(within(dialog).getByText('Enter the code sent to your registered phone')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Token'), '111111{Enter}');
    expect(await screen.findByText('Link created (valid).')).toBeInTheDocument();
  });

  it('a chained 428 re-renders the new challenge in place', async () => {
    const { user, dialog } = await startScenario(/Two challenges in a row/);
    await user.type(within(dialog).getByRole('textbox'), '111111{Enter}');
    expect(await within(dialog).findByText('Belvo asked for another token. The challenge below is new.')).toBeInTheDocument();
    const answer = within(dialog).getByLabelText('What was the name of your first pet?');
    await waitFor(() => expect(answer).toHaveFocus());
    await user.type(answer, 'firulais{Enter}');
    expect(await screen.findByText('Link created (valid).')).toBeInTheDocument();
  });

  it('a late numeric token gets a fresh code in place', async () => {
    const { user, dialog, stack } = await startScenario(/Numeric code/);
    const first = within(dialog).getByText(/^\d{6}$/).textContent;
    stack.clock.advance(31_000);
    await user.type(within(dialog).getByRole('textbox'), '111111{Enter}');
    expect(await within(dialog).findByText('Belvo asked for another token. The challenge below is new.')).toBeInTheDocument();
    const codes = stack.sim.requests.filter((request) => request.route === 'PATCH /api/links/');
    expect(codes).toHaveLength(1);
    expect(within(dialog).getByText(/^\d{6}$/).textContent).toMatch(/^\d{6}$/);
    expect(first).toMatch(/^\d{6}$/);
  });

  it('says the session expired when the countdown reaches zero, and starts again', async () => {
    const { user, dialog, stack } = await startScenario(/20-second session/);
    expect(within(dialog).getByRole('timer')).toHaveTextContent(/^00:(19|20)$/);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 21_000);
    expect(await within(dialog).findByText(/The session expired before the token arrived/)).toBeInTheDocument();
    vi.useRealTimers();
    await user.click(within(dialog).getByRole('button', { name: 'Start again' }));
    expect(await within(dialog).findByRole('timer')).toHaveTextContent(/^00:(19|20)$/);
    expect(stack.sim.requests.filter((request) => request.route === 'POST /api/links/')).toHaveLength(2);
  });

  it('shows Belvo’s session_expired inline when the session ended on Belvo’s side', async () => {
    const { user, dialog, stack } = await startScenario(/20-second session/);
    stack.clock.advance(21_000);
    await user.type(within(dialog).getByRole('textbox'), '111111{Enter}');
    expect(await within(dialog).findByText(/The session expired before the token arrived/)).toBeInTheDocument();
    expect(within(dialog).getByText(/The session you are trying to resume has expired/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Start again' })).toBeInTheDocument();
  });

  it('goes to sign-in, not to an inline error, when the staff session ends mid-flow', async () => {
    const { user, dialog, stack, router } = await startScenario(/Numeric code/);
    stack.clock.advance(31 * 60_000);
    await user.type(within(dialog).getByRole('textbox'), '111111{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'));
    expect(currentSearch(router).redirect).toBe('/playground');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.queryByText('Belvo did not accept that')).not.toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Sign in to Linkdesk' })).toBeInTheDocument();
  });

  it('keeps focus inside, and Escape asks before abandoning', async () => {
    const { user, dialog } = await startScenario(/^Inputless/);
    for (let i = 0; i < 6; i += 1) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.keyboard('{Escape}');
    expect(within(dialog).getByText('Abandon this MFA flow?')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Keep going' }));
    expect(within(dialog).getByLabelText('Token from the user’s app or device')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await user.click(within(dialog).getByRole('button', { name: 'Abandon' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByText('The MFA flow was abandoned; the link stays unconfirmed.')).toBeInTheDocument();
  });

  it('opens from a refresh that needs a token, and the link is valid afterwards with its cooldown running', async () => {
    const stack = await createTestStack();
    const link = stack.sim.links().find((candidate) => candidate.status === 'token_required') as Link;
    const { user } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Refresh link ${link.id.slice(0, 8)}` }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Request refresh' }));
    const dialog = await screen.findByRole('dialog', { name: `Token needed to refresh link ${link.id.slice(0, 8)}` });
    await user.type(within(dialog).getByRole('textbox'), '111111{Enter}');
    expect(await screen.findByText(`Token accepted: link ${link.id.slice(0, 8)} is valid again and its refresh was requested.`)).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: /Refresh link .* possible in/ })).toBeDisabled();
    expect(stack.sim.findLink(link.id)?.status).toBe('valid');
  });
});

describe('reading a QR value', () => {
  it('tells a base64 image from base64 text and from a value that is not base64', () => {
    expect(readQrValue('iVBORw0KGgoAAAANSUhEUg==')).toMatchObject({ kind: 'image', mime: 'image/png' });
    expect(readQrValue('/9j/4AAQSkZJRg==')).toMatchObject({ kind: 'image', mime: 'image/jpeg' });
    expect(readQrValue(btoa('otpauth://totp/Bank?secret=ABC'))).toEqual({ kind: 'payload', text: 'otpauth://totp/Bank?secret=ABC' });
    expect(readQrValue('not base64 at all!')).toEqual({ kind: 'payload', text: 'not base64 at all!' });
  });
});
