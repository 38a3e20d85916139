import { describe, expect, it } from 'vitest';
import { ExponentialHistogram } from '../../../../../src/core/metrics/exponential-histogram';
import type { Attributes } from '../../../../../src/core/internal/attributes';
import type { MetricPoint } from '../../../../../src/core/metrics/types';
import { toOtlpDataPoint } from '../../../../../src/core/export/otlp/encode-otlp-metrics';
import { otlpJsonPointWriter } from '../../../../../src/core/export/otlp/otlp-json-point-writer';

const START = 1_764_765_432_123.25;
const END = START + 10_000.5;

/** Attribute sets with every value kind and text that needs escaping or is not ASCII. */
const ATTRIBUTE_SETS: Attributes[] = [
  {},
  { route: '/cart', method: 'GET', status: '200' },
  { quote: 'say "hi"\\', control: 'a\u0000b\nc\t', unicode: 'café 店 🚀', lone: '\ud800x' },
  { 'key "with" quotes': 'v', clé: 'ü' },
  { retries: 2, negative: -7, big: Number.MAX_SAFE_INTEGER, unsafe: 2 ** 60, share: 0.25, tiny: 5e-324, huge: 1e21, minusZero: -0 },
  { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY },
  { ok: true, failed: false },
  { odd: undefined as unknown as string, object: { a: 1 } as unknown as string, kept: 'x' },
];
const VALUES = [0, 1, 3.5, -0, 1e21, 123456789.123, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

function points(): MetricPoint[] {
  const all: MetricPoint[] = [];
  for (const attributes of ATTRIBUTE_SETS) {
    for (const value of VALUES) {
      all.push({ type: 'counter', name: 'c', unit: '', attributes, startTimeMs: START, timeMs: END, exemplars: [], sum: value, count: 1 });
      all.push({ type: 'gauge', name: 'g', unit: 'byte', attributes, startTimeMs: START, timeMs: END, exemplars: [], last: value, min: value, max: value, sum: value, count: 1 });
    }
    // A later interval in the same batch (cumulative points keep their own start times).
    all.push({ type: 'counter', name: 'c', unit: '', attributes, startTimeMs: START - 60_000, timeMs: END + 1, exemplars: [], sum: 2, count: 2 });
  }
  // Histograms of every shape: positive only, both signs with zeros, a single value, one wide over
  // eight decades, an infinite sum, and none recorded.
  const histogramShapes: number[][] = [[1, 2, 40, 900], [-250, -0.5, 0, 0, 3e-9, 17], [42], Array.from({ length: 400 }, (_, i) => 1.05 ** i * 1e-6), [Number.MAX_VALUE, Number.MAX_VALUE], []];
  for (const values of histogramShapes) {
    const histogram = new ExponentialHistogram();
    for (const value of values) histogram.record(value);
    const data = histogram.toData();
    for (const attributes of ATTRIBUTE_SETS) {
      all.push({
        type: 'distribution',
        name: 'd',
        unit: 'millisecond',
        attributes,
        startTimeMs: START,
        timeMs: END,
        exemplars: [],
        count: data.count,
        sum: data.sum,
        min: data.min,
        max: data.max,
        histogram: data,
      });
    }
  }
  const histogram = new ExponentialHistogram();
  for (const value of [1, 2, 40, 900]) histogram.record(value);
  const data = histogram.toData();
  const exemplar = { value: 40, timestampMs: START + 5, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true };
  all.push({
    type: 'distribution',
    name: 'd',
    unit: 'millisecond',
    attributes: { route: '/x' },
    startTimeMs: START,
    timeMs: END,
    exemplars: [exemplar],
    count: data.count,
    sum: data.sum,
    min: data.min,
    max: data.max,
    histogram: data,
  });
  all.push({ type: 'counter', name: 'c', unit: '', attributes: { route: '/x' }, startTimeMs: START, timeMs: END, exemplars: [exemplar], sum: 1, count: 1 });
  return all;
}

describe('otlpJsonPointWriter', () => {
  it('writes exactly the text JSON.stringify gives for the OTLP data point, for every value kind', () => {
    const write = otlpJsonPointWriter(160);
    const texts = points().map((point) => {
      const text = write(point);
      expect(text).toBe(JSON.stringify(toOtlpDataPoint(point, 160)));
      return text;
    });
    // The histogram shapes reach every optional field, both ways.
    const histograms = texts.map((text) => JSON.parse(text)).filter((point) => point.positive !== undefined);
    for (const field of ['sum', 'zeroCount', 'negative', 'min', 'max']) {
      expect(histograms.some((point) => field in point)).toBe(true);
      expect(histograms.some((point) => !(field in point))).toBe(true);
    }
    expect(Math.min(...histograms.map((point) => point.scale))).toBeLessThan(Math.max(...histograms.map((point) => point.scale)));
  });

  it('writes a histogram wider than its bucket budget downscaled, as the object route does', () => {
    const write = otlpJsonPointWriter(20);
    let downscaled = 0;
    for (const point of points()) {
      if (point.type !== 'distribution') continue;
      const text = write(point);
      expect(text).toBe(JSON.stringify(toOtlpDataPoint(point, 20)));
      const written = JSON.parse(text);
      if (written.scale < point.histogram.scale) downscaled++;
      expect(written.positive.bucketCounts.length + (written.negative?.bucketCounts.length ?? 0)).toBeLessThanOrEqual(20);
    }
    expect(downscaled).toBeGreaterThan(0);
  });

  it("says each text's UTF-8 bytes past one a character, with keys and values met before as with new ones", () => {
    const write = otlpJsonPointWriter(160);
    // Twice: the second round reads every key and value part from the writer's caches.
    for (const point of [...points(), ...points()]) {
      const text = write(point);
      expect(text.length + write.extraBytes).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });

  it('writes valid JSON with the attributes as given', () => {
    const write = otlpJsonPointWriter();
    const parsed = JSON.parse(write(points()[ATTRIBUTE_SETS.indexOf(ATTRIBUTE_SETS[2]) * (2 * VALUES.length + 1)]));
    expect(parsed.attributes).toEqual([
      { key: 'quote', value: { stringValue: 'say "hi"\\' } },
      { key: 'control', value: { stringValue: 'a\u0000b\nc\t' } },
      { key: 'unicode', value: { stringValue: 'café 店 🚀' } },
      { key: 'lone', value: { stringValue: '\ud800x' } },
    ]);
    expect(parsed.startTimeUnixNano).toBe('1764765432123250000');
    expect(parsed.timeUnixNano).toBe('1764765442123750000');
  });
});
