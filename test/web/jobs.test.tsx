import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CreateJobBody, Job } from '../../src/contract/bff/jobs.ts';
import type { Health } from '../../src/contract/bff/link-index.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { renderApp } from './render-app.tsx';

async function syncedStack(options: Parameters<typeof createTestStack>[0] = {}): Promise<TestStack> {
  const stack = await createTestStack(options);
  await stack.indexSync.syncNow();
  return stack;
}

/**
 * Two background requests to Belvo per 30 s window (the rest of the window is the interactive
 * reserve): a job of four sends two links at once and holds the other two until the test moves
 * the clock past the window.
 */
const twoAtATime = { limit: 10, windowMs: 30_000, reserveForInteractive: 8 };

/** A full sync under a small rate limit: the clock moves a window at a time until it ends, and once more to empty the window. */
async function syncAtPace(stack: TestStack) {
  let synced = false;
  const sync = stack.indexSync.syncNow().then(() => (synced = true));
  while (!synced) {
    stack.clock.advance(30_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await sync;
  stack.clock.advance(30_000);
}

const rowBoxes = () => screen.getAllByRole('checkbox', { name: /^Select link / });
const rowLinkId = (box: HTMLElement) => box.closest('tr')?.querySelector('a')?.getAttribute('href')?.split('/').pop() ?? '';

/** The bodies the SPA posted to /bff/jobs, in order. */
async function posted(forwarded: Request[]): Promise<CreateJobBody[]> {
  const bodies = forwarded.filter((request) => request.method === 'POST' && new URL(request.url).pathname === '/bff/jobs').map((request) => request.clone().json());
  return (await Promise.all(bodies)) as CreateJobBody[];
}

async function startJob(stack: TestStack, body: CreateJobBody): Promise<Job> {
  const response = await stack.request('/bff/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`the job did not start: ${response.status} ${await response.text()}`);
  return (await response.json()) as Job;
}

async function jobNow(stack: TestStack, id: string): Promise<Job> {
  return (await (await stack.request(`/bff/jobs/${id}`)).json()) as Job;
}

describe('choosing links on the links list', () => {
  it('selects a row, a shift-click range and the page, and says how many', async () => {
    const stack = await createTestStack();
    const { user } = await renderApp('/links?page_size=10', { stack, role: 'support' });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    const bar = () => screen.getByRole('region', { name: 'Selected links' });
    expect(screen.queryByRole('region', { name: 'Selected links' })).not.toBeInTheDocument();

    const first = stack.sim.findLink(rowLinkId(rowBoxes()[0] as HTMLElement));
    if (!first) throw new Error('the first row is no simulator link');
    expect(screen.getByRole('checkbox', { name: `Select link ${first.external_id ?? first.id}` })).toBeInTheDocument();

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
    const { user, forwarded } = await renderApp('/links?status=valid&page_size=10', { stack, role: 'admin' });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    await user.click(screen.getByRole('checkbox', { name: 'Select every link on this page' }));
    const bar = screen.getByRole('region', { name: 'Selected links' });
    await user.click(within(bar).getByRole('button', { name: `Select all ${valid.length} matching` }));
    expect(within(bar).getByRole('status')).toHaveTextContent(`All ${valid.length} links matching these filters are selected`);

    await user.click(within(bar).getByRole('button', { name: 'Refresh…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    expect(within(dialog).getByText('status=valid')).toBeInTheDocument();
    // Every valid link can take a refresh: none was refreshed yet, so none is in its cooldown.
    await within(dialog).findByText(new RegExp(`^${valid.length} will be sent, 0 will be skipped\\.`));
    expect((await posted(forwarded))[0]).toEqual({ action: 'refresh', filter: { status: 'valid' }, dry_run: true });
  });
});

describe('the bulk dialog', () => {
  it('previews each link with skip reasons, and starts only with the typed phrase', async () => {
    const stack = await createTestStack();
    const { user, router, forwarded } = await renderApp('/links?page_size=10', { stack, role: 'support' });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    const ids = rowBoxes().slice(0, 3).map(rowLinkId);
    // Someone else's job, not running yet, already holds the second.
    await startJob(stack, { action: 'refresh', link_ids: [ids[1] as string] });
    for (const box of rowBoxes().slice(0, 3)) await user.click(box);

    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    expect(within(dialog).getByText('3 selected links.')).toBeInTheDocument();
    expect(within(dialog).getByRole('radio', { name: /Delete, asynchronously/ })).toBeChecked();
    expect(within(dialog).getByText(/Limited to 5 deletions a minute/)).toBeInTheDocument();
    await within(dialog).findByText(/^2 will be sent, 1 will be skipped\./);
    expect(within(dialog).getByText('Skipped: another job holds it')).toBeInTheDocument();
    expect(within(dialog).getAllByText('Sent')).toHaveLength(2);
    expect((await posted(forwarded))[0]).toEqual({ action: 'delete', mode: 'async', link_ids: ids, dry_run: true });

    const start = within(dialog).getByRole('button', { name: 'Start deleting' });
    expect(start).toBeDisabled();
    const phrase = within(dialog).getByRole('textbox', { name: 'To start, type: delete 2 links' });
    await user.type(phrase, 'delete 3 links');
    expect(start).toBeDisabled();
    await user.clear(phrase);
    await user.type(phrase, 'delete 2 links');
    expect(start).toBeEnabled();
    await user.click(start);

    const heading = await screen.findByRole('heading', { level: 1, name: /^Delete job / });
    const jobId = router.state.location.pathname.split('/').pop() ?? '';
    expect(router.state.location.pathname).toBe(`/jobs/${jobId}`);
    expect(heading).toHaveTextContent(`Delete job ${jobId.slice(0, 8)}`);
    const starts = (await posted(forwarded)).filter((body) => !body.dry_run);
    expect(starts).toEqual([{ action: 'delete', mode: 'async', link_ids: ids, confirmation: 'delete 2 links' }]);
    const job = await jobNow(stack, jobId);
    expect(job).toMatchObject({ state: 'queued', total: 3, skipped: 1, remaining: 2 });
    // The runner is not started: the preview and the start sent nothing to Belvo.
    expect(stack.sim.requests.filter((request) => request.method !== 'GET')).toHaveLength(0);
  });

  it('shows why a start failed, with the request_id, and what to do', async () => {
    const stack = await createTestStack();
    const { user } = await renderApp('/links?status=valid&page_size=10', { stack, role: 'support' });
    await waitFor(() => expect(rowBoxes()).toHaveLength(10));
    const ids = rowBoxes().slice(0, 3).map(rowLinkId);
    for (const box of rowBoxes().slice(0, 3)) await user.click(box);
    await user.click(screen.getByRole('button', { name: 'Refresh…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    expect(within(dialog).getByRole('radio', { name: /^Refresh/ })).toBeChecked();
    await within(dialog).findByText(/^3 will be sent, 0 will be skipped\./);

    // Between the preview and the start, another job takes one of the three.
    await startJob(stack, { action: 'refresh', link_ids: [ids[0] as string] });
    await user.type(within(dialog).getByRole('textbox', { name: 'To start, type: refresh 3 links' }), 'refresh 3 links');
    await user.click(within(dialog).getByRole('button', { name: 'Start refreshing' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The job did not start');
    expect(alert).toHaveTextContent('The confirmation does not match: the job would now need "refresh 2 links".');
    expect(alert).toHaveTextContent('Nothing was sent to Belvo. Check the preview and try again.');
    // The request_id is the one the proxy answered with, and logged with the request.
    const requestId = alert.querySelector('code')?.textContent ?? '';
    expect(requestId).toMatch(/^[A-Za-z0-9-]{8,64}$/);
    expect(stack.logLines.some((line) => line.includes(requestId))).toBe(true);
    expect(within(alert).getByRole('button', { name: /copy/i })).toBeInTheDocument();
    expect(stack.sim.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
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
    const { user, forwarded } = await renderApp('/health', { stack, role: 'admin' });
    const card = await screen.findByRole('listitem', { name: new RegExp(`user ${group.institution_user_id.slice(0, 12)}`) });
    await user.click(within(card).getByRole('button', { name: `Act on the ${older.length} older ${older.length === 1 ? 'link' : 'links'}…` }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    await within(dialog).findByText(new RegExp(`^${older.length} will be sent, 0 will be skipped\\.`));
    expect((await posted(forwarded))[0]).toEqual({ action: 'delete', mode: 'async', link_ids: older, dry_run: true });
  });

  it('acts on a stale set by its filter, and is not offered to viewers', async () => {
    const stack = await syncedStack();
    const health = (await (await stack.request('/bff/health')).json()) as Health;
    const { user, unmount, forwarded } = await renderApp('/health', { stack, role: 'support' });
    const section = await screen.findByRole('region', { name: 'Stale links' });
    const kind = health.stale.broken > 0 ? 'broken' : 'not_accessed';
    const count = health.stale[kind];
    if (count === 0) throw new Error('the simulator made no stale links');
    const buttons = within(section).getAllByRole('button', { name: `Act on these ${count} ${count === 1 ? 'link' : 'links'}…` });
    await user.click(buttons[kind === 'broken' && health.stale.not_accessed > 0 ? 1 : 0] as HTMLElement);
    const dialog = await screen.findByRole('alertdialog', { name: 'Act on several links' });
    await within(dialog).findByText(new RegExp(`^\\d+ will be sent, \\d+ will be skipped\\.`));
    expect((await posted(forwarded))[0]).toMatchObject({ filter: { stale: kind }, dry_run: true });
    // Long-broken links are offered for deletion first; links not read lately for a refresh.
    const offered = kind === 'broken' ? /^Delete, asynchronously/ : /^Refresh$/;
    expect(within(dialog).getByRole('radio', { name: offered })).toBeChecked();
    unmount();

    await renderApp('/health', { stack, role: 'viewer' });
    const viewerSection = await screen.findByRole('region', { name: 'Stale links' });
    expect(within(viewerSection).queryByRole('button', { name: /^Act on/ })).not.toBeInTheDocument();
  });
});

describe('a job’s page', () => {
  /** A four-link async delete the runner has half done: two sent and answered, two held by the pace. */
  async function halfDoneJob(stack: TestStack) {
    // With the index synced the runner knows each link and sends one request per link; the sync's
    // own requests leave the window before the job starts.
    await syncAtPace(stack);
    const ids = stack.sim
      .links()
      .slice(0, 4)
      .map((link) => link.id);
    const job = await startJob(stack, { action: 'delete', mode: 'async', link_ids: ids });
    stack.jobRunner.start();
    await waitFor(async () => expect(await jobNow(stack, job.id)).toMatchObject({ state: 'running', done: 2, remaining: 2 }));
    return { job, ids };
  }

  it('shows progress, counts and each link’s result, and follows the job as it moves', async () => {
    const stack = await createTestStack({ rateLimit: twoAtATime });
    const { job, ids } = await halfDoneJob(stack);
    await renderApp(`/jobs/${job.id}`, { stack, role: 'support' });
    const bar = await screen.findByRole('progressbar', { name: 'Links finished' });
    expect(bar).toHaveAttribute('aria-valuenow', '2');
    expect(bar).toHaveAttribute('aria-valuemax', '4');
    const counts = (name: string) => screen.getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(counts('Sent')).toBe('2');
    expect(counts('Remaining')).toBe('2');
    // Belvo accepted both deletions (202) and confirms each with link_deleted a few seconds later.
    expect(counts('Awaiting Belvo’s confirmation')).toBe('2');
    expect(screen.getByText(/^\d+ links a minute$/)).toBeInTheDocument();
    expect(screen.getByText(/^about \d+ minutes?$/)).toBeInTheDocument();
    const results = screen.getByRole('table', { name: 'Each link’s result' });
    const rows = () => within(results).getAllByRole('row').slice(1);
    expect(rows()).toHaveLength(4);
    const detail = await jobNow(stack, job.id);
    const sent = (detail.items ?? []).filter((item) => item.state === 'done');
    expect(sent).toHaveLength(2);
    for (const item of sent) {
      const row = rows()[ids.indexOf(item.link_id)] as HTMLElement;
      expect(within(row).getByText('Waiting for Belvo’s confirmation')).toBeInTheDocument();
      expect(within(row).getByText('202')).toBeInTheDocument();
      expect(within(row).getByText(item.request_id as string)).toBeInTheDocument();
    }
    expect(screen.getByRole('link', { name: 'Download results (CSV)' })).toHaveAttribute('href', `/bff/jobs/${job.id}/results.csv`);

    // The next window opens: the runner sends the other two, and Belvo confirms every deletion.
    stack.clock.advance(30_000);
    await stack.jobRunner.idle();
    stack.clock.advance(stack.sim.timings.asyncDeleteMs);
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Links finished' })).toHaveAttribute('aria-valuenow', '4'));
    await waitFor(() => expect(counts('Awaiting Belvo’s confirmation')).toBe('0'));
    expect(screen.getByText('Done', { selector: 'span' })).toBeInTheDocument();
    expect(rows().map((row) => within(row).getAllByRole('cell')[2]?.textContent)).toEqual(['Done', 'Done', 'Done', 'Done']);
  });

  it('pauses, resumes and cancels after saying what stays sent; viewers only follow', async () => {
    const stack = await createTestStack({ rateLimit: twoAtATime });
    const { job } = await halfDoneJob(stack);
    const { user, unmount, forwarded } = await renderApp(`/jobs/${job.id}`, { stack, role: 'admin' });
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    await screen.findByText('Paused: someone paused it. Resume carries on with the next link.');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    await screen.findByRole('button', { name: 'Pause' });

    await user.click(screen.getByRole('button', { name: 'Cancel job…' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Cancel this job?' });
    expect(confirm).toHaveTextContent('The 2 links already sent to Belvo stay sent');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel the job' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    const controls = forwarded.map((request) => new URL(request.url).pathname).filter((path) => /\/(pause|resume|cancel)$/.test(path));
    expect(controls).toEqual([`/bff/jobs/${job.id}/pause`, `/bff/jobs/${job.id}/resume`, `/bff/jobs/${job.id}/cancel`]);
    expect(await screen.findByText('Cancelled', { selector: 'span' })).toBeInTheDocument();
    // The two held back never leave, even once the window opens.
    stack.clock.advance(30_000);
    await stack.jobRunner.idle();
    expect(await jobNow(stack, job.id)).toMatchObject({ state: 'cancelled', done: 2, not_sent: 2 });
    expect(stack.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(2);
    unmount();

    // A job nobody runs yet stays open, so only the role keeps a viewer from its controls.
    await stack.jobRunner.stop();
    const other = await startJob(stack, { action: 'delete', mode: 'async', link_ids: stack.sim.links().slice(4, 6).map((link) => link.id) });
    await renderApp(`/jobs/${other.id}`, { stack, role: 'viewer' });
    await screen.findByRole('progressbar', { name: 'Links finished' });
    expect(screen.queryByRole('button', { name: 'Pause' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel job…' })).not.toBeInTheDocument();
    expect(screen.getByText('Your role (Viewer) can follow jobs but not pause, resume or cancel them.')).toBeInTheDocument();
  });

  it('is in the navigation for every role, and lists jobs newest first', async () => {
    const stack = await createTestStack({ rateLimit: { limit: 10, windowMs: 30_000, reserveForInteractive: 7 } });
    await syncAtPace(stack);
    const valid = stack.sim.links().filter((link) => link.status === 'valid');
    const refresh = await startJob(stack, { action: 'refresh', link_ids: valid.slice(0, 2).map((link) => link.id) });
    stack.jobRunner.start();
    await waitFor(async () => expect(await jobNow(stack, refresh.id)).toMatchObject({ state: 'done', done: 2 }));
    stack.clock.advance(1_000);
    // Three background slots per window: two went to the refreshes, one to the first of these deletes.
    const remove = await startJob(stack, { action: 'delete', mode: 'sync', link_ids: valid.slice(2, 5).map((link) => link.id) });
    await waitFor(async () => expect(await jobNow(stack, remove.id)).toMatchObject({ state: 'running', done: 1 }));

    const { user, router } = await renderApp('/links', { stack, role: 'viewer' });
    const nav = await screen.findByRole('navigation', { name: /main/i });
    await user.click(within(nav).getByRole('link', { name: 'Jobs' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/jobs'));
    const table = await screen.findByRole('table', { name: 'Bulk jobs, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('link').getAttribute('aria-label'))).toEqual([`Open job ${remove.id}`, `Open job ${refresh.id}`]);
    expect(rows[0]).toHaveTextContent('Delete (synchronous)');
    expect(rows[0]).toHaveTextContent('Running');
    expect(rows[0]).toHaveTextContent('1 of 3');
    expect(rows[1]).toHaveTextContent('Refresh');
    expect(rows[1]).toHaveTextContent('Done');
  });
});
