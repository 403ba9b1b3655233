import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/**
 * What the first screen loads: the entry chunk, every chunk it imports statically (recursively),
 * and their CSS. Dynamic imports (other languages, dialogs, QR) load later and are listed apart.
 */
export function measureBundle(distDir: string) {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entryKey) throw new Error('no entry chunk in the Vite manifest');
  const firstScreen = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || firstScreen.has(chunk.file)) return;
    firstScreen.add(chunk.file);
    for (const file of chunk.css ?? []) css.add(file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entryKey);
  const gz = (file: string) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
  const lazy = Object.values(manifest)
    .map((chunk) => chunk.file)
    .filter((file) => file.endsWith('.js') && !firstScreen.has(file));
  return {
    firstScreenJsGzip: [...firstScreen].reduce((sum, file) => sum + gz(file), 0),
    firstScreenCssGzip: [...css].reduce((sum, file) => sum + gz(file), 0),
    firstScreenFiles: [...firstScreen, ...css],
    lazyChunks: lazy.map((file) => ({ file, gzip: gz(file) })),
  };
}
