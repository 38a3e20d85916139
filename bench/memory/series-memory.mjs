/**
 * Bytes held per series, one library and one kind per process (run with `--expose-gc`, started by
 * `measureSeriesMemory`): garbage-collect, read `heapUsed + arrayBuffers`, record SERIES_PER_METRIC
 * series in each of METRICS metrics, collect again and divide the growth by the series count. The
 * libraries keep everything recorded in their current interval, so that is what is measured; the
 * check at the end (series the library reports) keeps a library that drops series from looking small.
 *
 * Usage: node --expose-gc bench/memory/series-memory.mjs <isometer|opentelemetry|prom-client> <counter|distribution>
 */
import { MEMORY_METRICS, MEMORY_SERIES_PER_METRIC, memoryAttributes, memoryValues } from './memory-fixtures.mjs';
import { importBuilt } from '../peers/isometer.mjs';

const [library, kind] = process.argv.slice(2);

function heapBytes() {
  globalThis.gc();
  globalThis.gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Each contender: `prepare()` builds what is not per-series (meters, instruments), `record()` fills, `count()` checks. */
const CONTENDERS = {
  async isometer() {
    const isometer = await importBuilt('isometer/node');
    const memory = isometer.memoryExporter();
    isometer.init({ exporters: [memory], flushIntervalMs: 0 });
    const names = Array.from({ length: MEMORY_METRICS }, (_, m) => `memory.${kind}.${m}`);
    // One call per metric first, so per-metric state is not counted as per-series.
    for (const name of names) record(name, { warm: 'up' }, 1);
    function record(name, attributes, value) {
      if (kind === 'counter') isometer.metrics.count(name, value, { attributes });
      else isometer.metrics.distribution(name, value, { attributes });
    }
    return {
      record: (m, attributes, value) => record(names[m], attributes, value),
      async series() {
        await isometer.flush();
        return memory.batches.flatMap((batch) => batch.points).filter((point) => point.attributes.warm === undefined).length;
      },
    };
  },
  async opentelemetry() {
    const { AggregationType, MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
    class Reader extends MetricReader {
      async onForceFlush() {}
      async onShutdown() {}
    }
    const reader = new Reader();
    // The exponential histogram with its default 160 buckets, the OpenTelemetry counterpart of isometer's.
    const views = kind === 'distribution' ? [{ instrumentName: '*', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }] : [];
    const provider = new MeterProvider({ readers: [reader], views });
    const meter = provider.getMeter('memory');
    const instruments = Array.from({ length: MEMORY_METRICS }, (_, m) => (kind === 'counter' ? meter.createCounter(`memory.${m}`) : meter.createHistogram(`memory.${m}`)));
    for (const instrument of instruments) kind === 'counter' ? instrument.add(1, { warm: 'up' }) : instrument.record(1, { warm: 'up' });
    return {
      record: (m, attributes, value) => (kind === 'counter' ? instruments[m].add(value, attributes) : instruments[m].record(value, attributes)),
      async series() {
        const { resourceMetrics } = await reader.collect();
        return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).reduce((total, metric) => total + metric.dataPoints.length - 1, 0);
      },
    };
  },
  async 'prom-client'() {
    const { Counter, Histogram, Registry } = await import('prom-client');
    const registry = new Registry();
    const labelNames = ['route', 'method', 'status'];
    const instruments = Array.from({ length: MEMORY_METRICS }, (_, m) =>
      kind === 'counter'
        ? new Counter({ name: `memory_${m}_total`, help: 'memory', labelNames, registers: [registry] })
        : new Histogram({ name: `memory_${m}`, help: 'memory', labelNames, registers: [registry] }),
    );
    for (const instrument of instruments) kind === 'counter' ? instrument.inc({ route: 'warm' }, 1) : instrument.observe({ route: 'warm' }, 1);
    return {
      record: (m, attributes, value) => (kind === 'counter' ? instruments[m].inc(attributes, value) : instruments[m].observe(attributes, value)),
      async series() {
        let total = 0;
        for (const instrument of instruments) {
          const { values } = await instrument.get();
          total += values.filter((value) => value.labels.route !== 'warm' && (kind === 'counter' || value.metricName.endsWith('_count'))).length;
        }
        return total;
      },
    };
  },
};

async function main() {
  const contender = await CONTENDERS[library]();
  const values = memoryValues(kind);
  const attributeSets = Array.from({ length: MEMORY_SERIES_PER_METRIC }, (_, i) => memoryAttributes(i));
  const before = heapBytes();
  for (let m = 0; m < MEMORY_METRICS; m++) {
    for (let i = 0; i < MEMORY_SERIES_PER_METRIC; i++) {
      // A fresh object per call, as application code builds one; the sets' strings are shared by all libraries.
      const { route, method, status } = attributeSets[i];
      for (const value of values) contender.record(m, { route, method, status }, value);
    }
  }
  const after = heapBytes();
  const expected = MEMORY_METRICS * MEMORY_SERIES_PER_METRIC;
  const series = await contender.series();
  process.stdout.write(JSON.stringify({ library, kind, bytesPerSeries: (after - before) / expected, series, expected, valuesPerSeries: values.length }));
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ library, kind, error: String(error?.stack ?? error) }));
});
