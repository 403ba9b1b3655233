import type { Catalog } from './en.ts';
import { messages as app } from '../app/messages/pt-br.ts';
import { messages as linksShared } from '../shared/links/messages/pt-br.ts';
import { messages as sessionShared } from '../shared/session/messages/pt-br.ts';
import { messages as links } from '../features/links/messages/pt-br.ts';
import { messages as meta } from '../features/meta/messages/pt-br.ts';
import { messages as session } from '../features/session/messages/pt-br.ts';

export const ptBR: Catalog = { ...app, ...linksShared, ...sessionShared, ...links, ...meta, ...session };
