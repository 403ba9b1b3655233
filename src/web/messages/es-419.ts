import type { Catalog } from './en.ts';
import { messages as app } from '../app/messages/es-419.ts';
import { messages as linksShared } from '../shared/links/messages/es-419.ts';
import { messages as sessionShared } from '../shared/session/messages/es-419.ts';
import { messages as links } from '../features/links/messages/es-419.ts';
import { messages as meta } from '../features/meta/messages/es-419.ts';
import { messages as session } from '../features/session/messages/es-419.ts';

export const es419: Catalog = { ...app, ...linksShared, ...sessionShared, ...links, ...meta, ...session };
