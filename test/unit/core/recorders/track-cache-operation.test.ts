import { describe, it, expect } from 'vitest';
import { trackCacheOperation } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('trackCacheOperation', () => {
  it('counts a get that returns undefined or null as a miss and anything else as a hit, in cache.get spans', async () => {
    const store = new Map([['a', 'value']]);
    expect(trackCacheOperation({ cache: 'local', operation: 'get' }, () => store.get('a'))).toBe('value');
    expect(trackCacheOperation({ cache: 'local', operation: 'get' }, () => store.get('b'))).toBeUndefined();
    expect(await trackCacheOperation({ cache: 'local', operation: 'get' }, async () => null)).toBeNull();
    await client.flush();
    expect(client.memory().total('cache.hits', { cache: 'local' })).toBe(1);
    expect(client.memory().total('cache.misses', { cache: 'local' })).toBe(2);
    expect(client.memory().spans.map((span) => [span.op, span.name, span.attributes['cache.hit']])).toEqual([
      ['cache.get', 'get local', true],
      ['cache.get', 'get local', false],
      ['cache.get', 'get local', false],
    ]);
  });

  it("uses Sentry's cache span ops and takes hit and size set through the scope", async () => {
    await trackCacheOperation({ cache: 'redis', operation: 'set' }, async (scope) => scope.set({ size: 3 }));
    trackCacheOperation({ cache: 'redis', operation: 'delete' }, () => true);
    trackCacheOperation({ cache: 'redis', operation: 'get' }, (scope) => {
      scope.set({ hit: false });
      return 'stale';
    });
    await client.flush();
    expect(client.memory().spans.map((span) => span.op)).toEqual(['cache.put', 'cache.remove', 'cache.get']);
    expect(client.memory().find('cache.size')[0]).toMatchObject({ attributes: { cache: 'redis' }, last: 3 });
    expect(client.memory().total('cache.misses', { operation: 'get' })).toBe(1);
    expect(client.memory().total('cache.hits')).toBe(0);
  });

  it('rethrows the error unchanged, records the failure and counts neither hit nor miss', async () => {
    const error = new RangeError('value too large');
    expect(() =>
      trackCacheOperation({ cache: 'redis', operation: 'get' }, () => {
        throw error;
      }),
    ).toThrow(error);
    await client.flush();
    expect(client.memory().total('cache.failures', { cache: 'redis', error_type: 'RangeError', operation: 'get' })).toBe(1);
    expect(client.memory().total('cache.hits') + client.memory().total('cache.misses')).toBe(0);
  });
});
