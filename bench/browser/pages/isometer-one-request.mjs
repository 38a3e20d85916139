/**
 * isometer in the page, its requests not split to the 64 KiB keepalive quota: one plain fetch, as
 * OpenTelemetry and Sentry send. What the split costs; the default (isometer.mjs) is the figure.
 */
import { flush, init, metrics } from '../../../dist/browser/index.js';
import { otlpExporter } from '../../../dist/otlp/index.js';
import { SERIES, attributesOf } from './series.mjs';

init({ exporters: [otlpExporter({ endpoint: `${location.origin}/isometer-one-request`, maxRequestBytes: 1024 * 1024 })], serviceName: 'bench' });

window.benchRun = async () => {
  for (let i = 0; i < SERIES; i++) metrics.count('bench.requests', 1, { attributes: attributesOf(i) });
  await flush();
};
