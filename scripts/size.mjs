/**
 * `npm run size`: minified + gzipped sizes against DESIGN.md's budgets, and a tree-shaking check.
 * Each import is bundled from the built package (`dist/`, reached by the package's self-reference)
 * with esbuild for the browser, minified, then gzipped with zlib at level 9. It reports and always
 * exits 0: the README quotes these figures.
 *
 * The tree-shaking check and the "where the bytes come from" lines bundle the same imports a
 * second time from `src/` with a metafile, to name the source files and packages that end up in
 * the output (a `dist/` file is already one bundle, so it cannot say where its bytes come from);
 * the script tag's bytes are attributed from its own source map.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** 1 KB = 1,024 B, as in the bench. */
const KB = 1024;
const BROWSER_PEERS = ['@sentry/browser', '@sentry/core', 'web-vitals'];
/** Where `isometer/...` points in `src/`, for the attribution build. */
const SOURCE_ENTRIES = {
  isometer: 'src/core/index.ts',
  'isometer/browser': 'src/browser/index.ts',
  'isometer/node': 'src/node/index.ts',
  'isometer/otlp': 'src/otlp/index.ts',
};

const TRACING = /(^|\/)(trace|tracing)\/|span|trace|sampler|propagation|baggage/i;
const EXPORTERS = /exporter|(^|\/)otlp\/|run-export|retry|transport|beacon|envelope/i;

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;
const formatBytes = (bytes) => `${bytes.toLocaleString('en-US')} B`;
const formatKb = (bytes) => `${(bytes / KB).toFixed(2)} KB`;

function budgetCell(bytes, budgetKb) {
  if (budgetKb === undefined) return 'info only';
  if (bytes <= budgetKb * KB) return `≤ ${budgetKb} KB ✓`;
  return `≤ ${budgetKb} KB ✗ OVER by ${formatBytes(bytes - budgetKb * KB)} (+${Math.round((bytes / (budgetKb * KB) - 1) * 100)}%)`;
}

