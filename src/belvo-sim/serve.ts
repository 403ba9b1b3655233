import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { BelvoSim } from './create-belvo-sim.ts';
import { dropMarker } from './sim-options.ts';

/**
 * The simulator over HTTP, as `npm run belvo-sim` serves it: a dropped-connection fault destroys
 * the socket. Tests that drive a real HTTP client (the official SDK) listen through this too.
 */
export function serveBelvoSim(sim: BelvoSim, listen: { hostname: string; port: number }, onListening?: (info: AddressInfo) => void): ServerType {
  return serve(
    {
      hostname: listen.hostname,
      port: listen.port,
      fetch: async (request, nodeEnv: { incoming?: { socket?: { destroy(): void } } }) => {
        const response = await sim.handle(request);
        if (response.headers.has(dropMarker)) nodeEnv.incoming?.socket?.destroy();
        return response;
      },
    },
    onListening,
  );
}
