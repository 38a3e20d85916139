/**
 * Case 1: one increment with three attributes, the attribute object built at the call site as
 * application code does. Values cycle through the fixture tables (≤ 120 series).
 */
import { MASK, METHOD, ROUTE, STATUS } from '../fixtures.mjs';

export const countWithAttributes = {
  title: 'count with 3 attributes',
  budgetNs: 100,
  contenders({ isometer, sentry, openTelemetry, promClient, hotShots }) {
    const otelCounter = openTelemetry?.meter.createCounter('bench.otel.requests');
    const promCounter = promClient?.counter('bench_prom_requests_total', ['route', 'method', 'status']);
    return [
      isometer && {
        library: 'isometer',
        call: "metrics.count('requests', 1, { attributes })",
        isometer: true,
        run(n) {
          const { metrics } = isometer;
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            metrics.count('bench.requests', 1, { attributes: { route: ROUTE[k], method: METHOD[k], status: STATUS[k] } });
          }
          return n;
        },
        recorded: () => isometer.recorded('bench.requests'),
      },
      sentry && {
        library: 'Sentry 11',
        call: 'metrics.count(name, 1, { attributes })',
        run(n) {
          const { metrics } = sentry;
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            metrics.count('bench.requests', 1, { attributes: { route: ROUTE[k], method: METHOD[k], status: STATUS[k] } });
          }
          return n;
        },
        recorded: () => sentry.recorded(),
      },
      openTelemetry && {
        library: 'OpenTelemetry',
        call: 'counter.add(1, attributes)',
        run(n) {
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            otelCounter.add(1, { route: ROUTE[k], method: METHOD[k], status: STATUS[k] });
          }
          return n;
        },
        recorded: () => openTelemetry.recorded('bench.otel.requests'),
      },
      promClient && {
        library: 'prom-client',
        call: 'counter.inc(labels)',
        run(n) {
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            promCounter.inc({ route: ROUTE[k], method: METHOD[k], status: STATUS[k] });
          }
          return n;
        },
        recorded: () => promClient.recorded(promCounter),
      },
      hotShots && {
        library: 'hot-shots',
        call: 'increment(name, 1, 1, tags) → UDP',
        unchecked: 'n/a (fire-and-forget UDP)',
        run(n) {
          const { client } = hotShots;
          for (let i = 0; i < n; i++) {
            const k = i & MASK;
            client.increment('bench.requests', 1, 1, { route: ROUTE[k], method: METHOD[k], status: STATUS[k] });
          }
          return n;
        },
      },
    ];
  },
};
