import type { Clock } from '../contract/clock.ts';
import type { Link } from '../contract/links.ts';
import { messages } from './errors.ts';
import { createRandom } from './random.ts';
import type { Scheduler } from './scheduler.ts';
import { newWebhookId, type WebhookEnvelope } from './webhooks.ts';

/**
 * Belvo's scheduled updates of recurrent links, as far as Linkdesk can observe them: now and then
 * an update fails because the user changed their password (the link turns `invalid`, LINK
 * `invalid_credentials`) or the institution asks for a new MFA token (`token_required`, LINK
 * `token_required`). Payloads follow belvo-api.md §5.2 (`/docs/webhook-links`); the
 * `token_required` payload is not documented, so it mirrors `invalid_credentials` with a 428.
 */
export type FailedUpdateStatus = 'invalid' | 'token_required';

const hourMs = 3_600_000;

export function createRecurrentUpdates(deps: {
  clock: Clock;
  scheduler: Scheduler;
  send: (payload: WebhookEnvelope) => void;
  links: () => readonly Link[];
  seed: () => number;
  /** Failed recurrent updates per simulated day across the account; 0 turns the schedule off. */
  failuresPerDay: number;
}) {
  let random = createRandom(deps.seed());

  const fail = (link: Link, status: FailedUpdateStatus, requestId: string = newWebhookId()) => {
    link.status = status;
    deps.send({
      webhook_id: newWebhookId(),
      webhook_type: 'LINK',
      webhook_code: status === 'invalid' ? 'invalid_credentials' : 'token_required',
      process_type: 'recurrent_update',
      link_id: link.id,
      request_id: requestId,
      external_id: link.external_id,
      data:
        status === 'invalid'
          ? { error_code: 'login_error', error_message: messages.login_error, status: 400 }
          : { error_code: 'token_required', error_message: messages.token_required, status: 428 },
    });
  };

  // Once an hour on the simulator's clock, a share of the day's failures happens.
  const tick = () => {
    const expected = deps.failuresPerDay / 24;
    let failures = Math.floor(expected) + (random.chance(expected - Math.floor(expected)) ? 1 : 0);
    const candidates = deps.links().filter((link) => link.status === 'valid' && link.access_mode === 'recurrent');
    while (failures > 0 && candidates.length > 0) {
      const index = random.int(0, candidates.length - 1);
      const [link] = candidates.splice(index, 1);
      if (link) fail(link, random.chance(0.6) ? 'invalid' : 'token_required');
      failures -= 1;
    }
    deps.scheduler.at(deps.clock.now() + hourMs, tick);
  };

  return {
    fail,
    /** (Re)starts the hourly schedule; the simulator calls it after loading data. */
    arm() {
      random = createRandom(deps.seed() ^ 0x5eed);
      if (deps.failuresPerDay > 0) deps.scheduler.at(deps.clock.now() + hourMs, tick);
    },
  };
}
