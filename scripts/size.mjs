/**
 * `npm run size`: what a page downloads, measured as users ship it, beside Sentry, OpenTelemetry
 * and PostHog measured the same way in the same run.
 *
 * Each row is an `import` a user writes, bundled by esbuild for the browser from the built package
 * (`dist/`, through the package's self-reference) with every dependency bundled in — nothing is
 * marked external — minified, then gzipped at level 9:
 * - "up front" is what a code-splitting bundler (Vite, webpack, Rollup) loads before the page runs:
 *   the entry chunk and every chunk it imports statically. Chunks behind a dynamic `import()` load
 *   only when used and are reported apart, with what makes them load.
 * - "one file" bundles without code splitting (esbuild's default, and every IIFE): a dynamic
 *   `import()` is inlined, so whatever it can reach ships. The row says whether Sentry's packages
 *   are in it.
 * The script tag is `dist/isometer.min.js` as tsup builds it, up front, and the companion files it
 * imports after `init` (engine, web vitals), lazy. The install footprint is the packed
 * tarball plus the dependencies `npm i isometer` adds. It prints and always exits 0: the README
 * quotes these figures.
 *
 * @example
 * npm run size
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

const ISOMETER = [
  { label: "isometer: import { init, metrics } from 'isometer/browser'", code: "export { init, metrics } from 'isometer/browser';", budgetKb: 6 },
  {
    label: 'isometer: + browserTracingIntegration() + webVitalsIntegration()',
    code: "export { init, metrics, browserTracingIntegration, webVitalsIntegration } from 'isometer/browser';",
    budgetKb: 12,
  },
  { label: "isometer: import { init, metrics } from 'isometer/browser' + otlpExporter", code: "export { init, metrics } from 'isometer/browser'; export { otlpExporter } from 'isometer/otlp';" },
];
const PEERS = [
  { label: "Sentry: import { init, metrics } from '@sentry/browser'", code: "export { init, metrics } from '@sentry/browser';" },
  { label: 'Sentry: + browserTracingIntegration()', code: "export { init, metrics, browserTracingIntegration } from '@sentry/browser';" },
  {
    label: 'OpenTelemetry: metrics SDK + OTLP/HTTP exporter',
    code: "export { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'; export { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';",
  },
  { label: "PostHog: import posthog from 'posthog-js'", code: "export { default } from 'posthog-js';" },
];

/** Bundles `contents` for the browser, dependencies included; `splitting` as a code-splitting bundler does. */
async function build(contents, splitting) {
  return esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: 'size-entry.js' },
    bundle: true,
    splitting,
    outdir: join(ROOT, '.cache', 'size'),
    format: 'esm',
    minify: true,
    platform: 'browser',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
}

/** Up front (entry + static imports) and lazy chunks, gzipped one by one as a browser receives them. */
async function upFront(contents) {
  const result = await build(contents, true);
  const outputs = result.metafile.outputs;
  const files = new Map(result.outputFiles.map((file) => [file.path.slice(ROOT.length + 1), file.contents]));
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined);
  const initial = new Set();
  const visit = (path) => {
    if (initial.has(path) || !outputs[path]) return;
    initial.add(path);
    for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  let initialGzip = 0;
  let lazyGzip = 0;
  const lazyOwners = new Set();
  for (const path of Object.keys(outputs)) {
    if (!path.endsWith('.js')) continue;
    const size = gzip(files.get(path));
    if (initial.has(path)) initialGzip += size;
    else {
      lazyGzip += size;
      for (const input of Object.keys(outputs[path].inputs)) lazyOwners.add(owner(input));
    }
  }
  return { initialGzip, lazyGzip, lazyOwners: [...lazyOwners].slice(0, 6) };
}

/** One file, no splitting: the total, and how many bytes come from Sentry's packages. */
async function oneFile(contents) {
  const result = await build(contents, false);
  const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint !== undefined);
  let sentryBytes = 0;
  for (const [path, input] of Object.entries(output.inputs)) if (/node_modules\/@sentry\//.test(path)) sentryBytes += input.bytesInOutput;
  const file = result.outputFiles.find((out) => out.path.endsWith('.js'));
  return { gzip: gzip(file.contents), sentryBytes };
}

