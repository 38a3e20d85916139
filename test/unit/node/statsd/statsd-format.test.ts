import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../../src/core/internal/attributes';
import { ExponentialHistogram } from '../../../../src/core/metrics/exponential-histogram';
import type { CounterPoint, DistributionPoint, GaugePoint, MetricPoint } from '../../../../src/core/metrics/types';
import { formatStatsdLines, type StatsdFormatOptions } from '../../../../src/node/statsd/statsd-format';
import { histogramValues, type WeightedValue } from '../../../../src/core/metrics/histogram-values';
import { formatStatsdNumber } from '../../../../src/node/statsd/statsd-number';
import { packDatagrams } from '../../../../src/node/statsd/statsd-pack';
import { sampleRateForCount } from '../../../../src/node/statsd/statsd-sample-rate';

const DOGSTATSD: StatsdFormatOptions = { mode: 'dogstatsd', prefix: '', globalTags: {}, maxLineBytes: 1432 };
const PLAIN: StatsdFormatOptions = { ...DOGSTATSD, mode: 'statsd' };

const base = { unit: '', attributes: {} as Attributes, startTimeMs: 0, timeMs: 1000, exemplars: [] };
const counter = (name: string, sum: number, attributes: Attributes = {}): CounterPoint => ({ ...base, type: 'counter', name, sum, count: 1, attributes });
const gauge = (name: string, last: number, attributes: Attributes = {}): GaugePoint => ({ ...base, type: 'gauge', name, last, min: last, max: last, sum: last, count: 1, attributes });
function distribution(name: string, values: number[], attributes: Attributes = {}): DistributionPoint {
  const histogram = new ExponentialHistogram();
  for (const value of values) histogram.record(value);
  const data = histogram.toData();
  return { ...base, type: 'distribution', name, attributes, count: data.count, sum: data.sum, min: data.min, max: data.max, histogram: data };
}

/** Reads DogStatsD lines back into (name, value, weight, tags) entries. */
function parseLines(lines: string[]): Array<{ name: string; value: number; weight: number; type: string; tags: string }> {
  const entries = [];
  for (const line of lines.flatMap((text) => text.split('\n'))) {
    const [head, type, ...fields] = line.split('|');
    const [name, ...values] = head.split(':');
    const rate = fields.find((field) => field.startsWith('@'));
    const tags = fields.find((field) => field.startsWith('#')) ?? '';
    for (const value of values) entries.push({ name, value: Number(value), weight: rate ? 1 / Number(rate.slice(1)) : 1, type, tags });
  }
  return entries;
}

describe('formatStatsdNumber', () => {
  it('writes plain decimals where JavaScript would use an exponent', () => {
    expect(formatStatsdNumber(1.5e-7)).toBe('0.00000015');
    expect(formatStatsdNumber(-2.5e21)).toBe('-2500000000000000000000');
    expect(formatStatsdNumber(42.125)).toBe('42.125');
    expect(formatStatsdNumber(-0)).toBe('0');
  });

  it('parses back to the same double, with no exponent, for any finite number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = formatStatsdNumber(value);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
    );
  });
});

describe('sampleRateForCount', () => {
  it('sends no rate for a weight of 1 and exact binary fractions for powers of two', () => {
    expect(sampleRateForCount(1)).toBeUndefined();
    expect(sampleRateForCount(2)).toBe('0.5');
    expect(sampleRateForCount(1024)).toBe('0.0009765625');
  });

  it('gives a rate whose reciprocal is the count, or the nearest double above it, for every count to 200 000', () => {
    let exact = 0;
    for (let count = 2; count <= 200_000; count++) {
      const weight = 1 / Number(sampleRateForCount(count));
      if (weight === count) exact++;
      else if (!(weight > count && weight - count <= count * Number.EPSILON)) throw new Error(`count ${count} → weight ${weight}`);
    }
    // Most counts have an exact reciprocal; the rest are above by an ulp or so.
    expect(exact).toBeGreaterThan(150_000);
  });

  it('never lets a truncating daemon count less than the weight, up to 2^32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2 ** 32 }), (count) => {
        const rate = sampleRateForCount(count)!;
        return /^0\.\d+$/.test(rate) && Math.trunc(1 / Number(rate)) === count;
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds 49, whose reciprocal does not round-trip, up rather than down', () => {
    expect(1 / (1 / 49)).not.toBe(49);
    const weight = 1 / Number(sampleRateForCount(49));
    expect(weight).toBeGreaterThanOrEqual(49);
    expect(weight - 49).toBeLessThan(1e-13);
  });
});

