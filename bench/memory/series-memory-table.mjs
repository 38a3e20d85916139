/**
 * Bytes per series for isometer, OpenTelemetry and prom-client, each library and kind in its own
 * process (bench/memory/series-memory.mjs, `--expose-gc`). Budget: a counter ≤ OpenTelemetry's, a
 * distribution ≤ OpenTelemetry's 160-bucket exponential histogram.
 */
import { runChild } from '../lib/child.mjs';
import { formatBudget, formatInteger, formatTable } from '../lib/table.mjs';
import { DISTRIBUTION_VALUES, MEMORY_METRICS, MEMORY_SERIES_PER_METRIC } from './memory-fixtures.mjs';

const SCRIPT = new URL('./series-memory.mjs', import.meta.url);
const LIBRARIES = [
  ['isometer', 'isometer'],
  ['opentelemetry', 'OpenTelemetry'],
  ['prom-client', 'prom-client'],
];
const KINDS = [
  ['counter', 'counter (1 add)', 'counter.add / counter.inc'],
  ['distribution', `distribution (${DISTRIBUTION_VALUES} values, 1–1000 ms)`, 'OTel exponential histogram (160 buckets); prom-client default buckets'],
];

export async function printSeriesMemory() {
  console.log(
    `\nmemory per series: heapUsed + arrayBuffers growth (after gc) for ${formatInteger(MEMORY_METRICS * MEMORY_SERIES_PER_METRIC)} series (${MEMORY_METRICS} metrics × ${formatInteger(MEMORY_SERIES_PER_METRIC)}, 3 string attributes), each library in its own process`,
  );
  const rows = [];
  for (const [kind, title, peers] of KINDS) {
    const results = {};
    for (const [library] of LIBRARIES) results[library] = await runChild(SCRIPT, [library, kind], ['--expose-gc']);
    const otel = results.opentelemetry?.bytesPerSeries;
    for (const [library, name] of LIBRARIES) {
      const result = results[library];
      if (result.error) {
        rows.push([title, name, 'error', '', result.error]);
        continue;
      }
      const kept = result.series === result.expected ? `✓ all ${formatInteger(result.expected)}` : `✗ ${formatInteger(result.series)} of ${formatInteger(result.expected)}`;
      rows.push([title, name, formatInteger(result.bytesPerSeries), library === 'isometer' ? formatBudget(result.bytesPerSeries, Math.round(otel), ' B (OTel)') : '', kept]);
    }
    rows.push(['', '', '', '', `peers: ${peers}`]);
  }
  console.log(
    formatTable(
      [
        { header: 'kind', align: 'left' },
        { header: 'library', align: 'left' },
        { header: 'bytes/series', align: 'right' },
        { header: 'budget', align: 'left' },
        { header: 'series kept', align: 'left' },
      ],
      rows,
    ),
  );
}
