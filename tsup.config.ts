import { cpSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Packages the entries import at run time; never bundled into the ESM/CJS builds.
const external = ['@sentry/browser', '@sentry/node', 'web-vitals', '@playwright/test'];

export default defineConfig([
  {
    entry: {
      index: 'src/core/index.ts',
      'browser/index': 'src/browser/index.ts',
      'node/index': 'src/node/index.ts',
      'otlp/index': 'src/otlp/index.ts',
      'playwright/index': 'src/playwright/index.ts',
    },
    format: ['esm', 'cjs'],
    // The demo builds without declarations (ISOMETER_SKIP_DTS=1): they take most of the build's time and a demo needs none.
    dts: process.env.ISOMETER_SKIP_DTS !== '1',
    target: 'es2020',
    // No source maps in the package build: they were 2.9 of its 4.1 MB, and the code is not minified.
    sourcemap: false,
    clean: true,
    treeshake: true,
    external,
  },
  {
    // The script tag: one self-contained file that defines window.Isometer.
    entry: { isometer: 'src/cdn.ts' },
    format: ['iife'],
    globalName: 'Isometer',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    // web-vitals is bundled in; Sentry is not: a page that wants it loads Sentry's own script
    // tag (window.Sentry), which the Sentry exporter finds.
    noExternal: [/^web-vitals$/],
    esbuildOptions(options) {
      // tsup's dependency rules do not reach dynamic imports in an IIFE; say it to esbuild directly.
      options.external = ['@sentry/browser', '@sentry/node', 'web-vitals/attribution'];
    },
    outExtension: () => ({ js: '.min.js' }),
  },
  {
    // `npx isometer dev`: the bin, and the viewer it runs for code that starts one itself (the
    // demo). Node only, ESM only, one file each, with the page's files copied beside them.
    entry: { 'dev/cli': 'src/dev/cli.ts', 'dev/viewer': 'src/dev/index.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node18',
    splitting: false,
    sourcemap: true,
    async onSuccess() {
      cpSync('src/dev/page', 'dist/dev/page', { recursive: true });
    },
  },
]);
