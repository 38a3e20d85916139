import type { Attributes } from '../../internal/attributes';
import { DEFAULT_MAX_BUCKETS, type ExponentialBuckets, type ExponentialHistogramData } from '../../metrics/exponential-histogram';
import { fitHistogramData } from '../../metrics/fit-histogram-data';
import type { MetricPoint } from '../../metrics/types';
import { toOtlpDataPoint } from './encode-otlp-metrics';
import { toUnixNano } from './to-unix-nano';
import { utf8ByteLength } from '../../internal/utf8-byte-length';

/**
 * Writes data points as OTLP JSON text, exactly what `JSON.stringify(toOtlpDataPoint(point))`
 * gives. Points without exemplars (nearly every point) are written as text directly: no
 * `KeyValue` objects or bucket arrays to build and collect, the interval's two timestamps
 * formatted once rather than twice a point, each attribute key's framing escaped once, and no
 * scan of the text for non-ASCII characters. In a page most of a flush runs in V8's interpreter
 * (it happens once an interval), where those objects and conversions were most of the encoding's
 * main-thread time. Points with exemplars take the object route.
 *
 * @example
 * const write = otlpJsonPointWriter(160);
 * write(point); // → '{"attributes":[{"key":"route","value":{"stringValue":"/cart"}}],"startTimeUnixNano":"…","timeUnixNano":"…","asDouble":3}'
 */
export function otlpJsonPointWriter(maxBuckets: number = DEFAULT_MAX_BUCKETS): OtlpJsonPointWriter {
  // Points of one batch share their interval: the last conversion of each is kept.
  let startMs = NaN;
  let start = '';
  let timeMs = NaN;
  let time = '';
  /** `{"key":<key>,"value":` a key; bounded, since keys are few (each metric's attribute names). */
  const keyParts = new Map<string, string>();
  /**
   * `{"stringValue":<value>}}` a string value. Values recur across series (a route with each of
   * its methods and statuses): a lookup costs a page's interpreter far less than `JSON.stringify`.
   */
  const valueParts = new Map<string, string>();
  /** The UTF-8 bytes past one a character of a cached part, for the few that are not ASCII. */
  const partExtras = new Map<string, number>();
  /** UTF-8 bytes past one a character in the text last written. */
  let extraBytes = 0;

  const cached = (parts: Map<string, string>, text: string, max: number, write: (text: string) => string): string => {
    let part = parts.get(text);
    if (part === undefined) {
      part = write(text);
      const extra = utf8ByteLength(part) - part.length;
      if (parts.size < max) {
        parts.set(text, part);
        if (extra > 0) partExtras.set(part, extra);
      }
      extraBytes += extra;
      return part;
    }
    if (partExtras.size > 0) extraBytes += partExtras.get(part) ?? 0;
    return part;
  };
  const keyPart = (key: string): string => cached(keyParts, key, MAX_CACHED_KEYS, (text) => `{"key":${JSON.stringify(text)},"value":`);
  const stringPart = (value: string): string => cached(valueParts, value, MAX_CACHED_VALUES, (text) => `{"stringValue":${JSON.stringify(text)}}}`);

  // The lookups are inline and a part is written through `cached` only when first seen: a page
  // runs this once an interval, in V8's interpreter, where each call of a few thousand costs.
  const attributesJson = (attributes: Attributes): string => {
    let json = '[';
    for (const key in attributes) {
      const value = attributes[key];
      let valueJson: string | undefined;
      if (typeof value === 'string') {
        valueJson = valueParts.get(value);
        if (valueJson === undefined) valueJson = stringPart(value);
        else if (partExtras.size > 0) extraBytes += partExtras.get(valueJson) ?? 0;
      } else if (typeof value === 'boolean') valueJson = value ? '{"boolValue":true}}' : '{"boolValue":false}}';
      else if (typeof value === 'number') valueJson = Number.isSafeInteger(value) ? `{"intValue":"${value}"}}` : `{"doubleValue":${doubleJson(value)}}}`;
      else continue;
      let keyJson = keyParts.get(key);
      if (keyJson === undefined) keyJson = keyPart(key);
      else if (partExtras.size > 0) extraBytes += partExtras.get(keyJson) ?? 0;
      json += json.length === 1 ? keyJson + valueJson : `,${keyJson}${valueJson}`;
    }
    return `${json}]`;
  };

  // `extraBytes` is a plain property, set with each text: a getter would be one more call a point.
  const write = ((point: MetricPoint): string => {
    extraBytes = 0;
    let text: string;
    if (point.exemplars.length > 0) {
      text = JSON.stringify(toOtlpDataPoint(point, maxBuckets));
      extraBytes = utf8ByteLength(text) - text.length;
    } else {
      if (point.timeMs !== timeMs) {
        timeMs = point.timeMs;
        time = toUnixNano(timeMs);
      }
      // OTLP: a gauge's start time is optional and carries no meaning, so it is left out.
      if (point.type !== 'gauge' && point.startTimeMs !== startMs) {
        startMs = point.startTimeMs;
        start = toUnixNano(startMs);
      }
      if (point.type === 'distribution') {
        text = `{"attributes":${attributesJson(point.attributes)},"startTimeUnixNano":"${start}","timeUnixNano":"${time}",${histogramJson(fitHistogramData(point.histogram, maxBuckets))}}`;
      } else {
        const value = point.type === 'gauge' ? point.last : point.sum;
        // Finite values (all but a few) are written inline: `doubleJson` is a call a point otherwise.
        const valueJson = Number.isFinite(value) ? String(value) : doubleJson(value);
        if (point.type === 'gauge') text = `{"attributes":${attributesJson(point.attributes)},"timeUnixNano":"${time}","asDouble":${valueJson}}`;
        else text = `{"attributes":${attributesJson(point.attributes)},"startTimeUnixNano":"${start}","timeUnixNano":"${time}","asDouble":${valueJson}}`;
      }
    }
    write.extraBytes = extraBytes;
    return text;
  }) as ((point: MetricPoint) => string) & { extraBytes: number };
  write.extraBytes = 0;
  return write;
}

