/**
 * `npm test`: everything a fresh clone needs checked, in order, after `npm ci`:
 *   0. find a Chromium (stop here, with how to get one, when there is none),
 *   1. build (tsup), 2. typecheck the whole tree, 3. typecheck the core with no DOM/Node types,
 *   4. formatting (prettier --check), 5. layering and import cycles (scripts/check-layers.mjs),
 *   6. unit + integration tests (vitest), 7. end-to-end tests in real Chromium (Playwright).
 * A failed build stops the run (every later stage tests its output); other stages all run so one
 * report shows every failure. The last line is `N passed, N failed[, N skipped]`, summing vitest
 * and Playwright; a failed build or typecheck, or a runner that crashed, counts as one failure.
 * Exits non-zero when anything failed or no test ran.
 *
 * @example
 * node scripts/test.mjs
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from './find-chromium.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REPORT_DIR = join(ROOT, '.cache', 'test-reports');
const VITEST_JSON = join(REPORT_DIR, 'vitest.json');
const PLAYWRIGHT_JSON = join(REPORT_DIR, 'playwright.json');

const timings = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function header(title) {
  console.log(`\n━━━ ${title} ${'━'.repeat(Math.max(3, 72 - title.length))}`);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function bin(name) {
  const path = join(ROOT, 'node_modules', '.bin', name);
  if (!existsSync(path)) {
    console.error(`\n${name} is not installed (${path} is missing). Run \`npm ci\` (or \`npm install\`) first.`);
    process.exit(1);
  }
  return path;
}

/** Runs one command with inherited output; resolves with its exit code (a signal counts as 1). */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

async function stage(title, command, args, env) {
  header(title);
  console.log(`$ ${[command.replace(`${ROOT}node_modules/.bin/`, ''), ...args].join(' ')}`);
  const started = performance.now();
  const code = await run(command, args, env);
  const elapsed = performance.now() - started;
  timings.push({ title, elapsed, ok: code === 0 });
  return code;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Vitest's JSON report is Jest-shaped; a file that failed to load has no failed test of its own. */
function countVitest(exitCode) {
  const report = readJson(VITEST_JSON);
  if (!report) {
    failures.push(`vitest exited with ${exitCode} and wrote no report`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  let failed = report.numFailedTests ?? 0;
  for (const file of report.testResults ?? []) {
    const failedInside = (file.assertionResults ?? []).some((test) => test.status === 'failed');
    if (file.status === 'failed' && !failedInside) {
      failed++;
      failures.push(`vitest could not run ${file.name}`);
    }
  }
  if (report.numFailedTests > 0) failures.push(`vitest: ${report.numFailedTests} test(s) failed`);
  const counts = { passed: report.numPassedTests ?? 0, failed, skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) };
  if (exitCode !== 0 && counts.failed === 0) {
    failures.push(`vitest exited with ${exitCode} although no test failed`);
    counts.failed = 1;
  }
  return counts;
}

/** Playwright's JSON report: `unexpected` are failures; `errors` are failures outside any test. */
function countPlaywright(exitCode) {
  const report = readJson(PLAYWRIGHT_JSON);
  if (!report?.stats) {
    failures.push(`playwright exited with ${exitCode} and wrote no report`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
  const globalErrors = (report.errors ?? []).length;
  const counts = { passed: expected + flaky, failed: unexpected + globalErrors, skipped };
  if (unexpected > 0) failures.push(`playwright: ${unexpected} test(s) failed`);
  if (globalErrors > 0) failures.push(`playwright: ${globalErrors} error(s) outside tests`);
  if (exitCode !== 0 && counts.failed === 0) {
    failures.push(`playwright exited with ${exitCode} although no test failed`);
    counts.failed = 1;
  }
  return counts;
}

function add(counts) {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

function finish() {
  header('summary');
  for (const { title, elapsed, ok } of timings) console.log(`${ok ? 'ok  ' : 'FAIL'}  ${seconds(elapsed).padStart(7)}  ${title}`);
  console.log(`      ${seconds(timings.reduce((sum, t) => sum + t.elapsed, 0)).padStart(7)}  total`);
  for (const failure of failures) console.log(`FAILED: ${failure}`);
  if (totals.passed + totals.failed === 0) console.log('FAILED: no test ran');
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`);
  process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

header('chromium');
const chromium = findChromium();
if (!chromium.executablePath) {
  console.error(chromium.help);
  console.error('\nnpm test stopped before building: the end-to-end tests need a browser.');
  process.exit(1);
}
console.log(`using ${chromium.executablePath} (${chromium.source})`);

mkdirSync(REPORT_DIR, { recursive: true });
rmSync(VITEST_JSON, { force: true });
rmSync(PLAYWRIGHT_JSON, { force: true });

if ((await stage('build (tsup)', bin('tsup'), [])) !== 0) {
  failures.push('the build failed; nothing was tested');
  add({ passed: 0, failed: 1, skipped: 0 });
  finish();
} else {
  for (const [title, project] of [
    ['typecheck (tsconfig.json)', 'tsconfig.json'],
    ['typecheck core without DOM/Node types (src/core/tsconfig.json)', 'src/core/tsconfig.json'],
  ]) {
    if ((await stage(title, bin('tsc'), ['--noEmit', '-p', project])) !== 0) {
      failures.push(`${title} failed`);
      add({ passed: 0, failed: 1, skipped: 0 });
    }
  }

  if ((await stage('formatting (prettier --check)', bin('prettier'), ['--check', '--log-level', 'warn', '.'])) !== 0) {
    failures.push('formatting: run `npx prettier --write .`');
    add({ passed: 0, failed: 1, skipped: 0 });
  }
  if ((await stage('layering and import cycles', process.execPath, [join(ROOT, 'scripts', 'check-layers.mjs')])) !== 0) {
    failures.push('layering: an import goes up a layer, crosses runtime folders, or closes a cycle');
    add({ passed: 0, failed: 1, skipped: 0 });
  }

  const vitestCode = await stage('unit + integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`]);
  add(countVitest(vitestCode));

  const playwrightCode = await stage('end-to-end tests in Chromium (playwright)', bin('playwright'), ['test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_JSON,
    PLAYWRIGHT_CHROMIUM_EXECUTABLE: chromium.executablePath,
  });
  add(countPlaywright(playwrightCode));
  finish();
}
