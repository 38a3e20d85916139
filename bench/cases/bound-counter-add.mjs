/**
 * Case 2: an increment on a counter whose attributes were fixed up front; eight such bound
 * counters are used in turn. A plain `Map` increment is the floor. OpenTelemetry's JS API has no
 * bound instruments, so it adds with a prebuilt attributes object.
 */
import { BOUND_ATTRIBUTE_SETS, BOUND_MASK } from '../fixtures.mjs';

const attributeKey = (attributes) => `${attributes.route}|${attributes.method}|${attributes.status}`;

export const boundCounterAdd = {
  title: 'bound counter add',
  budgetNs: 20,
  contenders({ isometer, openTelemetry, promClient }) {
    const bound = isometer && BOUND_ATTRIBUTE_SETS.map((attributes) => isometer.metrics.counter('bench.bound').bind(attributes));
    const keys = BOUND_ATTRIBUTE_SETS.map(attributeKey);
    const map = new Map(keys.map((key) => [key, 0]));
    const promCounter = promClient?.counter('bench_prom_bound_total', ['route', 'method', 'status']);
    const promChildren = promCounter && BOUND_ATTRIBUTE_SETS.map((attributes) => promCounter.labels(attributes.route, attributes.method, attributes.status));
    const otelCounter = openTelemetry?.meter.createCounter('bench.otel.bound');
    return [
      isometer && {
        library: 'isometer',
        call: "metrics.counter('requests').bind(attributes).add(1)",
        isometer: true,
        run(n) {
          for (let i = 0; i < n; i++) bound[i & BOUND_MASK].add(1);
          return n;
        },
        recorded: () => isometer.recorded('bench.bound'),
      },
      {
        library: 'plain Map',
        call: 'map.set(key, map.get(key) + 1)',
        run(n) {
          for (let i = 0; i < n; i++) {
            const key = keys[i & BOUND_MASK];
            map.set(key, map.get(key) + 1);
          }
          return map.get(keys[0]);
        },
        recorded: async () => [...map.values()].reduce((total, value) => total + value, 0),
      },
      promClient && {
        library: 'prom-client',
        call: 'counter.labels(...).inc()',
        run(n) {
          for (let i = 0; i < n; i++) promChildren[i & BOUND_MASK].inc();
          return n;
        },
        recorded: () => promClient.recorded(promCounter),
      },
      openTelemetry && {
        library: 'OpenTelemetry',
        call: 'counter.add(1, prebuiltAttributes)',
        run(n) {
          for (let i = 0; i < n; i++) otelCounter.add(1, BOUND_ATTRIBUTE_SETS[i & BOUND_MASK]);
          return n;
        },
        recorded: () => openTelemetry.recorded('bench.otel.bound'),
      },
    ];
  },
};
