import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { useToast } from '../../../components/ui/toaster.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { roleNames } from '../../../shared/session/session.ts';
import { userQueries, useUserChange, type StaffUser } from '../queries.ts';

const field = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm';

/** Staff accounts, for admins: the same operations as `npm run user`, each recorded in the audit log. */
export function UsersPage({ currentUsername }: { currentUsername: string }) {
  const { t, locale } = useT();
  const toast = useToast();
  const { data: users, error } = useQuery(userQueries.list());
  const change = useUserChange();
  const [draft, setDraft] = useState({ username: '', password: '', role: 'viewer' });
  const [resetting, setResetting] = useState<{ id: number; password: string } | null>(null);
  const id = useId();

  const add = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { kind: 'add', ...draft },
      {
        onSuccess: () => {
          toast({ tone: 'success', message: t('users.added', { username: draft.username }) });
          setDraft({ username: '', password: '', role: 'viewer' });
        },
      },
    );
  };

  const row = (user: StaffUser) => (
    <Tr key={user.id}>
      <Td className="font-medium">
        {user.username}
        {user.sso ? (
          <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-700" title={t('users.ssoHint')}>
            {t('users.sso')}
          </span>
        ) : null}
      </Td>
      <Td>
        <label className="sr-only" htmlFor={`${id}-role-${user.id}`}>
          {t('users.roleOf', { username: user.username })}
        </label>
        <select id={`${id}-role-${user.id}`} className={field} value={user.role} disabled={change.isPending} onChange={(event) => change.mutate({ kind: 'role', id: user.id, role: event.target.value })}>
          {roleNames.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
      </Td>
      <Td className="text-slate-600">{formatDateTime(user.created_at, locale)}</Td>
      <Td>
        {resetting?.id === user.id ? (
          <form
            className="flex gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              change.mutate({ kind: 'password', id: user.id, password: resetting.password }, { onSuccess: () => setResetting(null) });
            }}
          >
            <label className="sr-only" htmlFor={`${id}-password-${user.id}`}>
              {t('users.newPasswordFor', { username: user.username })}
            </label>
            <input id={`${id}-password-${user.id}`} type="password" autoComplete="new-password" className={field} value={resetting.password} onChange={(event) => setResetting({ id: user.id, password: event.target.value })} />
            <Button type="submit" size="sm" variant="primary" disabled={change.isPending}>
              {t('users.save')}
            </Button>
            <Button size="sm" onClick={() => setResetting(null)}>
              {t('users.cancel')}
            </Button>
          </form>
        ) : (
          <span className="flex gap-2">
            {user.sso ? null : (
              <Button size="sm" onClick={() => setResetting({ id: user.id, password: '' })}>
                {t('users.resetPassword')}
              </Button>
            )}
            {user.username !== currentUsername ? (
              <Button size="sm" variant="dangerGhost" disabled={change.isPending} onClick={() => change.mutate({ kind: 'remove', id: user.id })} aria-label={t('users.removeUser', { username: user.username })}>
                {t('users.remove')}
              </Button>
            ) : null}
          </span>
        )}
      </Td>
    </Tr>
  );

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('users.title')}</h1>
      <p className="text-sm text-slate-600">{t('users.intro')}</p>
      {error ? <ErrorPanel title={t('users.failed')} error={error} /> : null}
      {change.error ? <ErrorPanel compact title={t('users.changeFailed')} error={change.error} /> : null}
      <TableFrame>
        <Table>
          <TableHead>
            <tr>
              <Th>{t('users.username')}</Th>
              <Th>{t('users.role')}</Th>
              <Th>{t('users.since')}</Th>
              <Th>{t('users.actions')}</Th>
            </tr>
          </TableHead>
          <tbody>{(users ?? []).map(row)}</tbody>
        </Table>
      </TableFrame>
      <form onSubmit={add} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby={`${id}-add`}>
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
        <Button type="submit" variant="primary" disabled={!draft.username || !draft.password || change.isPending}>
          {t('users.addButton')}
        </Button>
        <p id={`${id}-rule`} className="w-full text-xs text-slate-500">
          {t('users.passwordRule')}
        </p>
      </form>
    </div>
  );
}