/** Bundles `contents` for the browser; `fromSource` resolves `isometer/*` to `src/` instead of `dist/`. */
async function bundle(contents, { fromSource = false } = {}) {
  const plugins = fromSource
    ? [
        {
          name: 'isometer-from-source',
          setup(build) {
            build.onResolve({ filter: /^isometer(\/.*)?$/ }, (args) => ({ path: join(ROOT, SOURCE_ENTRIES[args.path]) }));
          },
        },
      ]
    : [];
  const result = await esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: 'size-entry.js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    external: BROWSER_PEERS,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .filter(([path, input]) => input.bytesInOutput > 0 && path !== 'size-entry.js')
    .map(([path, input]) => ({ path: relative(ROOT, join(ROOT, path)), bytes: input.bytesInOutput }));
  return { code: result.outputFiles[0].contents, inputs };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` up to three times, 2 s apart: others may be rebuilding `dist/` (tsup cleans it
 * first) while this runs, and a half-written `dist/` is not a size.
 */
async function withRetries(attempt) {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 3) throw error;
      await sleep(2000);
    }
  }
}

/**
 * What a code-splitting bundler (Vite, webpack, Rollup) loads up front for `contents`: the entry
 * chunk plus every chunk it imports statically, each gzipped as the browser receives it. Chunks
 * behind a dynamic import() (isometer's Sentry glue) load only when used; they are listed apart.
 */
async function measureInitialLoad(label, contents, budgetKb) {
  try {
    const result = await withRetries(() =>
      esbuild.build({
        stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: 'size-entry.js' },
        bundle: true,
        splitting: true,
        outdir: join(ROOT, '.cache/size'),
        minify: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2020',
        external: BROWSER_PEERS,
        write: false,
        metafile: true,
        logLevel: 'silent',
      }),
    );
    const files = new Map(result.outputFiles.map((file) => [relative(ROOT, file.path), file.contents]));
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined);
    const initial = new Set();
    const visit = (path) => {
      if (initial.has(path) || !outputs[path]) return;
      initial.add(path);
      for (const imported of outputs[path].imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    };
    visit(entry);
    const sizeOf = (paths) => [...paths].reduce((sum, path) => ({ min: sum.min + files.get(path).length, gzip: sum.gzip + gzipSize(files.get(path)) }), { min: 0, gzip: 0 });
    const lazy = Object.keys(outputs).filter((path) => path.endsWith('.js') && !initial.has(path));
    const initialSize = sizeOf(initial);
    const lazySize = sizeOf(lazy);
    return {
      label,
      min: initialSize.min,
      gzip: initialSize.gzip,
      budgetKb,
      note: `initial load: ${initial.size} chunk(s) gzipped one by one; ${lazy.length} lazy chunk(s) (${formatBytes(lazySize.gzip)} gzip) load only with Sentry`,
    };
  } catch (error) {
    return { label, error: firstLine(error), budgetKb };
  }
}

async function measureImport(label, contents, budgetKb) {
  try {
    const { code } = await withRetries(() => bundle(contents));
    return { label, code, min: code.length, gzip: gzipSize(code), budgetKb, note: `peers external: ${BROWSER_PEERS.join(', ')}` };
  } catch (error) {
    return { label, error: firstLine(error), budgetKb };
  }
}

async function measureScriptTag(budgetKb) {
  const label = 'dist/isometer.min.js (script tag, IIFE)';
  const file = join(ROOT, 'dist/isometer.min.js');
  for (let tries = 1; tries < 3 && !existsSync(file); tries++) await sleep(2000);
  if (!existsSync(file)) return { label, error: 'dist/isometer.min.js is missing (did the build fail?)', budgetKb };
  const code = readFileSync(file);
  // web-vitals observes these entry types; finding them tells whether it was bundled in.
  const text = code.toString('utf8');
  const hasVitals = ['largest-contentful-paint', 'layout-shift'].every((type) => text.includes(type));
  return { label, min: code.length, gzip: gzipSize(code), budgetKb, note: `as built by tsup; web-vitals ${hasVitals ? 'included' : 'NOT found in it'}` };
}

function firstLine(error) {
  return String(error?.errors?.[0]?.text ?? error?.message ?? error).split('\n')[0];
}

/** Header names and baggage keys only tracing code spells out; they survive minification. */
const TRACING_MARKERS = ['sentry-trace', 'traceparent', 'tracestate', 'sample_rand'];

async function treeShakingReport(distCode) {
  const contents = "export { metrics } from 'isometer';";
  const lines = [];
  if (distCode) {
    const text = Buffer.from(distCode).toString('utf8');
    const found = TRACING_MARKERS.filter((marker) => text.includes(marker));
    lines.push(
      `tree-shaking check, dist/ bundle of import { metrics } from 'isometer': tracing strings (${TRACING_MARKERS.join(', ')}) ${found.length === 0 ? 'absent ✓' : `✗ present: ${found.join(', ')}`}`,
    );
  }
  try {
    const { code, inputs } = await bundle(contents, { fromSource: true });
    const group = (pattern) => inputs.filter((input) => pattern.test(input.path));
    const describe = (name, files) =>
      files.length === 0
        ? `  ${name}: none ✓`
        : `  ${name}: ✗ ${files.length} file(s), ${formatBytes(files.reduce((total, file) => total + file.bytes, 0))} minified — ${files.map((file) => `${file.path} (${formatBytes(file.bytes)})`).join(', ')}`;
    lines.push(`tree-shaking check, same import bundled from src/ to attribute bytes to files (${formatBytes(code.length)} min, ${formatBytes(gzipSize(code))} gzip):`);
    lines.push(describe('tracing code', group(TRACING)));
    lines.push(describe('exporter / delivery code', group(EXPORTERS)));
    lines.push(`  files in the bundle: ${inputs.map((input) => `${input.path.replace(/^src\//, '')} ${formatBytes(input.bytes)}`).join(', ')}`);
  } catch (error) {
    lines.push(`tree-shaking check: could not bundle from src/ (${firstLine(error)})`);
  }
  return lines.join('\n');
}

/** `node_modules/@scope/name/...` → `@scope/name`; `src/core/x.ts` → `core/x.ts`. */
function owner(path) {
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return packageMatch ? `${packageMatch[1]} (package)` : path.replace(/^src\//, '');
}

/** The largest contributors, by minified bytes, packages grouped; `inputs` = [{ path, bytes }]. */
function largest(inputs) {
  const totals = new Map();
  for (const input of inputs) totals.set(owner(input.path), (totals.get(owner(input.path)) ?? 0) + input.bytes);
  const sorted = [...totals].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 8).map(([name, bytes]) => `${name} ${formatBytes(bytes)}`);
  const rest = sorted.slice(8).reduce((total, [, bytes]) => total + bytes, 0);
  if (rest > 0) shown.push(`${sorted.length - 8} more ${formatBytes(rest)}`);
  return shown.join(', ');
}

async function importAttribution(title, contents) {
  try {
    const { code, inputs } = await bundle(contents, { fromSource: true });
    return `${title} — bundled from src/ with a metafile (${formatBytes(code.length)} min, ${formatBytes(gzipSize(code))} gzip): ${largest(inputs)}`;
  } catch (error) {
    return `${title}: could not bundle from src/ (${firstLine(error)})`;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Minified bytes per original source, read from a Source Map v3 file: each mapping segment owns
 * the generated bytes up to the next segment on its line (https://sourcemaps.info/spec.html).
 */
function sourceMapAttribution(map, code) {
  const lines = code.split('\n');
  const bytes = new Array(map.sources.length).fill(0);
  let source = 0;
  map.mappings.split(';').forEach((lineMappings, lineIndex) => {
    const segments = [];
    let column = 0;
    for (const segment of lineMappings.split(',')) {
      if (segment === '') continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length >= 4) source += fields[1];
      segments.push({ column, source: fields.length >= 4 ? source : -1 });
    }
    const lineLength = Buffer.byteLength(lines[lineIndex] ?? '');
    segments.forEach((segment, index) => {
      if (segment.source >= 0) bytes[segment.source] += (segments[index + 1]?.column ?? lineLength) - segment.column;
    });
  });
  return map.sources.map((path, index) => ({ path: path.replace(/^(\.\.\/)+/, ''), bytes: bytes[index] })).filter((input) => input.bytes > 0);
}

function scriptTagAttribution() {
  const title = 'dist/isometer.min.js';
  try {
    const code = readFileSync(join(ROOT, 'dist/isometer.min.js'), 'utf8');
    const map = JSON.parse(readFileSync(join(ROOT, 'dist/isometer.min.js.map'), 'utf8'));
    return `${title} — read from its source map: ${largest(sourceMapAttribution(map, code))}`;
  } catch (error) {
    return `${title}: no attribution (${firstLine(error)})`;
  }
}

function printTable(rows) {
  const header = ['bundle', 'minified', 'min + gzip', 'budget (gzip)', 'notes'];
  const cells = rows.map((row) =>
    row.error
      ? [row.label, '—', '—', row.budgetKb ? `≤ ${row.budgetKb} KB ?` : 'info only', `error: ${row.error}`]
      : [row.label, formatBytes(row.min), `${formatBytes(row.gzip)} (${formatKb(row.gzip)})`, budgetCell(row.gzip, row.budgetKb), row.note],
  );
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((row) => [...row[index]].length)));
  const right = new Set([1, 2]);
  const line = (row) =>
    row
      .map((cell, index) => (right.has(index) ? cell.padStart(widths[index]) : cell.padEnd(widths[index])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((size) => '─'.repeat(size)).join('  '));
  for (const row of cells) console.log(line(row));
}

async function main() {
  console.log(`isometer size — ${new Date().toISOString()}, esbuild ${esbuild.version}, platform browser, target es2020, gzip level 9, 1 KB = 1,024 B\n`);
  const rows = [
    await measureInitialLoad("import { init, metrics } from 'isometer/browser'", "export { init, metrics } from 'isometer/browser';", 6),
    {
      ...(await measureImport('  same, as one file (no code splitting)', "export { init, metrics } from 'isometer/browser';", undefined)),
      note: 'a bundler that inlines dynamic imports ships the Sentry glue too',
    },
    await measureInitialLoad('+ browserTracingIntegration, webVitalsIntegration', "export { init, metrics, browserTracingIntegration, webVitalsIntegration } from 'isometer/browser';", undefined),
    await measureScriptTag(10),
    await measureImport("import { metrics } from 'isometer'", "export { metrics } from 'isometer';", undefined),
  ];
  printTable(rows);
  console.log(`\n${await treeShakingReport(rows[4].code)}`);
  console.log('\nwhere the bytes come from (minified bytes per source file; packages grouped):');
  console.log(`  ${await importAttribution("import { init, metrics } from 'isometer/browser'", "export { init, metrics } from 'isometer/browser';")}`);
  console.log(`  ${scriptTagAttribution()}`);
}

main().catch((error) => {
  console.log(`size check crashed: ${error?.stack ?? error}`);
});
