import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { useToast } from '../../../components/ui/toaster.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { roleNames, type RoleName } from '../../../shared/session/session.ts';
import { userQueries, useUserChange, type StaffUser } from '../queries.ts';

const field = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm';

const RemoveUserDialog = lazy(() => import('./remove-user-dialog.tsx').then((module) => ({ default: module.RemoveUserDialog })));

/**
 * One account: its role (changed at once, confirmed by a toast), a password reset and Remove
 * (behind a confirmation). Each row has its own mutation, so a failure shows beside the control
 * that caused it, not at the top of the page.
 */
function UserRow({ user, isSelf, fieldId }: { user: StaffUser; isSelf: boolean; fieldId: string }) {
  const { t, locale } = useT();
  const toast = useToast();
  const change = useUserChange();
  const [resetting, setResetting] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const { username } = user;
  const errorId = `${fieldId}-error`;

  return (
    <>
      <Tr>
        <Td className="font-medium">
          {username}
          {user.sso ? (
            <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-700" title={t('users.ssoHint')}>
              {t('users.sso')}
            </span>
          ) : null}
        </Td>
        <Td>
          <label className="sr-only" htmlFor={`${fieldId}-role`}>
            {t('users.roleOf', { username })}
          </label>
          <select
            id={`${fieldId}-role`}
            className={field}
            value={user.role}
            disabled={change.isPending}
            aria-describedby={change.error ? errorId : undefined}
            onChange={(event) => {
              const role = event.target.value;
              change.mutate(
                { kind: 'role', id: user.id, role },
                { onSuccess: () => toast({ tone: 'success', message: t('users.roleChanged', { username, role: isRoleName(role) ? t(`roles.${role}`) : role }) }) },
              );
            }}
          >
            {roleNames.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        </Td>
        <Td className="hidden text-slate-600 sm:table-cell">{formatDateTime(user.created_at, locale)}</Td>
        <Td>
          {resetting !== null ? (
            <form
              className="flex flex-wrap gap-2"
              onSubmit={(event) => {
                event.preventDefault();
                change.mutate(
                  { kind: 'password', id: user.id, password: resetting },
                  {
                    onSuccess: () => {
                      setResetting(null);
                      toast({ tone: 'success', message: t('users.passwordChanged', { username }) });
                    },
                  },
                );
              }}
            >
              <label className="sr-only" htmlFor={`${fieldId}-password`}>
                {t('users.newPasswordFor', { username })}
              </label>
              <input
                id={`${fieldId}-password`}
                type="password"
                autoComplete="new-password"
                className={field}
                value={resetting}
                aria-describedby={change.error ? errorId : undefined}
                aria-invalid={change.error ? true : undefined}
                onChange={(event) => setResetting(event.target.value)}
              />
              <Button type="submit" size="sm" variant="primary" disabled={change.isPending || !resetting}>
                {t('users.save')}
              </Button>
              <Button
                size="sm"
                onClick={() => {
                  setResetting(null);
                  change.reset();
                }}
              >
                {t('users.cancel')}
              </Button>
            </form>
          ) : (
            <span className="flex flex-wrap gap-2">
              {user.sso ? null : (
                <Button size="sm" onClick={() => setResetting('')}>
                  {t('users.resetPassword')}
                </Button>
              )}
              {isSelf ? null : (
                <Button size="sm" variant="dangerGhost" disabled={change.isPending} onClick={() => setRemoving(true)} aria-label={t('users.removeUser', { username })}>
                  {t('users.remove')}
                </Button>
              )}
            </span>
          )}
          <Suspense fallback={null}>{removing ? <RemoveUserDialog user={user} onClose={() => setRemoving(false)} /> : null}</Suspense>
        </Td>
      </Tr>
      {change.error ? (
        <tr>
          <td colSpan={4} id={errorId} className="px-2 pb-2 sm:px-2.5">
            <ErrorPanel compact title={t('users.changeFailed')} error={change.error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Staff accounts, for admins: the same operations as `npm run user`, each recorded in the audit log. */
export function UsersPage({ currentUsername }: { currentUsername: string }) {
  useDeferredMessages();
  const { t } = useT();
  const toast = useToast();
  const { data: users, error } = useQuery(userQueries.list());
  const add = useUserChange();
  const [draft, setDraft] = useState({ username: '', password: '', role: 'viewer' });
  const id = useId();

  const submitAdd = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { kind: 'add', ...draft },
      {
        onSuccess: () => {
          toast({ tone: 'success', message: t('users.added', { username: draft.username }) });
          setDraft({ username: '', password: '', role: 'viewer' });
        },
      },
    );
  };

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('users.title')}</h1>
      <p className="text-sm text-slate-600">{t('users.intro')}</p>
      {error ? <ErrorPanel title={t('users.failed')} error={error} /> : null}
      <TableFrame>
        <Table>
          <TableHead>
            <tr>
              <Th>{t('users.username')}</Th>
              <Th>{t('users.role')}</Th>
              <Th className="hidden sm:table-cell">{t('users.since')}</Th>
              <Th>{t('users.actions')}</Th>
            </tr>
          </TableHead>
          <tbody>
            {(users ?? []).map((user) => (
              <UserRow key={user.id} user={user} isSelf={user.username === currentUsername} fieldId={`${id}-${user.id}`} />
            ))}
          </tbody>
        </Table>
      </TableFrame>
      <form onSubmit={submitAdd} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby={`${id}-add`}>
        <h2 id={`${id}-add`} className="w-full font-semibold">
          {t('users.add')}
        </h2>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{t('users.username')}</span>
          <input className={field} value={draft.username} autoComplete="off" onChange={(event) => setDraft({ ...draft, username: event.target.value.trim() })} />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{t('users.password')}</span>
          <input className={field} type="password" autoComplete="new-password" value={draft.password} onChange={(event) => setDraft({ ...draft, password: event.target.value })} aria-describedby={`${id}-rule`} />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{t('users.role')}</span>
          <select className={field} value={draft.role} onChange={(event) => setDraft({ ...draft, role: event.target.value })}>
            {roleNames.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={!draft.username || !draft.password || add.isPending}>
          {t('users.addButton')}
        </Button>
        <p id={`${id}-rule`} className="w-full text-xs text-slate-600">
          {t('users.passwordRule')}
        </p>
        {add.error ? (
          <div className="w-full">
            <ErrorPanel compact title={t('users.changeFailed')} error={add.error} />
          </div>
        ) : null}
      </form>
    </div>
  );
}

function isRoleName(value: string): value is RoleName {
  return (roleNames as readonly string[]).includes(value);
}
