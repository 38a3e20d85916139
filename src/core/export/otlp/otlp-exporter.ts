import type { AttributeValue } from '../../internal/attributes';
import { getRuntimeTransportFactory } from '../../carrier';
import { debugLogger } from '../../internal/debug-logger';
import { isThenable } from '../../internal/on-settled';
import { yieldToHost } from '../../internal/yield-to-host';
import { parseUrl } from '../../internal/runtime-globals';
import type { ExportContext, Exporter, ExportOutcome, MetricBatch, SpanBatch } from '../exporter';
import { createHttpDelivery, DEFAULT_FLUSH_TIMEOUT_MS, type DeliveryTuning, type DropRecorder } from '../http/http-delivery';
import { createFetchTransport } from '../http/fetch-transport';
import type { HttpTransport } from '../http/http-transport';
import type { MetricPoint } from '../../metrics/types';
import type { SpanData } from '../../trace/span-data';
import { CumulativeStore } from '../cumulative-store';
import { metricKey } from './encode-otlp-metrics';
import { jsonMetricsBuilder, jsonSpansBuilder } from './json-body-builders';
import type { OtlpScope } from './otlp-json';
import { pickProtocol, pickTemporality, TEMPORALITY_CODES, type OtlpProtocol, type OtlpTemporality } from './otlp-settings';
import { createRequestPacker, type OtlpBodyBuilder } from './pack-otlp-requests';
import { protobufMetricsBuilder, protobufSpansBuilder } from './protobuf-body-builders';
import { readOtlpEnvironment, type EnvironmentVariables } from './read-otlp-environment';
import { toOtlpResource, type OtlpResourceOverrides } from './to-otlp-resource';

export interface OtlpExporterOptions extends DeliveryTuning {
  /**
   * The encoding. Default: `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL` / `_TRACES_PROTOCOL`, then
   * `OTEL_EXPORTER_OTLP_PROTOCOL`, then `http/protobuf` (the specification's default) outside a
   * page and `http/json` in a page.
   */
  protocol?: OtlpProtocol;
  /**
   * Sums' and histograms' temporality. Default `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`,
   * then `cumulative` (the specification's default) outside a page and `delta` in a page.
   */
  temporality?: OtlpTemporality;
  /**
   * Buckets a distribution sends at most (both signs): past it the histogram is sent one or more
   * scales coarser. Default 160, OpenTelemetry's default `maxSize`: scale 4 over three decades
   * (quantiles within 2.2%); 768 keeps isometer's own scale 6 there (within 0.54%, 4× the bytes).
   */
  maxExportBuckets?: number;
  /** Cumulative only: series kept at most (new ones past it fold into an `isometer.overflow` series). Default 20000. */
  maxCumulativeSeries?: number;
  /** Cumulative only: a series unseen this long is forgotten and counted (`series_expired`). Default 15 minutes. */
  cumulativeExpiryMs?: number;
  /** Base URL; `/v1/metrics` and `/v1/traces` are appended. In a page it may be relative (`/collect`). Default `OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://localhost:4318`. */
  endpoint?: string;
  /** Full metrics URL, used as is. Default `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (when `endpoint` is not given). */
  metricsEndpoint?: string;
  /** Full traces URL, used as is. Default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (when `endpoint` is not given). */
  tracesEndpoint?: string;
  /** Added to every request, over `OTEL_EXPORTER_OTLP_HEADERS`. */
  headers?: Record<string, string>;
  /** How requests go out. Default: the runtime's (`node:http` in Node; `fetch` with keepalive and `sendBeacon` in a page), else plain `fetch`. */
  transport?: HttpTransport;
  /** `service.name`, over the client's `serviceName`, which is over `OTEL_SERVICE_NAME`. */
  serviceName?: string;
  /** More resource attributes, over `OTEL_RESOURCE_ATTRIBUTES`. */
  resourceAttributes?: Record<string, AttributeValue>;
  /** Where `OTEL_*` variables are read: Node's entry passes `process.env`. Default: `process.env` when it exists. */
  env?: EnvironmentVariables;
  /** Where drops are counted. Default: the client whose export call queued the request. */
  drops?: DropRecorder;
  /**
   * Batches are split into requests of at most this many bytes. Default: what the transport asks
   * for when it packs (a page's: 60000, the keepalive budget, while hidden or being left, and one
   * larger request while visible), else 60000 in pages and 1 MiB elsewhere.
   */
  maxRequestBytes?: number;
  /** How long `flush()`/`close()` wait for the queue to drain. Default 10000 ms. */
  flushTimeoutMs?: number;
}