function owner(path) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match ? match[1] : path.replace(/^(\.\.\/)*(dist|src)\//, 'isometer ');
}

function directoryBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stats = statSync(path);
    total += stats.isDirectory() ? directoryBytes(path) : stats.size;
  }
  return total;
}

function installFootprint() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: ROOT, encoding: 'utf8' }))[0];
  const dependencies = Object.keys(manifest.dependencies ?? {});
  const dependencyBytes = dependencies.reduce((sum, name) => sum + directoryBytes(join(ROOT, 'node_modules', name)), 0);
  const packages = 1 + dependencies.length;
  return `npm i isometer: ${packages} package(s) (isometer${dependencies.map((name) => ` + ${name}`).join('')}), ${(packed.unpackedSize / 1e6).toFixed(2)} MB + ${(dependencyBytes / 1e6).toFixed(2)} MB unpacked; Sentry is an optional peer`;
}

function row(cells, widths) {
  return cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  ');
}

async function main() {
  console.log(`isometer size — esbuild ${esbuild.version}, browser, es2020, minified, gzip level 9, 1 KB = 1,024 B, nothing external\n`);
  const lines = [['bundle', 'up front', 'lazy', 'budget', 'one file', 'Sentry in one file']];
  for (const item of [...ISOMETER, ...PEERS]) {
    try {
      const split = await upFront(item.code);
      const single = await oneFile(item.code);
      const budget = item.budgetKb === undefined ? '' : `${split.initialGzip <= item.budgetKb * KB ? '✓' : '✗'} ≤ ${item.budgetKb} KB`;
      lines.push([item.label, kb(split.initialGzip), split.lazyGzip > 0 ? kb(split.lazyGzip) : '—', budget, kb(single.gzip), single.sentryBytes > 0 ? `${kb(single.sentryBytes)} min` : 'none']);
      if (split.lazyGzip > 0 && item.label.startsWith('isometer')) lines.push([`    lazy chunks hold: ${split.lazyOwners.join(', ')}`, '', '', '', '', '']);
    } catch (error) {
      lines.push([item.label, 'error', '', '', String(error?.message ?? error).split('\n')[0], '']);
    }
  }
  const scriptTag = join(ROOT, 'dist', 'isometer.min.js');
  if (existsSync(scriptTag)) {
    // The tag's file is what the page blocks on; its companions are ES modules it imports from
    // next to itself after init: the engine always, web vitals when on (the tag's default), the
    // Sentry glue only with Sentry. "one file" is all three a default page ends up loading.
    const size = gzip(readFileSync(scriptTag));
    const companions = ['isometer.engine.min.js', 'isometer.web-vitals.min.js'].map((name) => join(ROOT, 'dist', name)).filter((path) => existsSync(path));
    const lazy = companions.reduce((sum, path) => sum + gzip(readFileSync(path)), 0);
    lines.push(['isometer: dist/isometer.min.js (script tag: metrics, tracing, vitals, OTLP)', kb(size), lazy > 0 ? kb(lazy) : '—', `${size <= 12 * KB ? '✓' : '✗'} ≤ 12 KB`, kb(size + lazy), 'none']);
    if (lazy > 0) lines.push([`    lazy files: ${companions.map((path) => path.slice(ROOT.length + 6)).join(', ')} (+ isometer.sentry.min.js with Sentry)`, '', '', '', '', '']);
  } else lines.push(['isometer: dist/isometer.min.js', 'missing: run npm run build', '', '', '', '']);
  const widths = lines[0].map((_, index) => Math.max(...lines.map((cells) => cells[index].length)));
  for (const cells of lines) console.log(row(cells, widths));
  console.log(`\n${installFootprint()}`);
}

main().catch((error) => console.log(`size check crashed: ${error?.stack ?? error}`));
