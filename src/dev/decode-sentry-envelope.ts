/**
 * A Sentry envelope → the viewer's batches: `trace_metric` items become points (one per series
 * and envelope: counters summed, gauges last/min/max, distributions a histogram with each item
 * weighted by 1 / `sentry.client_sample_rate`), `transaction` items and `span` (v2) items become
 * spans. Other item types (errors, sessions, client reports, …) are accepted and ignored.
 * https://develop.sentry.dev/sdk/telemetry/metrics/ · https://develop.sentry.dev/sdk/data-model/event-payloads/transaction/
 */
import { histogramOfWeighted } from './histogram-math';
import { jsonObject, parseSentryEnvelope } from './parse-sentry-envelope';
import type { IngestBatch, ViewerAttributes, ViewerExemplar, ViewerPoint, ViewerSpan } from './viewer-types';

type Json = Record<string, any>; // Sentry payloads are untyped JSON; every read below checks its type.

/** The item types the viewer reads. */
export const SENTRY_ITEM_TYPES = ['trace_metric', 'span', 'transaction'] as const;
const CLIENT_SAMPLE_RATE = 'sentry.client_sample_rate';
/** The DSN key `npx isometer dev` prints; any other key names the service. */
const DEFAULT_PUBLIC_KEY = 'dev';
/** Exemplars kept per series and envelope. */
const MAX_EXEMPLARS = 5;

/**
 * @param publicKey the DSN's public key (from `sentry_key`, `X-Sentry-Auth` or the header's `dsn`)
 * @example
 * const { batch, ignoredItems } = decodeSentryEnvelope(body, 'checkout_api');
 */
export function decodeSentryEnvelope(bytes: Uint8Array, publicKey?: string): { batch: IngestBatch; items: number; ignoredItems: number } {
  const { header, items } = parseSentryEnvelope(bytes);
  const headerSdk = header.sdk as Json | undefined;
  const sdk: string | undefined = typeof headerSdk?.name === 'string' ? headerSdk.name : undefined;
  const dsc = (typeof header.trace === 'object' && header.trace !== null ? header.trace : {}) as Json;
  const key = publicKey ?? keyOfDsn(header.dsn) ?? (typeof dsc.public_key === 'string' ? dsc.public_key : undefined);
  const metricItems: Json[] = [];
  const spans: ViewerSpan[] = [];
  let eventSdk: string | undefined;
  let ignoredItems = 0;
  for (const item of items) {
    const type = item.header.type;
    if (type === 'trace_metric') metricItems.push(...listOf(jsonObject(item.payload, 'trace_metric item').items));
    else if (type === 'span')
      spans.push(
        ...listOf(jsonObject(item.payload, 'span item').items)
          .map((span) => streamedSpanOf(span, dsc))
          .filter(isSpan),
      );
    else if (type === 'transaction') {
      const event: Json = jsonObject(item.payload, 'transaction');
      eventSdk ??= typeof event.sdk?.name === 'string' ? event.sdk.name : undefined;
      spans.push(...transactionSpans(event, dsc));
    } else ignoredItems++;
  }
  const sdkName = sdk ?? eventSdk ?? 'sentry';
  const namedService = [...spans.map((span) => span.attributes['service.name']), ...metricItems.map((item) => item?.attributes?.['service.name']?.value)].find(
    (name) => typeof name === 'string' && name,
  );
  const service = String(namedService ?? (key && key !== DEFAULT_PUBLIC_KEY ? key : sdkName));
  return {
    batch: { origin: /javascript\.(browser|react|vue|angular|svelte|ember|solid|gatsby)/.test(sdkName) ? 'browser' : 'server', service, sdk: sdkName, points: pointsOf(metricItems), spans },
    items: items.length,
    ignoredItems,
  };
}

/** `dev` from `http://dev@127.0.0.1:8976/0`. */
export function keyOfDsn(dsn: unknown): string | undefined {
  if (typeof dsn !== 'string') return undefined;
  try {
    return new URL(dsn).username || undefined;
  } catch {
    return undefined;
  }
}

/** One point per series (name, type, unit and attributes other than `sentry.*`). */
function pointsOf(items: Json[]): ViewerPoint[] {
  const groups = new Map<string, { point: ViewerPoint; weighted: Array<[number, number]> }>();
  for (const item of items) {
    const type = item?.type;
    const value = Number(item?.value);
    if (typeof item?.name !== 'string' || !item.name || (type !== 'counter' && type !== 'gauge' && type !== 'distribution') || !Number.isFinite(value)) continue;
    const attributes: ViewerAttributes = {};
    let rate = 1;
    for (const [name, typed] of Object.entries((item.attributes ?? {}) as Json)) {
      const raw = typeof typed === 'object' && typed !== null && 'value' in typed ? typed.value : typed;
      if (name === CLIENT_SAMPLE_RATE) rate = Number(raw);
      else if (!name.startsWith('sentry.')) attributes[name] = typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : (raw as ViewerAttributes[string]);
    }
    const unit = typeof item.unit === 'string' && item.unit !== 'none' ? item.unit : '';
    const timeMs = Number(item.timestamp) * 1000;
    const key = JSON.stringify([type, item.name, unit, Object.entries(attributes).sort()]);
    let group = groups.get(key);
    if (!group) {
      group = { point: { type, name: item.name, unit, attributes, timeMs, startTimeMs: timeMs, exemplars: [] }, weighted: [] };
      groups.set(key, group);
    }
    const { point } = group;
    if (Number.isFinite(timeMs)) {
      point.startTimeMs = Math.min(point.startTimeMs ?? timeMs, timeMs);
      point.timeMs = Math.max(point.timeMs ?? timeMs, timeMs);
    }
    if (type === 'counter') {
      point.sum = (point.sum ?? 0) + value;
      point.count = (point.count ?? 0) + 1;
    } else if (type === 'gauge') {
      point.last = value;
      point.min = Math.min(point.min ?? value, value);
      point.max = Math.max(point.max ?? value, value);
      point.sum = (point.sum ?? 0) + value;
      point.count = (point.count ?? 0) + 1;
    } else group.weighted.push([value, rate > 0 && rate <= 1 ? 1 / rate : 1]);
    const exemplar = exemplarOf(item, value);
    if (exemplar && point.exemplars.length < MAX_EXEMPLARS && !point.exemplars.some((known) => known.traceId === exemplar.traceId)) point.exemplars.push(exemplar);
  }
  return [...groups.values()].map(({ point, weighted }) => {
    if (point.type !== 'distribution') return point;
    const histogram = histogramOfWeighted(weighted);
    return { ...point, histogram, count: histogram.count, sum: histogram.sum, min: histogram.min, max: histogram.max };
  });
}

