import type { DeferredCatalog } from './en.ts';
import { messages as linkIndexShared } from '../../shared/link-index/messages/pt-br.ts';
import { messages as health } from '../../features/health/messages/pt-br.ts';

export const ptBR: DeferredCatalog = { ...linkIndexShared, ...health };
