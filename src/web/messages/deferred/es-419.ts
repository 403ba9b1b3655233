import type { DeferredCatalog } from './en.ts';
import { messages as linkIndexShared } from '../../shared/link-index/messages/es-419.ts';
import { messages as audit } from '../../features/audit/messages/es-419.ts';
import { messages as mfa } from '../../features/mfa/messages/es-419.ts';
import { messages as playground } from '../../features/playground/messages/es-419.ts';
import { messages as users } from '../../features/users/messages/es-419.ts';
import { messages as health } from '../../features/health/messages/es-419.ts';
import { messages as linkSupport } from '../../shared/links/messages/support/es-419.ts';
import { messages as bulkJobs } from '../../shared/jobs/messages/es-419.ts';
import { messages as jobs } from '../../features/jobs/messages/es-419.ts';
import { messages as linkSelection } from '../../features/links/messages/selection/es-419.ts';
import { messages as signIn } from '../../features/session/messages/sign-in/es-419.ts';

export const es419: DeferredCatalog = { ...linkIndexShared, ...health, ...audit, ...mfa, ...playground, ...users, ...linkSupport, ...signIn, ...bulkJobs, ...jobs, ...linkSelection };
