import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Link } from '../../../contract/links.ts';
import type { RegisterLinkBody, ResumeLinkBody } from '../../../contract/mfa.ts';
import { apiRequest } from '../../lib/api-client.ts';
import { invalidate } from './queries.ts';

// Apart from queries.ts because only the playground and the MFA modal, both loaded lazily, send
// these: they stay out of the first screen.

/** Registers a link (the playground); a 428 rejects with the challenge inside (`challengeOf`). */
export function useRegisterLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: RegisterLinkBody) => {
      const { status, data } = await apiRequest<Link>('/api/links/', { method: 'POST', json: body });
      return { status, link: data };
    },
    onSettled: (result) => invalidate(queryClient, { type: 'link-changed', link_id: result?.link.id }),
  });
}

/** Resumes a registration or refresh with a token (PATCH /api/links/); a new 428 rejects with the next challenge. */
export function useResumeLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ResumeLinkBody) => {
      const { status, data } = await apiRequest<Link | undefined>('/api/links/', { method: 'PATCH', json: body });
      return { status, link: data ?? null };
    },
    onSettled: (_result, _error, body) => invalidate(queryClient, { type: 'link-changed', link_id: body.link }),
  });
}
