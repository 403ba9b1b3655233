import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string | null;
    distDir: string;
  }
}

/**
 * Builds the SPA once, as `npm start` would (a production build), into a directory of its own:
 * never into dist/, which a running Linkdesk may be serving. Finds Debian's Chromium. On CI a
 * missing browser is an error; on a laptop without it the browser journeys are skipped with a
 * warning.
 */
export default async function setup(project: TestProject) {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const chromiumPath = candidates.find((path) => existsSync(path)) ?? null;
  if (!chromiumPath) {
    const message = 'No Chromium found (install Debian’s: apt-get install -y chromium, or set CHROMIUM_PATH).';
    if (process.env.CI) throw new Error(`${message} The end-to-end journeys are required on CI.`);
    console.warn(`\n⚠ ${message} Skipping the end-to-end journeys.\n`);
  }
  project.provide('chromiumPath', chromiumPath);
  const root = resolve(import.meta.dirname, '../..');
  const distDir = mkdtempSync(join(tmpdir(), 'linkdesk-e2e-dist-'));
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, mode: 'production', logLevel: 'warn', configFile: resolve(root, 'vite.config.ts'), build: { outDir: distDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('distDir', distDir);
  return () => rmSync(distDir, { recursive: true, force: true });
}