function exemplarOf(item: Json, value: number): ViewerExemplar | undefined {
  const traceId = idOf(item.trace_id, 32);
  if (!traceId) return undefined;
  return { traceId, spanId: idOf(item.span_id, 16), value, timestampMs: Number(item.timestamp) * 1000 };
}

/** The transaction's root span (`contexts.trace`) and its child spans. */
function transactionSpans(event: Json, dsc: Json): ViewerSpan[] {
  const trace = (event.contexts?.trace ?? {}) as Json;
  const traceId = idOf(trace.trace_id, 32);
  if (!traceId) return [];
  const rate = numberOr(trace.data?.['sentry.sample_rate'], numberOr(dsc.sample_rate, undefined));
  const root: ViewerSpan | undefined = spanOf({
    traceId,
    spanId: trace.span_id,
    parentSpanId: trace.parent_span_id,
    name: event.transaction,
    op: trace.op,
    start: event.start_timestamp,
    end: event.timestamp,
    status: trace.status,
    data: trace.data,
    rate,
  });
  const children = listOf(event.spans).map((span) =>
    spanOf({
      traceId: idOf(span.trace_id, 32) ?? traceId,
      spanId: span.span_id,
      parentSpanId: span.parent_span_id,
      name: span.description ?? span.op,
      op: span.op,
      start: span.start_timestamp,
      end: span.timestamp,
      status: span.status,
      data: span.data,
      rate,
    }),
  );
  return [root, ...children].filter(isSpan);
}

/** A span v2 item (span streaming): typed attributes, `status` 'ok' | 'error'. */
function streamedSpanOf(span: Json, dsc: Json): ViewerSpan | undefined {
  const data: Json = {};
  for (const [name, typed] of Object.entries((span?.attributes ?? {}) as Json)) data[name] = typeof typed === 'object' && typed !== null && 'value' in typed ? typed.value : typed;
  return spanOf({
    traceId: idOf(span?.trace_id, 32),
    spanId: span?.span_id,
    parentSpanId: span?.parent_span_id,
    name: span?.name,
    op: data['sentry.op'],
    start: span?.start_timestamp,
    end: span?.end_timestamp,
    status: span?.status,
    data,
    rate: numberOr(data['sentry.sample_rate'], numberOr(dsc.sample_rate, undefined)),
  });
}

function spanOf(raw: {
  traceId?: string;
  spanId: unknown;
  parentSpanId: unknown;
  name: unknown;
  op: unknown;
  start: unknown;
  end: unknown;
  status: unknown;
  data: unknown;
  rate?: number;
}): ViewerSpan | undefined {
  const spanId = idOf(raw.spanId, 16);
  const start = Number(raw.start) * 1000;
  if (!raw.traceId || !spanId || !Number.isFinite(start)) return undefined;
  const end = Number(raw.end) * 1000;
  const attributes: ViewerAttributes = {};
  for (const [name, value] of Object.entries((raw.data ?? {}) as Json)) {
    if (name === 'sentry.op') continue;
    attributes[name] = value === null || typeof value !== 'object' ? value : JSON.stringify(value);
  }
  // Sentry span statuses (https://develop.sentry.dev/sdk/data-model/event-payloads/span/): anything but ok is a failure.
  const status = raw.status === undefined || raw.status === null ? 'unset' : raw.status === 'ok' ? 'ok' : 'error';
  return {
    traceId: raw.traceId,
    spanId,
    parentSpanId: idOf(raw.parentSpanId, 16),
    name: typeof raw.name === 'string' ? raw.name : '',
    op: typeof raw.op === 'string' ? raw.op : undefined,
    startTimeMs: start,
    endTimeMs: Number.isFinite(end) ? Math.max(start, end) : start,
    status,
    statusMessage: status === 'error' && typeof raw.status === 'string' && raw.status !== 'error' ? raw.status : undefined,
    attributes,
    // Sentry sends only the spans of sampled traces.
    sampled: true,
    sampleRate: raw.rate,
  };
}

function idOf(value: unknown, length: number): string | undefined {
  return typeof value === 'string' && value.length === length && /^[0-9a-fA-F]+$/.test(value) && !/^0+$/.test(value) ? value.toLowerCase() : undefined;
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}

function listOf(value: unknown): Json[] {
  return Array.isArray(value) ? value : [];
}

function isSpan(span: ViewerSpan | undefined): span is ViewerSpan {
  return span !== undefined;
}
