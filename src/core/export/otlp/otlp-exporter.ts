import type { AttributeValue } from '../../internal/attributes';
import { getRuntimeTransportFactory } from '../../carrier';
import { debugLogger } from '../../internal/debug-logger';
import { parseUrl } from '../../internal/runtime-globals';
import type { ExportContext, Exporter, ExportOutcome, MetricBatch, SpanBatch } from '../exporter';
import { createHttpDelivery, DEFAULT_FLUSH_TIMEOUT_MS, type DeliveryTuning, type DropRecorder } from '../http/http-delivery';
import { createFetchTransport } from '../http/fetch-transport';
import type { HttpTransport } from '../http/http-transport';
import { encodeOtlpMetrics } from './encode-otlp-metrics';
import { encodeOtlpSpans } from './encode-otlp-spans';
import type { OtlpScope } from './otlp-json';
import { readOtlpEnvironment, type EnvironmentVariables } from './read-otlp-environment';
import { splitToFit } from './split-to-fit';
import { toOtlpResource, type OtlpResourceOverrides } from './to-otlp-resource';

export interface OtlpExporterOptions extends DeliveryTuning {
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
  /** Batches are split into requests of at most this many bytes. Default 60000 in pages (the keepalive budget), 1 MiB elsewhere. */
  maxRequestBytes?: number;
  /** How long `flush()`/`close()` wait for the queue to drain. Default 10000 ms. */
  flushTimeoutMs?: number;
}

/** The OTLP exporter, with where it sends and what it still holds. */
export interface OtlpExporter extends Exporter {
  readonly metricsUrl: string;
  readonly tracesUrl: string;
  /** Requests waiting or in flight, and their bytes. */
  pending(): { requests: number; bytes: number };
}

/** The OTLP/HTTP default endpoint (https://opentelemetry.io/docs/specs/otel/protocol/exporter/). */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const PAGE_MAX_REQUEST_BYTES = 60_000;
const SERVER_MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * Sends metrics and spans as OTLP/HTTP JSON to `/v1/metrics` and `/v1/traces`, in browsers and
 * in Node. Metrics: counters as delta monotonic sums, gauges as gauges, distributions as delta
 * exponential histograms with exemplars; spans with their kind, status and `sentry.op`.
 * Requests go through the shared delivery (bounded queue, retry with backoff, `Retry-After` and
 * `X-Sentry-Rate-Limits`), and every drop is counted by reason. Only sampled spans are sent.
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
  const headers: Record<string, string> = { 'content-type': 'application/json', ...env.headers, ...options.headers };
  const overrides: OtlpResourceOverrides = {
    serviceName: options.serviceName,
    defaultServiceName: env.serviceName,
    attributes: { ...env.resourceAttributes, ...options.resourceAttributes },
  };
  const maxRequestBytes = typeof options.maxRequestBytes === 'number' && options.maxRequestBytes > 0 ? options.maxRequestBytes : isPage() ? PAGE_MAX_REQUEST_BYTES : SERVER_MAX_REQUEST_BYTES;
  const flushTimeoutMs = typeof options.flushTimeoutMs === 'number' && options.flushTimeoutMs >= 0 ? options.flushTimeoutMs : DEFAULT_FLUSH_TIMEOUT_MS;
  // Chosen at the first send, so an exporter made before `init` still gets the runtime's transport.
  let runtimeTransport: HttpTransport | undefined;
  const resolveTransport = (): HttpTransport => (runtimeTransport ??= options.transport ?? runtimeHttpTransport() ?? createFetchTransport());
  const transport: HttpTransport = {
    send: (request) => resolveTransport().send(request),
    close: () => runtimeTransport?.close?.(),
  };
  const delivery = createHttpDelivery({ ...options, transport, drops: options.drops, name: 'otlp' });

  const send = (url: string, category: string, context: ExportContext | undefined, encode: () => Array<{ body: string; items: number }>): ExportOutcome => {
    try {
      const drops: DropRecorder | undefined = options.drops ?? context?.drops;
      for (const chunk of encode()) delivery.enqueue({ url, body: chunk.body, headers, category, items: chunk.items, drops });
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
    exportMetrics(batch: MetricBatch, context?: ExportContext) {
      if (!metricsUrlValid) return { ok: false, retryable: false, reason: `invalid metrics endpoint ${metricsUrl}` };
      return send(metricsUrl, 'trace_metric', context, () => {
        const resource = toOtlpResource(batch.resource, overrides);
        const scope: OtlpScope = { name: batch.resource.sdk.name, version: batch.resource.sdk.version };
        return splitToFit(batch.points, (points) => JSON.stringify(encodeOtlpMetrics(points, resource, scope)), maxRequestBytes);
      });
    },
    exportSpans(batch: SpanBatch, context?: ExportContext) {
      // An unsampled span stays out, so the backend keeps exactly the traces the sampler kept.
      const spans = batch.spans.filter((span) => span.sampled !== false);
      if (spans.length === 0) return { ok: true };
      if (!tracesUrlValid) return { ok: false, retryable: false, reason: `invalid traces endpoint ${tracesUrl}` };
      return send(tracesUrl, 'span', context, () => {
        const resource = toOtlpResource(batch.resource, overrides);
        const scope: OtlpScope = { name: batch.resource.sdk.name, version: batch.resource.sdk.version };
        return splitToFit(spans, (slice) => JSON.stringify(encodeOtlpSpans(slice, resource, scope)), maxRequestBytes);
      });
    },
    forceFlush: () => delivery.flush(flushTimeoutMs),
    async shutdown() {
      await delivery.close(flushTimeoutMs);
      if (options.transport === undefined) transport.close?.();
    },
    pending: () => delivery.pending(),
  };
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