describe('histogramValues', () => {
  it('sends min and max as themselves and the rest as bucket midpoints in log space', () => {
    const point = distribution('latency', [5, 5, 5, 5, 100]);
    const { scale, positive } = point.histogram;
    const fiveIndex = positive.offset; // the lowest bucket holds the 5s
    const midpoint = 2 ** ((fiveIndex + 0.5) * 2 ** -scale);
    expect(midpoint).toBeGreaterThan(5);
    expect(histogramValues(point)).toEqual([
      { value: 5, count: 1 },
      { value: midpoint, count: 3 },
      { value: 100, count: 1 },
    ]);
  });

  it('merges a midpoint clamped onto min or max with it', () => {
    expect(histogramValues(distribution('x', [8, 8, 8, 8]))).toEqual([{ value: 8, count: 4 }]);
    expect(histogramValues(distribution('x', [3]))).toEqual([{ value: 3, count: 1 }]);
    expect(histogramValues(distribution('x', [0, 0, -2]))).toEqual([
      { value: -2, count: 1 },
      { value: 0, count: 2 },
    ]);
  });

  it('keeps the exact count, min, max and order, and every nearest-rank percentile within half a bucket', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), fc.double({ min: -1e3, max: -1e-2, noNaN: true }), fc.constant(0)), { minLength: 1, maxLength: 400 }),
        (recorded) => {
          const point = distribution('x', recorded);
          const values = histogramValues(point);
          expect(values.reduce((total, entry) => total + entry.count, 0)).toBe(recorded.length);
          expect(values[0].value).toBe(point.min);
          expect(values[values.length - 1].value).toBe(point.max);
          for (let i = 1; i < values.length; i++) expect(values[i].value).toBeGreaterThan(values[i - 1].value);
          const sorted = [...recorded].sort((a, b) => a - b);
          // The log-space midpoint of (b^i, b^(i+1)] is within √b − 1 of anything in the bucket.
          const relativeError = Math.sqrt(2 ** (2 ** -point.histogram.scale)) - 1;
          for (const q of [0.01, 0.25, 0.5, 0.9, 0.99, 1]) {
            const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
            const estimate = weightedRank(values, Math.max(1, Math.ceil(q * sorted.length)));
            expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(Math.abs(exact) * relativeError * (1 + 1e-9));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

function weightedRank(values: WeightedValue[], rank: number): number {
  let seen = 0;
  for (const { value, count } of values) {
    seen += count;
    if (seen >= rank) return value;
  }
  return NaN;
}

describe('formatStatsdLines (DogStatsD)', () => {
  it('writes one line per counter and gauge series, with sorted tags after the type', () => {
    const { lines } = formatStatsdLines([counter('orders', 3, { region: 'eu', tier: 1 }), gauge('queue.depth', -4.5, { ok: true })], DOGSTATSD);
    expect(lines).toEqual(['orders:3|c|#region:eu,tier:1', 'queue.depth:-4.5|g|#ok:true']);
  });

  it('adds the prefix and global tags, letting a point attribute of the same key win', () => {
    const { lines } = formatStatsdLines([counter('orders', 1, { env: 'canary', region: 'eu' })], { ...DOGSTATSD, prefix: 'shop', globalTags: { env: 'prod', team: 'web' } });
    expect(lines).toEqual(['shop.orders:1|c|#env:canary,region:eu,team:web']);
  });

  it('replaces characters that would break the line in names, tag keys and tag values', () => {
    const { lines } = formatStatsdLines([counter('api/v1 calls:total|x', 1, { 'a:b|c#d,e@f': 'x|y,z#w@v\nu', url: 'https://h:8080/p' })], DOGSTATSD);
    expect(lines).toEqual(['api_v1_calls_total_x:1|c|#a_b_c_d_e_f:x_y_z_w_v_u,url:https://h:8080/p']);
  });

  it('writes a tag with an empty value as a value-less tag', () => {
    expect(formatStatsdLines([counter('c', 1, { flag: '' })], DOGSTATSD).lines).toEqual(['c:1|c|#flag']);
  });

  it('packs a distribution into one line per weight, with the rate that restores the weight', () => {
    const { lines } = formatStatsdLines([distribution('latency', [1, 1000, 8, 8, 8, 8], { route: '/a' })], DOGSTATSD);
    const eights = histogramValues(distribution('latency', [1, 1000, 8, 8, 8, 8])).find((entry) => entry.count === 4)!;
    expect(lines).toEqual([`latency:1:1000|d|#route:/a`, `latency:${eights.value}|d|@0.25|#route:/a`]);
  });

  it('reconstructs exactly the recorded count from the lines, for any data', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), (recorded) => {
        const { lines, droppedPoints } = formatStatsdLines([distribution('d', recorded)], DOGSTATSD);
        expect(droppedPoints).toBe(0);
        const weights = parseLines(lines).map((entry) => Math.trunc(entry.weight));
        expect(weights.reduce((total, weight) => total + weight, 0)).toBe(recorded.length);
      }),
      { numRuns: 300 },
    );
  });

  it('splits a long multi-value line by values, each part within the limit, losing none', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 140, max: 400 }), (recorded, maxLineBytes) => {
        const point = distribution('service.request.duration', recorded, { route: '/api/items' });
        // From 140 bytes a line always has room for the name, the tags, the longest rate and one value.
        const { lines, droppedPoints } = formatStatsdLines([point], { ...DOGSTATSD, maxLineBytes });
        expect(droppedPoints).toBe(0);
        for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(maxLineBytes);
        const sent = parseLines(lines).map((entry) => ({ value: entry.value, count: Math.trunc(entry.weight) }));
        const expected = histogramValues(point);
        const byValue = (a: WeightedValue, b: WeightedValue) => a.value - b.value;
        expect(sent.sort(byValue)).toEqual(expected.sort(byValue));
      }),
      { numRuns: 200 },
    );
  });

  it('drops and counts a point whose line cannot fit, and keeps the others', () => {
    const { lines, droppedPoints } = formatStatsdLines([counter('big', 1, { note: 'x'.repeat(200) }), counter('small', 1)], { ...DOGSTATSD, maxLineBytes: 100 });
    expect(lines).toEqual(['small:1|c']);
    expect(droppedPoints).toBe(1);
  });

  it('counts a value that is not finite as a dropped point', () => {
    const { lines, droppedPoints } = formatStatsdLines([counter('overflowed', Infinity), gauge('fine', 1)], DOGSTATSD);
    expect(lines).toEqual(['fine:1|g']);
    expect(droppedPoints).toBe(1);
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    const point = counter('c', 1, { city: 'ž'.repeat(40) }); // 40 characters, 80 bytes
    const line = `c:1|c|#city:${'ž'.repeat(40)}`;
    expect(formatStatsdLines([point], { ...DOGSTATSD, maxLineBytes: Buffer.byteLength(line) }).lines).toEqual([line]);
    expect(formatStatsdLines([point], { ...DOGSTATSD, maxLineBytes: line.length + 1 }).droppedPoints).toBe(1);
  });
});

