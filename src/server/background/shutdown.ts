import { flushLogsSync, type Logger } from '../logger.ts';

/**
 * What the process does when it is told to stop or hits an error nothing caught: the request log
 * is buffered (one write per few KiB), so it is written out first, then the server closes; a
 * fatal error is logged as a line of its own before the process ends. (kill -9 cannot be caught;
 * the reconciliation at start covers the actions it leaves open.)
 */
export function handleProcessEnd(options: { logger: Logger; close: () => Promise<void>; exit?: (code: number) => void }) {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal }, 'shutting down');
    flushLogsSync();
    void options.close().then(
      () => {
        flushLogsSync();
        exit(0);
      },
      (error: unknown) => fatal(error),
    );
  };
  const fatal = (error: unknown) => {
    const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };
    options.logger.fatal({ err }, 'fatal error');
    flushLogsSync();
    console.error(error);
    exit(1);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}
