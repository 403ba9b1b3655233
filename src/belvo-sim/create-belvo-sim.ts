import { Hono } from 'hono';
import type { Link } from '../contract/links.ts';
import { messages } from './errors.ts';
import { createControls } from './controls.ts';
import { registerLinkRoutes } from './link-routes.ts';
import { createSimMiddleware, methodNotAllowed } from './middleware.ts';
import { registerRegistrationRoute } from './registration.ts';
import { registerResumeRoute } from './resume.ts';
import { dropMarker, type BelvoSimOptions } from './sim-options.ts';
import { createSimState, fail } from './sim-state.ts';
import type { WebhookTarget } from './webhooks.ts';
import { registerWidgetPage } from './widget-page.ts';

export {
  defaultRecurrentFailuresPerDay,
  defaultSimAuthorization,
  defaultSimCredentials,
  dropMarker,
  maskSecrets,
  type BelvoSimOptions,
  type RecordedRequest,
  type SimClock,
  type SimTimings,
} from './sim-options.ts';

/**
 * A Belvo-compatible API in one Hono app: the state (`sim-state.ts`), the network middleware
 * (`middleware.ts`), Belvo's link endpoints (`link-routes.ts`, `registration.ts`, `resume.ts`) and,
 * in sandbox mode, the control endpoints (`controls.ts`). See README.md for each behaviour's source.
 */
export function createBelvoSim(options: BelvoSimOptions = {}) {
  const sim = createSimState(options);
  const { state } = sim;

  const app = new Hono({ strict: true });
  app.use('*', createSimMiddleware(sim));
  registerLinkRoutes(app, sim);
  registerRegistrationRoute(app, sim);
  registerResumeRoute(app, sim);
  registerWidgetPage(app, sim);
  if (state.mode === 'sandbox') app.route('/_sim', createControls(sim));

  app.notFound((c) => fail(c, 404, [{ code: 'not_found', message: messages.not_found }]));
  app.onError((error, c) => {
    console.warn('[belvo-sim] unexpected error', error);
    return fail(c, 500, [{ code: 'unexpected_error', message: messages.unexpected_error }]);
  });

  const handle = async (request: Request): Promise<Response> => methodNotAllowed(sim, request) ?? app.fetch(request);

  return {
    /** Answers a request in-process, as `fetch` would over HTTP (a dropped connection rejects). */
    async fetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      // Honour the caller's abort signal as a real connection would (timeouts in tests).
      const signal = request.signal;
      signal.throwIfAborted();
      const response = await new Promise<Response>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        handle(request).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
      if (response.headers.has(dropMarker)) {
        throw new TypeError('fetch failed', { cause: new Error('other side closed (simulated dropped connection)') });
      }
      return response;
    },
    handle,
    /** A control request (`/_sim/…`) signed with the simulator's own keys, for whoever runs it in-process. */
    control(request: Request): Promise<Response> {
      const headers = new Headers(request.headers);
      headers.set('authorization', `Basic ${Buffer.from(`${state.credentials.secretId}:${state.credentials.secretPassword}`).toString('base64')}`);
      return handle(new Request(request, { headers }));
    },
    clock: state.clock,
    credentials: state.credentials,
    mode: state.mode,
    requests: state.requests,
    webhooks: sim.webhooks,
    faults: state.faults,
    scheduler: state.scheduler,
    timings: state.timings,
    links: () => state.links,
    findLink: (id: string) => state.byId.get(id),
    /** A scheduled recurrent update of this link fails (status change + LINK webhook). */
    failRecurrentUpdate: (link: Link, status: 'invalid' | 'token_required') => sim.recurrentUpdates.fail(link, status),
    reset: (nextSeed = state.seed) => sim.load(nextSeed),
    advance: (ms: number) => state.clock.advance(ms),
    setWebhookTarget(target: WebhookTarget | null) {
      state.webhookTarget = target;
    },
    sessions: state.sessions,
    close() {
      state.scheduler.stop();
    },
  };
}

export type BelvoSim = ReturnType<typeof createBelvoSim>;
