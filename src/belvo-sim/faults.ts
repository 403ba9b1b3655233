import { uuidText } from '../contract/links.ts';

/**
 * Injected failures, for testing what Linkdesk does when Belvo misbehaves. A fault applies to the
 * next `count` requests that match its route (or every route with `*`).
 */
export const faultKinds = ['500', '408', '403', '428', '429', 'drop'] as const;
export type FaultKind = (typeof faultKinds)[number];

export const simRoutes = [
  'GET /api/',
  'GET /api/links/',
  'GET /api/links/{id}/',
  'POST /api/links/',
  'PATCH /api/links/',
  'PUT /api/links/{id}/',
  'PATCH /api/links/{id}/',
  'DELETE /api/links/{id}/',
  'POST /api/links/{id}/refresh/',
  'POST /api/token/',
] as const;

/** The methods each of Belvo's paths answers, from the route list above (`GET /api/links/` → `/api/links/`: GET, …). */
export function allowedMethods(route: string): string[] | null {
  const path = route.slice(route.indexOf(' ') + 1);
  const methods = simRoutes.filter((candidate) => candidate.endsWith(` ${path}`)).map((candidate) => candidate.split(' ')[0] ?? '');
  return methods.length > 0 ? methods : null;
}

export interface Fault {
  route: string;
  kind: FaultKind;
  remaining: number;
}

export interface Latency {
  route: string;
  ms: number;
}

const idSegment = new RegExp(`/${uuidText}/`, 'gi');

/** `DELETE /api/links/0b1…/` → `DELETE /api/links/{id}/` */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(idSegment, '/{id}/')}`;
}

export function createFaults() {
  let faults: Fault[] = [];
  let latencies: Latency[] = [];
  return {
    add(fault: Fault) {
      faults.push(fault);
    },
    setLatency(latency: Latency) {
      latencies = latencies.filter((existing) => existing.route !== latency.route);
      if (latency.ms > 0) latencies.push(latency);
    },
    /** Consumes one use of the first fault matching this route. */
    take(route: string): FaultKind | null {
      const fault = faults.find((candidate) => candidate.route === route || candidate.route === '*');
      if (!fault) return null;
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults = faults.filter((candidate) => candidate !== fault);
      return fault.kind;
    },
    latencyFor(route: string): number {
      return latencies.find((latency) => latency.route === route || latency.route === '*')?.ms ?? 0;
    },
    list: () => ({ faults: faults.map((fault) => ({ ...fault })), latencies: latencies.map((l) => ({ ...l })) }),
    clear() {
      faults = [];
      latencies = [];
    },
  };
}
export type Faults = ReturnType<typeof createFaults>;
