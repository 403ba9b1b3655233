import type { DeferredCatalog } from './en.ts';
import { messages as linkIndexShared } from '../../shared/link-index/messages/es-419.ts';
import { messages as health } from '../../features/health/messages/es-419.ts';

export const es419: DeferredCatalog = { ...linkIndexShared, ...health };
