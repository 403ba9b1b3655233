import type { Widen } from '../../lib/catalog.ts';
import { messages as linkIndexShared } from '../../shared/link-index/messages/en.ts';
import { messages as health } from '../../features/health/messages/en.ts';

/**
 * Strings only some screens use (the Health page; the link index's freshness and progress), loaded
 * with those screens rather than with the first screen (`useDeferredMessages` in lib/i18n.ts).
 */
export const en = { ...linkIndexShared, ...health };
/** Every deferred catalogue has the English keys. */
export type DeferredCatalog = Widen<typeof en>;
