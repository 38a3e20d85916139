import { deflate } from 'node:zlib';
import { debugLogger } from '../../core/internal/debug-logger';
import type { ExportContext, Exporter, ExportOutcome, MetricBatch } from '../../core/export/exporter';
import { createHttpDelivery, DEFAULT_FLUSH_TIMEOUT_MS, type DropRecorder } from '../../core/export/http/http-delivery';
import type { HttpTransport } from '../../core/export/http/http-transport';
import type { MetricPoint } from '../../core/metrics/types';
import { createNodeHttpTransport } from '../http-transport';
import { datadogDistribution, type DatadogPiece } from './datadog-distribution';
import { datadogMetricName } from './datadog-metric-name';
import { MAX_DATADOG_COMPRESSED_BYTES, resolveDatadogOptions, type DatadogExporterOptions } from './datadog-options';
import { datadogSeries } from './datadog-series';
import { datadogTags } from './datadog-tags';
import { DATADOG_ENVELOPE_BYTES, datadogBody, packDatadogRequests } from './pack-datadog-requests';

export type { DatadogExporterOptions } from './datadog-options';

/** The Datadog exporter, with where it sends and what it still holds. */
export interface DatadogExporter extends Exporter {
  readonly seriesUrl: string;
  readonly distributionUrl: string;
  /** Requests waiting or in flight, and their (compressed) bytes. */
  pending(): { requests: number; bytes: number };
  /** Resolves once every batch handed over so far is encoded and queued (or counted as dropped). */
  encoded(): Promise<void>;
}

const OK: ExportOutcome = Object.freeze({ ok: true });
// Batches being encoded at once; past it a new batch is dropped (counted), so a stalled encode cannot pile batches up.
const MAX_BATCHES_ENCODING = 4;

/**
 * Sends each interval's aggregates to Datadog's HTTP API, without an Agent:
 * - counters → `POST /api/v2/series` as `count` (type 1) with the interval in seconds: one point,
 *   the interval's sum;
 * - gauges → `POST /api/v2/series` as `gauge` (type 3): the interval's last value;
 * - distributions → `POST /api/v1/distribution_points` as Datadog distributions: the exponential
 *   histogram replayed as values (the exact count, min and max; percentiles within 0.54%).
 *
 * Tags come from attributes (`key:value`) plus `service`, `env` and `version` from `serviceName`,
 * `environment` and `release`; the host is a `host` resource. Every request carries `DD-API-KEY`
 * and is deflate-compressed (the encoding both endpoints accept), at most `maxRequestBytes`
 * uncompressed and 500 KB compressed. Requests go through the shared delivery (bounded queue,
 * retries with backoff on network errors, 408, 429 and 5xx, `Retry-After`), and every drop is
 * counted by reason on the client that exported it.
 *
 * @example
 * import { init, datadogExporter } from 'isometer/node';
 * init({ serviceName: 'checkout-api', exporters: [datadogExporter({ site: 'datadoghq.eu' })] }); // key from DD_API_KEY
 */
