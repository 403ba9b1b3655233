const reloadedAtKey = 'linkdesk:reloaded-for-stale-build';

/**
 * After a deploy, a tab still running the old build asks for chunks that are gone (the server
 * answers 404). Vite reports a failed lazy import as `vite:preloadError`: reload once onto the new
 * build instead of showing a broken page. A second failure within a minute is not a stale tab but
 * a real outage, so the error is left to show.
 */
export function reloadOnStaleBuild(target: Window = window) {
  target.addEventListener('vite:preloadError', (event) => {
    const now = Date.now();
    const last = Number(target.sessionStorage.getItem(reloadedAtKey) ?? 0);
    if (now - last < 60_000) return;
    target.sessionStorage.setItem(reloadedAtKey, String(now));
    event.preventDefault();
    target.location.reload();
  });
}
