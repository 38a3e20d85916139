import { describe, it, expect } from 'vitest';
import { createRetryPolicy } from '../../../../../src/core/export/http/retry-policy';

describe('createRetryPolicy', () => {
  it('retries network-level statuses (0, 408, 429, 5xx), delivers 2xx and rejects other statuses', () => {
    const policy = createRetryPolicy();
    for (const status of [200, 202, 204]) expect(policy.classify(status)).toBe('delivered');
    for (const status of [0, 408, 429, 500, 502, 503, 504]) expect(policy.classify(status)).toBe('retry');
    for (const status of [301, 400, 401, 403, 404, 413, 415]) expect(policy.classify(status)).toBe('reject');
  });

  it('draws each delay uniformly below an exponentially growing cap (full jitter)', () => {
    const top = createRetryPolicy({ initialBackoffMs: 100, maxBackoffMs: 1000, random: () => 0.999999 });
    expect(top.backoffMs(1)).toBeCloseTo(100, 2);
    expect(top.backoffMs(2)).toBeCloseTo(200, 2);
    expect(top.backoffMs(4)).toBeCloseTo(800, 2);
    expect(top.backoffMs(5)).toBeCloseTo(1000, 2);
    expect(top.backoffMs(30)).toBeCloseTo(1000, 2);
    const bottom = createRetryPolicy({ initialBackoffMs: 100, random: () => 0 });
    expect(bottom.backoffMs(3)).toBe(0);
  });

  it('falls back to defaults on bad options and to half the cap when the random source misbehaves', () => {
    const policy = createRetryPolicy({
      maxRetries: -1,
      initialBackoffMs: Number.NaN,
      random: () => {
        throw new Error('no entropy');
      },
    });
    expect(policy.maxRetries).toBe(5);
    expect(policy.backoffMs(1)).toBe(500);
  });
});
