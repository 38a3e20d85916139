import type { Attributes } from '../../internal/attributes';
import { DEFAULT_MAX_BUCKETS } from '../../metrics/exponential-histogram';
import type { MetricPoint } from '../../metrics/types';
import { toOtlpDataPoint } from './encode-otlp-metrics';
import { toUnixNano } from './to-unix-nano';

/**
 * Writes data points as OTLP JSON text, exactly what `JSON.stringify(toOtlpDataPoint(point))`
 * gives. Counters and gauges without exemplars (nearly every point of a page) are written as text
 * directly: no `KeyValue` objects to build and collect, the interval's two timestamps formatted
 * once rather than twice a point, and each attribute key's framing escaped once. In a page most of
 * a flush runs in V8's interpreter (it happens once an interval), where those objects and
 * conversions were most of the encoding's main-thread time. Other points take the object route.
 *
 * @example
 * const write = otlpJsonPointWriter(160);
 * write(point); // → '{"attributes":[{"key":"route","value":{"stringValue":"/cart"}}],"startTimeUnixNano":"…","timeUnixNano":"…","asDouble":3}'
 */
export function otlpJsonPointWriter(maxBuckets: number = DEFAULT_MAX_BUCKETS): (point: MetricPoint) => string {
  // Points of one batch share their interval: the last conversion of each is kept.
  let startMs = NaN;
  let start = '';
  let timeMs = NaN;
  let time = '';
  /** `{"key":<key>,"value":` a key; bounded, since keys are few (each metric's attribute names). */
  const keyParts = new Map<string, string>();

  const keyPart = (key: string): string => {
    let part = keyParts.get(key);
    if (part === undefined) {
      part = `{"key":${JSON.stringify(key)},"value":`;
      if (keyParts.size < MAX_CACHED_KEYS) keyParts.set(key, part);
    }
    return part;
  };

  const attributesJson = (attributes: Attributes): string => {
    let json = '[';
    for (const key in attributes) {
      const value = attributes[key];
      let valueJson: string;
      if (typeof value === 'string') valueJson = `{"stringValue":${JSON.stringify(value)}}}`;
      else if (typeof value === 'boolean') valueJson = value ? '{"boolValue":true}}' : '{"boolValue":false}}';
      else if (typeof value === 'number') valueJson = Number.isSafeInteger(value) ? `{"intValue":"${value}"}}` : `{"doubleValue":${doubleJson(value)}}}`;
      else continue;
      json += json.length === 1 ? keyPart(key) + valueJson : `,${keyPart(key)}${valueJson}`;
    }
    return `${json}]`;
  };

  return (point) => {
    if (point.exemplars.length > 0 || (point.type !== 'counter' && point.type !== 'gauge')) return JSON.stringify(toOtlpDataPoint(point, maxBuckets));
    if (point.timeMs !== timeMs) {
      timeMs = point.timeMs;
      time = toUnixNano(timeMs);
    }
    // OTLP: a gauge's start time is optional and carries no meaning, so it is left out.
    if (point.type === 'gauge') return `{"attributes":${attributesJson(point.attributes)},"timeUnixNano":"${time}","asDouble":${doubleJson(point.last)}}`;
    if (point.startTimeMs !== startMs) {
      startMs = point.startTimeMs;
      start = toUnixNano(startMs);
    }
    return `{"attributes":${attributesJson(point.attributes)},"startTimeUnixNano":"${start}","timeUnixNano":"${time}","asDouble":${doubleJson(point.sum)}}`;
  };
}

const MAX_CACHED_KEYS = 256;

/** A double in proto3 JSON: a number, or `"NaN"`/`"Infinity"`/`"-Infinity"` (as `toOtlpDouble` spells them). */
function doubleJson(value: number): string {
  // JSON.stringify writes -0 as 0, String does too; every other finite number alike.
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}
