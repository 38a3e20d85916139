import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

// Packages the entries import at run time; never bundled into the ESM/CJS builds.
const external = ['@sentry/browser', '@sentry/node', 'web-vitals', '@playwright/test'];

/**
 * The page's engine (src/browser/engine.ts: aggregation, exporters, delivery), the Sentry glue and
 * web vitals are built as files of their own (the second config below), and the browser entry loads them with
 * `import('./engine.js')` (`./sentry.js`, `./web-vitals.js`). Had they been chunks of the package build,
 * code they share with the up-front entry would sit in chunks the entry imports statically, and
 * bundlers (esbuild above all: it splits by file) would load it up front.
 */
const LAZY_FILES = new Set(['./engine', './sentry', './web-vitals']);
const lazyFilesApart: Plugin = {
  name: 'isometer-lazy-files-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/(engine|sentry|web-vitals)$/ }, (args) =>
      LAZY_FILES.has(args.path) && args.kind === 'dynamic-import' && /src\/browser\/[^/]+\.ts$/.test(args.importer) ? { path: `${args.path}.js`, external: true } : undefined,
    );
  },
};

/** The same lazy files for the script tag: its companions, next to dist/isometer.min.js. */
const SCRIPT_TAG_FILES: Record<string, string> = { './browser/script-tag-engine': './isometer.engine.min.js', './web-vitals': './isometer.web-vitals.min.js', './sentry': './isometer.sentry.min.js' };
const scriptTagCompanions: Plugin = {
  name: 'isometer-script-tag-companions',
  setup(build) {
    build.onResolve({ filter: /^\.\/(browser\/script-tag-engine|web-vitals|sentry)$/ }, (args) => {
      const file = SCRIPT_TAG_FILES[args.path];
      // Only the dynamic imports: a companion's own entry file is bundled, not loaded.
      return file !== undefined && args.kind === 'dynamic-import' ? { path: file, external: true } : undefined;
    });
  },
};

/** The relative `import('./engine.js')` only works from dist/browser/: fail the build if it landed elsewhere. */
function checkLazyImports(): void {
  for (const name of readdirSync('dist')) {
    if (!/\.c?js$/.test(name)) continue;
    if (/import\(["']\.\/(engine|sentry|web-vitals)\.js["']\)/.test(readFileSync(`dist/${name}`, 'utf8')))
      throw new Error(`dist/${name} loads a lazy file of dist/browser/ (./engine.js, ./sentry.js, ./web-vitals.js), which is in dist/browser/`);
  }
}

/**
 * The script tag is shipped as built, so it gets a second minifier pass: terser drops the bundler's
 * unused interop helpers and folds what esbuild leaves (about 4 % of the gzipped file; `pure_getters`: no
 * getter of isometer's has a side effect a dropped read would skip). The
 * package's own files are left to the app's bundler.
 */
async function minifyAgain(path: string): Promise<void> {
  const result = await minify(readFileSync(path, 'utf8'), { ecma: 2020, compress: { passes: 3, pure_getters: true }, format: { comments: false } });
  if (result.code === undefined) throw new Error(`terser returned nothing for ${path}`);
  writeFileSync(path, result.code);
}

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
    esbuildPlugins: [lazyFilesApart],
    async onSuccess() {
      checkLazyImports();
    },
  },
  {
    // The page's engine, Sentry glue and web vitals, loaded by the browser entry from next to it (see above).
    entry: { 'browser/engine': 'src/browser/engine.ts', 'browser/sentry': 'src/browser/sentry.ts', 'browser/web-vitals': 'src/browser/web-vitals.ts' },
    format: ['esm'],
    platform: 'browser',
    // Left for the app's bundler to fold (warnings as short codes in production): esbuild would
    // otherwise define it as "development" for an unminified browser build.
    define: { 'process.env.NODE_ENV': 'process.env.NODE_ENV' },
    target: 'es2020',
    splitting: true,
    sourcemap: false,
    treeshake: true,
    // Minified: these files repeat what they share with the entry (they are bundles of their own),
    // and the install footprint has a budget. Warning texts stay for the app's bundler to fold.
    minify: true,
    external,
  },
  {
    // The script tag: a classic script that defines window.Isometer, with the front only; the
    // engine, web vitals and the Sentry glue are the ES modules below, which it imports from next
    // to itself (a classic script's `import()` resolves against the script's URL).
    entry: { isometer: 'src/cdn.ts' },
    format: ['iife'],
    globalName: 'Isometer',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    // No map in the package: it would be 0.7 MB of the 3 MB install budget.
    sourcemap: false,
    esbuildPlugins: [scriptTagCompanions],
    outExtension: () => ({ js: '.min.js' }),
    async onSuccess() {
      await minifyAgain('dist/isometer.min.js');
    },
  },
  {
    // The script tag's companions: dist/isometer.engine.min.js, .web-vitals.min.js, .sentry.min.js.
    entry: { 'isometer.engine': 'src/browser/script-tag-engine.ts', 'isometer.web-vitals': 'src/browser/web-vitals.ts', 'isometer.sentry': 'src/browser/sentry.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    splitting: false,
    // web-vitals is bundled in; Sentry is not: a page that wants it loads Sentry's own script
    // tag (window.Sentry), which the Sentry exporter finds.
    noExternal: [/^web-vitals$/],
    esbuildPlugins: [scriptTagCompanions],
    esbuildOptions(options) {
      // tsup's dependency rules do not reach dynamic imports; say it to esbuild directly.
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
    // One file each: the viewer finds its page files next to its own module.
    splitting: false,
    sourcemap: false,
    async onSuccess() {
      cpSync('src/dev/page', 'dist/dev/page', { recursive: true });
    },
  },
]);
