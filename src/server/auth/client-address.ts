/**
 * The client's address for throttling. Behind `trustedHops` reverse proxies, each proxy appends
 * the address it saw to X-Forwarded-For, so the right one is `trustedHops` entries from the right:
 * the address our outermost trusted proxy saw. Everything to its left was written by the client
 * and is never used. With fewer entries than hops, the leftmost one (as Express's `trust proxy`
 * does with a hop count); with no trusted hops, the socket's address.
 */
export function clientAddressFrom(socketAddress: string | undefined, forwardedFor: string | undefined, trustedHops: number): string {
  const socket = socketAddress || 'unknown';
  if (trustedHops <= 0 || !forwardedFor) return socket;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return socket;
  const chosen = entries[Math.max(0, entries.length - trustedHops)] as string;
  return chosen.slice(0, 64);
}
