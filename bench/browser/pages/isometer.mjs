/** isometer in the page: the browser entry with its OTLP/HTTP exporter to the bench server. */
import { flush, init, metrics } from '../../../dist/browser/index.js';
import { otlpExporter } from '../../../dist/otlp/index.js';
import { SERIES, attributesOf } from './series.mjs';

init({ exporters: [otlpExporter({ endpoint: `${location.origin}/isometer` })], serviceName: 'bench' });

window.benchRun = async () => {
  for (let i = 0; i < SERIES; i++) metrics.count('bench.requests', 1, { attributes: attributesOf(i) });
  await flush();
};
