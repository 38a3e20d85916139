import { debugLogger } from '../../core/internal/debug-logger';
import type { ExportContext, Exporter, ExportOutcome, MetricBatch } from '../../core/export/exporter';
import { formatStatsdLines } from './statsd-format';
import { resolveStatsdOptions, type StatsdExporterOptions } from './statsd-options';
import { packDatagrams } from './statsd-pack';
import { createStatsdTransport } from './statsd-transport';
import { errorMessage } from '../../core/internal/error-message';

export type { StatsdExporterOptions } from './statsd-options';
export type { StatsdMode } from './statsd-format';

const OK: ExportOutcome = Object.freeze({ ok: true });

/**
 * Sends each interval's aggregates to a StatsD or DogStatsD daemon over UDP.
 *
 * What goes on the wire, per series per interval (`|#…` tags in DogStatsD mode only):
 * - counter: `name:sum|c|#k:v` — one line, whatever the number of increments;
 * - gauge: `name:last|g|#k:v` (plain StatsD: a negative value goes as `name:0|g` then
 *   `name:-5|g` in the same datagram, since a leading sign there means "add");
 * - distribution: the exponential histogram replayed as a few weighted values. Each non-empty
 *   bucket becomes one value — its midpoint in log space, clamped to [min, max] — sent once with
 *   `@1/k` for a bucket of k values, so the daemon counts k; min and max go as themselves. Values
 *   of equal weight share a line: `name:12:15.1|d|@0.5|#k:v` (DogStatsD v1.1 packing), or one
 *   `name:v|ms|@r` line each in plain mode. Bytes per series are bounded by the histogram's
 *   bucket budget (at most 770 values), however many values were recorded; counts are exact;
 *   percentiles are within the histogram's relative error (0.54% at scale 6). The exact sum is
 *   lost: the daemon's sum is Σ value × weight, each term within that same relative error.
 *   The reference statsd weights only its count by the rate, not its mean, sum or percentiles
 *   (the Datadog Agent and Telegraf weight them all), so plain mode (`STATSD_MODE=statsd`) sends
 *   at most 100 values per series instead, evenly spaced in rank (see `statsdTimerValues`), and
 *   the daemon's count, mean, `upper_90` and `mean_90` come out right.
 *
 * Lines are packed into datagrams of at most `maxDatagramBytes` (1432) bytes. A line that fits in
 * no datagram (huge tags) is dropped and counted as `export_error`, once per point. Send errors
 * resolve `{ ok: false, retryable: true }` (the caller counts them); nothing is thrown.
 *
 * @example
 * import { init } from 'isometer/node';
 * init({ exporters: [statsdExporter({ prefix: 'shop', globalTags: { env: 'prod' } })] });
 * // → shop.checkout.duration:42.1:97.3|d|#env:prod,route:/cart  (to 127.0.0.1:8125)
 */
export function statsdExporter(options?: StatsdExporterOptions): Exporter {
  const given = typeof options === 'object' && options !== null ? options.env : undefined;
  const resolved = resolveStatsdOptions(options, typeof given === 'object' && given !== null ? given : process.env);
  const transport = createStatsdTransport(resolved.host, resolved.port);
  const formatOptions = { ...resolved, maxLineBytes: resolved.maxDatagramBytes };
  const target = `${resolved.host}:${resolved.port}`;
  return {
    name: 'statsd',
    async exportMetrics(batch: MetricBatch, context?: ExportContext): Promise<ExportOutcome> {
      try {
        const { lines, droppedPoints } = formatStatsdLines(batch.points, formatOptions);
        const { datagrams, oversized } = packDatagrams(lines, resolved.maxDatagramBytes);
        countUnsendable(context, droppedPoints + oversized, resolved.maxDatagramBytes);
        if (datagrams.length === 0) return OK;
        const error = await transport.send(datagrams);
        return error ? { ok: false, retryable: true, reason: `statsd ${target}: ${error.message}` } : OK;
      } catch (error) {
        debugLogger.internalError('statsdExporter', error);
        return { ok: false, retryable: false, reason: errorMessage(error) };
      }
    },
    shutdown: () => transport.close(),
  };
}

/** Lines no datagram can carry would fail again on every retry, so they are counted here, not retried. */
function countUnsendable(context: ExportContext | undefined, points: number, maxDatagramBytes: number): void {
  if (points === 0) return;
  context?.drops.record('export_error', points);
  debugLogger.warnOnce(
    'statsd:unsendable',
    `statsdExporter: ${points} point(s) had a line longer than maxDatagramBytes (${maxDatagramBytes}) or a value that is not finite; they were dropped. Shorten the metric's tags or raise maxDatagramBytes.`,
  );
}
