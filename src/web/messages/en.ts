import type { Widen } from '../lib/catalog.ts';
import { messages as app } from '../app/messages/en.ts';
import { messages as linksShared } from '../shared/links/messages/en.ts';
import { messages as sessionShared } from '../shared/session/messages/en.ts';
import { messages as links } from '../features/links/messages/en.ts';
import { messages as meta } from '../features/meta/messages/en.ts';
import { messages as session } from '../features/session/messages/en.ts';

/**
 * The English catalogue: each feature's and shared domain's `messages/en.ts`, merged. A new
 * feature's strings are one more line here and in pt-br.ts and es-419.ts (docs/web-layout.md).
 */
export const en = { ...app, ...linksShared, ...sessionShared, ...links, ...meta, ...session };
/** Every catalogue has the English keys: a feature left out of a merge is a compile error. */
export type Catalog = Widen<typeof en>;
