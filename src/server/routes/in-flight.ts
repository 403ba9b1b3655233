/**
 * Identical requests that arrive while the first is still with Belvo share its answer: a double
 * click, or two tabs, reach Belvo once.
 */
export interface Outcome {
  status: number;
  body: string | null;
  headers: Record<string, string>;
  /** For the audit record only; never sent. */
  externalId?: string | null;
}

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

export function toResponse(outcome: Outcome, extra: Record<string, string> = {}) {
  return new Response(outcome.body, { status: outcome.status, headers: { ...outcome.headers, ...extra } });
}

export async function fromResponse(response: Response): Promise<Outcome> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, body: response.status === 204 ? null : await response.text(), headers };
}
