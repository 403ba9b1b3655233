/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { compileMessage } from '@lingui/message-utils/compileMessage';
import { defineConfig, transformWithOxc, type Plugin } from 'vite';
import { flattenCatalog } from './src/web/lib/catalog.ts';

/** Writes .br and .gz next to each built asset so the server sends them without compressing per request. */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'linkdesk-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        const path = join(assets, name);
        if (!/\.(js|css|svg|json)$/.test(name) || statSync(path).size < 1024) continue;
        const source = readFileSync(path);
        writeFileSync(`${path}.gz`, gzipSync(source, { level: 9 }));
        writeFileSync(`${path}.br`, brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

/**
 * A TypeScript module and the relative modules it imports, stripped of types, as a `data:` URL
 * Node can import: the catalogues are merged from one file per feature (src/web/messages).
 */
async function moduleUrl(file: string, watch: (file: string) => void): Promise<string> {
  watch(file);
  let { code } = await transformWithOxc(readFileSync(file, 'utf8'), file, { lang: 'ts' });
  for (const [, quote, specifier] of code.matchAll(/\bfrom\s*(['"])(\.{1,2}\/[^'"]+)\1/g)) {
    const url = await moduleUrl(resolve(dirname(file), specifier as string), watch);
    code = code.replaceAll(`${quote}${specifier}${quote}`, JSON.stringify(url));
  }
  return `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
}

/**
 * `virtual:linkdesk-messages/<file>`: a catalogue from src/web/messages, merged from every
 * feature's messages, flattened and compiled to Lingui's runtime form at build time, so the
 * browser never ships the ICU parser (~5 KiB gzip).
 */
function compiledCatalogs(): Plugin {
  const prefix = 'virtual:linkdesk-messages/';
  const messagesDir = join(import.meta.dirname, 'src/web/messages');
  return {
    name: 'linkdesk-compiled-catalogs',
    resolveId: (id) => (id.startsWith(prefix) ? `\0${id}` : undefined),
    async load(id) {
      if (!id.startsWith(`\0${prefix}`)) return undefined;
      const file = join(messagesDir, `${id.slice(prefix.length + 1)}.ts`);
      const module = (await import(await moduleUrl(file, (dependency) => this.addWatchFile(dependency)))) as Record<string, object>;
      const catalog = Object.values(module).find((value) => typeof value === 'object');
      if (!catalog) throw new Error(`${file} exports no catalogue`);
      const compiled = Object.fromEntries(Object.entries(flattenCatalog(catalog)).map(([key, message]) => [key, compileMessage(message)]));
      return `export default ${JSON.stringify(compiled)};`;
    },
  };
}

export default defineConfig({
  plugins: [react(), tailwindcss(), compiledCatalogs(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    manifest: true,
    rolldownOptions: {
      output: {
        // Everything the first screen needs in one long-cached vendor chunk; the dialog library,
        // the QR renderer and the lazy pages stay in their own chunks, loaded on demand.
        codeSplitting: {
          groups: [{ name: 'vendor', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack|@lingui|zod)[\\/]/ }],
        },
      },
    },
  },
  test: {
    globals: true,
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/belvo-sim/**/*.test.ts', 'test/server/**/*.test.ts', 'test/contract/**/*.test.ts'],
          setupFiles: ['test/support/fail-on-console-error.ts'],
          // A throwaway PostgreSQL cluster for the store tests that run on both databases.
          globalSetup: ['test/support/postgres-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['test/web/**/*.test.tsx', 'test/web/**/*.test.ts'],
          setupFiles: ['test/support/fail-on-console-error.ts', 'test/web/setup.ts'],
          testTimeout: 15_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          // The SPA's build and Chromium; a throwaway PostgreSQL for the several-instances journey.
          globalSetup: ['test/e2e/global-setup.ts', 'test/support/postgres-setup.ts'],
          setupFiles: ['test/support/fail-on-console-error.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
