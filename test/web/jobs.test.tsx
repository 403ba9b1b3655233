import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CreateJobBody } from '../../src/contract/bff/jobs.ts';
import type { Health } from '../../src/contract/bff/link-index.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { createFakeJobsApi } from './fake-jobs-api.ts';
import { mswServer } from './msw-server.ts';
import { renderApp } from './render-app.tsx';

async function syncedStack(): Promise<TestStack> {
  const stack = await createTestStack();
  await stack.indexSync.syncNow();
  return stack;
}

function jobsApiFor(stack: TestStack, options: Omit<Parameters<typeof createFakeJobsApi>[0], 'links'> = {}) {
  return createFakeJobsApi({ links: stack.sim.links(), ...options });
}

const rowBoxes = () => screen.getAllByRole('checkbox', { name: /^Select link / });
const posted = (api: ReturnType<typeof createFakeJobsApi>) => api.requests.filter((request) => request.path === '/bff/jobs').map((request) => request.body as CreateJobBody);

describe('choosing links on the links list', () => {
  it('selects a row, a shift-click range and the page, and says how many', async () => {
    const stack = await createTestStack();
    const api = jobsApiFor(stack);
    const { user } = await renderApp('/links?page_size=10', { stack, role: 'support', handlers: api.handlers });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    const bar = () => screen.getByRole('region', { name: 'Selected links' });
    expect(screen.queryByRole('region', { name: 'Selected links' })).not.toBeInTheDocument();

    const link = stack.sim.links().find((candidate) => candidate.id === rowBoxes()[0]?.closest('tr')?.querySelector('a')?.getAttribute('href')?.split('/').pop());
    if (link) expect(screen.getByRole('checkbox', { name: `Select link ${link.external_id ?? link.id}` })).toBeInTheDocument();

    await user.click(rowBoxes()[1] as HTMLElement);
    expect(within(await screen.findByRole('region', { name: 'Selected links' })).getByRole('status')).toHaveTextContent('1 link selected');
    const pageBox = screen.getByRole('checkbox', { name: 'Select every link on this page' });
    expect(pageBox).toBePartiallyChecked();

    await user.keyboard('{Shift>}');
    await user.click(rowBoxes()[4] as HTMLElement);
    await user.keyboard('{/Shift}');
    expect(rowBoxes().map((box) => (box as HTMLInputElement).checked)).toEqual([false, true, true, true, true, false, false, false, false, false]);
    expect(within(bar()).getByRole('status')).toHaveTextContent('4 links selected');

    await user.click(pageBox);
    expect(pageBox).toBeChecked();
    expect(rowBoxes().every((box) => (box as HTMLInputElement).checked)).toBe(true);
    expect(within(bar()).getByRole('status')).toHaveTextContent('10 links selected');
    expect(within(bar()).getByRole('button', { name: 'Delete…' })).toBeInTheDocument();
    expect(within(bar()).getByRole('button', { name: 'Refresh…' })).toBeInTheDocument();

    // Another filter is another selection.
    await user.click(screen.getByRole('radio', { name: /^Valid/ }));
    await waitFor(() => expect(rowBoxes().some((box) => (box as HTMLInputElement).checked)).toBe(false));
    expect(screen.queryByRole('region', { name: 'Selected links' })).not.toBeInTheDocument();
  });

  it('offers no checkboxes to people who may not delete or refresh', async () => {
    const stack = await createTestStack();
    await renderApp('/links?page_size=10', { stack, role: 'viewer' });
    await waitFor(() => expect(screen.getAllByRole('link', { name: /^Open link / })).toHaveLength(10));
    expect(screen.queryByRole('checkbox', { name: /^Select link / })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Selected links' })).not.toBeInTheDocument();
  });

  it('selects all links matching the filters from the index, and the job asks by filter', async () => {
    const stack = await syncedStack();
    const valid = stack.sim.links().filter((link) => link.status === 'valid');
    const api = jobsApiFor(stack, { matching: (filter) => (filter.status === 'valid' ? valid.map((link) => link.id) : []) });
    const { user } = await renderApp('/links?status=valid&page_size=10', { stack, role: 'admin', handlers: api.handlers });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    await user.click(screen.getByRole('checkbox', { name: 'Select every link on this page' }));
    const bar = screen.getByRole('region', { name: 'Selected links' });
    await user.click(within(bar).getByRole('button', { name: `Select all ${valid.length} matching` }));
    expect(within(bar).getByRole('status')).toHaveTextContent(`All ${valid.length} links matching these filters are selected`);

    await user.click(within(bar).getByRole('button', { name: 'Refresh…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    expect(within(dialog).getByText('status=valid')).toBeInTheDocument();
    await within(dialog).findByText(new RegExp(`^${valid.length} will be sent, 0 will be skipped\\.`));
    expect(posted(api)[0]).toEqual({ action: 'refresh', filter: { status: 'valid' }, dry_run: true });
  });
});

describe('the bulk dialog', () => {
  async function selectThree() {
    const stack = await createTestStack();
    const api = jobsApiFor(stack);
    const view = await renderApp('/links?page_size=10', { stack, role: 'support', handlers: api.handlers });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    for (const box of rowBoxes().slice(0, 3)) await view.user.click(box);
    return { ...view, api };
  }

  it('previews each link with skip reasons, and starts only with the typed phrase', async () => {
    const stack = await createTestStack();
    const api0 = createFakeJobsApi({ links: stack.sim.links() });
    const { user, router } = await renderApp('/links?page_size=10', { stack, role: 'support', handlers: api0.handlers });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    const ids = rowBoxes()
      .slice(0, 3)
      .map((box) => box.closest('tr')?.querySelector('a')?.getAttribute('href')?.split('/').pop() ?? '');
    // The server skips the second: a deletion of it is already pending.
    const api = createFakeJobsApi({ links: stack.sim.links(), skip: { [ids[1] as string]: 'already_deleted' } });
    mswServer.use(...api.handlers);
    for (const box of rowBoxes().slice(0, 3)) await user.click(box);

    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    expect(within(dialog).getByText('3 selected links.')).toBeInTheDocument();
    expect(within(dialog).getByRole('radio', { name: /Delete, asynchronously/ })).toBeChecked();
    expect(within(dialog).getByText(/Limited to 5 deletions a minute/)).toBeInTheDocument();
    await within(dialog).findByText(/^2 will be sent, 1 will be skipped\./);
    expect(within(dialog).getByText('Skipped: already deleted or being deleted')).toBeInTheDocument();
    expect(within(dialog).getAllByText('Sent')).toHaveLength(2);
    expect(posted(api)[0]).toEqual({ action: 'delete', mode: 'async', link_ids: ids, dry_run: true });

    const start = within(dialog).getByRole('button', { name: 'Start deleting' });
    expect(start).toBeDisabled();
    const phrase = within(dialog).getByRole('textbox', { name: 'To start, type: delete 2 links' });
    await user.type(phrase, 'delete 3 links');
    expect(start).toBeDisabled();
    await user.clear(phrase);
    await user.type(phrase, 'delete 2 links');
    expect(start).toBeEnabled();
    await user.click(start);

    expect(await screen.findByRole('heading', { level: 1, name: /^Delete job job_0001/ })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/jobs/job_0001');
    const starts = posted(api).filter((body) => !body.dry_run);
    expect(starts).toEqual([{ action: 'delete', mode: 'async', link_ids: ids, confirmation: 'delete 2 links' }]);
  });

  it('shows why a start failed, with the request_id, and what to do', async () => {
    const { user, api } = await selectThree();
    api.failStarts(409, [{ code: 'confirmation_mismatch', message: 'The selection changed since the preview.', request_id: 'req-start-409' }]);
    await user.click(screen.getByRole('button', { name: 'Refresh…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    expect(within(dialog).getByRole('radio', { name: /^Refresh/ })).toBeChecked();
    await within(dialog).findByText(/^3 will be sent, 0 will be skipped\./);
    await user.type(within(dialog).getByRole('textbox', { name: 'To start, type: refresh 3 links' }), 'refresh 3 links');
    await user.click(within(dialog).getByRole('button', { name: 'Start refreshing' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The job did not start');
    expect(alert).toHaveTextContent('The selection changed since the preview.');
    expect(alert).toHaveTextContent('Nothing was sent to Belvo. Check the preview and try again.');
    expect(alert).toHaveTextContent('req-start-409');
    expect(within(alert).getByRole('button', { name: /copy/i })).toBeInTheDocument();
  });
});

describe('Act on these, from Health', () => {
  it('opens the bulk dialog on a duplicate group’s older links', async () => {
    const stack = await syncedStack();
    const health = (await (await stack.request('/bff/health')).json()) as Health;
    const group = health.duplicate_groups[0];
    if (!group) throw new Error('the simulator made no duplicate groups');
    const keep = group.links.find((link) => link.status === 'valid') ?? group.links[0];
    const older = group.links.filter((link) => link.id !== keep?.id).map((link) => link.id);
    const api = jobsApiFor(stack);
    const { user } = await renderApp('/health', { stack, role: 'admin', handlers: api.handlers });
    const card = await screen.findByRole('listitem', { name: new RegExp(`user ${group.institution_user_id.slice(0, 12)}`) });
    await user.click(within(card).getByRole('button', { name: `Act on the ${older.length} older ${older.length === 1 ? 'link' : 'links'}…` }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    await within(dialog).findByText(new RegExp(`^${older.length} will be sent, 0 will be skipped\\.`));
    expect(posted(api)[0]).toEqual({ action: 'delete', mode: 'async', link_ids: older, dry_run: true });
  });

  it('acts on a stale set by its filter, and is not offered to viewers', async () => {
    const stack = await syncedStack();
    const health = (await (await stack.request('/bff/health')).json()) as Health;
    const api = jobsApiFor(stack);
    const { user, unmount } = await renderApp('/health', { stack, role: 'support', handlers: api.handlers });
    const section = await screen.findByRole('region', { name: 'Stale links' });
    const kind = health.stale.broken > 0 ? 'broken' : 'not_accessed';
    const count = health.stale[kind];
    if (count === 0) throw new Error('the simulator made no stale links');
    const buttons = within(section).getAllByRole('button', { name: `Act on these ${count} ${count === 1 ? 'link' : 'links'}…` });
    await user.click(buttons[kind === 'broken' && health.stale.not_accessed > 0 ? 1 : 0] as HTMLElement);
    await screen.findByRole('alertdialog', { name: 'Act on several links' });
    await waitFor(() => expect(posted(api)[0]).toMatchObject({ filter: { stale: kind }, dry_run: true }));
    unmount();

    await renderApp('/health', { stack, role: 'viewer' });
    const viewerSection = await screen.findByRole('region', { name: 'Stale links' });
    expect(within(viewerSection).queryByRole('button', { name: /^Act on/ })).not.toBeInTheDocument();
  });
});

describe('a job’s page', () => {
  function runningJob(stack: TestStack) {
    const api = jobsApiFor(stack);
    const ids = stack.sim.links().slice(0, 4).map((link) => link.id);
    const job = api.create(
      { action: 'delete', mode: 'async', link_ids: ids },
      { state: 'running', sent: 2, done: 2, remaining: 2, awaiting_confirmation: 1, rate_per_minute: 80, eta_seconds: 90 },
    );
    const items = (job.items ?? []).map((item, index) =>
      index === 0
        ? { ...item, state: 'done' as const, http_status: 202, request_id: 'req-belvo-1', awaiting_confirmation: true }
        : index === 1
          ? { ...item, state: 'done' as const, http_status: 202, request_id: 'req-belvo-2' }
          : item,
    );
    api.update(job.id, { items });
    return { api, job, ids };
  }

  it('shows progress, counts and each link’s result, and follows job-changed events', async () => {
    const stack = await createTestStack();
    const { api, job } = runningJob(stack);
    await renderApp(`/jobs/${job.id}`, { stack, role: 'support', handlers: api.handlers });
    const bar = await screen.findByRole('progressbar', { name: 'Links finished' });
    expect(bar).toHaveAttribute('aria-valuenow', '2');
    expect(bar).toHaveAttribute('aria-valuemax', '4');
    const counts = (name: string) => screen.getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(counts('Sent')).toBe('2');
    expect(counts('Remaining')).toBe('2');
    expect(counts('Awaiting Belvo’s confirmation')).toBe('1');
    expect(screen.getByText('80 links a minute')).toBeInTheDocument();
    expect(screen.getByText('about 2 minutes')).toBeInTheDocument();
    const results = screen.getByRole('table', { name: 'Each link’s result' });
    const rows = within(results).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    expect(within(rows[0] as HTMLElement).getByText('Waiting for Belvo’s confirmation')).toBeInTheDocument();
    expect(within(rows[0] as HTMLElement).getByText('req-belvo-1')).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).getByText('Done')).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).getByText('202')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download results (CSV)' })).toHaveAttribute('href', `/bff/jobs/${job.id}/results.csv`);

    api.update(job.id, { state: 'done', sent: 4, done: 4, remaining: 0, eta_seconds: null });
    stack.events.publish({ type: 'job-changed', job_id: job.id });
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Links finished' })).toHaveAttribute('aria-valuenow', '4'));
    expect(screen.getByText('Done', { selector: 'span' })).toBeInTheDocument();
  });

  it('pauses, resumes and cancels after saying what stays sent; viewers only follow', async () => {
    const stack = await createTestStack();
    const { api, job } = runningJob(stack);
    const { user, unmount } = await renderApp(`/jobs/${job.id}`, { stack, role: 'admin', handlers: api.handlers });
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    await screen.findByText('Paused: person: paused by admin');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    await screen.findByRole('button', { name: 'Pause' });

    await user.click(screen.getByRole('button', { name: 'Cancel job…' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Cancel this job?' });
    expect(confirm).toHaveTextContent('The 2 links already sent to Belvo stay sent');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel the job' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(api.requests.map((request) => request.path)).toEqual([`/bff/jobs/${job.id}/pause`, `/bff/jobs/${job.id}/resume`, `/bff/jobs/${job.id}/cancel`]);
    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    unmount();

    const other = runningJob(stack);
    await renderApp(`/jobs/${other.job.id}`, { stack, role: 'viewer', handlers: other.api.handlers });
    await screen.findByRole('progressbar', { name: 'Links finished' });
    expect(screen.queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel job…' })).not.toBeInTheDocument();
    expect(screen.getByText('Your role (Viewer) can follow jobs but not pause, resume or cancel them.')).toBeInTheDocument();
  });

  it('is in the navigation for every role, and lists jobs newest first', async () => {
    const stack = await createTestStack();
    const api = jobsApiFor(stack);
    const ids = stack.sim.links().map((link) => link.id);
    api.create({ action: 'refresh', link_ids: ids.slice(0, 2) }, { state: 'done', done: 2, remaining: 0 });
    api.create({ action: 'delete', mode: 'sync', link_ids: ids.slice(2, 5) }, { state: 'running', done: 1, remaining: 2 });
    const { user, router } = await renderApp('/links', { stack, role: 'viewer', handlers: api.handlers });
    const nav = await screen.findByRole('navigation', { name: /main/i });
    await user.click(within(nav).getByRole('link', { name: 'Jobs' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/jobs'));
    const table = await screen.findByRole('table', { name: 'Bulk jobs, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('link').getAttribute('aria-label'))).toEqual(['Open job job_0002', 'Open job job_0001']);
    expect(rows[0]).toHaveTextContent('Delete (synchronous)');
    expect(rows[0]).toHaveTextContent('Running');
    expect(rows[0]).toHaveTextContent('1 of 3');
    expect(rows[1]).toHaveTextContent('Refresh');
    expect(rows[1]).toHaveTextContent('Done');
  });
});
