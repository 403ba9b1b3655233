import { createContext, useContext } from 'react';
import type { Link } from '../../../contract/links.ts';
import { tokenRequiredErrorSchema, type TokenRequiredError } from '../../../contract/mfa.ts';
import { isApiError } from '../../lib/api-client.ts';

/** One step of an MFA exchange, for the playground's trace (tokens are never kept, only masked). */
export interface MfaTraceEntry {
  at: number;
  label: string;
  method: string;
  path: string;
  status: number | null;
  requestId: string | null;
  durationMs: number;
  summary: string;
}

export type MfaOutcome = { status: 'completed'; link: Link | null } | { status: 'abandoned' };

export interface MfaFlowOptions {
  challenge: TokenRequiredError;
  /** What the user was doing, e.g. "Refresh link 0b1c2d3e". */
  title: string;
  /** Re-sends the original request after an expired session: a new challenge, or done. */
  restart?: () => Promise<TokenRequiredError | { link: Link | null }>;
  onExchange?: (entry: MfaTraceEntry) => void;
}

export interface MfaFlow {
  start(options: MfaFlowOptions): Promise<MfaOutcome>;
}

/**
 * The MFA modal is one app-wide flow that any feature can open (a refresh's 428, a registration's).
 * The provider lives in the app shell; features only see this interface.
 */
export const MfaFlowContext = createContext<MfaFlow | null>(null);

export function useMfaFlow(): MfaFlow {
  const flow = useContext(MfaFlowContext);
  if (!flow) throw new Error('useMfaFlow needs <MfaFlowProvider> above it');
  return flow;
}

/** The 428 challenge inside an error, if it is one. */
export function challengeOf(error: unknown): TokenRequiredError | null {
  if (!isApiError(error) || error.status !== 428 || !Array.isArray(error.body)) return null;
  const parsed = tokenRequiredErrorSchema.safeParse(error.body[0]);
  return parsed.success ? parsed.data : null;
}

export function isChallenge(value: unknown): value is TokenRequiredError {
  return typeof value === 'object' && value !== null && (value as { code?: unknown }).code === 'token_required';
}
