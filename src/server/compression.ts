import { compress } from 'hono/compress';

/**
 * gzip for every compressible answer (JSON, CSV, HTML) a client accepts it for: a 100-link page
 * of `/api/links/` is ~45 KiB of JSON and ~7 KiB gzipped. Event streams are left alone (each event
 * must reach the browser as it is written), and built assets are already compressed at build time
 * (.br/.gz next to each file), so they pass through as they are. gzip rather than brotli because it
 * is what the platform's CompressionStream offers, streaming, without blocking the event loop on a
 * large export.
 */
export function compression() {
  return compress({ encoding: 'gzip', threshold: 1024 });
}
