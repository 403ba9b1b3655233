import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { App } from '../../src/web/app/app.tsx';
import { createQueryClient } from '../../src/web/app/query-client.ts';
import { createAppRouter } from '../../src/web/app/router.tsx';
import { createI18n, type LanguageCode } from '../../src/web/lib/i18n.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { mswServer } from './msw-server.ts';

/**
 * Renders the real route tree at `url`. msw forwards every /api, /bff and /webhooks request to
 * the real proxy app, which talks to the simulator: the one Belvo every test uses.
 */
export async function renderApp(url: string, options: { stack?: TestStack; language?: LanguageCode } = {}) {
  const stack = options.stack ?? createTestStack();
  const forwarded: Request[] = [];
  mswServer.use(
    http.all(/\/(api|bff|webhooks)\//, async ({ request }) => {
      forwarded.push(request.clone());
      return stack.app.fetch(request);
    }),
  );
  const queryClient = createQueryClient({ retryDelayMs: 0 });
  const history = createMemoryHistory({ initialEntries: [url] });
  const router = createAppRouter({ queryClient, history });
  const i18n = await createI18n(options.language ?? 'en');
  const user = userEvent.setup();
  const view = render(<App router={router} queryClient={queryClient} i18n={i18n} />);
  return { ...view, user, stack, router, history, queryClient, forwarded };
}

export function currentSearch(router: { state: { location: { searchStr: string } } }) {
  return Object.fromEntries(new URLSearchParams(router.state.location.searchStr));
}
