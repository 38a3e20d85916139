import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalAttributesKey, type Attributes } from '../../../../src/core/internal/attributes';
import type { AttributeScope } from '../../../../src/core/internal/context';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { OVERFLOW_ATTRIBUTE, SeriesIndex } from '../../../../src/core/metrics/series-index';

interface TestSeries {
  attributes: Attributes;
  folded: boolean;
}

function createIndex(maxSeries = 2000, globals?: Attributes): SeriesIndex<TestSeries> {
  return new SeriesIndex<TestSeries>(maxSeries, (attributes) => ({ attributes, folded: false }), globals);
}

/** What an aggregator does: the hot path, else the slow one. */
function seriesFor(index: SeriesIndex<TestSeries>, attributes: unknown, scope?: AttributeScope): TestSeries {
  return index.find(scope, attributes as Record<string, unknown>) ?? index.resolve(scope, attributes, 'test').series;
}

function scopeOf(attributes: Attributes): AttributeScope {
  return { attributes, key: canonicalAttributesKey(attributes) };
}

afterEach(() => {
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('SeriesIndex', () => {
  it('misses before a set is resolved and hits the same series afterwards', () => {
    const index = createIndex();
    expect(index.find(undefined, { route: '/a' })).toBeUndefined();
    const resolved = index.resolve(undefined, { route: '/a' }, 'test');
    expect(resolved).toMatchObject({ attributeProblems: 0, overflowed: false });
    expect(index.find(undefined, { route: '/a' })).toBe(resolved.series);
  });

  it('maps the same attributes in any key order to one series', () => {
    const index = createIndex();
    const ab = seriesFor(index, { a: 1, b: 2 });
    const ba = seriesFor(index, { b: 2, a: 1 });
    expect(ba).toBe(ab);
    expect(index.size).toBe(1);
    // Both caller orders are remembered, so the second order is a hot-path hit too.
    expect(index.find(undefined, { b: 2, a: 1 })).toBe(ab);
  });

  it('keeps 1 and "1" as different series', () => {
    const index = createIndex();
    expect(seriesFor(index, { code: 1 })).not.toBe(seriesFor(index, { code: '1' }));
    expect(index.size).toBe(2);
  });

  it('treats a missing, null or empty attribute set as the same series', () => {
    const index = createIndex();
    const none = seriesFor(index, undefined);
    expect(seriesFor(index, null)).toBe(none);
    expect(seriesFor(index, {})).toBe(none);
    expect(seriesFor(index, { skipped: undefined })).toBe(none);
    expect(index.size).toBe(1);
  });

  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['an empty array', []],
    ['a symbol', Symbol('s')],
  ])('never serves %s from the hot path, so it is sanitised (and counted) on every call', (_label, attributes) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const index = createIndex();
    seriesFor(index, undefined);
    expect(index.find(undefined, attributes as unknown as Record<string, unknown>)).toBeUndefined();
    expect(index.resolve(undefined, attributes, 'test').attributeProblems).toBe(1);
  });

  it('merges the scope under the call attributes, the call winning', () => {
    const index = createIndex();
    const scope = scopeOf({ tenant: 'acme', tier: 'free' });
    const series = seriesFor(index, { tier: 'pro' }, scope);
    expect(series.attributes).toEqual({ tenant: 'acme', tier: 'pro' });
    expect(index.find(scope, { tier: 'pro' })).toBe(series);
    expect(index.find(undefined, { tier: 'pro' })).toBeUndefined();
  });

  it('gives a scoped set and the equal unscoped set one series', () => {
    const index = createIndex();
    const scoped = seriesFor(index, undefined, scopeOf({ tenant: 'acme' }));
    expect(seriesFor(index, { tenant: 'acme' })).toBe(scoped);
    expect(index.size).toBe(1);
  });

  it('does not let an attribute key reach a scope’s series', () => {
    const index = createIndex();
    const scope = scopeOf({ tenant: 'acme' });
    const scoped = seriesFor(index, undefined, scope);
    // A key that spelled the old internal scope step, with the scope's key as its value.
    const forged = { '\u0000scope': scope.key };
    const series = seriesFor(index, forged);
    expect(series).not.toBe(scoped);
    expect(series.attributes).toEqual(forged);
  });

  it('merges global attributes under scope and call attributes', () => {
    const index = createIndex(2000, { env: 'prod', region: 'eu' });
    const series = seriesFor(index, { region: 'us' }, scopeOf({ tenant: 'acme' }));
    expect(series.attributes).toEqual({ env: 'prod', region: 'us', tenant: 'acme' });
  });

  it('makes a call that repeats a global value the same series as one that leaves it out', () => {
    const index = createIndex(2000, { env: 'prod' });
    expect(seriesFor(index, { env: 'prod' })).toBe(seriesFor(index, undefined));
    expect(index.size).toBe(1);
  });

  it('folds values past a key\'s budget into "__other__", and keeps the existing ones', () => {
    const index = createIndex(8); // 2 values a key
    const first = seriesFor(index, { user: 1 });
    const second = seriesFor(index, { user: 2 });
    const third = index.resolve(undefined, { user: 3 }, 'test');
    const fourth = seriesFor(index, { user: 4 });
    expect(third).toMatchObject({ overflowed: true, newlyFoldedKey: 'user' });
    expect(fourth).toBe(third.series);
    expect(third.series).toMatchObject({ attributes: { user: '__other__' }, folded: true });
    expect(seriesFor(index, { user: 1 })).toBe(first);
    expect(seriesFor(index, { user: 2 })).toBe(second);
    expect(index.all()).toEqual([first, second, third.series]);
    expect(index.size).toBe(3);
  });

  it('caches the fold: a new value past the budget is found on the hot path', () => {
    const index = createIndex(8);
    for (let user = 0; user < 3; user++) seriesFor(index, { route: '/a', user });
    const folded = index.find(undefined, { route: '/a', user: 'never-seen' });
    expect(folded?.attributes).toEqual({ route: '/a', user: '__other__' });
    // A kept value the path has not met with this route is not folded: the slow path finds its own series.
    expect(index.find(undefined, { route: '/b', user: 0 })).toBeUndefined();
    expect(seriesFor(index, { route: '/b', user: 0 }).attributes).toEqual({ route: '/b', user: 0 });
  });

  it('gives the last-resort overflow series the global attributes too', () => {
    const index = createIndex(1, { env: 'prod' });
    seriesFor(index, { user: 1 });
    expect(index.resolve(undefined, { user: 2 }, 'test').series.attributes).toEqual({ env: 'prod', [OVERFLOW_ATTRIBUTE]: true });
  });

  it('stays bounded through 100 000 distinct attribute sets', () => {
    const maxSeries = 2000;
    const index = createIndex(maxSeries);
    let overflowed = 0;
    for (let i = 0; i < 100_000; i++) {
      const attributes = { user: `u${i}`, plan: i % 2 === 0 ? 'free' : 'pro' };
      const found = index.find(undefined, attributes);
      if (found === undefined ? index.resolve(undefined, attributes, 'test').overflowed : found.folded) overflowed++;
    }
    // 500 users kept (a quarter of the series), each with its plan, and one folded series per plan.
    expect(index.size).toBe(maxSeries / 4 + 2);
    expect(index.aliasCount).toBeLessThanOrEqual(2 * maxSeries);
    expect(overflowed).toBe(100_000 - maxSeries / 4);
  });

  it('does not remember paths through cut or dropped values', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const index = createIndex();
    const long = { note: 'x'.repeat(600) };
    const series = index.resolve(undefined, long, 'test');
    expect(series.attributeProblems).toBe(1);
    expect(index.find(undefined, long)).toBeUndefined();
    expect(index.resolve(undefined, { bad: { nested: 1 } }, 'test').attributeProblems).toBe(1);
    expect(index.aliasCount).toBe(0);
  });

  it('does not remember a clean set made long by thousands of undefined entries', () => {
    const index = createIndex();
    const padded: Record<string, unknown> = { kept: 'v' };
    for (let i = 0; i < 5000; i++) padded[`empty${i}`] = undefined;
    expect(index.resolve(undefined, padded, 'test')).toMatchObject({ attributeProblems: 0, series: { attributes: { kept: 'v' } } });
    expect(index.aliasCount).toBe(0);
  });

  it('caps remembered paths, and still finds the right series past the cap', () => {
    const index = createIndex(40);
    // The same 10 series reached through many different key orders and undefined-padding.
    for (let round = 0; round < 20; round++) {
      for (let user = 0; user < 10; user++) seriesFor(index, { [`pad${round}`]: undefined, user });
    }
    expect(index.aliasCount).toBeLessThanOrEqual(2 * 40);
    expect(index.size).toBe(10);
    expect(seriesFor(index, { pad99: undefined, user: 3 }).attributes).toEqual({ user: 3 });
  });

  it('handles a proxy that throws on ownKeys and a getter that throws without throwing', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const index = createIndex();
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    );
    const getter = {
      ok: 'yes',
      get broken(): string {
        throw new Error('getter');
      },
    };
    expect(index.find(undefined, hostile)).toBeUndefined();
    expect(index.resolve(undefined, hostile, 'test')).toMatchObject({ attributeProblems: 1, series: { attributes: {} } });
    expect(index.find(undefined, getter)).toBeUndefined();
    expect(index.resolve(undefined, getter, 'test')).toMatchObject({ attributeProblems: 1, series: { attributes: { ok: 'yes' } } });
  });
});

describe('SeriesIndex: hash collisions', () => {
  it('keeps sets whose hashes collide apart', async () => {
    const hashing = await import('../../../../src/core/metrics/attributes-hash');
    const spy = vi.spyOn(hashing, 'attributesHash').mockReturnValue(7);
    try {
      const index = createIndex();
      const a = seriesFor(index, { user: 'a' });
      const b = seriesFor(index, { user: 'b' });
      expect(a).not.toBe(b);
      expect(index.resolve(undefined, { user: 'b' }, 'test').series).toBe(b);
      expect(index.resolve(undefined, { user: 'a' }, 'test').series).toBe(a);
      expect(index.size).toBe(2);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
