import { describe, expect, it } from 'vitest';
import { ExponentialHistogram } from '../../../../src/core/metrics/exponential-histogram';
import { fitHistogramData } from '../../../../src/core/metrics/fit-histogram-data';

const histogramOf = (values: number[], maxScale?: number) => {
  const histogram = new ExponentialHistogram(undefined, maxScale);
  for (const value of values) histogram.record(value);
  return histogram;
};

describe('fitHistogramData', () => {
  it('returns data that fits as it is', () => {
    const data = histogramOf([10, 10.5, 11], 6).toData();
    expect(fitHistogramData(data, 160)).toBe(data);
  });

  it('lowers the scale by the least that fits, equal to recording at that scale', () => {
    const values = [...Array.from({ length: 500 }, (_, i) => Math.pow(1000, i / 499)), 0, 0, -3, -700];
    const data = histogramOf(values).toData();
    const fitted = fitHistogramData(data, 160);
    expect(fitted.positive.bucketCounts.length + fitted.negative.bucketCounts.length).toBeLessThanOrEqual(160);
    expect(fitted.scale).toBeLessThan(data.scale);
    // One scale finer would not have fitted.
    expect(fitHistogramData(data, 160 * 2 + 2).scale).toBeGreaterThan(fitted.scale);
    expect(fitted).toEqual({ ...histogramOf(values, fitted.scale).toData(), sum: data.sum });
  });
});
