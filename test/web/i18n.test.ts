import { compileMessage } from '@lingui/message-utils/compileMessage';
import { describe, expect, it } from 'vitest';
import { en as deferredEn } from '../../src/web/messages/deferred/en.ts';
import { es419 as deferredEs419 } from '../../src/web/messages/deferred/es-419.ts';
import { ptBR as deferredPtBR } from '../../src/web/messages/deferred/pt-br.ts';
import { en } from '../../src/web/messages/en.ts';
import { es419 } from '../../src/web/messages/es-419.ts';
import { ptBR } from '../../src/web/messages/pt-br.ts';
import { flattenCatalog } from '../../src/web/lib/catalog.ts';
import { createI18n } from '../../src/web/lib/i18n.ts';

// The first screen's catalogue and the deferred one (strings loaded with the screens that use them) together.
const english = flattenCatalog({ ...en, ...deferredEn });
/** ICU arguments: `{name}` and `{name, plural, …}` (not the words inside plural branches). */
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)(?=[,}])/g)].map((match) => match[1]).sort();

describe.each([
  ['pt-BR', { ...ptBR, ...deferredPtBR }],
  ['es-419', { ...es419, ...deferredEs419 }],
])('the %s catalogue', (_language, catalog) => {
  const flat = flattenCatalog(catalog);

  it('has exactly the English keys', () => {
    expect(Object.keys(flat).sort()).toEqual(Object.keys(english).sort());
  });

  it('uses the same placeholders as English in every message, and every message compiles', () => {
    for (const [key, message] of Object.entries(flat)) {
      expect(placeholders(message), key).toEqual(placeholders(english[key] ?? ''));
      expect(() => compileMessage(message), key).not.toThrow();
    }
  });

  it('is actually translated (fewer than a fifth of messages identical to English)', () => {
    const same = Object.entries(flat).filter(([key, message]) => message === english[key]).length;
    expect(same / Object.keys(flat).length).toBeLessThan(0.2);
  });
});

describe('plurals and numbers', () => {
  it.each([
    ['en', 1, '1 link'],
    ['en', 1250, '1,250 links'],
    ['pt-BR', 1250, '1.250 links'],
    ['es-419', 1, '1 link'],
  ] as const)('%s: %d → %s', async (language, count, expected) => {
    const i18n = await createI18n(language);
    expect(i18n._('links.total', { count })).toBe(expected);
  });
});