/** The OTLP exporter, with where it sends and what it still holds. */
export interface OtlpExporter extends Exporter {
  readonly metricsUrl: string;
  readonly tracesUrl: string;
  readonly metricsProtocol: OtlpProtocol;
  readonly tracesProtocol: OtlpProtocol;
  readonly temporality: OtlpTemporality;
  /** Requests waiting or in flight, and their bytes. */
  pending(): { requests: number; bytes: number };
}

/** The OTLP/HTTP default endpoint (https://opentelemetry.io/docs/specs/otel/protocol/exporter/). */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
/** OpenTelemetry's default exponential histogram size, so a backend gets the resolution it would from the OTel SDK. */
export const DEFAULT_EXPORT_BUCKETS = 160;
const PAGE_MAX_REQUEST_BYTES = 60_000;
const SERVER_MAX_REQUEST_BYTES = 1024 * 1024;
/** With a larger maxRequestBytes, a request is encoded across turns of the event loop (see createRequestPacker). */
const SLICED_REQUEST_BYTES = 64 * 1024;

const CONTENT_TYPES: Record<OtlpProtocol, string> = { 'http/protobuf': 'application/x-protobuf', 'http/json': 'application/json' };
const METRICS_BUILDERS = { 'http/protobuf': protobufMetricsBuilder, 'http/json': jsonMetricsBuilder };
const SPANS_BUILDERS = { 'http/protobuf': protobufSpansBuilder, 'http/json': jsonSpansBuilder };

/**
 * Sends metrics and spans as OTLP/HTTP (protobuf or JSON) to `/v1/metrics` and `/v1/traces`, in
 * browsers and in Node. Metrics: counters as monotonic sums, gauges as gauges, distributions as
 * exponential histograms with only their populated bucket range, with exemplars; delta or
 * cumulative. Spans with their kind, status and `sentry.op`. Each point is encoded once and
 * requests are packed by measured size, encoded as the shared delivery drains (bounded queue,
 * retry with backoff, `Retry-After` and `X-Sentry-Rate-Limits`); every drop is counted by
 * reason. Only sampled spans are sent.
 *
 * @example
 * import { init } from 'isometer/node';
 * import { otlpExporter } from 'isometer/otlp';
 * init({ serviceName: 'checkout-api', exporters: [otlpExporter({ endpoint: 'http://collector:4318' })] });
 */
