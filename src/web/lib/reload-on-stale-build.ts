const reloadedAtKey = 'linkdesk:reloaded-for-stale-build';

/**
 * After a deploy, a tab still running the old build asks for chunks that are gone (the server
 * answers 404). Vite reports a failed lazy import as `vite:preloadError`: reload once onto the new
 * build instead of showing a broken page. The error is not swallowed: a route component's loader
 * (TanStack Router's `lazyRouteComponent`) recognises a missing module and waits for the reload
 * quietly, where a swallowed error would reach it as an undefined module and be reported as a
 * crash. A second failure within a minute is not a stale tab but a real outage, so it is left to
 * show.
 */
export function reloadOnStaleBuild(target: Window = window) {
  target.addEventListener('vite:preloadError', () => {
    const now = Date.now();
    const last = Number(target.sessionStorage.getItem(reloadedAtKey) ?? 0);
    if (now - last < 60_000) return;
    target.sessionStorage.setItem(reloadedAtKey, String(now));
    target.location.reload();
  });
}
