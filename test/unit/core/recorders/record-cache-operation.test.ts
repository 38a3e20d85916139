import { describe, it, expect } from 'vitest';
import type { CounterPoint, GaugePoint } from '../../../../src/core/index';
import { recordCacheOperation } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('recordCacheOperation', () => {
  it('counts hits and misses per cache and operation, and keeps the size as a gauge per cache', async () => {
    recordCacheOperation({ cache: 'sessions', operation: 'get', hit: true, durationMs: 0.5, size: 10 });
    recordCacheOperation({ cache: 'sessions', operation: 'get', hit: true, durationMs: 0.5, size: 11 });
    recordCacheOperation({ cache: 'sessions', operation: 'get', miss: true, durationMs: 1 });
    recordCacheOperation({ cache: 'sessions', operation: 'get', hit: false, durationMs: 1 });
    recordCacheOperation({ cache: 'sessions', operation: 'set', durationMs: 2, size: 12 });
    await client.flush();
    const hits = client.memory().find('cache.hits') as CounterPoint[];
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ attributes: { cache: 'sessions', operation: 'get' }, sum: 2 });
    expect(client.memory().total('cache.misses', { cache: 'sessions', operation: 'get' })).toBe(2);
    const [size] = client.memory().find('cache.size') as GaugePoint[];
    expect(size).toMatchObject({ type: 'gauge', attributes: { cache: 'sessions' }, last: 12, min: 10, max: 12, count: 3 });
    expect(client.memory().find('cache.operation.duration', { attributes: { operation: 'get' } })[0]).toMatchObject({
      unit: 'millisecond',
      attributes: { cache: 'sessions', operation: 'get', success: true },
      count: 4,
      sum: 3,
    });
    expect(client.memory().total('cache.operation.count', { operation: 'set' })).toBe(1);
    // A write is neither a hit nor a miss.
    expect(client.memory().total('cache.hits', { operation: 'set' }) + client.memory().total('cache.misses', { operation: 'set' })).toBe(0);
  });

  it('counts a failed operation in cache.failures with its error_type', async () => {
    recordCacheOperation({ cache: 'pages', operation: 'get', durationMs: 50, errorType: 'ConnectionError' });
    await client.flush();
    expect(client.memory().find('cache.failures')[0]).toMatchObject({ attributes: { cache: 'pages', error_type: 'ConnectionError', operation: 'get' }, sum: 1 });
    expect(client.memory().total('cache.operation.count', { success: false })).toBe(1);
  });

  it('counts neither a hit nor a miss, with a warning, when both are claimed', async () => {
    recordCacheOperation({ cache: 'pages', operation: 'get', hit: true, miss: true });
    await client.flush();
    expect(client.memory().find('cache.hits')).toEqual([]);
    expect(client.memory().find('cache.misses')).toEqual([]);
    expect(client.memory().total('cache.operation.count')).toBe(1);
    expect(client.warnings().some((line) => line.includes('both a hit and a miss'))).toBe(true);
  });

  it('warns once and records nothing when info is not an object', async () => {
    expect(() => recordCacheOperation(42 as never)).not.toThrow();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.warnings().some((line) => line.startsWith('recordCacheOperation(info)'))).toBe(true);
  });
});
