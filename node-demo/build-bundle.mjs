/**
 * Bundles browser-demo/bundled/main.ts the way an app's bundler would (`import … from
 * 'isometer/browser'`, resolved through the package's exports map to dist/), with esbuild's JS
 * API, into node-demo/.cache/bundled/. Runs at server start; takes well under a second.
 * Code splitting keeps what loads only on demand (Sentry, when a DSN is set) out of app.js.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Builds the bundle; resolves to the output directory. */
export async function buildBundledDemo(root) {
  const outdir = join(root, 'node-demo', '.cache', 'bundled');
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { app: join(root, 'browser-demo', 'bundled', 'main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    sourcemap: true,
    minify: true,
    logLevel: 'warning',
    // dist/otlp/index.js imports a shared chunk bare (tsup keeps chunk order that way); with
    // "sideEffects": false esbuild rightly drops it, and the chunk only defines things.
    logOverride: { 'ignored-bare-import': 'silent' },
  });
  return outdir;
}
