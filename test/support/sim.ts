import { createManualClock } from '../../src/contract/clock.ts';
import { createBelvoSim, defaultSimAuthorization, type BelvoSimOptions } from '../../src/belvo-sim/create-belvo-sim.ts';

/** Every simulator test starts at the same instant, so seeded dates and expiries are stable. */
export const simTestStart = '2026-11-25T12:00:00Z';

/**
 * The simulator alone, in-process, on a manual clock, called as a Belvo client would: `call` adds
 * the default keys and a JSON content type unless the request sets its own.
 */
export function createSimHarness(options: Omit<BelvoSimOptions, 'clock' | 'ticker'> = {}) {
  const clock = createManualClock(simTestStart);
  const sim = createBelvoSim({ clock, ticker: false, ...options });
  const call = (path: string, init: RequestInit = {}) =>
    sim.fetch(`http://sim.test${path}`, { ...init, headers: { authorization: defaultSimAuthorization, 'content-type': 'application/json', ...init.headers } });
  return { sim, clock, call };
}
