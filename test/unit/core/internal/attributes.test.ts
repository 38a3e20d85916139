import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_ATTRIBUTES,
  MAX_ATTRIBUTE_KEY_LENGTH,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  canonicalAttributesKey,
  describe as describeValue,
  mergeAttributes,
  sanitizeAttributes,
} from '../../../../src/core/internal/attributes';
import { debugLogger } from '../../../../src/core/internal/debug-logger';

function warnSpy() {
  return vi.spyOn(console, 'warn').mockImplementation(() => undefined);
}

function warningsOf(spy: ReturnType<typeof warnSpy>): string[] {
  return spy.mock.calls.map((args) => args.map(String).join(' '));
}

afterEach(() => {
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('sanitizeAttributes', () => {
  it('keeps strings, finite numbers and booleans, sorted by key', () => {
    const { attributes, problems } = sanitizeAttributes({ route: '/cart', code: 200, ok: true }, 'test');
    expect(Object.keys(attributes)).toEqual(['code', 'ok', 'route']);
    expect(attributes).toEqual({ code: 200, ok: true, route: '/cart' });
    expect(problems).toBe(0);
  });

  it('sorts keys as Array.prototype.sort does, for a few keys and for many, whatever their order', () => {
    const names = ['status', 'b', 'B', 'é', 'a-b', 'a_b', '10', '2', 'zz', 'Z', 'route', 'method', '_', 'ä', 'aa', 'a', '$'];
    for (const count of [0, 1, 2, 3, 5, 12, 13, names.length]) {
      for (let shift = 0; shift < names.length; shift++) {
        const input: Record<string, string> = {};
        for (let i = 0; i < count; i++) input[names[(i + shift) % names.length]] = 'v';
        // Integer-like keys ('2', '10') come first in any object, so the reference is an object too.
        const expected: Record<string, string> = {};
        for (const key of Object.keys(input).sort()) expected[key] = 'v';
        expect(Object.keys(sanitizeAttributes(input, 'test').attributes)).toEqual(Object.keys(expected));
      }
    }
  });

  it('skips null and undefined entries silently', () => {
    const spy = warnSpy();
    const { attributes, problems } = sanitizeAttributes({ a: null, b: undefined, c: 'x' }, 'test');
    expect(attributes).toEqual({ c: 'x' });
    expect(problems).toBe(0);
    expect(spy).not.toHaveBeenCalled();
  });

  it('treats null and undefined attribute sets as empty, without a warning', () => {
    const spy = warnSpy();
    expect(sanitizeAttributes(null, 'test')).toEqual({ attributes: {}, problems: 0 });
    expect(sanitizeAttributes(undefined, 'test')).toEqual({ attributes: {}, problems: 0 });
    expect(spy).not.toHaveBeenCalled();
  });

  it.each([
    ['an array', [1, 2]],
    ['a number', 42],
    ['a string', 'route=/cart'],
    ['a boolean', true],
    ['a function', () => 1],
  ])('ignores %s given as the attribute set, with a warning naming the call', (_label, input) => {
    const spy = warnSpy();
    expect(sanitizeAttributes(input, 'metrics.count')).toEqual({ attributes: {}, problems: 1 });
    const warnings = warningsOf(spy);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('metrics.count: attributes must be a plain object');
  });

  it.each([
    ['an array', [1]],
    ['a nested object', { a: { b: 1 } }],
    ['a function', () => undefined],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('drops an entry holding %s and warns once naming the attribute', (_label, value) => {
    const spy = warnSpy();
    const { attributes, problems } = sanitizeAttributes({ bad: value, good: 'kept' }, 'metrics.gauge');
    expect(attributes).toEqual({ good: 'kept' });
    expect(problems).toBe(1);
    sanitizeAttributes({ bad: value }, 'metrics.gauge');
    const warnings = warningsOf(spy);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('metrics.gauge: attribute "bad" must be a string, finite number or boolean');
  });

  it('cuts string values to the maximum length and counts the cut', () => {
    const { attributes, problems } = sanitizeAttributes({ long: 'x'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH + 10) }, 'test');
    expect(attributes.long).toBe('x'.repeat(MAX_ATTRIBUTE_VALUE_LENGTH));
    expect(problems).toBe(1);
  });

  it('drops empty and over-long keys', () => {
    warnSpy();
    const { attributes, problems } = sanitizeAttributes({ '': 'a', ['k'.repeat(MAX_ATTRIBUTE_KEY_LENGTH + 1)]: 'b', ok: 'c' }, 'test');
    expect(attributes).toEqual({ ok: 'c' });
    expect(problems).toBe(2);
  });

  it(`keeps the first ${MAX_ATTRIBUTES} entries in key order and counts the rest`, () => {
    const spy = warnSpy();
    const input: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) input[`key${String(i).padStart(5, '0')}`] = 'v';
    const { attributes, problems } = sanitizeAttributes(input, 'test');
    expect(Object.keys(attributes)).toHaveLength(MAX_ATTRIBUTES);
    expect(Object.keys(attributes)[0]).toBe('key00000');
    expect(Object.keys(attributes)[MAX_ATTRIBUTES - 1]).toBe(`key000${MAX_ATTRIBUTES - 1}`);
    expect(problems).toBe(10_000 - MAX_ATTRIBUTES);
    expect(warningsOf(spy).filter((line) => line.includes(`at most ${MAX_ATTRIBUTES} attributes`))).toHaveLength(1);
  });

  it('drops a circular reference as a non-primitive value, keeping the rest', () => {
    warnSpy();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(sanitizeAttributes(circular, 'test')).toEqual({ attributes: { name: 'loop' }, problems: 1 });
  });

  it('drops an entry whose getter throws, keeps the others, and warns once naming it', () => {
    const spy = warnSpy();
    const input = {
      ok: 'yes',
      get broken(): string {
        throw new Error('getter exploded');
      },
    };
    expect(sanitizeAttributes(input, 'metrics.count')).toEqual({ attributes: { ok: 'yes' }, problems: 1 });
    sanitizeAttributes(input, 'metrics.count');
    const warnings = warningsOf(spy);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('metrics.count: reading attribute "broken" threw');
  });

  it('ignores a proxy that throws on ownKeys, with a warning naming the call', () => {
    const spy = warnSpy();
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    expect(sanitizeAttributes(hostile, 'withAttributes')).toEqual({ attributes: {}, problems: 1 });
    const warnings = warningsOf(spy);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('withAttributes: the attributes object could not be read');
  });

  it('ignores symbol keys', () => {
    const { attributes, problems } = sanitizeAttributes({ [Symbol('hidden')]: 'x', shown: 'y' }, 'test');
    expect(attributes).toEqual({ shown: 'y' });
    expect(problems).toBe(0);
  });
});

describe('canonicalAttributesKey', () => {
  it('gives equal keys for equal sets in any insertion order', () => {
    const ab = sanitizeAttributes({ a: 1, b: 'x' }, 'test').attributes;
    const ba = sanitizeAttributes({ b: 'x', a: 1 }, 'test').attributes;
    expect(canonicalAttributesKey(ab)).toBe(canonicalAttributesKey(ba));
  });

  it.each([
    [{ a: 1 }, { a: '1' }],
    [{ a: true }, { a: 'true' }],
    [{ a: 't' }, { a: true }],
    [{ 'a:b': 'c' }, { a: 'b:c' }],
    [{ a: 'x,"b":"y' }, { a: 'x', b: 'y' }],
  ])('keeps %j and %j apart', (left, right) => {
    expect(canonicalAttributesKey(left)).not.toBe(canonicalAttributesKey(right));
  });
});

describe('mergeAttributes', () => {
  it('lets later sets win and returns the keys sorted', () => {
    const merged = mergeAttributes({ env: 'prod', region: 'eu' }, undefined, { env: 'dev', app: 'shop' });
    expect(merged).toEqual({ app: 'shop', env: 'dev', region: 'eu' });
    expect(Object.keys(merged)).toEqual(['app', 'env', 'region']);
  });
});

describe('describe', () => {
  it('summarises a value without calling into it', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue('x'.repeat(100))).toBe('a 100-character string');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
    expect(
      describeValue(
        new Proxy(
          {},
          {
            get() {
              throw new Error('touched');
            },
          },
        ),
      ),
    ).toBe('an object');
  });
});
