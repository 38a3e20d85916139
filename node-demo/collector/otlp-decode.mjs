/**
 * Turns OTLP/HTTP JSON requests (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding)
 * into the collector's points and spans, the same shapes the in-process exporter produces from
 * isometer's MetricPoint and SpanData. 64-bit integers arrive as decimal strings, times in
 * nanoseconds, ids as hex.
 */

/** `{ service, points }[]` from an ExportMetricsServiceRequest. */
export function decodeOtlpMetrics(body) {
  const batches = [];
  for (const resourceMetrics of arrayOf(body?.resourceMetrics)) {
    const resource = attributesOf(resourceMetrics?.resource?.attributes);
    const points = [];
    for (const scopeMetrics of arrayOf(resourceMetrics?.scopeMetrics)) {
      for (const metric of arrayOf(scopeMetrics?.metrics)) points.push(...pointsOf(metric));
    }
    batches.push({ service: serviceOf(resource), resource, points });
  }
  return batches;
}

/** `{ service, spans }[]` from an ExportTraceServiceRequest. */
export function decodeOtlpSpans(body) {
  const batches = [];
  for (const resourceSpans of arrayOf(body?.resourceSpans)) {
    const resource = attributesOf(resourceSpans?.resource?.attributes);
    const spans = [];
    for (const scopeSpans of arrayOf(resourceSpans?.scopeSpans)) {
      for (const span of arrayOf(scopeSpans?.spans)) {
        const decoded = spanOf(span);
        if (decoded) spans.push(decoded);
      }
    }
    batches.push({ service: serviceOf(resource), resource, spans });
  }
  return batches;
}

function pointsOf(metric) {
  const name = typeof metric?.name === 'string' ? metric.name : '';
  if (!name) return [];
  const unit = typeof metric.unit === 'string' ? metric.unit : '';
  const base = (dataPoint) => ({
    name,
    unit,
    attributes: attributesOf(dataPoint.attributes),
    startTimeMs: nanosToMs(dataPoint.startTimeUnixNano) ?? nanosToMs(dataPoint.timeUnixNano),
    timeMs: nanosToMs(dataPoint.timeUnixNano),
    exemplars: arrayOf(dataPoint.exemplars).map(exemplarOf),
  });
  if (metric.sum) {
    return arrayOf(metric.sum.dataPoints).map((dataPoint) => ({ ...base(dataPoint), type: 'counter', sum: numberOf(dataPoint), count: undefined }));
  }
  if (metric.gauge) {
    return arrayOf(metric.gauge.dataPoints).map((dataPoint) => {
      const value = numberOf(dataPoint);
      return { ...base(dataPoint), type: 'gauge', last: value, min: value, max: value, sum: value, count: 1 };
    });
  }
  if (metric.exponentialHistogram) {
    return arrayOf(metric.exponentialHistogram.dataPoints).map((dataPoint) => {
      const histogram = {
        scale: Number(dataPoint.scale ?? 0),
        zeroCount: Number(dataPoint.zeroCount ?? 0),
        positive: bucketsOf(dataPoint.positive),
        negative: bucketsOf(dataPoint.negative),
        count: Number(dataPoint.count ?? 0),
        sum: doubleOf(dataPoint.sum),
        min: doubleOf(dataPoint.min),
        max: doubleOf(dataPoint.max),
      };
      return { ...base(dataPoint), type: 'distribution', count: histogram.count, sum: histogram.sum, min: histogram.min, max: histogram.max, histogram };
    });
  }
  return [];
}

function spanOf(span) {
  if (typeof span?.traceId !== 'string' || typeof span.spanId !== 'string') return undefined;
  const attributes = attributesOf(span.attributes);
  // isometer's OTLP encoder carries Sentry's `op` as the `sentry.op` attribute.
  const op = typeof attributes['sentry.op'] === 'string' ? attributes['sentry.op'] : undefined;
  delete attributes['sentry.op'];
  const code = Number(span.status?.code ?? 0);
  return {
    traceId: span.traceId.toLowerCase(),
    spanId: span.spanId.toLowerCase(),
    parentSpanId: typeof span.parentSpanId === 'string' && span.parentSpanId ? span.parentSpanId.toLowerCase() : undefined,
    name: String(span.name ?? ''),
    op,
    startTimeMs: nanosToMs(span.startTimeUnixNano),
    endTimeMs: nanosToMs(span.endTimeUnixNano),
    status: code === 2 ? 'error' : code === 1 ? 'ok' : 'unset',
    statusMessage: typeof span.status?.message === 'string' ? span.status.message : undefined,
    attributes,
    // Only sampled spans are exported; OTLP carries no rate, so it stays unknown here.
    sampled: true,
    sampleRate: undefined,
  };
}

function exemplarOf(exemplar) {
  return {
    value: doubleOf(exemplar?.asDouble ?? exemplar?.asInt),
    timestampMs: nanosToMs(exemplar?.timeUnixNano),
    traceId: typeof exemplar?.traceId === 'string' ? exemplar.traceId.toLowerCase() : undefined,
    spanId: typeof exemplar?.spanId === 'string' ? exemplar.spanId.toLowerCase() : undefined,
    // OTLP exemplars carry no sampling flag.
    sampled: undefined,
  };
}

function bucketsOf(buckets) {
  return { offset: Number(buckets?.offset ?? 0), bucketCounts: arrayOf(buckets?.bucketCounts).map(Number) };
}

function numberOf(dataPoint) {
  return dataPoint.asDouble !== undefined ? doubleOf(dataPoint.asDouble) : Number(dataPoint.asInt ?? 0);
}

/** proto3 JSON spells non-finite doubles as strings. */
function doubleOf(value) {
  if (value === undefined || value === null) return NaN;
  return typeof value === 'number' ? value : Number(value);
}

/** Nanoseconds since the epoch (a decimal string or a number) → milliseconds, with sub-ms precision kept. */
function nanosToMs(value) {
  if (value === undefined || value === null || value === '') return undefined;
  try {
    const nanos = BigInt(typeof value === 'number' ? Math.round(value) : value);
    return Number(nanos / 1000n) / 1000;
  } catch {
    return undefined;
  }
}

function attributesOf(list) {
  const attributes = {};
  for (const entry of arrayOf(list)) {
    if (typeof entry?.key === 'string') attributes[entry.key] = anyValueOf(entry.value);
  }
  return attributes;
}

function anyValueOf(value) {
  if (!value || typeof value !== 'object') return null;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return doubleOf(value.doubleValue);
  if ('arrayValue' in value) return arrayOf(value.arrayValue?.values).map(anyValueOf);
  return null;
}

function serviceOf(resource) {
  return typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
}

function arrayOf(value) {
  return Array.isArray(value) ? value : [];
}
