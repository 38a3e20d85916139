import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built package, imported the ways users import it: Node ESM, Node CJS and a bundler
 * (esbuild). The script tag is covered in real Chromium by test/e2e/script-tag. Each way records
 * through the memory exporter and checks the flushed total, so an entry that loads but does not
 * work fails too. Needs `npx tsup` first; `npm test` builds before it tests.
 *
 * The package is installed the way npm installs it: package.json and its `files` copied into a
 * consumer project's node_modules/isometer, so nothing outside what gets published is reachable.
 * The consumer project sits in .cache/ inside the repository, so the package's own dependencies
 * (@sentry/*, web-vitals) resolve from the repository's node_modules, as they would from the app's.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const runFile = promisify(execFile);

// Child processes get no backend switches from the caller's environment.
const CLEAN_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

/** Records 2 + 3 on one counter series, flushes, and prints `{"flushed":…,"total":…}`. */
const RECORD_AND_FLUSH = `
const memory = memoryExporter();
init({ exporters: [memory], flushIntervalMs: 0 });
metrics.count('entry.check', 2, { attributes: { via: 'entry' } });
metrics.count('entry.check', 3, { attributes: { via: 'entry' } });
const report = (flushed) => console.log(JSON.stringify({ flushed, total: memory.total('entry.check', { via: 'entry' }) }));
`;

interface Manifest {
  files: string[];
  exports: Record<string, string | Record<string, string | Record<string, string>>>;
  sideEffects: unknown;
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
let consumerDir: string;
let packageDir: string;

/** A project that depends on isometer the way an app does: through node_modules/isometer. */
function createConsumerProject(): string {
  const cache = join(REPO_ROOT, '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'consumer-'));
  const installed = join(dir, 'node_modules', 'isometer');
  mkdirSync(installed, { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(installed, 'package.json'));
  for (const entry of manifest.files) cpSync(join(REPO_ROOT, entry), join(installed, entry), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return dir;
}

async function runNode(args: string[]): Promise<{ flushed: boolean; total: number }> {
  const { stdout } = await runFile(process.execPath, args, { cwd: consumerDir, env: CLEAN_ENV });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as { flushed: boolean; total: number };
}

async function bundle(source: string, options: { format: 'iife' | 'esm'; minify?: boolean }): Promise<string> {
  const entry = join(consumerDir, `entry-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(entry, source);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: options.format,
    target: 'es2020',
    // Whitespace minification drops comments, so the tree-shaking check sees code only;
    // identifiers stay readable for it.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: options.minify === true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

beforeAll(() => {
  const missing = ['dist/index.js', 'dist/index.cjs', 'dist/browser/index.js', 'dist/node/index.js', 'dist/node/index.cjs'].filter((file) => !existsSync(join(REPO_ROOT, file)));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`npx tsup\` first (\`npm test\` builds before it tests).`);
  consumerDir = createConsumerProject();
  packageDir = join(consumerDir, 'node_modules', 'isometer');
});

afterAll(() => {
  if (consumerDir) rmSync(consumerDir, { recursive: true, force: true });
});

describe('package.json exports', () => {
  it('lists types first under import and require for every subpath, and every file it names is in the installed package', () => {
    const problems: string[] = [];
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') {
        if (!existsSync(join(packageDir, target))) problems.push(`${subpath} → ${target} does not exist`);
        continue;
      }
      // import and require each name their own declarations (.d.ts for ESM, .d.cts for CJS), types first.
      for (const [condition, nested] of Object.entries(target)) {
        if (typeof nested === 'string') {
          problems.push(`${subpath} (${condition}): expected { types, default }`);
          continue;
        }
        if (Object.keys(nested)[0] !== 'types') problems.push(`${subpath} (${condition}): "types" is not the first condition`);
        for (const [inner, file] of Object.entries(nested)) {
          if (!existsSync(join(packageDir, file))) problems.push(`${subpath} (${condition}.${inner}) → ${file} does not exist`);
        }
      }
      const requireTarget = target.require;
      if (typeof requireTarget !== 'object' || !requireTarget.types?.endsWith('.d.cts')) problems.push(`${subpath}: require needs .d.cts declarations`);
    }
    expect(problems).toEqual([]);
  });

  it('declares the package free of side effects, so bundlers may drop unused modules', () => {
    expect(manifest.sideEffects).toBe(false);
  });
});

describe('Node ESM', { timeout: 30_000 }, () => {
  it.each(['isometer', 'isometer/node'])('import from "%s" records and flushes the exact total', async (specifier) => {
    const script = `import { init, metrics, memoryExporter, flush } from '${specifier}';\n${RECORD_AND_FLUSH}\nreport(await flush());`;
    expect(await runNode(['--input-type=module', '-e', script])).toEqual({ flushed: true, total: 5 });
  });
});

describe('Node CJS', { timeout: 30_000 }, () => {
  it.each(['isometer', 'isometer/node'])('require("%s") records and flushes the exact total', async (specifier) => {
    const script = `const { init, metrics, memoryExporter, flush } = require('${specifier}');\n${RECORD_AND_FLUSH}\nflush().then(report);`;
    expect(await runNode(['--input-type=commonjs', '-e', script])).toEqual({ flushed: true, total: 5 });
  });
});

describe('bundler (esbuild)', { timeout: 30_000 }, () => {
  it('bundles "isometer/browser" for the browser, and the bundle records and flushes the exact total', async () => {
    const code = await bundle(
      `import { init, metrics, memoryExporter, flush } from 'isometer/browser';\n${RECORD_AND_FLUSH}\nglobalThis.done = flush().then((flushed) => ({ flushed, total: memory.total('entry.check', { via: 'entry' }) }));`,
      { format: 'iife', minify: true },
    );
    // A fresh realm with only what every browser has that the SDK may use: no `window`, no
    // `document`, no Node globals, so the bundle must feature-detect to run at all.
    const sandbox: Record<string, unknown> = { console, setTimeout, clearTimeout, setInterval, clearInterval, performance };
    runInNewContext(code, sandbox);
    const done = sandbox.done as Promise<unknown>;
    expect(JSON.parse(JSON.stringify(await done))).toEqual({ flushed: true, total: 5 });
  });

  it('tree-shakes: importing only metrics from "isometer" leaves out exporters and tracing', async () => {
    const markers = ['memoryExporter', 'consoleExporter', 'exportMetrics', 'exportSpans', 'traceparent', 'tracestate', 'sentry-trace', 'baggage'];
    const metricsOnly = await bundle(`import { metrics } from 'isometer';\nmetrics.count('only.metrics');`, { format: 'esm' });
    const withExporters = await bundle(`import { metrics, memoryExporter, consoleExporter } from 'isometer';\nmetrics.count('x');\nexport const exporters = [memoryExporter(), consoleExporter()];`, {
      format: 'esm',
    });
    expect(metricsOnly).toContain('only.metrics');
    expect(markers.filter((marker) => metricsOnly.includes(marker))).toEqual([]);
    // The same check on a bundle that does use exporters finds them, so the check can fail.
    expect(markers.filter((marker) => withExporters.includes(marker))).toEqual(expect.arrayContaining(['memoryExporter', 'consoleExporter', 'exportMetrics']));
  });
});
