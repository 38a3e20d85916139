/**
 * `npm run bench`: ns/op of isometer next to Sentry 11, OpenTelemetry, prom-client and hot-shots
 * for the hot paths DESIGN.md budgets (a call past the cardinality limit included), the bytes sent
 * for 100k increments, bytes per series, the longest flush stall at 2k and 200k series, record +
 * flush of 1,000 series in Chromium beside Sentry, OpenTelemetry and PostHog, and a node:http
 * server's CPU per request and spans delivered per request beside OpenTelemetry and Sentry. It prints numbers
 * and budgets and never fails: budgets are checked by reading, not by a timed test.
 */
import { CASES } from './cases/index.mjs';
import { INCREMENTS, measureIncrementBytes } from './bytes/increment-bytes.mjs';
import { runOtlpFlushBench } from './flush/otlp-flush.mjs';
import { describeMachine } from './lib/machine.mjs';
import { printFlushStalls } from './flush/flush-stall-table.mjs';
import { printSeriesMemory } from './memory/series-memory-table.mjs';
import { printBrowserRecordFlush } from './browser/record-flush.mjs';
import { measureScrapeCost } from './scrape/scrape-cost.mjs';
import { DEFAULT_MEASURE_OPTIONS, measure, measureInterleaved, readSink } from './lib/measure.mjs';
import { formatBudget, formatInteger, formatNs, formatRatio, formatTable } from './lib/table.mjs';
import { startHotShots } from './peers/hot-shots.mjs';
import { startIsometer } from './peers/isometer.mjs';
import { startOpenTelemetry } from './peers/opentelemetry.mjs';
import { startOpenTelemetryTracing } from './peers/opentelemetry-tracing.mjs';
import { startPromClient } from './peers/prom-client.mjs';
import { startSentry } from './peers/sentry.mjs';
import { measureServers } from './server/server-overhead.mjs';
import { printServerOverhead } from './server/print-server-overhead.mjs';

/** 1 KB = 1,024 B for the byte budget. */
const KB = 1024;
const BYTES_BUDGET = 4 * KB;

const startedAt = process.hrtime.bigint();

// The figures must not depend on the shell: these variables switch exporters on (isometer's Node
// entry reads SENTRY_DSN, STATSD_*, OTEL_*, DD_*, ISOMETER_CONSOLE) or change the peers' behaviour.
for (const name of Object.keys(process.env)) {
  if (/^(SENTRY_|OTEL_|STATSD_|ISOMETER_|DD_)/.test(name)) delete process.env[name];
}
const notes = [];

/**
 * `BENCH_ONLY=server,stall` runs only those parts (cases, bytes, scrape, otlp, server, memory,
 * stall, browser); unset, everything runs.
 */
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((part) => part.trim())) : undefined;
const runs = (part) => only === undefined || only.has(part);

/** Starts each library; one that fails to start is left out of every case, with the reason printed. */
async function startPeers() {
  const starters = {
    isometer: startIsometer,
    sentry: startSentry,
    openTelemetry: startOpenTelemetry,
    openTelemetryTracing: startOpenTelemetryTracing,
    promClient: startPromClient,
    hotShots: startHotShots,
  };
  const peers = {};
  for (const [key, start] of Object.entries(starters)) {
    try {
      peers[key] = await start();
    } catch (error) {
      const note = `${key} could not be started and is left out: ${error?.message ?? error}`;
      console.log(`WARNING: ${note}`);
      notes.push(note);
    }
  }
  return peers;
}

async function stopPeers(peers) {
  for (const peer of Object.values(peers)) {
    try {
      await peer.stop?.();
    } catch (error) {
      notes.push(`stopping a peer failed: ${error?.message ?? error}`);
    }
  }
}

/** Times one contender (unless `measured` is given), then checks the library kept every operation it was given. */
async function runContender(contender, measured) {
  let result = measured;
  try {
    result ??= measure((n) => contender.run(n));
  } catch (error) {
    return { contender, error: String(error?.message ?? error) };
  }
  let recorded;
  if (contender.recorded) {
    try {
      recorded = await contender.recorded();
    } catch (error) {
      recorded = `check failed: ${error?.message ?? error}`;
    }
  }
  return { contender, ...result, recorded };
}

function recordedCell({ contender, recorded, calls }) {
  if (recorded === undefined) return contender.unchecked ?? 'not checked';
  if (typeof recorded === 'string') return recorded;
  return recorded === calls ? `✓ all ${formatInteger(calls)}` : `✗ ${formatInteger(recorded)} of ${formatInteger(calls)}`;
}

