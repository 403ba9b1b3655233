import { createRoute, notFound } from '@tanstack/react-router';
import { PlaygroundPage } from '../features/playground/components/playground-page.tsx';
import { metaQueries } from '../lib/meta.ts';
import { rootRoute } from './root.tsx';

/** The MFA playground: only when Linkdesk points at the simulator or Belvo's sandbox. */
export const playgroundRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'playground',
  loader: async ({ context }) => {
    const meta = await context.queryClient.ensureQueryData(metaQueries.meta());
    if (meta.belvo_mode === 'production') throw notFound();
    return meta;
  },
  component: PlaygroundPage,
});
