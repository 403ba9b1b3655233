import { randomBytes } from 'node:crypto';

/** Belvo's widget access tokens are valid for 10 minutes (api §7, `/docs/connect-widget-overview-ofda`). */
export const widgetTokenTtlMs = 10 * 60_000;

export interface WidgetToken {
  access: string;
  refresh: string;
  /** Update mode: the link the widget repairs; null when the widget creates a new link. */
  linkId: string | null;
  scopes: string[];
  expiresAt: number;
}

/** Opaque, URL-safe values: a client only passes them on, so their shape is not Belvo's JWT (choice). */
export function newWidgetToken(linkId: string | null, scopes: string[], now: number): WidgetToken {
  return {
    access: randomBytes(24).toString('base64url'),
    refresh: randomBytes(24).toString('base64url'),
    linkId,
    scopes,
    expiresAt: now + widgetTokenTtlMs,
  };
}