export function otlpExporter(options: OtlpExporterOptions = {}): OtlpExporter {
  const env = readOtlpEnvironment(options.env);
  const base = options.endpoint ?? env.endpoint ?? DEFAULT_OTLP_ENDPOINT;
  const metricsUrl = absolute(options.metricsEndpoint ?? (options.endpoint === undefined ? env.metricsEndpoint : undefined) ?? signalUrl(base, 'v1/metrics'));
  const tracesUrl = absolute(options.tracesEndpoint ?? (options.endpoint === undefined ? env.tracesEndpoint : undefined) ?? signalUrl(base, 'v1/traces'));
  const metricsUrlValid = isHttpUrl(metricsUrl, 'metrics');
  const tracesUrlValid = isHttpUrl(tracesUrl, 'traces');
  const page = isPage();
  const metricsProtocol = pickProtocol(options.protocol, [env.metricsProtocol, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'], env.protocol, page ? 'http/json' : 'http/protobuf');
  const tracesProtocol = pickProtocol(options.protocol, [env.tracesProtocol, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'], env.protocol, page ? 'http/json' : 'http/protobuf');
  const temporality = pickTemporality(options.temporality, env.temporalityPreference, page ? 'delta' : 'cumulative');
  const temporalityCode = TEMPORALITY_CODES[temporality];
  const userHeaders = { ...env.headers, ...options.headers };
  const metricsHeaders: Record<string, string> = { 'content-type': CONTENT_TYPES[metricsProtocol], ...userHeaders };
  const tracesHeaders: Record<string, string> = { 'content-type': CONTENT_TYPES[tracesProtocol], ...userHeaders };
  const overrides: OtlpResourceOverrides = {
    serviceName: options.serviceName,
    defaultServiceName: env.serviceName,
    attributes: { ...env.resourceAttributes, ...options.resourceAttributes },
  };
  const fixedRequestBytes = typeof options.maxRequestBytes === 'number' && options.maxRequestBytes > 0 ? options.maxRequestBytes : undefined;
  const maxExportBuckets = typeof options.maxExportBuckets === 'number' && options.maxExportBuckets >= 2 ? Math.floor(options.maxExportBuckets) : DEFAULT_EXPORT_BUCKETS;
  const flushTimeoutMs = typeof options.flushTimeoutMs === 'number' && options.flushTimeoutMs >= 0 ? options.flushTimeoutMs : DEFAULT_FLUSH_TIMEOUT_MS;
  // Chosen at the first send, so an exporter made before `init` still gets the runtime's transport.
  let runtimeTransport: HttpTransport | undefined;
  const resolveTransport = (): HttpTransport => (runtimeTransport ??= options.transport ?? runtimeHttpTransport() ?? createFetchTransport());
  const transport: HttpTransport = {
    send: (request) => resolveTransport().send(request),
    close: () => runtimeTransport?.close?.(),
    leaving: () => resolveTransport().leaving?.() === true,
  };
  const requestBytes = (): number => {
    if (fixedRequestBytes !== undefined) return fixedRequestBytes;
    const asked = resolveTransport().requestBytes?.();
    return typeof asked === 'number' && asked > 0 ? asked : page ? PAGE_MAX_REQUEST_BYTES : SERVER_MAX_REQUEST_BYTES;
  };
  const delivery = createHttpDelivery({ ...options, transport, drops: options.drops, name: 'otlp' });

  // Cumulative exports still adding to the totals in slices: a flush waits for them.
  const storing = new Set<Promise<void>>();
  // The export call that last handed points in: where the running totals' folds and expiries count.
  let storeDrops: DropRecorder | undefined;
  const store =
    temporality === 'cumulative'
      ? new CumulativeStore({
          maxSeries: options.maxCumulativeSeries,
          expireAfterMs: options.cumulativeExpiryMs,
          // Kept at the resolution they are sent at: merging and encoding then touch 160 buckets, not 768.
          maxBuckets: maxExportBuckets,
          drops: { record: (reason, quantity) => (options.drops ?? storeDrops)?.record(reason, quantity) },
        })
      : undefined;

  /** Hands the delivery a source that encodes one request each time the queue has room. */
  const send = <T>(
    url: string,
    category: string,
    headers: Record<string, string>,
    context: ExportContext | undefined,
    items: T[],
    sameGroup: (a: T, b: T) => boolean,
    builder: () => OtlpBodyBuilder<T>,
  ): ExportOutcome => {
    try {
      // Read at each batch: a page's transport asks for more while the page is visible.
      const maxRequestBytes = requestBytes();
      const drops: DropRecorder | undefined = options.drops ?? context?.drops;
      // Outside a page, a large request is encoded across turns, a slice each; small ones (a
      // page's 60 KB) take a millisecond or two, and a page being left gets no later turn.
      const packer = createRequestPacker(items, sameGroup, builder(), maxRequestBytes, !page && maxRequestBytes > SLICED_REQUEST_BYTES);
      delivery.enqueueSource({
        next: () => {
          const chunk = packer.next();
          return chunk && { url, body: chunk.body, bytes: chunk.bytes, headers, category, items: chunk.items, drops };
        },
        remaining: packer.remaining,
        drops,
      });
      return { ok: true };
    } catch (error) {
      debugLogger.internalError('otlp: encoding', error);
      return { ok: false, retryable: false, reason: 'the batch could not be encoded' };
    }
  };

  return {
    name: 'otlp',
    metricsUrl,
    tracesUrl,
    metricsProtocol,
    tracesProtocol,
    temporality,
    exportMetrics(batch: MetricBatch, context?: ExportContext) {
      if (!metricsUrlValid) return { ok: false, retryable: false, reason: `invalid metrics endpoint ${metricsUrl}` };
      // Delta (a page's default) sends the batch as it is; the running totals are a function of
      // their own, which a page's first flush then neither parses nor compiles.
      return store === undefined ? sendPoints(batch, batch.points, context) : exportCumulative(store, batch, context);
    },
    exportSpans(batch: SpanBatch, context?: ExportContext) {
      // An unsampled span stays out, so the backend keeps exactly the traces the sampler kept.
      const spans = batch.spans.filter((span) => span.sampled !== false);
      if (spans.length === 0) return { ok: true };
      if (!tracesUrlValid) return { ok: false, retryable: false, reason: `invalid traces endpoint ${tracesUrl}` };
      const resource = toOtlpResource(batch.resource, overrides);
      const scope: OtlpScope = { name: batch.resource.sdk.name, version: batch.resource.sdk.version };
      return send<SpanData>(
        tracesUrl,
        'span',
        tracesHeaders,
        context,
        spans,
        () => true,
        () => SPANS_BUILDERS[tracesProtocol](resource, scope),
      );
    },
    // The flush or close that called gives its remaining budget: the queue drains within it.
    async forceFlush(context?: ExportContext) {
      if (storing.size > 0) await Promise.all(storing);
      return delivery.flush(context?.timeoutMs ?? flushTimeoutMs);
    },
    async shutdown(context?: ExportContext) {
      if (storing.size > 0) await Promise.all(storing);
      await delivery.close(context?.timeoutMs ?? flushTimeoutMs);
      if (options.transport === undefined) transport.close?.();
    },
    pending: () => delivery.pending(),
  };

  function sendPoints(batch: MetricBatch, points: MetricPoint[], context: ExportContext | undefined): ExportOutcome {
    if (points.length === 0) return { ok: true };
    const resource = toOtlpResource(batch.resource, overrides);
    const scope: OtlpScope = { name: batch.resource.sdk.name, version: batch.resource.sdk.version };
    return send(metricsUrl, 'trace_metric', metricsHeaders, context, groupByMetric(points), sameMetric, () => METRICS_BUILDERS[metricsProtocol](resource, scope, temporalityCode, maxExportBuckets));
  }

  function exportCumulative(store: CumulativeStore, batch: MetricBatch, context: ExportContext | undefined): ExportOutcome | Promise<ExportOutcome> {
    const sendCollected = (points: MetricPoint[]): ExportOutcome => sendPoints(batch, points, context);
    storeDrops = context?.drops;
    // Added and read in slices (one interval of 200,000 series would otherwise stall the event loop).
    const added = store.addSliced(batch.points);
    const collect = (): ExportOutcome | Promise<ExportOutcome> => {
      const points = store.collectSliced(batch.endTimeMs);
      if (!isThenable(points)) return sendCollected(points);
      // Encoding starts in a turn of its own: the collection's last slice has used this one.
      return points.then((collected) => yieldToHost().then(() => sendCollected(collected)));
    };
    const outcome = isThenable(added) ? added.then(collect) : collect();
    if (!isThenable(outcome)) return outcome;
    // A flush asked for meanwhile waits until these points are in the queue.
    const settled = outcome.then(
      () => undefined,
      () => undefined,
    );
    storing.add(settled);
    void settled.then(() => storing.delete(settled));
    return outcome;
  }
}

const sameMetric = (a: MetricPoint, b: MetricPoint): boolean => a.type === b.type && a.name === b.name && a.unit === b.unit;

/** Points of one metric next to each other (in first-seen order), so each `Metric` is written once a request. */
function groupByMetric(points: MetricPoint[]): MetricPoint[] {
  if (isGrouped(points)) return points;
  const groups = new Map<string, MetricPoint[]>();
  let previous: MetricPoint | undefined;
  let current: MetricPoint[] | undefined;
  for (const point of points) {
    if (previous === undefined || !sameMetric(previous, point)) {
      const key = metricKey(point);
      current = groups.get(key);
      if (current === undefined) groups.set(key, (current = []));
    }
    current!.push(point);
    previous = point;
  }
  if (groups.size === 1) return points;
  const grouped: MetricPoint[] = [];
  for (const group of groups.values()) for (const point of group) grouped.push(point);
  return grouped;
}

/** True when each metric's points are already adjacent (as collections build them): nothing to copy. */
function isGrouped(points: MetricPoint[]): boolean {
  let seen: Set<string> | undefined;
  for (let i = 1; i < points.length; i++) {
    if (sameMetric(points[i - 1], points[i])) continue;
    (seen ??= new Set()).add(metricKey(points[i - 1]));
    if (seen.has(metricKey(points[i]))) return false;
  }
  return true;
}

/** In a page, a relative endpoint (`/collect`) is resolved against the page's URL; elsewhere it stays as given. */
function absolute(url: string): string {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  if (typeof page !== 'string') return url;
  return parseUrl(url, page)?.href ?? url;
}

/** `base` + `/v1/<signal>`, as the spec builds per-signal URLs from the generic endpoint. */
function signalUrl(base: string, path: string): string {
  return base.endsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

function isHttpUrl(url: string, signal: string): boolean {
  const protocol = parseUrl(url)?.protocol;
  if (protocol === 'http:' || protocol === 'https:') return true;
  debugLogger.warnOnce(
    `otlp:endpoint:${signal}`,
    `otlpExporter: the ${signal} endpoint "${url}" is not an http(s) URL; set endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) to e.g. http://localhost:4318. Its ${signal} are dropped.`,
  );
  return false;
}

function isPage(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== 'undefined';
}

/** The runtime's transport (node:http in Node, keepalive fetch and beacons in a page), when a runtime entry registered one. */
function runtimeHttpTransport(): HttpTransport | undefined {
  const transport = getRuntimeTransportFactory()?.() as Partial<HttpTransport> | undefined;
  return typeof transport?.send === 'function' ? (transport as HttpTransport) : undefined;
}
