import { format } from 'node:util';
import { afterEach, beforeEach, vi } from 'vitest';

/** A stray console.error (a React warning, an unhandled rejection log) fails the test that caused it. */
let errors: string[] = [];

beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(format(...args));
  });
});

afterEach(() => {
  const seen = errors;
  errors = [];
  if (seen.length > 0) throw new Error(`console.error was called:\n${seen.join('\n---\n')}`);
});