/**
 * Writes one data point as OTLP JSON, and says how many UTF-8 bytes past one a character the text
 * it last wrote holds: the packer needs each point's size, and a scan of every point for
 * non-ASCII text (a regex call each) was a tenth of a page's flush. Only attribute keys and string
 * values can hold non-ASCII text here, and each is measured once, when first written.
 */
export interface OtlpJsonPointWriter {
  (point: MetricPoint): string;
  readonly extraBytes: number;
}

const MAX_CACHED_KEYS = 256;
/** String values cached a batch (a writer serves one): enough for a page's usual routes and statuses, bounded for ids. */
const MAX_CACHED_VALUES = 2048;

/**
 * An exponential histogram's fields of an OTLP data point, in `toOtlpDataPoint`'s order: count
 * and sum come from the histogram (count = zeroCount + Σ buckets), a non-finite sum, min or max
 * and an empty zero count or negative range are left out. Every number here is finite.
 */
function histogramJson(histogram: ExponentialHistogramData): string {
  let json = `"count":${histogram.count}`;
  if (Number.isFinite(histogram.sum)) json += `,"sum":${histogram.sum}`;
  json += `,"scale":${histogram.scale}`;
  if (histogram.zeroCount > 0) json += `,"zeroCount":${histogram.zeroCount}`;
  json += `,"positive":${bucketsJson(histogram.positive)}`;
  if (histogram.negative.bucketCounts.length > 0) json += `,"negative":${bucketsJson(histogram.negative)}`;
  if (Number.isFinite(histogram.min)) json += `,"min":${histogram.min}`;
  if (Number.isFinite(histogram.max)) json += `,"max":${histogram.max}`;
  return json;
}

/** The counts are a typed array (a histogram's own) or a plain one (downscaled): both have a native `join`. */
function bucketsJson(buckets: ExponentialBuckets): string {
  return `{"offset":${buckets.offset},"bucketCounts":[${(buckets.bucketCounts as ArrayLike<number> & { join(separator: string): string }).join(',')}]}`;
}

/** A double in proto3 JSON: a number, or `"NaN"`/`"Infinity"`/`"-Infinity"` (as `toOtlpDouble` spells them). */
function doubleJson(value: number): string {
  // JSON.stringify writes -0 as 0, String does too; every other finite number alike.
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}
