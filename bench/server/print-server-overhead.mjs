/** Prints the server bench: CPU per request, what each library added, and what it delivered. */
import { formatBudget, formatInteger, formatTable } from '../lib/table.mjs';
import { median } from './server-overhead.mjs';

/** Median of the per-round differences with `baseline`'s same round (rounds are interleaved, so paired). */
function addedOver(result, baseline) {
  if (!baseline?.perRequest || !result.perRequest) return NaN;
  const rounds = Math.min(result.perRequest.length, baseline.perRequest.length);
  const differences = [];
  for (let round = 0; round < rounds; round++) differences.push(result.perRequest[round] - baseline.perRequest[round]);
  return median(differences);
}

const micros = (value) => (Number.isFinite(value) ? value.toFixed(1) : '—');

/** What arrived, checked against what was asked: a library that drops work cannot look cheap. */
function checkCell(result) {
  const { counts, requests } = result;
  const parts = [];
  const expectsSpans = result.name !== 'bare' && result.name !== 'isometer-metrics-only' && result.name !== 'isometer-rate-0';
  const expectsDurations = result.name.startsWith('isometer') || result.name === 'opentelemetry';
  if (expectsSpans)
    parts.push(counts.serverSpans === requests ? `delivered ✓ ${formatInteger(requests)} spans` : `delivered ✗ ${formatInteger(counts.serverSpans)} of ${formatInteger(requests)} spans`);
  if (result.name === 'isometer-rate-0') parts.push(counts.serverSpans === 0 ? 'no span ✓' : `✗ ${formatInteger(counts.serverSpans)} spans at rate 0`);
  if (expectsDurations)
    parts.push(counts.durationValues === requests ? `recorded ✓ ${formatInteger(requests)} durations` : `recorded ✗ ${formatInteger(counts.durationValues)} of ${formatInteger(requests)} durations`);
  if (result.failures > 0) parts.push(`✗ ${formatInteger(result.failures)} failed requests`);
  if (!result.flushed) parts.push('flush reported false');
  return parts.join(', ') || '—';
}

export function printServerOverhead({ settings, results }) {
  const byName = new Map(results.map((result) => [result.name, result]));
  const bare = byName.get('bare');
  const metricsOnly = byName.get('isometer-metrics-only');
  console.log(
    `\nnode:http server: ${formatInteger(settings.warmup)} warm-up requests, then ${settings.rounds} interleaved rounds of ${formatInteger(settings.perRound)} requests over ${settings.connections} keep-alive connections, as fast as each server answers`,
  );
  console.log('          CPU = user + system time of the server process per request (load generator and collector run in the parent); medians over rounds;');
  console.log('          "added" = median of per-round differences with the same round of the baseline. Spans per request counted at the loopback collector after a final flush.');
  const rows = results.map((result) => {
    if (result.error) return [result.label, 'error', result.error, '', '', '', '', ''];
    const perRequest = median(result.perRequest);
    const overBare = addedOver(result, bare);
    const overMetrics = addedOver(result, metricsOnly);
    const spansPerRequest = result.counts.serverSpans / result.requests;
    let budget = '';
    if (result.name === 'isometer-rate-0') budget = formatBudget(overMetrics, 20, ' µs over metrics-only');
    if (result.name === 'isometer-rate-1') {
      const peers = ['opentelemetry', 'sentry'].map((name) => byName.get(name)).filter((peer) => peer?.perRequest);
      const below = peers.every((peer) => overBare < addedOver(peer, bare));
      budget = peers.length === 0 ? 'no peer measured' : `< ${peers.map((peer) => (peer.name === 'sentry' ? 'Sentry' : 'OpenTelemetry')).join(' and ')} ${below ? '✓' : '✗'}`;
    }
    return [
      result.label,
      micros(perRequest),
      `${micros(Math.min(...result.perRequest))}–${micros(Math.max(...result.perRequest))}`,
      result.name === 'bare' ? '' : micros(overBare),
      result.name === 'bare' || result.name === 'isometer-metrics-only' ? '' : micros(overMetrics),
      formatInteger(median(result.rates)),
      result.name === 'bare' || result.name === 'isometer-metrics-only' ? '' : spansPerRequest.toFixed(2),
      budget,
      checkCell(result),
    ];
  });
  console.log(
    formatTable(
      [
        { header: 'server', align: 'left' },
        { header: 'CPU µs/req', align: 'right' },
        { header: 'min–max', align: 'right' },
        { header: 'added', align: 'right' },
        { header: 'over metrics-only', align: 'right' },
        { header: 'req/s', align: 'right' },
        { header: 'spans/req', align: 'right' },
        { header: 'budget', align: 'left' },
        { header: 'checks', align: 'left' },
      ],
      rows,
    ),
  );
  console.log(
    '  (*) @opentelemetry/sdk-trace-node with AsyncLocalStorageContextManager, BatchSpanProcessor and sdk-metrics, both over OTLP/HTTP JSON. @opentelemetry/instrumentation-http is not installed here,',
  );
  console.log('      so the handler does what it does per request: extract, SERVER span, bind request and response, end on finish, record http.server.request.duration.');
}
