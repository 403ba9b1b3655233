import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import * as z from 'zod/mini';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { rootRoute } from './root.tsx';

const localDateTime = z.catch(z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/))), undefined);

export const auditSearchSchema = z.object({
  actor: z.catch(z.optional(z.string().check(z.maxLength(128))), undefined),
  action: z.catch(z.optional(z.string().check(z.regex(/^[a-z_.]{3,32}$/))), undefined),
  link_id: z.catch(z.optional(z.string().check(z.regex(/^(?:[0-9a-f]{8}|[0-9a-f-]{36})$/))), undefined),
  outcome: z.catch(z.optional(z.string().check(z.regex(/^[a-z_]{1,32}$/))), undefined),
  from: localDateTime,
  to: localDateTime,
});

export const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'audit',
  validateSearch: auditSearchSchema,
  // The page's strings are deferred (src/web/messages/deferred): fetched alongside its chunk.
  loader: () => preloadDeferredMessages(),
  component: lazyRouteComponent(() => import('./audit.lazy.tsx'), 'AuditRouteComponent'),
});