/** A budget in ns/op, or (budgetRatio) a ratio to the case's first isometer contender. */
function budgetCell(testCase, result, own) {
  if (!result.contender.isometer) return '';
  if (testCase.budgetRatio === undefined) return formatBudget(result.medianNs, testCase.budgetNs, ' ns');
  if (result === own || !own) return 'reference';
  return formatBudget(result.medianNs / own.medianNs, testCase.budgetRatio, '×');
}

function printCase(testCase, results) {
  const own = results.find((result) => result.contender.isometer && result.medianNs !== undefined);
  const rows = results.map((result) => {
    const { contender } = result;
    if (result.error) return [contender.library, contender.call, 'error', result.error, '', '', ''];
    return [
      contender.library,
      contender.call,
      formatNs(result.medianNs),
      `${formatNs(result.minNs)}–${formatNs(result.maxNs)}`,
      own ? formatRatio(result.medianNs / own.medianNs) : '—',
      budgetCell(testCase, result, own),
      recordedCell(result),
    ];
  });
  console.log(`\n${testCase.title}`);
  console.log(
    formatTable(
      [
        { header: 'library', align: 'left' },
        { header: 'call', align: 'left' },
        { header: 'median ns/op', align: 'right' },
        { header: 'min–max', align: 'right' },
        { header: 'vs isometer', align: 'right' },
        { header: 'budget', align: 'left' },
        { header: 'recorded', align: 'left' },
      ],
      rows,
    ),
  );
}

function printSummary(summary) {
  const libraries = ['isometer', 'Sentry 11', 'OpenTelemetry', 'prom-client', 'hot-shots', 'plain Map'];
  const rows = summary.map(({ testCase, results }) => {
    const byLibrary = new Map(results.filter((result) => result.medianNs !== undefined).map((result) => [result.contender.library, result.medianNs]));
    const own = byLibrary.get('isometer');
    // Ratio cases: the last isometer contender (the one under test) against the first (the reference).
    const ours = results.filter((result) => result.contender.isometer && result.medianNs !== undefined);
    const budget =
      testCase.budgetRatio === undefined ? formatBudget(own, testCase.budgetNs) : ours.length > 1 ? formatBudget(ours.at(-1).medianNs / ours[0].medianNs, testCase.budgetRatio, '× in-limit') : '';
    return [testCase.title, ...libraries.map((library) => (byLibrary.has(library) ? formatNs(byLibrary.get(library)) : '—')), budget];
  });
  console.log('\nsummary: median ns/op (lower is better)');
  console.log(formatTable([{ header: 'case', align: 'left' }, ...libraries.map((header) => ({ header, align: 'right' })), { header: 'isometer budget', align: 'left' }], rows));
}

function printBytes(bytes) {
  const { isometer, sentry } = bytes;
  console.log(`\nbytes sent for ${formatInteger(INCREMENTS)} increments over 10 series in one interval (1 KB = 1,024 B)`);
  const rows = [
    ['isometer', formatInteger(isometer.bytes), formatBudget(isometer.bytes / KB, BYTES_BUDGET / KB, ' KB'), isometer.measured],
    [
      '',
      formatInteger(isometer.json.batchBytes),
      '',
      `for comparison: JSON.stringify of the ${isometer.json.batches} MetricBatch(es): ${isometer.json.points} points summing to ${formatInteger(isometer.json.increments)}`,
    ],
    ['', formatInteger(isometer.json.pointsBytes), '', 'for comparison: JSON.stringify of the points alone'],
    [
      'Sentry 11',
      formatInteger(sentry.bytes),
      '',
      `serializeEnvelope() of the ${formatInteger(sentry.envelopes)} envelopes its transport received (${formatInteger(sentry.items)} trace_metric items)`,
    ],
  ];
  console.log(
    formatTable(
      [
        { header: 'library', align: 'left' },
        { header: 'bytes', align: 'right' },
        { header: 'budget', align: 'left' },
        { header: 'what was measured', align: 'left' },
      ],
      rows,
    ),
  );
  const ratio = sentry.bytes / isometer.bytes;
  console.log(
    `  ratio     Sentry 11 / isometer = ${formatRatio(ratio)} (${formatInteger(sentry.bytes / Math.max(sentry.items, 1))} B per Sentry item; isometer ${formatInteger(isometer.bytes / 10)} B per series)`,
  );
  if (!isometer.delivered) console.log('  note      isometer close() reported that not every exporter accepted the batch');
}

