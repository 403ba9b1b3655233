import type { Outcome } from '../errors.ts';

/**
 * Identical requests that arrive while the first is still with Belvo share its answer: a double
 * click, or two tabs, reach Belvo once.
 */
export function createInFlight() {
  const flights = new Map<string, Promise<Outcome>>();
  return {
    async run(key: string, work: () => Promise<Outcome>): Promise<{ outcome: Outcome; shared: boolean }> {
      const existing = flights.get(key);
      if (existing) return { outcome: await existing, shared: true };
      const flight = work().finally(() => flights.delete(key));
      flights.set(key, flight);
      return { outcome: await flight, shared: false };
    },
  };
}
export type InFlight = ReturnType<typeof createInFlight>;
