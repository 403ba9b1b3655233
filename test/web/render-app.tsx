import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { App } from '../../src/web/app/app.tsx';
import { createQueryClient } from '../../src/web/app/query-client.ts';
import { createAppRouter } from '../../src/web/app/router.tsx';
import { createI18n, type LanguageCode } from '../../src/web/lib/i18n.ts';
import type { Role } from '../../src/server/store/users.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { mswServer } from './msw-server.ts';

/**
 * Renders the real route tree at `url`. msw forwards every /api, /bff and /webhooks request to
 * the real proxy app, which talks to the simulator: the one Belvo every test uses.
 */
export async function renderApp(url: string, options: { stack?: TestStack; language?: LanguageCode; role?: Role | null } = {}) {
  const stack = options.stack ?? (await createTestStack());
  const forwarded: Request[] = [];
  // The browser's cookie jar: the session cookie the server sets (or the test signs in with) goes
  // back on every request, as it would in a browser.
  const jar = new Map<string, string>();
  const role = options.role === undefined ? 'admin' : options.role;
  if (role) jar.set('linkdesk_session', stack.tokens[role]);
  mswServer.use(
    http.all(/\/(api|bff|webhooks)\//, async ({ request }) => {
      forwarded.push(request.clone());
      const headers = new Headers(request.headers);
      if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
      const response = await stack.app.fetch(new Request(request, { headers }));
      for (const line of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const [name = '', value = ''] = pair.split('=');
        const expired = attributes.some((attribute) => /max-age=0|expires=thu, 01 jan 1970/i.test(attribute.trim()));
        if (expired || value === '') jar.delete(name.trim());
        else jar.set(name.trim(), value.trim());
      }
      return response;
    }),
  );
  const queryClient = createQueryClient({ retryDelayMs: 0 });
  const history = createMemoryHistory({ initialEntries: [url] });
  const router = createAppRouter({ queryClient, history });
  const i18n = await createI18n(options.language ?? 'en');
  const user = userEvent.setup();
  const view = render(<App router={router} queryClient={queryClient} i18n={i18n} />);
  return { ...view, user, stack, router, history, queryClient, forwarded, jar };
}

export function currentSearch(router: { state: { location: { searchStr: string } } }) {
  return Object.fromEntries(new URLSearchParams(router.state.location.searchStr));
}
