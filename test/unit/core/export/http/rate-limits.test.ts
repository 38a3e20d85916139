import { describe, it, expect } from 'vitest';
import { createRateLimits, DEFAULT_RATE_LIMIT_MS, parseRetryAfter } from '../../../../../src/core/export/http/rate-limits';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('1')).toBe(1000);
    expect(parseRetryAfter(' 120 ')).toBe(120_000);
    const wallNow = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', wallNow)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', wallNow)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('createRateLimits', () => {
  it('pauses only the categories X-Sentry-Rate-Limits names', () => {
    const limits = createRateLimits();
    expect(limits.update({ status: 429, headers: { 'x-sentry-rate-limits': '60:span;transaction:organization:quota_exceeded' } }, 'span')).toBe(true);
    expect(limits.remainingMs('span')).toBeGreaterThan(59_000);
    expect(limits.remainingMs('transaction')).toBeGreaterThan(59_000);
    expect(limits.remainingMs('trace_metric')).toBe(0);
  });

  it('pauses every category for a group with no categories, and uses 60 s when the delay is unreadable', () => {
    const limits = createRateLimits();
    limits.update({ status: 200, headers: { 'x-sentry-rate-limits': 'x::key' } }, 'span');
    expect(limits.remainingMs('anything')).toBeGreaterThan(DEFAULT_RATE_LIMIT_MS - 1000);
    expect(limits.remainingMs('anything')).toBeLessThanOrEqual(DEFAULT_RATE_LIMIT_MS);
  });

  it('pauses nothing for a success, even with Retry-After or an empty X-Sentry-Rate-Limits', () => {
    const limits = createRateLimits();
    expect(limits.update({ status: 200, headers: { 'retry-after': '30' } }, 'span')).toBe(false);
    expect(limits.update({ status: 202, headers: { 'x-sentry-rate-limits': ' ', 'retry-after': '30' } }, 'span')).toBe(false);
    expect(limits.remainingMs('span')).toBe(0);
    expect(limits.update({ status: 503, headers: { 'x-sentry-rate-limits': '', 'retry-after': '30' } }, 'span')).toBe(true);
    expect(limits.remainingMs('trace_metric')).toBeGreaterThan(29_000);
  });

  it('reads several comma-separated groups, each with its own delay', () => {
    const limits = createRateLimits();
    limits.update({ status: 429, headers: { 'x-sentry-rate-limits': '10:span:key, 100:trace_metric:organization' } }, 'span');
    expect(limits.remainingMs('span')).toBeGreaterThan(9_000);
    expect(limits.remainingMs('span')).toBeLessThanOrEqual(10_000);
    expect(limits.remainingMs('trace_metric')).toBeGreaterThan(99_000);
  });

  it('lets X-Sentry-Rate-Limits win over Retry-After', () => {
    const limits = createRateLimits();
    limits.update({ status: 429, headers: { 'retry-after': '100', 'x-sentry-rate-limits': '5:span' } }, 'span');
    expect(limits.remainingMs('trace_metric')).toBe(0);
    expect(limits.remainingMs('span')).toBeLessThanOrEqual(5000);
  });

  it('pauses all categories on Retry-After of a 429 or 503, but not of a success', () => {
    const limits = createRateLimits();
    expect(limits.update({ status: 200, headers: { 'retry-after': '30' } }, 'span')).toBe(false);
    expect(limits.remainingMs('span')).toBe(0);
    expect(limits.update({ status: 503, headers: { 'retry-after': '30' } }, 'span')).toBe(true);
    expect(limits.remainingMs('trace_metric')).toBeGreaterThan(29_000);
  });

  it('does not pause on a bare 429 (the caller backs off) and never shortens a longer pause', () => {
    const limits = createRateLimits();
    expect(limits.update({ status: 429, headers: {} }, 'span')).toBe(false);
    limits.update({ status: 429, headers: { 'x-sentry-rate-limits': '100:span' } }, 'span');
    limits.update({ status: 429, headers: { 'x-sentry-rate-limits': '1:span' } }, 'span');
    expect(limits.remainingMs('span')).toBeGreaterThan(99_000);
  });
});
