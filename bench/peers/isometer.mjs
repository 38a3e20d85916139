/**
 * isometer as an application uses it: the Node entry from the built package (`dist/`), reached
 * through the package's self-reference, with the default flush interval. A memory exporter
 * receives the aggregates so every case can check that what it timed was really recorded.
 */
export const BENCH_RELEASE = 'bench@1.0.0';
export const BENCH_ENVIRONMENT = 'bench';

/**
 * Imports a subpath of the built package, retrying for up to a minute: others may be rebuilding
 * `dist/` (tsup cleans it first, and a build takes tens of seconds on a busy machine) at the
 * moment the bench starts.
 */
export async function importBuilt(specifier, attempts = 30) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await import(specifier);
    } catch (error) {
      if (attempt >= attempts || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

export async function startIsometer() {
  const isometer = await importBuilt('isometer/node');
  // Loaded now, not when the bytes are measured, so a later rebuild of dist/ cannot take it away.
  const otlp = await importBuilt('isometer/otlp').catch((error) => ({ loadError: error }));
  const memory = isometer.memoryExporter({ maxBatches: 100_000 });
  /** Totals already reported by `recorded`, by name and attributes. */
  const answered = new Map();
  // Every trace sampled, as the Sentry and OpenTelemetry tracers below are, so spans do their full work.
  // Metrics only: like the OpenTelemetry tracer's counting processor, no span leaves the process
  // (isometer then queues none); every span still ends and feeds span.duration, which is checked.
  const metricsOnly = { name: 'memory', exportMetrics: (batch, context) => memory.exportMetrics(batch, context) };
  const client = isometer.init({ exporters: [metricsOnly], serviceName: 'bench', release: BENCH_RELEASE, environment: BENCH_ENVIRONMENT, tracesSampleRate: 1 });
  // A disabled client would turn every call into a no-op and the figures into fiction.
  if (!client?.isActive) throw new Error('isometer init() returned an inactive client');
  return {
    isometer,
    otlp,
    metrics: isometer.metrics,
    startSpan: isometer.startSpan,
    /**
     * How many increments (counters) or values (distributions) reached the exporter for `name`
     * since the last question about the same name and attributes. Nothing is cleared, so cases
     * timed in turns (the fold) can each ask after both ran.
     */
    async recorded(name, attributes) {
      await isometer.flush();
      const key = JSON.stringify([name, attributes ?? null]);
      const total = memory.total(name, attributes);
      const before = answered.get(key) ?? 0;
      answered.set(key, total);
      return total - before;
    },
    stop: () => isometer.close(),
  };
}
