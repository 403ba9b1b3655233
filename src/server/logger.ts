import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs. Request lines carry method, path, status, duration and Belvo's request_id;
 * headers and bodies are never logged, and these paths are redacted in case one slips into a
 * context object.
 */
export const redactedPaths = [
  'authorization',
  'cookie',
  'password',
  'secretPassword',
  'secret_password',
  'token',
  'session',
  'access',
  'refresh',
  'access_token',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.secretPassword',
  '*.token',
  '*.session',
  '*.access',
  '*.access_token',
  'headers',
  '*.headers',
];

const buffered = new Set<{ flushSync(): void }>();

/** Writes out every buffered log line now (before a shutdown or after a fatal error). */
export function flushLogsSync() {
  for (const destination of buffered) {
    try {
      destination.flushSync();
    } catch {
      // Not ready yet (nothing written) or already closed: nothing to flush.
    }
  }
}

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  // stdout, buffered: one write per ~4 KiB instead of one per request line (a request's own
  // latency should not include a syscall and a reader's wake-up); flushed on exit.
  let destination = options.destination;
  if (!destination) {
    const stdout = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    buffered.add(stdout);
    process.once('exit', () => stdout.flushSync());
    const flushTimer = setInterval(() => stdout.flush(), 1000);
    flushTimer.unref();
    destination = stdout;
  }
  return pino(
    {
      level: options.level,
      base: { service: 'linkdesk' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
export type { Logger };
