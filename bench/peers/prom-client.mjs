/** prom-client with its own registry (no default metrics, no global registry side effects). */
import { Counter, Histogram, Registry } from 'prom-client';

export function startPromClient() {
  const registry = new Registry();
  return {
    counter: (name, labelNames) => new Counter({ name, help: name, labelNames, registers: [registry] }),
    histogram: (name, labelNames) => new Histogram({ name, help: name, labelNames, registers: [registry] }),
    /** Increments (counter) or observations (histogram) held by `metric`, across all label sets. */
    async recorded(metric) {
      const { type, values } = await metric.get();
      if (type === 'histogram') return values.filter((value) => value.metricName?.endsWith('_count')).reduce((total, value) => total + value.value, 0);
      return values.reduce((total, value) => total + value.value, 0);
    },
    stop: () => registry.clear(),
  };
}