async function main() {
  console.log('isometer bench');
  console.log(describeMachine());
  const { warmupMs, rounds, roundMs } = DEFAULT_MEASURE_OPTIONS;
  console.log(`method    per contender: ${warmupMs} ms warm-up, then ${rounds} rounds of N calls (N sized for ~${roundMs} ms a round), process.hrtime.bigint();`);
  console.log('          a ratio case (the fold) times its isometer contenders in turns, 5 rounds each, five times, and pools the rounds;');
  console.log('          median ns/op, spread = fastest–slowest round; "recorded" = operations the library reports it kept.');

  const peers = await startPeers();
  const summary = [];
  for (const testCase of runs('cases') ? CASES : []) {
    const contenders = testCase.contenders(peers).filter(Boolean);
    const results = [];
    // A ratio case times its isometer contenders in turns, so the ratio compares like with like.
    const together = testCase.interleaved ? contenders.filter((contender) => contender.isometer) : [];
    let pooled = [];
    try {
      pooled = together.length > 0 ? measureInterleaved(together.map((contender) => (n) => contender.run(n))) : [];
    } catch (error) {
      notes.push(`${testCase.title}: interleaved timing failed (${error?.message ?? error}); timed one after the other`);
    }
    for (const contender of contenders) results.push(await runContender(contender, pooled[together.indexOf(contender)]));
    printCase(testCase, results);
    summary.push({ testCase, results });
  }
  if (summary.length > 0) printSummary(summary);
  if (peers.hotShots?.stats.errors) notes.push(`hot-shots reported ${formatInteger(peers.hotShots.stats.errors)} socket errors (expected: nothing listens on its port)`);
  await stopPeers(peers);

  if (peers.isometer && runs('bytes')) {
    try {
      printBytes(await measureIncrementBytes(peers.isometer.isometer, peers.isometer.otlp));
    } catch (error) {
      console.log(`\nbytes: could not be measured: ${error?.stack ?? error}`);
    }
  }

  if (peers.isometer && runs('scrape')) {
    try {
      const { rows, series, rounds } = await measureScrapeCost(peers.isometer.isometer);
      console.log(`\nPrometheus scrape of ${formatInteger(series)} series (half counters, half histograms), median of ${rounds} rounds`);
      console.log(
        formatTable(
          [
            { header: 'library', align: 'left' },
            { header: 'what', align: 'left' },
            { header: 'ms', align: 'right' },
            { header: 'longest stall, ms wall', align: 'right' },
            { header: 'its CPU ms', align: 'right' },
            { header: 'bytes', align: 'right' },
          ],
          rows.map(([library, what, ms, stall, stallCpu, bytes]) => [library, what, ms.toFixed(1), stall.toFixed(1), stallCpu.toFixed(1), bytes === '' ? '' : formatInteger(bytes)]),
        ),
      );
    } catch (error) {
      console.log(`\nscrape cost: could not be measured: ${error?.stack ?? error}`);
    }
  }

  if (peers.isometer && !peers.isometer.otlp?.loadError && process.env.BENCH_SKIP_OTLP_FLUSH !== '1' && runs('otlp')) await runOtlpFlushBench(peers.isometer.isometer, peers.isometer.otlp);

  if (runs('server')) {
    try {
      printServerOverhead(await measureServers());
    } catch (error) {
      console.log(`\nserver overhead: could not be measured: ${error?.stack ?? error}`);
    }
  }

  // Each in processes of its own (a clean heap, `--expose-gc` for the memory figures; Chromium).
  for (const [what, print, part] of [
    ['memory per series', printSeriesMemory, 'memory'],
    ['flush stalls', printFlushStalls, 'stall'],
    ['browser record + flush', printBrowserRecordFlush, 'browser'],
  ]) {
    if (!runs(part)) continue;
    try {
      await print();
    } catch (error) {
      console.log(`\n${what}: could not be measured: ${error?.stack ?? error}`);
    }
  }

  for (const note of notes) console.log(`note: ${note}`);
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  console.log(`\ndone in ${seconds.toFixed(1)} s (result checksum ${readSink()})`);
}

main().catch((error) => {
  // The bench reports; a crash is printed, never turned into a failing exit code.
  console.log(`bench crashed: ${error?.stack ?? error}`);
});
