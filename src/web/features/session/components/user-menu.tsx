import { useT } from '../../../lib/i18n.ts';
import type { RoleName } from '../../../shared/session/session.ts';
import { useSignOut } from '../queries.ts';

/** Who is signed in, with what role, and the way out: in the header of every signed-in page. */
export function UserMenu({ username, role, onSignedOut }: { username: string; role: RoleName; onSignedOut(): Promise<void> }) {
  const { t } = useT();
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-slate-300">
        <span className="sr-only sm:not-sr-only">{t('session.signedInAs', { username })} · </span>
        <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs text-white">{t(`roles.${role}`)}</span>
      </span>
      <SignOutButton onSignedOut={onSignedOut} />
    </div>
  );
}

function SignOutButton({ onSignedOut }: { onSignedOut(): Promise<void> }) {
  const { t } = useT();
  const signOut = useSignOut(onSignedOut);
  return (
    <button
      type="button"
      onClick={() => signOut.mutate()}
      disabled={signOut.isPending}
      className="rounded px-2 py-1 text-slate-200 hover:bg-slate-700 hover:text-white"
    >
      {t('session.signOut')}
    </button>
  );
}
