import { createSystemClock, type ManualClock } from '../../src/contract/clock.ts';
import type { Job } from '../../src/contract/bff/jobs.ts';
import { createTestStack } from '../support/stack.ts';

/**
 * A 1,000-link asynchronous delete job against the in-process simulator on the wall clock, with a
 * faster limiter than Belvo's (so the part takes under a minute; the shape is the same): does the
 * job run at the limiter's background pace, and not slower? And while it runs, what does the
 * links list (`GET /bff/index/links`, what the console shows once the index is ready) cost
 * compared with idle?
 */
export interface JobsBenchResult {
  links: number;
  configuredPerMinute: number;
  achievedPerMinute: number;
  seconds: number;
  maxInWindow: number;
  backgroundPerWindow: number;
  /** Median over the idle samples taken before and after the job. */
  listIdleMedianMs: number;
  listDuringMedianMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export async function measureJobs(options: { links?: number; limit?: number; windowMs?: number; reserve?: number } = {}): Promise<JobsBenchResult> {
  const links = options.links ?? 1_000;
  const rateLimit = { limit: options.limit ?? 220, windowMs: options.windowMs ?? 10_000, reserveForInteractive: options.reserve ?? 20 };
  const backgroundPerWindow = rateLimit.limit - rateLimit.reserveForInteractive;
  const clock = createSystemClock() as unknown as ManualClock;
  const stack = await createTestStack({ clock, rateLimit, sim: { linkCount: links + 250 } });
  try {
    await stack.indexSync.syncNow();
    const list = '/bff/index/links?status=valid&sort=created_at&page_size=50';
    const timeList = async () => {
      const started = performance.now();
      const response = await stack.request(list);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    for (let i = 0; i < 30; i += 1) await timeList();
    // Idle is measured before the job and again after it, so drift in the machine's load (other
    // work on a shared machine) weighs on both sides instead of only on "during".
    const idle: number[] = [];
    const measureIdle = async () => {
      for (let i = 0; i < 200; i += 1) {
        idle.push(await timeList());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await measureIdle();

    const ids = stack.sim.links().slice(0, links).map((link) => link.id);
    const created = await stack.request('/bff/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'delete', link_ids: ids }) });
    if (created.status !== 201) throw new Error(`job not created: ${created.status} ${await created.text()}`);
    const job = (await created.json()) as Job;
    const before = stack.sim.requests.length;
    stack.jobRunner.start();
    const during: number[] = [];
    let finished = false;
    const done = stack.jobRunner.idle().then(() => (finished = true));
    while (!finished) {
      during.push(await timeList());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await done;
    await measureIdle();
    const result = (await (await stack.request(`/bff/jobs/${job.id}`)).json()) as Job;
    if (result.done !== links) throw new Error(`the job ended ${result.state} with ${result.done} of ${links} done`);

    const times = stack.sim.requests.slice(before).filter((request) => request.method === 'DELETE').map((request) => Date.parse(request.at));
    const first = times[0] ?? 0;
    const last = times[times.length - 1] ?? 0;
    // "Never above": no sliding window holds more than the background share. The simulator logs a
    // request a few milliseconds after the limiter let it go, and not always the same few, so the
    // windows checked are 25 ms shorter than the limiter's.
    const jitterMs = 25;
    let maxInWindow = 0;
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while ((times[j] ?? 0) <= (times[i] ?? 0) - (rateLimit.windowMs - jitterMs)) j += 1;
      maxInWindow = Math.max(maxInWindow, i - j + 1);
    }
    // "Not slower": requests per window over the job's complete windows, counted from its first
    // request. (Where the last, partial window's requests fall depends on when the first window's
    // slots were used, so it says nothing about the pace.)
    const fullWindows = Math.floor((last - first) / rateLimit.windowMs);
    const inFullWindows = times.filter((at) => at < first + fullWindows * rateLimit.windowMs).length;
    const achievedPerMinute = fullWindows > 0 ? (inFullWindows / fullWindows / rateLimit.windowMs) * 60_000 : Number.NaN;
    return {
      links,
      configuredPerMinute: (backgroundPerWindow / rateLimit.windowMs) * 60_000,
      achievedPerMinute,
      seconds: (last - first) / 1000,
      maxInWindow,
      backgroundPerWindow,
      listIdleMedianMs: median(idle),
      listDuringMedianMs: median(during),
    };
  } finally {
    await stack.jobRunner.stop();
    await stack.close();
  }
}