describe('formatStatsdLines (plain StatsD)', () => {
  it('drops tags and global tags', () => {
    const { lines } = formatStatsdLines([counter('orders', 2, { region: 'eu' })], { ...PLAIN, globalTags: { env: 'prod' } });
    expect(lines).toEqual(['orders:2|c']);
  });

  it('sets a negative gauge through zero, as one unit that stays in one datagram', () => {
    const { lines } = formatStatsdLines([gauge('temperature', -7.5), gauge('level', 3)], PLAIN);
    expect(lines).toEqual(['temperature:0|g\ntemperature:-7.5|g', 'level:3|g']);
  });

  it('sends a small distribution as one timer line per value, min and max exact, with no rate', () => {
    const { lines } = formatStatsdLines([distribution('size', [1, 1000, 8, 8, 8, 8])], PLAIN);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('size:1|ms');
    expect(lines[5]).toBe('size:1000|ms');
    // The four eights come back as their bucket's value: within the histogram's relative error.
    for (const line of lines.slice(1, 5)) expect(Math.abs(Number(line.slice('size:'.length, -'|ms'.length)) / 8 - 1)).toBeLessThan(0.011);
  });

  it('sends a large distribution as at most 100 timer lines whose rates add up to the count', () => {
    const values = Array.from({ length: 1234 }, (_, index) => 1 + (index % 97));
    const { lines } = formatStatsdLines([distribution('size', values)], PLAIN);
    expect(lines).toHaveLength(100);
    const weights = lines.map((line) => (line.includes('|@') ? 1 / Number(line.split('|@')[1]) : 1));
    expect(weights.reduce((sum, weight) => sum + weight, 0)).toBe(1234);
  });
});

