/**
 * isometer in the page, the burst left to its early flush (no `flush()` call): pending series past
 * ≈ 48 KB are flushed in the next task in requests that each fit the 64 KiB keepalive quota, so
 * they outlive a navigation that may follow the burst. What that path costs beside the app's own
 * `flush()` (isometer.mjs), which a visible page sends as one request.
 */
import { init, metrics } from '../../../dist/browser/index.js';
import { otlpExporter } from '../../../dist/otlp/index.js';
import { SERIES, attributesOf } from './series.mjs';

init({ exporters: [otlpExporter({ endpoint: `${location.origin}/isometer-early-flush` })], serviceName: 'bench' });

window.benchRun = () => {
  for (let i = 0; i < SERIES; i++) metrics.count('bench.requests', 1, { attributes: attributesOf(i) });
};
