import { http, HttpResponse, type JsonBodyType } from 'msw';
import type { CreateJobBody, Job, JobItem, JobPreview, JobPreviewItem, JobSkipReason } from '../../src/contract/bff/jobs.ts';

/**
 * `/bff/jobs` as src/contract/bff/jobs.ts describes it, for the SPA's tests while the proxy's side
 * is built in parallel: an in-memory store of jobs the test shapes, and the requests it received.
 * The links come from the test's simulator, so ids and external_ids are real ones.
 */
export function createFakeJobsApi({
  links,
  matching = () => [],
  skip = {},
  production = false,
}: {
  links: { id: string; external_id: string | null; institution: string; status: JobPreviewItem['status'] }[];
  /** The links a filter selects (the index's answer). */
  matching?: (filter: Record<string, unknown>) => string[];
  skip?: Record<string, JobSkipReason>;
  production?: boolean;
}) {
  const jobs = new Map<string, Job>();
  const requests: { method: string; path: string; body: unknown }[] = [];
  let startError: { status: number; body: JsonBodyType } | null = null;
  let nextId = 1;
  const byId = new Map(links.map((link) => [link.id, link]));

  function preview(body: CreateJobBody): JobPreview {
    const ids = body.link_ids ?? matching(body.filter ?? {});
    const items: JobPreviewItem[] = ids.map((id) => {
      const link = byId.get(id);
      const reason = skip[id] ?? null;
      return {
        link_id: id,
        external_id: link?.external_id ?? null,
        institution: link?.institution ?? null,
        status: link?.status ?? null,
        decision: reason ? 'skip' : 'send',
        reason,
        message: reason,
      };
    });
    const willSend = items.filter((item) => item.decision === 'send').length;
    return {
      dry_run: true,
      action: body.action,
      mode: body.action === 'delete' ? (body.mode ?? 'async') : null,
      resources: null,
      selection: { kind: body.link_ids ? 'link_ids' : 'filter', filter: body.filter ? (body.filter as Record<string, string>) : null, requested: ids.length },
      total: items.length,
      will_send: willSend,
      will_skip: items.length - willSend,
      max_links_per_job: 1000,
      confirmation: `${body.action} ${willSend} ${willSend === 1 ? 'link' : 'links'}${production ? ' in production' : ''}`,
      estimated_minutes: Math.ceil(willSend / 80) * 0.5,
      items,
    };
  }

  function create(body: CreateJobBody, overrides: Partial<Job> = {}): Job {
    const plan = preview(body);
    const items: JobItem[] = plan.items.map((item) => ({
      link_id: item.link_id,
      external_id: item.external_id,
      institution: item.institution,
      state: item.decision === 'skip' ? 'skipped' : 'queued',
      http_status: null,
      code: item.reason,
      message: null,
      request_id: null,
      awaiting_confirmation: false,
      sent_at: null,
      finished_at: null,
    }));
    const job: Job = {
      id: `job_${String(nextId++).padStart(4, '0')}`,
      action: body.action,
      mode: plan.mode,
      resources: null,
      state: 'queued',
      pause_reason: null,
      error: null,
      selection: plan.selection,
      created_by: 'admin',
      created_at: Date.parse('2026-11-20T10:00:00Z'),
      started_at: null,
      finished_at: null,
      total: items.length,
      sent: 0,
      done: 0,
      failed: 0,
      skipped: plan.will_skip,
      outcome_unknown: 0,
      not_sent: 0,
      remaining: plan.will_send,
      awaiting_confirmation: 0,
      rate_per_minute: null,
      eta_seconds: null,
      server_time: Date.parse('2026-11-20T10:00:00Z'),
      items,
      ...overrides,
    };
    jobs.set(job.id, job);
    return job;
  }

  const withoutItems = ({ items: _items, ...job }: Job): Job => job;
  const notFound = () => HttpResponse.json([{ code: 'not_found', message: 'No such job.', request_id: 'req-missing-job' }], { status: 404 });

  const handlers = [
    http.post('*/bff/jobs', async ({ request }) => {
      const body = (await request.json()) as CreateJobBody;
      requests.push({ method: 'POST', path: '/bff/jobs', body });
      if (body.dry_run) return HttpResponse.json(preview(body));
      if (startError) return HttpResponse.json(startError.body, { status: startError.status });
      return HttpResponse.json(withoutItems(create(body)), { status: 201 });
    }),
    http.get('*/bff/jobs', () => HttpResponse.json({ jobs: [...jobs.values()].reverse().map(withoutItems), server_time: Date.now() })),
    http.get('*/bff/jobs/:id', ({ params }) => {
      const job = jobs.get(String(params.id));
      return job ? HttpResponse.json(job) : notFound();
    }),
    http.post('*/bff/jobs/:id/:control', ({ params }) => {
      const job = jobs.get(String(params.id));
      requests.push({ method: 'POST', path: `/bff/jobs/${String(params.id)}/${String(params.control)}`, body: null });
      if (!job) return notFound();
      const state = params.control === 'pause' ? 'paused' : params.control === 'resume' ? 'running' : 'cancelled';
      const next: Job = { ...job, state, pause_reason: state === 'paused' ? 'person: paused by admin' : null };
      jobs.set(job.id, next);
      return HttpResponse.json(withoutItems(next));
    }),
  ];

  return {
    handlers,
    requests,
    /** A job already in the store (as the runner left it). */
    create,
    update(id: string, patch: Partial<Job>) {
      const job = jobs.get(id);
      if (!job) throw new Error(`no job ${id}`);
      jobs.set(id, { ...job, ...patch });
    },
    failStarts(status: number, body: JsonBodyType) {
      startError = { status, body };
    },
  };
}