export function datadogExporter(options: DatadogExporterOptions = {}): DatadogExporter {
  const raw: DatadogExporterOptions = typeof options === 'object' && options !== null ? options : {};
  const resolved = resolveDatadogOptions(raw, raw.env ?? process.env);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-encoding': 'deflate' };
  if (resolved.apiKey !== undefined) headers['dd-api-key'] = resolved.apiKey;
  const flushTimeoutMs = typeof raw.flushTimeoutMs === 'number' && raw.flushTimeoutMs >= 0 ? raw.flushTimeoutMs : DEFAULT_FLUSH_TIMEOUT_MS;
  // Made at the first send, so an exporter that never sends opens nothing.
  let runtimeTransport: HttpTransport | undefined;
  const resolveTransport = (): HttpTransport => (runtimeTransport ??= raw.transport ?? createNodeHttpTransport());
  const transport: HttpTransport = {
    send: (request) => resolveTransport().send(request),
    close: () => runtimeTransport?.close?.(),
  };
  const delivery = createHttpDelivery({ ...raw, transport, drops: raw.drops, name: 'datadog' });
  const encoding = new Set<Promise<void>>();
  let lostSinceFlush = false;

  const enqueue = async (url: string, pieces: DatadogPiece[], drops: DropRecorder | undefined): Promise<void> => {
    const body = await deflateAsync(datadogBody(pieces));
    if (body.byteLength > MAX_DATADOG_COMPRESSED_BYTES && pieces.length > 1) {
      // Rarely compressible data: halve until each request is under Datadog's compressed limit.
      const middle = pieces.length >> 1;
      await enqueue(url, pieces.slice(0, middle), drops);
      await enqueue(url, pieces.slice(middle), drops);
      return;
    }
    const items = itemsOf(pieces);
    if (body.byteLength > MAX_DATADOG_COMPRESSED_BYTES) {
      drops?.record('export_error', items);
      debugLogger.warnOnce('datadog:too-large', `datadogExporter: a series is larger than Datadog's ${MAX_DATADOG_COMPRESSED_BYTES}-byte compressed limit even alone; it was dropped.`);
      return;
    }
    delivery.enqueue({ url, body, headers, category: 'metric', items, drops });
  };

  /** Encodes and queues a batch; `progress.accounted` counts the points queued or already counted as dropped. */
  const send = async (batch: MetricBatch, drops: DropRecorder | undefined, progress: { accounted: number }): Promise<void> => {
    const { series, distributions } = splitByEndpoint(batch, resolved.host, resolved.maxRequestBytes, drops, progress);
    for await (const group of packDatadogRequests(series, resolved.maxRequestBytes)) {
      await enqueue(resolved.seriesUrl, group, drops);
      progress.accounted += itemsOf(group);
    }
    for await (const group of packDatadogRequests(distributions, resolved.maxRequestBytes)) {
      await enqueue(resolved.distributionUrl, group, drops);
      progress.accounted += itemsOf(group);
    }
  };

  const settleEncoding = async (): Promise<void> => {
    while (encoding.size > 0) await Promise.allSettled([...encoding]);
  };

  return {
    name: 'datadog',
    seriesUrl: resolved.seriesUrl,
    distributionUrl: resolved.distributionUrl,
    exportMetrics(batch: MetricBatch, context?: ExportContext): ExportOutcome {
      if (resolved.apiKey === undefined) return { ok: false, retryable: false, reason: 'no Datadog API key (apiKey or DD_API_KEY)' };
      const drops: DropRecorder | undefined = raw.drops ?? context?.drops;
      const total = Array.isArray(batch?.points) ? batch.points.length : 0;
      if (encoding.size >= MAX_BATCHES_ENCODING) {
        drops?.record('queue_overflow', total);
        lostSinceFlush = true;
        debugLogger.warnOnce('datadog:backlog', `datadogExporter: ${MAX_BATCHES_ENCODING} batches were still being encoded; a newer one was dropped (queue_overflow).`);
        return OK;
      }
      // Encoding runs on in slices after this returns; what it cannot queue, it counts itself,
      // so nothing is counted twice and a slow encode is never taken for a hung exporter.
      const progress = { accounted: 0 };
      const work = send(batch, drops, progress).catch((error: unknown) => {
        debugLogger.internalError('datadog: encoding', error);
        drops?.record('export_error', Math.max(0, total - progress.accounted));
        lostSinceFlush = true;
      });
      encoding.add(work);
      void work.finally(() => encoding.delete(work));
      return OK;
    },
    async forceFlush() {
      // A flush runs beside the export call that is still compressing: wait for it to queue.
      await settleEncoding().catch(() => undefined);
      const delivered = await delivery.flush(flushTimeoutMs);
      // A batch dropped before it reached the queue fails the flush as a dropped request does.
      const lostBefore = lostSinceFlush;
      lostSinceFlush = false;
      return delivered && !lostBefore;
    },
    async shutdown() {
      await settleEncoding().catch(() => undefined);
      await delivery.close(flushTimeoutMs);
      if (raw.transport === undefined) transport.close?.();
    },
    pending: () => delivery.pending(),
    encoded: settleEncoding,
  };
}

/** The batch's points as series objects for each endpoint, built lazily in slices. */
function splitByEndpoint(
  batch: MetricBatch,
  host: string,
  maxRequestBytes: number,
  drops: DropRecorder | undefined,
  progress: { accounted: number },
): { series: Iterable<DatadogPiece>; distributions: Iterable<DatadogPiece> } {
  const scalars: MetricPoint[] = [];
  const histograms: MetricPoint[] = [];
  for (const point of Array.isArray(batch?.points) ? batch.points : []) (point?.type === 'distribution' ? histograms : scalars).push(point);
  const pieces = function* (points: MetricPoint[]): Generator<DatadogPiece> {
    for (const point of points) {
      const metric = typeof point?.name === 'string' ? datadogMetricName(point.name) : undefined;
      if (metric === undefined) {
        drops?.record('invalid_name');
        progress.accounted++;
        debugLogger.warnOnce('datadog:name', `datadogExporter: a metric name has no character Datadog allows (letters, digits, _ and .); the point was dropped.`);
        continue;
      }
      const tags = datadogTags(point.attributes ?? {}, batch.resource);
      if (point.type === 'distribution') {
        yield* datadogDistribution(point, metric, tags, host, maxRequestBytes - DATADOG_ENVELOPE_BYTES);
        continue;
      }
      const json = point.type === 'counter' || point.type === 'gauge' ? datadogSeries(point, metric, tags, host) : undefined;
      if (json === undefined) {
        drops?.record('invalid_value');
        progress.accounted++;
        debugLogger.warnOnce('datadog:value', `datadogExporter: a point of "${metric}" has no finite value (a sum past Number.MAX_VALUE?); it was dropped.`);
        continue;
      }
      yield { json, items: 1 };
    }
  };
  return { series: pieces(scalars), distributions: pieces(histograms) };
}

function itemsOf(pieces: DatadogPiece[]): number {
  let items = 0;
  for (const piece of pieces) items += piece.items;
  return items;
}

function deflateAsync(text: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => deflate(text, (error, result) => (error ? reject(error) : resolve(result))));
}
