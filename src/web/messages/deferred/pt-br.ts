import type { DeferredCatalog } from './en.ts';
import { messages as linkIndexShared } from '../../shared/link-index/messages/pt-br.ts';
import { messages as audit } from '../../features/audit/messages/pt-br.ts';
import { messages as mfa } from '../../features/mfa/messages/pt-br.ts';
import { messages as playground } from '../../features/playground/messages/pt-br.ts';
import { messages as users } from '../../features/users/messages/pt-br.ts';
import { messages as health } from '../../features/health/messages/pt-br.ts';
import { messages as linkSupport } from '../../shared/links/messages/support/pt-br.ts';
import { messages as bulkJobs } from '../../shared/jobs/messages/pt-br.ts';
import { messages as jobs } from '../../features/jobs/messages/pt-br.ts';
import { messages as linkSelection } from '../../features/links/messages/selection/pt-br.ts';
import { messages as signIn } from '../../features/session/messages/sign-in/pt-br.ts';

export const ptBR: DeferredCatalog = { ...linkIndexShared, ...health, ...audit, ...mfa, ...playground, ...users, ...linkSupport, ...signIn, ...bulkJobs, ...jobs, ...linkSelection };
