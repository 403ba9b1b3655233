import * as z from 'zod/mini';

/** `GET /bff/meta`: what this deployment talks to. `belvo_host` is null on the simulator. */
export const belvoModes = ['simulator', 'sandbox', 'production'] as const;
export const metaSchema = z.object({
  belvo_mode: z.enum(belvoModes),
  belvo_host: z.nullable(z.string()),
  server_time: z.string(),
  version: z.string(),
});
export type Meta = z.infer<typeof metaSchema>;
