import { launchBenchChromium } from './chromium.ts';

// Page-side scripts are plain strings: the bench runs through tsx, whose transform would add
// helpers the page does not have.
const instrument = `
  window.__marks = {};
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const response = await originalFetch(...args);
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    // Belvo's live list before the index's first sync, the index-backed list after it.
    if ((url.includes('/api/links/') || url.includes('/bff/index/links')) && url.includes('page_size=1000') && !window.__marks.dataArrived) {
      response.clone().text().then(() => { window.__marks.dataArrived = performance.now(); });
    }
    return response;
  };
  new MutationObserver(() => {
    const marks = window.__marks;
    if (marks.dataArrived && !marks.rowsInDom && document.querySelector('table tbody tr[aria-rowindex="2"]')) {
      marks.rowsInDom = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { marks.rowsPainted = performance.now(); }));
    }
  }).observe(document, { childList: true, subtree: true });
`;

const clickFilter = `(async () => {
  const label = [...document.querySelectorAll('label')].find((element) => element.textContent.startsWith('Invalid'));
  const firstBefore = document.querySelector('table tbody tr[aria-rowindex="2"]').textContent;
  const clicked = performance.now();
  label.click();
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  while (!label.querySelector('input').checked) await nextFrame();
  await nextFrame();
  const repaint = performance.now() - clicked;
  for (;;) {
    const first = document.querySelector('table tbody tr[aria-rowindex="2"]');
    if (first && first.textContent !== firstBefore && first.textContent.includes('Invalid') && !document.querySelector('[aria-busy="true"]')) break;
    await nextFrame();
  }
  await nextFrame();
  return { repaint, rows: performance.now() - clicked };
})()`;

/**
 * In Chromium, against Linkdesk as `npm start` serves it:
 * - a 1000-link page: time from the list response's body arriving to the first rows painted;
 * - a status filter click: time to the next paint showing the change (the chosen filter and the
 *   busy table), and, apart, time until the new rows are painted.
 */
export async function measureRendering(baseUrl: string, account: { username: string; password: string }, runs = 5) {
  const browser = await launchBenchChromium();
  const firstRows: number[] = [];
  const filterRepaint: number[] = [];
  const filterRows: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      // The app's CSP forbids string evaluation, which is how these page-side probes run.
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      const signedIn = await page.request.post(`${baseUrl}/bff/session`, { data: account, headers: { 'x-linkdesk-csrf': '1' } });
      if (!signedIn.ok()) throw new Error(`sign-in for the rendering bench failed: ${signedIn.status()}`);
      await page.addInitScript(instrument);
      await page.goto(`${baseUrl}/links?page_size=1000`);
      await page.waitForFunction('window.__marks.rowsPainted');
      const marks = (await page.evaluate('window.__marks')) as Record<string, number>;
      firstRows.push((marks.rowsPainted ?? 0) - (marks.dataArrived ?? 0));
      const rowCount = await page.locator('table tbody tr[aria-rowindex]').count();
      if (rowCount < 10) throw new Error(`expected a screenful of rows, saw ${rowCount}`);
      const timing = (await page.evaluate(clickFilter)) as { repaint: number; rows: number };
      filterRepaint.push(timing.repaint);
      filterRows.push(timing.rows);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  return {
    runs,
    firstRowsAfterDataMs: median(firstRows),
    firstRowsAfterDataMaxMs: Math.max(...firstRows),
    filterRepaintMs: median(filterRepaint),
    filterRepaintMaxMs: Math.max(...filterRepaint),
    filterNewRowsMs: median(filterRows),
  };
}
