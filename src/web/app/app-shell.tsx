import { Link, Outlet, useRouter, useRouterState } from '@tanstack/react-router';
import { useEffect, useId, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useLiveOperations } from '../shared/links/queries.ts';
import { UserMenu } from '../features/session/components/user-menu.tsx';
import { metaQueries } from '../shared/meta/meta.ts';
import { can, sessionQueries } from '../shared/session/session.ts';
import { EnvBanner } from '../features/meta/components/env-banner.tsx';
import { changeLanguage, isLanguage, languages, useT } from '../lib/i18n.ts';

function LanguageSwitcher() {
  const { t, locale, i18n } = useT();
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="sr-only text-slate-300 sm:not-sr-only">
        {t('app.language')}
      </label>
      <select
        id={id}
        value={locale}
        onChange={(event) => {
          if (isLanguage(event.target.value)) void changeLanguage(i18n, event.target.value);
        }}
        className="max-w-24 rounded border border-slate-600 bg-slate-800 px-2 py-1 text-white sm:max-w-none"
      >
        {languages.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const navLink = 'shrink-0 whitespace-nowrap rounded px-2.5 py-1.5 text-sm text-slate-200 hover:bg-slate-700 hover:text-white';

/**
 * After moving to another page, focus starts at the top of the new page's content (not on
 * <body>, where the clicked link was): the next Tab is the page's first control, and screen
 * readers read from there. A change of filters (the same path) keeps focus where it is.
 */
function useFocusMainOnNavigation() {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
}

/** Header, environment banner and navigation around every page. */
export function AppShell() {
  const { data: session } = useQuery(sessionQueries.current());
  return session ? <SignedInShell /> : <SignedOutShell />;
}

function SignedOutShell() {
  const { t } = useT();
  return (
    <div className="min-h-screen">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-[1400px] items-center gap-6 px-4 py-2.5">
          <span className="flex items-center gap-2 font-semibold">
            <img src="/favicon.svg" alt="" className="h-6 w-6" />
            {t('app.name')}
          </span>
          <span className="flex-1" />
          <LanguageSwitcher />
        </div>
        <EnvBanner />
      </header>
      <main id="main" tabIndex={-1} className="px-4 py-6 focus:outline-none">
        <Outlet />
      </main>
    </div>
  );
}

function SignedInShell() {
  const { t } = useT();
  useLiveOperations();
  useFocusMainOnNavigation();
  const router = useRouter();
  const { data: meta } = useQuery(metaQueries.meta());
  const { data: session } = useQuery(sessionQueries.current());
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t('app.skipToContent')}
      </a>
      <header className="bg-slate-900 text-white">
        {/* On a phone: name, language and user on one row, the navigation scrolling sideways on the next. */}
        <div className="mx-auto flex max-w-[1400px] flex-wrap items-center gap-x-2 gap-y-1.5 px-4 py-2 sm:gap-x-6 sm:py-2.5">
          <Link to="/links" search={{ page: 1, page_size: 100 }} className="flex items-center gap-2 font-semibold">
            <img src="/favicon.svg" alt="" className="h-6 w-6" />
            <span className="sr-only sm:not-sr-only">{t('app.name')}</span>
            <span className="hidden text-xs font-normal text-slate-400 sm:inline">{t('app.tagline')}</span>
          </Link>
          <nav aria-label={t('app.mainNav')} className="order-last -mx-1 flex w-full gap-1 overflow-x-auto px-1 lg:order-none lg:mx-0 lg:w-auto lg:flex-1 lg:px-0">
            <Link to="/links" search={{ page: 1, page_size: 100 }} className={navLink} activeProps={{ 'aria-current': 'page', className: 'bg-slate-700 text-white' }}>
              {t('nav.links')}
            </Link>
            <Link to="/health" className={navLink} activeProps={{ 'aria-current': 'page', className: 'bg-slate-700 text-white' }}>
              {t('nav.health')}
            </Link>
            <Link to="/jobs" className={navLink} activeProps={{ 'aria-current': 'page', className: 'bg-slate-700 text-white' }}>
              {t('nav.jobs')}
            </Link>
            <Link to="/audit" className={navLink} activeProps={{ 'aria-current': 'page', className: 'bg-slate-700 text-white' }}>
              {t('nav.audit')}
            </Link>
            {can(session, 'users:manage') ? (
              <Link to="/users" className={navLink} activeProps={{ 'aria-current': 'page', className: 'bg-slate-700 text-white' }}>
                {t('nav.users')}
              </Link>
            ) : null}
            {meta && meta.belvo_mode !== 'production' && can(session, 'links:register') ? (
              <Link to="/playground" className={navLink} activeProps={{ 'aria-current': 'page', className: 'bg-slate-700 text-white' }}>
                {t('nav.playground')}
              </Link>
            ) : null}
          </nav>
          <span className="flex-1 lg:hidden" />
          <LanguageSwitcher />
          {session ? (
            <UserMenu username={session.user.username} role={session.user.role} onSignedOut={() => router.navigate({ to: '/sign-in', search: {} })} />
          ) : null}
        </div>
        <EnvBanner />
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-[1400px] px-4 py-6 focus:outline-none">
        <Outlet />
      </main>
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useT();
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center">
      <p className="text-lg font-semibold">{t('errors.notFoundPage')}</p>
      <Link to="/links" search={{ page: 1, page_size: 100 }} className="mt-3 inline-block text-brand-700 hover:underline">
        {t('errors.goHome')}
      </Link>
    </div>
  );
}
