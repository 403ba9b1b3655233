import * as z from 'zod/mini';

// `POST /bff/links/{id}/reconnect`: a hosted-widget link (update mode) the end user opens to repair
// an invalid or token_required link. The access token in the URL is never stored or logged.

/** The hosted widget's languages (belvo-api.md §10, startup parameter `locale`). */
export const widgetLocales = ['es', 'pt', 'en'] as const;
export const widgetLocaleSchema = z.enum(widgetLocales, { error: 'locale is es, pt or en' });
export type WidgetLocale = z.infer<typeof widgetLocaleSchema>;

export const reconnectBodySchema = z.strictObject({
  /** Default: the language of the institution's country (Brazil pt, else es). */
  locale: z.optional(widgetLocaleSchema),
});
export type ReconnectBody = z.infer<typeof reconnectBodySchema>;

export const reconnectLinkSchema = z.object({
  link_id: z.string(),
  /** Belvo's hosted widget (or, on the simulator, its stand-in) with the access token and locale. */
  url: z.string(),
  locale: widgetLocaleSchema,
  /** Epoch ms: Belvo's access tokens are valid for 10 minutes. */
  expires_at: z.number(),
});
export type ReconnectLink = z.infer<typeof reconnectLinkSchema>;

/** Only broken links are repaired through the widget's update mode. */
export const reconnectableStatuses = ['invalid', 'token_required'] as const;

export function defaultWidgetLocale(institution: string): WidgetLocale {
  return /_br_/.test(institution) ? 'pt' : 'es';
}

/** 10 minutes (belvo-api.md §7). */
export const widgetTokenLifetimeMs = 10 * 60_000;
