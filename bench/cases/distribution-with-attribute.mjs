/** Case 3: one value into a distribution (histogram) with one attribute; latencies are log-normal. */
import { LATENCY_MS, MASK, ROUTE } from '../fixtures.mjs';

export const distributionWithAttribute = {
  title: 'distribution with 1 attribute',
  budgetNs: 100,
  contenders({ isometer, sentry, openTelemetry, promClient }) {
    const otelHistogram = openTelemetry?.meter.createHistogram('bench.otel.latency', { unit: 'ms' });
    const promHistogram = promClient?.histogram('bench_prom_latency_ms', ['route']);
    return [
      isometer && {
        library: 'isometer',
        call: "metrics.distribution('latency', ms, { unit, attributes })",
        isometer: true,
        run(n) {
          const { metrics } = isometer;
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            metrics.distribution('bench.latency', LATENCY_MS[k], { unit: 'millisecond', attributes: { route: ROUTE[k] } });
          }
          return n;
        },
        recorded: () => isometer.recorded('bench.latency'),
      },
      sentry && {
        library: 'Sentry 11',
        call: 'metrics.distribution(name, ms, { unit, attributes })',
        run(n) {
          const { metrics } = sentry;
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            metrics.distribution('bench.latency', LATENCY_MS[k], { unit: 'millisecond', attributes: { route: ROUTE[k] } });
          }
          return n;
        },
        recorded: () => sentry.recorded(),
      },
      openTelemetry && {
        library: 'OpenTelemetry',
        call: 'histogram.record(ms, attributes) (default buckets)',
        run(n) {
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            otelHistogram.record(LATENCY_MS[k], { route: ROUTE[k] });
          }
          return n;
        },
        recorded: () => openTelemetry.recorded('bench.otel.latency'),
      },
      promClient && {
        library: 'prom-client',
        call: 'histogram.observe(labels, ms) (default buckets)',
        run(n) {
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            promHistogram.observe({ route: ROUTE[k] }, LATENCY_MS[k]);
          }
          return n;
        },
        recorded: () => promClient.recorded(promHistogram),
      },
    ];
  },
};
