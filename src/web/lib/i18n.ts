import { setupI18n, type I18n, type Messages } from '@lingui/core';
import { useLingui } from '@lingui/react';
import { use, useCallback } from 'react';
import enMessages from 'virtual:linkdesk-messages/en';
import type { en as deferredEn } from '../messages/deferred/en.ts';
import type { en } from '../messages/en.ts';

/**
 * Lingui with ICU messages (plurals, numbers), compiled at build time (see vite.config.ts), so the
 * browser ships only the runtime. Chosen over i18next for size: a few KiB gzip against ~19 KiB on a
 * first screen budgeted at 150 KiB. The catalogues are TypeScript: a missing key is a compile error.
 */
export const languages = [
  { code: 'en', label: 'English' },
  { code: 'pt-BR', label: 'Português (Brasil)' },
  { code: 'es-419', label: 'Español (Latinoamérica)' },
] as const;
export type LanguageCode = (typeof languages)[number]['code'];

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** Every message id, checked at compile time: `t('links.title')`. */
export type MessageId = Leaves<typeof en> | Leaves<typeof deferredEn>;

const storageKey = 'linkdesk.language';

/** Non-English catalogs load on demand, so only the chosen language ships with the first screen. */
const loaders: Record<Exclude<LanguageCode, 'en'>, () => Promise<Messages>> = {
  'pt-BR': () => import('virtual:linkdesk-messages/pt-br').then((module) => module.default),
  'es-419': () => import('virtual:linkdesk-messages/es-419').then((module) => module.default),
};

export function isLanguage(value: unknown): value is LanguageCode {
  return languages.some((language) => language.code === value);
}

/** Saved choice first, then the browser's languages (pt-* → pt-BR, es-* → es-419), else English. */
export function detectLanguage(): LanguageCode {
  try {
    const saved = globalThis.localStorage?.getItem(storageKey);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage can be unavailable (privacy modes); fall through.
  }
  for (const candidate of globalThis.navigator?.languages ?? []) {
    const lower = candidate.toLowerCase();
    if (lower.startsWith('pt')) return 'pt-BR';
    if (lower.startsWith('es')) return 'es-419';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

const loadedByInstance = new WeakMap<I18n, Set<string>>();
const loaded = {
  has: (i18n: I18n, language: string) => loadedByInstance.get(i18n)?.has(language) ?? false,
  add: (i18n: I18n, language: string) => {
    const set = loadedByInstance.get(i18n) ?? new Set<string>();
    set.add(language);
    loadedByInstance.set(i18n, set);
  },
};

export async function createI18n(language: LanguageCode = 'en'): Promise<I18n> {
  const i18n = setupI18n();
  i18n.load('en', enMessages);
  i18n.activate('en');
  await changeLanguage(i18n, language, { persist: false });
  return i18n;
}

export async function changeLanguage(i18n: I18n, language: LanguageCode, options = { persist: true }) {
  if (language !== 'en' && !loaded.has(i18n, language)) {
    i18n.load(language, await loaders[language]());
    loaded.add(i18n, language);
  }
  // A screen that needed the deferred strings in the old language needs them in the new one.
  if (deferredByInstance.has(i18n)) await loadDeferred(i18n, language);
  i18n.activate(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  if (options.persist) {
    try {
      globalThis.localStorage?.setItem(storageKey, language);
    } catch {
      // Not persisted; the choice still applies to this tab.
    }
  }
}

/**
 * Strings only some screens use (the Health page, the link index's freshness: src/web/messages/
 * deferred) are a catalogue of their own per language, fetched with those screens instead of
 * shipping in the first screen.
 */
const deferredLoaders: Record<LanguageCode, () => Promise<Messages>> = {
  en: () => import('virtual:linkdesk-messages/deferred/en').then((module) => module.default),
  'pt-BR': () => import('virtual:linkdesk-messages/deferred/pt-br').then((module) => module.default),
  'es-419': () => import('virtual:linkdesk-messages/deferred/es-419').then((module) => module.default),
};
const deferredModules = new Map<LanguageCode, Promise<Messages>>();
function deferredModule(language: LanguageCode): Promise<Messages> {
  let module = deferredModules.get(language);
  if (!module) {
    module = deferredLoaders[language]();
    deferredModules.set(language, module);
    // A failed fetch (a dropped connection) is tried again by the next screen that asks.
    module.catch(() => deferredModules.delete(language));
  }
  return module;
}

/** Starts fetching the deferred strings, so a route's loader gets them alongside its data. */
export function preloadDeferredMessages(language: LanguageCode = detectLanguage()) {
  deferredModule(language).catch(() => {});
}

const deferredByInstance = new WeakMap<I18n, Map<LanguageCode, Promise<void>>>();
function loadDeferred(i18n: I18n, language: LanguageCode): Promise<void> {
  const byLanguage = deferredByInstance.get(i18n) ?? new Map<LanguageCode, Promise<void>>();
  deferredByInstance.set(i18n, byLanguage);
  let loading = byLanguage.get(language);
  if (!loading) {
    const settled: Promise<void> & { status?: 'fulfilled'; value?: undefined } = deferredModule(language).then(
      (messages) => {
        i18n.load(language, messages);
        // React's use() reads this and does not suspend again for strings that are already here
        // (a dialog opened after an event handler loaded them).
        settled.status = 'fulfilled';
      },
      (error: unknown) => {
        byLanguage.delete(language);
        throw error;
      },
    );
    loading = settled;
    byLanguage.set(language, loading);
  }
  return loading;
}

/** For event handlers that show deferred strings outside a screen that loads them (an MFA dialog's title). */
export function useLoadDeferredMessages(): () => Promise<void> {
  const { i18n } = useLingui();
  return useCallback(() => loadDeferred(i18n, isLanguage(i18n.locale) ? i18n.locale : 'en'), [i18n]);
}

/** Suspends the calling screen until the deferred strings of the active language are loaded. */
export function useDeferredMessages() {
  const { i18n } = useLingui();
  const language = isLanguage(i18n.locale) ? i18n.locale : 'en';
  // The same promise every render (cached per instance and language): React reads it as settled once it is.
  use(loadDeferred(i18n, language));
}

export type TranslateValues = Record<string, string | number | null | undefined>;

/** `t(id, values)` in the active language, plus the locale for Intl formatting. */
export function useT() {
  const { i18n } = useLingui();
  const locale = i18n.locale;
  const t = useCallback((id: MessageId, values?: TranslateValues) => i18n._(id, values), [i18n, locale]); // eslint-disable-line react-hooks/exhaustive-deps -- locale changes the output
  return { t, locale, i18n };
}
