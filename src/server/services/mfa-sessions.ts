import type { Clock } from '../../contract/clock.ts';
import { tokenRequiredErrorSchema } from '../../contract/mfa.ts';
import type { MfaSessionRow, MfaSessionStore } from '../store/mfa-sessions.ts';

/** What a 428 was about, so that a successful resume can be recorded (a refresh's cooldown starts then). */
export type MfaSessionContext = MfaSessionRow;

/**
 * The MFA sessions Belvo opened with a 428, until resumed or expired. They are in the database:
 * with several instances the resume may reach another one than the refresh that was paused.
 */
export function createMfaSessions(clock: Clock, store: MfaSessionStore) {
  return {
    async remember(responseBody: string | null, context: Omit<MfaSessionContext, 'expiresAt' | 'linkId'> & { linkId?: string }) {
      if (!responseBody) return;
      let challenge;
      try {
        const [item] = JSON.parse(responseBody) as unknown[];
        challenge = tokenRequiredErrorSchema.safeParse(item);
      } catch {
        // Not a 428 body we can read: nothing to remember.
        return;
      }
      if (!challenge.success) return;
      const seconds = Number(challenge.data.expiry);
      await store.remember(
        challenge.data.session,
        {
          ...context,
          linkId: context.linkId ?? challenge.data.link,
          expiresAt: clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15 * 60_000),
        },
        clock.now(),
      );
    },
    async take(session: string) {
      const context = await store.peek(session);
      await store.forget(session);
      return context && context.expiresAt >= clock.now() ? context : null;
    },
    async peek(session: string) {
      const context = await store.peek(session);
      return context && context.expiresAt >= clock.now() ? context : null;
    },
  };
}
export type MfaSessions = ReturnType<typeof createMfaSessions>;
