/**
 * OTLP flush cost per series and wire bytes per distribution point: isometer's `otlpExporter`
 * beside OpenTelemetry's `OTLPMetricExporter` (`-proto` and `-http`, the SDK's exponential
 * histogram for distributions), in the same run, both cumulative (each one's Node default), both
 * sending to one loopback receiver in a child process that decodes every body and counts the data
 * points (the `delivered` check).
 *
 * A round records one value per counter series (20 values over three decades per distribution
 * series), then flushes; the CPU time of this process from the flush call until everything was
 * answered (`process.cpuUsage`, user + system: collection, encoding, sending) is divided by the
 * series count. 25 metrics of N/25 series each (400 at 10k) keep both libraries within their
 * default limits: OpenTelemetry's 2,000 series a metric, and isometer's 500 values a key (a
 * quarter of its 2,000), past which `series` would fold into `__other__` and points go missing.
 * The first WARM_UP_ROUNDS rounds are not counted: a service flushes every interval for hours, so
 * its flush code is optimised; the first few flushes of a process run largely in V8's interpreter
 * while the compiler catches up (at 1,000 series the second flush costs either library several
 * times what the eighth does), which would time the JIT rather than the exporter.
 */
import { OTLPMetricExporter as OtelProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as OtelJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { formatInteger, formatRatio, formatTable } from '../lib/table.mjs';
import { startOtlpReceiver } from './start-otlp-receiver.mjs';

const SERIES = [1000, 10_000];
const ROUNDS = 20;
/** Rounds run before the counted ones, for the code to be optimised as a long-running service's is. */
const WARM_UP_ROUNDS = 5;
const METRICS = 25;
const VALUES = Array.from({ length: 20 }, (_, i) => Math.pow(1000, i / 19));

/** CPU µs this process spends in `fn` (awaited). */
async function cpuMicros(fn) {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function runIsometer(isometer, otlp, endpoint, protocol, kind, series) {
  await isometer.close();
  const client = isometer.init({ flushIntervalMs: 0, serviceName: 'bench', exporters: [otlp.otlpExporter({ endpoint, env: {}, protocol })] });
  return {
    record() {
      for (let i = 0; i < series; i++) {
        const name = `bench.${kind}.${i % METRICS}`;
        const options = { attributes: { series: `s${i}` } };
        if (kind === 'counter') isometer.metrics.count(name, 1, options);
        else for (const value of VALUES) isometer.metrics.distribution(name, value, options);
      }
    },
    flush: () => client.flush(60_000),
    stop: () => isometer.close(),
  };
}

function runOpenTelemetry(endpoint, protocol, kind, series) {
  const Exporter = protocol === 'http/protobuf' ? OtelProtoExporter : OtelJsonExporter;
  const reader = new PeriodicExportingMetricReader({ exporter: new Exporter({ url: `${endpoint}/v1/metrics` }), exportIntervalMillis: 2 ** 31 - 1 });
  const provider = new MeterProvider({ readers: [reader], views: [{ instrumentName: '*', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }] });
  const meter = provider.getMeter('bench');
  const instruments = Array.from({ length: METRICS }, (_, m) => (kind === 'counter' ? meter.createCounter(`bench.counter.${m}`) : meter.createHistogram(`bench.distribution.${m}`)));
  return {
    record() {
      for (let i = 0; i < series; i++) {
        const instrument = instruments[i % METRICS];
        const attributes = { series: `s${i}` };
        if (kind === 'counter') instrument.add(1, attributes);
        else for (const value of VALUES) instrument.record(value, attributes);
      }
    },
    flush: () => reader.forceFlush(),
    stop: () => provider.shutdown(),
  };
}

async function measureOne(start, receiver, series) {
  const contender = await start();
  const perSeries = [];
  const bytesPerPoint = [];
  let delivered = true;
  for (let round = 0; round < ROUNDS; round++) {
    contender.record();
    const micros = await cpuMicros(() => contender.flush());
    const report = await receiver.report();
    if (report.points !== series || report.errors > 0) delivered = false;
    if (round < WARM_UP_ROUNDS) continue;
    perSeries.push(micros / series);
    bytesPerPoint.push(report.bytes / Math.max(1, report.points));
  }
  await contender.stop();
  // What a shutdown sends (a final export) is not the next contender's.
  await receiver.report();
  return { perSeries: median(perSeries), bytesPerPoint: median(bytesPerPoint), delivered };
}

/** Runs every combination and prints one table; returns nothing, never throws. */
export async function runOtlpFlushBench(isometer, otlp, { kinds = ['counter', 'distribution'], sizes = SERIES, protocols = ['http/protobuf', 'http/json'] } = {}) {
  console.log(
    `\nOTLP flush: CPU µs per series (median of ${ROUNDS - WARM_UP_ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up ones), wire bytes per point; both cumulative, loopback receiver decodes every point`,
  );
  let receiver;
  try {
    receiver = await startOtlpReceiver();
    const rows = [];
    for (const kind of kinds) {
      for (const series of sizes) {
        for (const protocol of protocols) {
          const own = await measureOne(() => runIsometer(isometer, otlp, receiver.endpoint, protocol, kind, series), receiver, series);
          const peer = await measureOne(() => runOpenTelemetry(receiver.endpoint, protocol, kind, series), receiver, series);
          for (const [library, result] of [
            ['isometer', own],
            ['OpenTelemetry', peer],
          ]) {
            rows.push([
              kind,
              formatInteger(series),
              protocol,
              library,
              result.perSeries.toFixed(2),
              library === 'isometer' ? '—' : formatRatio(result.perSeries / own.perSeries),
              formatInteger(Math.round(result.bytesPerPoint)),
              result.delivered ? `✓ ${formatInteger(series)} a round` : '✗ points missing',
            ]);
          }
        }
      }
    }
    console.log(
      formatTable(
        ['kind', 'series', 'protocol', 'library', 'µs/series', 'vs isometer', 'B/point', 'delivered'].map((header, index) => ({ header, align: index < 4 ? 'left' : 'right' })),
        rows,
      ),
    );
  } catch (error) {
    console.log(`OTLP flush bench could not run: ${error?.stack ?? error}`);
  } finally {
    receiver?.stop();
  }
}
