import type { Clock } from '../../contract/clock.ts';
import { tokenRequiredErrorSchema } from '../../contract/mfa.ts';

/** What a 428 was about, so that a successful resume can be recorded (a refresh's cooldown starts then). */
export interface MfaSessionContext {
  linkId: string;
  purpose: 'refresh' | 'register' | 'other';
  resources: string[] | null;
  expiresAt: number;
}

/** The MFA sessions Belvo opened with a 428, in memory until resumed or expired. */
export function createMfaSessions(clock: Clock) {
  const sessions = new Map<string, MfaSessionContext>();
  return {
    remember(responseBody: string | null, context: Omit<MfaSessionContext, 'expiresAt' | 'linkId'> & { linkId?: string }) {
      if (!responseBody) return;
      try {
        const [item] = JSON.parse(responseBody) as unknown[];
        const challenge = tokenRequiredErrorSchema.safeParse(item);
        if (!challenge.success) return;
        const seconds = Number(challenge.data.expiry);
        for (const [session, remembered] of sessions) if (remembered.expiresAt < clock.now()) sessions.delete(session);
        sessions.set(challenge.data.session, {
          ...context,
          linkId: context.linkId ?? challenge.data.link,
          expiresAt: clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15 * 60_000),
        });
      } catch {
        // Not a 428 body we can read: nothing to remember.
      }
    },
    take(session: string) {
      const context = sessions.get(session);
      sessions.delete(session);
      return context ?? null;
    },
    peek: (session: string) => sessions.get(session) ?? null,
  };
}
export type MfaSessions = ReturnType<typeof createMfaSessions>;
