import type { Context } from 'hono';
import { respond } from '../errors.ts';
import type { LinkOperationResult } from '../services/link-operations.ts';

/** A shared answer says so, so a second tab knows its click did not reach Belvo again. */
export function linkOperationAnswer(c: Context, { outcome, shared }: LinkOperationResult) {
  return respond(c, outcome, shared ? { 'x-linkdesk-shared': '1' } : {});
}
