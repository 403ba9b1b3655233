import type { Widen } from '../../lib/catalog.ts';
import { messages as linkIndexShared } from '../../shared/link-index/messages/en.ts';
import { messages as audit } from '../../features/audit/messages/en.ts';
import { messages as mfa } from '../../features/mfa/messages/en.ts';
import { messages as playground } from '../../features/playground/messages/en.ts';
import { messages as users } from '../../features/users/messages/en.ts';
import { messages as health } from '../../features/health/messages/en.ts';
import { messages as linkSupport } from '../../shared/links/messages/support/en.ts';
import { messages as bulkJobs } from '../../shared/jobs/messages/en.ts';
import { messages as jobs } from '../../features/jobs/messages/en.ts';
import { messages as linkSelection } from '../../features/links/messages/selection/en.ts';
import { messages as signIn } from '../../features/session/messages/sign-in/en.ts';

/**
 * Strings only some screens use (the Health page; the link index's freshness and progress; the
 * audit log, the users page, the MFA playground and the MFA dialog, each loaded lazily), loaded with those
 * screens rather than with the first screen (`useDeferredMessages` in lib/i18n.ts).
 */
export const en = { ...linkIndexShared, ...health, ...audit, ...mfa, ...playground, ...users, ...linkSupport, ...signIn, ...bulkJobs, ...jobs, ...linkSelection };
/** Every deferred catalogue has the English keys. */
export type DeferredCatalog = Widen<typeof en>;
