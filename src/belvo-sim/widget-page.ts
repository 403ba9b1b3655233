import type { Context, Hono } from 'hono';
import type { Link } from '../contract/links.ts';
import { reauthenticationScenario } from './mfa.ts';
import type { SimState } from './sim-state.ts';

/**
 * A stand-in for Belvo's hosted widget in update mode (`https://widget.belvo.io/?access_token=…`),
 * so the reconnect loop can be tried without Belvo: the end user opens the page with the access
 * token of `POST /api/token/` (with `link_id`), enters a new password or the token, and the link
 * turns valid with a LINK webhook, as Belvo's widget does (api §10). Simulator only; no keys.
 */
export const simWidgetPath = '/belvo-sim/widget/';

const copy = {
  en: { title: 'Reconnect your bank (simulated widget)', password: 'New password', token: 'Token from your bank', submit: 'Reconnect', done: 'Connected. You can close this page.', expired: 'This reconnect link has expired or was already used. Ask for a new one.', wrong: 'That did not work: check the password or token and try again.', tokenHint: 'In the simulator the token is 111111.' },
  es: { title: 'Reconecta tu banco (widget simulado)', password: 'Nueva contraseña', token: 'Token de tu banco', submit: 'Reconectar', done: 'Conectado. Puedes cerrar esta página.', expired: 'Este enlace de reconexión expiró o ya se usó. Pide uno nuevo.', wrong: 'No funcionó: revisa la contraseña o el token e inténtalo de nuevo.', tokenHint: 'En el simulador el token es 111111.' },
  pt: { title: 'Reconecte seu banco (widget simulado)', password: 'Nova senha', token: 'Token do seu banco', submit: 'Reconectar', done: 'Conectado. Você pode fechar esta página.', expired: 'Este link de reconexão expirou ou já foi usado. Peça um novo.', wrong: 'Não funcionou: confira a senha ou o token e tente de novo.', tokenHint: 'No simulador o token é 111111.' },
} as const;
type Locale = keyof typeof copy;
const localeOf = (value: string | undefined): Locale => (value === 'es' || value === 'pt' ? value : 'en');

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(locale: Locale, body: string, status: number, c: Context) {
  const text = copy[locale];
  return c.html(
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(text.title)}</title></head>` +
      `<body><main><h1>${escape(text.title)}</h1>${body}</main></body></html>`,
    status as 200,
  );
}

export function registerWidgetPage(app: Hono, sim: SimState) {
  const { state } = sim;
  const usable = (access: string | undefined): { link: Link } | null => {
    const token = access ? state.widgetTokens.get(access) : undefined;
    if (!token || token.linkId === null || state.clock.now() >= token.expiresAt) return null;
    const link = state.byId.get(token.linkId);
    return link ? { link } : null;
  };

  const form = (locale: Locale, access: string, link: Link, error: string | null) => {
    const text = copy[locale];
    const needsToken = link.status === 'token_required';
    return (
      `<p>${escape(link.institution)}</p>` +
      (error ? `<p role="alert">${escape(error)}</p>` : '') +
      `<form method="post" action="${simWidgetPath}">` +
      `<input type="hidden" name="access_token" value="${escape(access)}"><input type="hidden" name="locale" value="${locale}">` +
      (needsToken
        ? `<label>${escape(text.token)} <input name="token" autocomplete="one-time-code" required></label><p>${escape(text.tokenHint)}</p>`
        : `<label>${escape(text.password)} <input name="password" type="password" autocomplete="new-password" required></label>`) +
      `<button type="submit">${escape(text.submit)}</button></form>`
    );
  };

  app.get(simWidgetPath, (c) => {
    const locale = localeOf(c.req.query('locale'));
    const access = c.req.query('access_token') ?? '';
    const found = usable(access);
    if (!found) return page(locale, `<p role="alert">${escape(copy[locale].expired)}</p>`, 410, c);
    return page(locale, form(locale, access, found.link, null), 200, c);
  });

  app.post(simWidgetPath, async (c) => {
    const type = c.req.header('content-type') ?? '';
    const fields: Record<string, string> = type.includes('application/json')
      ? ((await c.req.json().catch(() => ({}))) as Record<string, string>)
      : Object.fromEntries(Object.entries(await c.req.parseBody()).map(([key, value]) => [key, typeof value === 'string' ? value : '']));
    const locale = localeOf(fields.locale);
    const access = fields.access_token ?? '';
    const found = usable(access);
    if (!found) return page(locale, `<p role="alert">${escape(copy[locale].expired)}</p>`, 410, c);
    const { link } = found;
    const accepted =
      link.status === 'token_required'
        ? reauthenticationScenario.steps[0]?.accepts(fields.token) === true
        : typeof fields.password === 'string' && fields.password.length > 0 && fields.password !== 'pass_invalid';
    if (!accepted) return page(locale, form(locale, access, link, copy[locale].wrong), 400, c);
    // "We invalidate the token as soon as a user successfully connects their account" (api §7).
    state.widgetTokens.delete(access);
    sim.markValid(link);
    return page(locale, `<p role="status">${escape(copy[locale].done)}</p>`, 200, c);
  });
}
