/**
 * Browser case: main-thread time to record 1,000 counter series and flush them, isometer beside
 * Sentry, OpenTelemetry and PostHog, each bundled with esbuild and run in its own page of real
 * Chromium. Main-thread time is Chromium's own `TaskDuration` (CDP Performance.getMetrics) from
 * just before the recording until the server has received every series, so the libraries'
 * timers, encoding and sending count too; page load and `init` do not. It is measured in thread
 * CPU time (`timeDomain: 'threadTicks'`): waiting (a network round trip, a timer, a yield) costs
 * the page nothing, and on a shared machine the time the thread was descheduled would otherwise
 * be counted as the library's. Rounds alternate the libraries; the median is printed with a
 * `delivered ✓` check from what the server decoded (every one of the 1,000 series, each once,
 * values summing to 1,000, in every round), the requests that carried the data and the wall time
 * until the last of it arrived. A visible page's `flush()` sends isometer's burst as one request;
 * left to the early flush (no `flush()` call), the burst goes in requests that each fit the 64 KiB
 * keepalive quota, so they outlive a navigation, and every request costs the page its own fetch
 * work: an extra row shows that path.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { formatTable } from '../lib/table.mjs';
import { startBenchServer } from './bench-server.mjs';

const LIBRARIES = [
  ['isometer', 'isometer', 'metrics.count × 1,000 + flush() (OTLP/HTTP JSON; a visible page flushes a burst as one request)'],
  ['isometer-early-flush', '  (isometer, early flush)', 'metrics.count × 1,000, no flush(): the early flush, in keepalive-sized requests (≤ 60 KB)'],
  ['sentry', 'Sentry (@sentry/browser)', 'Sentry.metrics.count × 1,000 + Sentry.flush()'],
  ['opentelemetry', 'OpenTelemetry', 'counter.add × 1,000 + reader.forceFlush() (OTLP/HTTP JSON)'],
  ['posthog', 'PostHog (posthog-js)', 'posthog.capture × 1,000, its queue flushing every 250 ms'],
];
const SERIES = 1000;
const ROUNDS = 7;
const DELIVERY_TIMEOUT_MS = 20_000;

function chromiumPath() {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE, '/usr/bin/chromium'].filter(Boolean);
  return candidates.find((path) => existsSync(path));
}

async function bundle(library) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./pages/${library}.mjs`, import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].text;
}

async function taskSeconds(session) {
  const { metrics } = await session.send('Performance.getMetrics');
  return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? NaN;
}

async function measureOnce(browser, server, library) {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.origin}/page/${library}`);
    await page.waitForFunction(() => typeof window.benchRun === 'function');
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable', { timeDomain: 'threadTicks' });
    server.reset();
    const before = await taskSeconds(session);
    const started = Date.now();
    await page.evaluate(() => window.benchRun());
    const deadline = started + DELIVERY_TIMEOUT_MS;
    while (server.delivered(library) < SERIES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    const wallMs = Date.now() - started;
    const after = await taskSeconds(session);
    return { ms: (after - before) * 1000, wallMs, received: server.received(library), requests: server.requests(library) };
  } finally {
    await page.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function printBrowserRecordFlush() {
  console.log(
    `\nbrowser: main-thread CPU time to record ${SERIES.toLocaleString('en-US')} counter series and flush them (Chromium TaskDuration in thread time until the server has them all; median of ${ROUNDS} rounds, libraries alternating, each in a fresh page)`,
  );
  const executablePath = chromiumPath();
  if (!executablePath) {
    console.log('  skipped: no Chromium (set PLAYWRIGHT_CHROMIUM_EXECUTABLE or install /usr/bin/chromium)');
    return;
  }
  const bundles = new Map();
  const rows = [];
  for (const [library, name] of LIBRARIES) {
    try {
      bundles.set(library, await bundle(library));
    } catch (error) {
      rows.push([name, 'error', '', '', '', '', `bundling failed: ${error.message.split('\n')[0]}`]);
    }
  }
  const server = await startBenchServer(bundles);
  const browser = await chromium.launch({ executablePath });
  const samples = new Map([...bundles.keys()].map((library) => [library, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) for (const library of bundles.keys()) samples.get(library).push(await measureOnce(browser, server, library));
  } finally {
    await browser.close();
    await server.stop();
  }
  const own = samples.has('isometer') ? median(samples.get('isometer').map((sample) => sample.ms)) : undefined;
  for (const [library, name, call] of LIBRARIES) {
    const runs = samples.get(library);
    if (!runs) continue;
    const ms = median(runs.map((sample) => sample.ms));
    // Every series, each once, with its value: a library that dropped, merged or repeated work fails.
    const complete = runs.every(({ received }) => received.points === SERIES && received.series === SERIES && received.sum === SERIES);
    const delivered = complete
      ? `✓ ${SERIES.toLocaleString('en-US')} series every round`
      : `✗ ${runs.map(({ received }) => `${received.points} points, ${received.series} series, Σ ${received.sum}`).join(' / ')} (of ${SERIES})`;
    const ratio = own !== undefined && library !== 'isometer' ? `${(ms / own).toFixed(1)}×` : '';
    rows.push([name, ms.toFixed(1), ratio, String(median(runs.map((sample) => sample.requests))), String(median(runs.map((sample) => sample.wallMs))), call, delivered]);
  }
  console.log(
    formatTable(
      [
        { header: 'library', align: 'left' },
        { header: 'median ms', align: 'right' },
        { header: 'vs isometer', align: 'right' },
        { header: 'requests', align: 'right' },
        { header: 'wall ms', align: 'right' },
        { header: 'what ran', align: 'left' },
        { header: 'delivered', align: 'left' },
      ],
      rows,
    ),
  );
  for (const error of server.errors.slice(0, 5)) console.log(`  note: could not count a request: ${error}`);
}

// Alone, after `npm run build`: `node bench/browser/record-flush.mjs`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await printBrowserRecordFlush();