describe('packDatagrams', () => {
  it('joins lines with newlines up to the limit', () => {
    const { datagrams } = packDatagrams(['a:1|c', 'b:2|c', 'c:3|c'], 11);
    expect(datagrams.map(String)).toEqual(['a:1|c\nb:2|c', 'c:3|c']);
  });

  it('keeps every line, in order, and no datagram over the limit, for any lines and limit', () => {
    // Characters of 1, 2, 3 and 4 UTF-8 bytes.
    const line = fc.string({ unit: fc.constantFrom('a', '9', ':', '|', ',', ' ', 'ž', '€', '😀'), maxLength: 120 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 100 }), fc.integer({ min: 1, max: 1500 }), (lines, maxBytes) => {
        const { datagrams, oversized } = packDatagrams(lines, maxBytes);
        const fitting = lines.filter((text) => Buffer.byteLength(text) <= maxBytes);
        const unpacked = datagrams.flatMap((datagram) => datagram.toString('utf8').split('\n'));
        return (
          datagrams.every((datagram) => datagram.length <= maxBytes) &&
          oversized === lines.length - fitting.length &&
          unpacked.length === fitting.length &&
          unpacked.every((line, i) => line === fitting[i])
        );
      }),
    );
  });

  it('puts thousands of series in datagrams of at most 1432 bytes without losing a line', () => {
    const points: MetricPoint[] = [];
    for (let i = 0; i < 3000; i++) {
      const attributes = { route: `/api/items/${i}`, method: i % 2 ? 'GET' : 'POST', region: `région-${i % 7}` };
      points.push(
        i % 3 === 0 ? counter(`requests.${i % 50}`, i, attributes) : i % 3 === 1 ? gauge(`queue.${i % 20}`, -i, attributes) : distribution(`latency.${i % 10}`, [i, i * 1.5, i * 7, 0.25], attributes),
      );
    }
    for (const options of [DOGSTATSD, PLAIN]) {
      const { lines, droppedPoints } = formatStatsdLines(points, options);
      const { datagrams, oversized } = packDatagrams(lines, 1432);
      expect(droppedPoints + oversized).toBe(0);
      expect(Math.max(...datagrams.map((datagram) => datagram.length))).toBeLessThanOrEqual(1432);
      expect(datagrams.map((datagram) => datagram.toString('utf8')).join('\n')).toBe(lines.join('\n'));
    }
  });
});
