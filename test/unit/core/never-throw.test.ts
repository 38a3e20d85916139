import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  close,
  continueTrace,
  flush,
  getClient,
  getDroppedCounts,
  getTraceHeaders,
  init,
  memoryExporter,
  metrics,
  startInactiveSpan,
  startSpan,
  traced,
  withAttributes,
  type Exporter,
  type IsometerOptions,
  type MemoryExporter,
  type MetricPoint,
} from '../../../src/core/index';
import { debugLogger } from '../../../src/core/internal/debug-logger';

/**
 * The never-throw matrix: every public call fed bad input. Each row asserts that nothing is
 * thrown into the caller, that the point is dropped or sanitised as documented, that the drop is
 * counted by reason, and that the user hears about the mistake once, in a warning that names the
 * call, however often it is repeated.
 */

type Attributes = Record<string, unknown>;
const REPEAT = 100;

let memory: MemoryExporter;

function start(options: IsometerOptions = {}): void {
  memory = memoryExporter();
  const extra = options.exporters ?? [];
  // A bad `exporters` value is passed through as is; the memory exporter then rides on addExporter.
  init({ flushIntervalMs: 0, exportTimeoutMs: 50, ...options, exporters: Array.isArray(extra) ? [memory, ...extra] : extra });
  if (!Array.isArray(extra)) getClient()?.addExporter(memory);
}

function warnings(): string[] {
  return vi.mocked(console.warn).mock.calls.map((args) => args.map(String).join(' '));
}

function warningsContaining(fragment: string): string[] {
  return warnings().filter((line) => line.includes(fragment));
}

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------
// Bad input, built once.

const circular: Attributes = { id: 'c' };
circular.self = circular;

const tenThousandKeys: Attributes = {};
for (let i = 0; i < 10_000; i++) tenThousandKeys[`k${String(i).padStart(5, '0')}`] = 'v';
const first32Keys = Object.fromEntries(
  Object.keys(tenThousandKeys)
    .slice(0, 32)
    .map((key) => [key, 'v']),
);

let deeplyNested: Attributes = { leaf: 1 };
for (let i = 0; i < 1000; i++) deeplyNested = { inner: deeplyNested };

const throwingGetter = {
  ok: 'yes',
  get broken(): string {
    throw new Error('getter exploded');
  },
};

const throwsOnOwnKeys = new Proxy(
  { hidden: 'x' },
  {
    ownKeys() {
      throw new Error('ownKeys exploded');
    },
  },
);

const throwsOnEverything = new Proxy(
  {},
  {
    get() {
      throw new Error('get exploded');
    },
    ownKeys() {
      throw new Error('ownKeys exploded');
    },
    getOwnPropertyDescriptor() {
      throw new Error('descriptor exploded');
    },
  },
);

const BAD_NAMES: Array<[string, unknown]> = [
  ['an empty name', ''],
  ['a 10 000-character name', 'n'.repeat(10_000)],
  ['a null name', null],
  ['an undefined name', undefined],
  ['a numeric name', 42],
  ['an object as name', {}],
  ['a symbol as name', Symbol('name')],
];

/** Recording calls that take a value: [call, record(name, value, attributes), where its warnings come from]. */
type Record3 = (name: unknown, value: unknown, attributes?: unknown) => unknown;
const VALUE_CALLS: Array<[string, Record3, { name: string; value: string; attributes: string }]> = [
  ['metrics.count', (n, v, a) => metrics.count(n as string, v as number, { attributes: a as Attributes }), { name: 'metrics.count', value: 'metrics.count', attributes: 'metrics.count' }],
  ['metrics.gauge', (n, v, a) => metrics.gauge(n as string, v as number, { attributes: a as Attributes }), { name: 'metrics.gauge', value: 'metrics.gauge', attributes: 'metrics.gauge' }],
  [
    'metrics.distribution',
    (n, v, a) => metrics.distribution(n as string, v as number, { attributes: a as Attributes }),
    { name: 'metrics.distribution', value: 'metrics.distribution', attributes: 'metrics.distribution' },
  ],
  ['metrics.counter().add', (n, v, a) => metrics.counter(n as string).add(v as number, a as Attributes), { name: 'metrics.count', value: 'metrics.count', attributes: 'metrics.count' }],
  [
    'metrics.counter().bind().add',
    (n, v, a) =>
      metrics
        .counter(n as string)
        .bind(a as Attributes)
        .add(v as number),
    { name: 'metrics.counter', value: 'counter.add', attributes: 'metrics.counter' },
  ],
];

/** Timing calls: the value is the clock's. */
const TIMING_CALLS: Array<[string, Record3, { name: string; attributes: string }]> = [
  ['metrics.timer().stop', (n, _v, a) => metrics.timer(n as string, { attributes: a as Attributes }).stop(), { name: 'metrics.timer', attributes: 'metrics.timer' }],
  ['metrics.time', (n, _v, a) => metrics.time(n as string, () => 'ran', { attributes: a as Attributes }), { name: 'metrics.time', attributes: 'metrics.time' }],
];

const ALL_RECORDING_CALLS: Array<[string, Record3, { name: string; attributes: string }]> = [...VALUE_CALLS, ...TIMING_CALLS];

// ---------------------------------------------------------------------------------------------

describe('bad metric names: dropped, counted as invalid_name, warned about once', () => {
  const rows = ALL_RECORDING_CALLS.flatMap(([call, record, where]) => BAD_NAMES.map(([label, name]) => [call, label, record, name, where.name] as const));

  it.each(rows)('%s with %s', async (_call, _label, record, name, where) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(() => record(name, 1, { ok: 'yes' })).not.toThrow();
    expect(getDroppedCounts()).toEqual({ invalid_name: REPEAT });
    expect(await flush()).toBe(true);
    expect(memory.points()).toEqual([]);
    expect(warnings()).toEqual([expect.stringContaining(`${where}: the name must be a non-empty string`)]);
    expect(warnings()[0].length).toBeLessThan(300);
  });
});

describe('bad metric values: dropped, counted as invalid_value, warned about once', () => {
  const BAD_VALUES: Array<[string, unknown]> = [
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a numeric string', '5'],
    ['null', null],
    ['an object', { valueOf: () => 5 }],
    ['a boolean', true],
    ['a bigint', 5n],
    ['a symbol', Symbol('value')],
  ];
  const rows = VALUE_CALLS.flatMap(([call, record, where]) => BAD_VALUES.map(([label, value]) => [call, label, record, value, where.value] as const));

  it.each(rows)('%s with %s', async (_call, _label, record, value, where) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(() => record('m', value)).not.toThrow();
    expect(getDroppedCounts()).toEqual({ invalid_value: REPEAT });
    await flush();
    expect(memory.points()).toEqual([]);
    expect(warnings()).toEqual([expect.stringContaining(`${where}: value must be`)]);
  });

  it.each(VALUE_CALLS.filter(([call]) => call.includes('count')))('%s drops a negative increment: counters only go up', async (_call, record, where) => {
    start();
    for (let i = 0; i < REPEAT; i++) record('m', -1);
    record('m', 2);
    expect(getDroppedCounts()).toEqual({ invalid_value: REPEAT });
    await flush();
    expect(memory.total('m')).toBe(2);
    expect(warnings()).toEqual([expect.stringContaining(`${where.value}: value must be a finite number ≥ 0; got -1`)]);
  });

  it.each(VALUE_CALLS.filter(([call]) => !call.includes('count')))('%s keeps negative values', async (_call, record) => {
    start();
    record('m', -5);
    expect(getDroppedCounts()).toEqual({});
    await flush();
    expect(memory.find('m')[0]).toMatchObject({ min: -5 });
  });
});

describe('bad attributes: the point is kept with what is usable, counted once as invalid_attribute, warned about once', () => {
  /** [label, attributes, what the point keeps, the warning (undefined: none, the input is fine)]. */
  const BAD_ATTRIBUTES: Array<[string, unknown, Attributes, string | undefined]> = [
    ['null attributes', null, {}, undefined],
    ['undefined attributes', undefined, {}, undefined],
    ['null and undefined entries', { a: null, b: undefined, ok: 'yes' }, { ok: 'yes' }, undefined],
    ['circular attributes', circular, { id: 'c' }, 'attribute "self" must be a string, finite number or boolean'],
    ['10 000 attributes', tenThousandKeys, first32Keys, 'at most 32 attributes are kept'],
    ['deeply nested attributes', { ok: 'yes', deep: deeplyNested }, { ok: 'yes' }, 'attribute "deep" must be'],
    ['an array value', { ok: 'yes', v: [1, 2] }, { ok: 'yes' }, 'attribute "v" must be'],
    ['an object value', { ok: 'yes', v: { a: 1 } }, { ok: 'yes' }, 'attribute "v" must be'],
    ['a function value', { ok: 'yes', v: () => 1 }, { ok: 'yes' }, 'attribute "v" must be'],
    ['a symbol value', { ok: 'yes', v: Symbol('v') }, { ok: 'yes' }, 'attribute "v" must be'],
    ['a bigint value', { ok: 'yes', v: 10n }, { ok: 'yes' }, 'attribute "v" must be'],
    ['a NaN value', { ok: 'yes', v: Number.NaN }, { ok: 'yes' }, 'attribute "v" must be'],
    ['a 10 000-character value', { v: 'x'.repeat(10_000) }, { v: 'x'.repeat(512) }, undefined],
    ['an empty key', { '': 'x', ok: 'yes' }, { ok: 'yes' }, 'attribute keys must be 1–128 characters'],
    ['a throwing getter', throwingGetter, { ok: 'yes' }, 'reading attribute "broken" threw'],
    ['a proxy that throws on ownKeys', throwsOnOwnKeys, {}, 'the attributes object could not be read'],
    ['a proxy that throws on everything', throwsOnEverything, {}, 'the attributes object could not be read'],
    ['an array as attributes', ['a', 'b'], {}, 'attributes must be a plain object'],
    ['a string as attributes', 'route=/cart', {}, 'attributes must be a plain object'],
    ['a number as attributes', 42, {}, 'attributes must be a plain object'],
  ];
  const rows = ALL_RECORDING_CALLS.flatMap(([call, record, where]) =>
    BAD_ATTRIBUTES.map(([label, attributes, kept, warning]) => [call, label, record, attributes, kept, warning, where.attributes] as const),
  );

  it.each(rows)('%s with %s', async (_call, label, record, attributes, kept, warning, where) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(() => record('m', 1, attributes)).not.toThrow();
    await flush();
    const points = memory.find('m');
    expect(points).toHaveLength(1);
    expect(points[0].attributes).toEqual(kept);
    expect((points[0] as MetricPoint & { count: number }).count).toBe(REPEAT);
    // A cut value is an altered point too, but not a mistake worth a warning.
    const altered = warning !== undefined || label.includes('10 000-character');
    expect(getDroppedCounts()).toEqual(altered ? { invalid_attribute: REPEAT } : {});
    if (warning === undefined) expect(warnings()).toEqual([]);
    else expect(warnings()).toEqual([expect.stringContaining(`${where}: `)]);
    if (warning !== undefined) expect(warnings()[0]).toContain(warning);
  });
});

describe('metric option objects that are not objects', () => {
  it.each([
    ['a number', 42],
    ['a string', 'unit'],
    ['null', null],
  ])('ignores %s as the options of every recording call', async (_label, options) => {
    start();
    expect(() => {
      metrics.count('c', 1, options as never);
      metrics.gauge('g', 1, options as never);
      metrics.distribution('d', 1, options as never);
      metrics.counter('k', options as never).add(1);
      metrics
        .counter('k', options as never)
        .bind()
        .add(1);
      metrics.timer('t', options as never).stop();
      metrics.time('t', () => 1, options as never);
    }).not.toThrow();
    await flush();
    expect(memory.find('k')[0]).toMatchObject({ sum: 2, unit: '' });
    expect(memory.find('t')[0]).toMatchObject({ count: 2 });
  });

  it('survives counter options whose getters throw', async () => {
    start();
    const options = {
      get unit(): string {
        throw new Error('unit getter');
      },
    };
    expect(() => metrics.counter('k', options).add(3)).not.toThrow();
    await flush();
    expect(memory.total('k')).toBe(3);
  });
});

describe('bad timing callbacks', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a promise', Promise.resolve(1)],
  ])('metrics.time with %s as fn runs nothing and warns once', (_label, fn) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(metrics.time('m', fn as never)).toBeUndefined();
    expect(warnings()).toEqual([expect.stringContaining('metrics.time(name, fn): fn must be a function')]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('failing exporters: flush resolves false, the rest of the pipeline goes on, the drop is counted', () => {
  const FAILING: Array<[string, Exporter, 'export_error' | 'export_timeout', string]> = [
    [
      'throws',
      {
        name: 'bad',
        exportMetrics() {
          throw new Error('exporter threw');
        },
      },
      'export_error',
      'exporter "bad" failed: exporter threw',
    ],
    ['rejects', { name: 'bad', exportMetrics: () => Promise.reject(new Error('exporter rejected')) }, 'export_error', 'exporter "bad" failed: exporter rejected'],
    ['answers { ok: false }', { name: 'bad', exportMetrics: () => ({ ok: false, retryable: false, reason: 'HTTP 400' }) }, 'export_error', 'exporter "bad" failed: HTTP 400'],
    ['never settles', { name: 'bad', exportMetrics: () => new Promise<void>(() => undefined) }, 'export_timeout', 'exporter "bad" did not finish within 50 ms'],
  ];

  it.each(FAILING)('an exporter that %s', async (_label, exporter, reason, warning) => {
    start({ exporters: [exporter] });
    metrics.count('a');
    metrics.gauge('b', 1);
    for (let i = 0; i < 3; i++) {
      metrics.count('a');
      expect(await flush()).toBe(false);
    }
    expect(memory.batches).toHaveLength(3);
    expect(getDroppedCounts()).toEqual({ [reason]: 4 });
    expect(warningsContaining(warning)).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
    metrics.count('app.keeps.running');
    expect(await close()).toBe(false);
    expect(memory.total('app.keeps.running')).toBe(1);
  });
});

describe('beforeSendMetric: isolated, its drops counted', () => {
  it('drops only the point it throws on, counts it as before_send_error and warns once', async () => {
    start({
      beforeSendMetric(point) {
        if (point.name.startsWith('bad')) throw new Error('callback bug');
        return point;
      },
    });
    for (let round = 0; round < 3; round++) {
      metrics.count('bad.one');
      metrics.count('good');
      metrics.gauge('bad.two', 1);
      await flush();
    }
    expect(memory.points().map((point) => point.name)).toEqual(['good', 'good', 'good']);
    expect(getDroppedCounts()).toEqual({ before_send_error: 6 });
    expect(warnings()).toEqual([expect.stringContaining('beforeSendMetric threw (callback bug); the point was dropped.')]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('drops the point it returns %s for, counted as before_send, without a warning', async (_label, result) => {
    start({ beforeSendMetric: (point) => (point.name === 'dropped' ? (result as null) : point) });
    metrics.count('dropped');
    metrics.count('kept');
    await flush();
    expect(memory.points().map((point) => point.name)).toEqual(['kept']);
    expect(getDroppedCounts()).toEqual({ before_send: 1 });
    expect(warnings()).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['a string', 'point'],
    ['true', true],
    ['an empty object', {}],
    ['an array', []],
    ['a promise', Promise.resolve(null)],
    ['a point without a name', { type: 'counter', sum: 1 }],
    ['a point with an empty name', { name: '', type: 'counter', sum: 1 }],
    ['a point of an unknown type', { name: 'x', type: 'histogram' }],
  ])('drops the point when it returns %s, counted as before_send_error, warned about once', async (_label, garbage) => {
    start({ beforeSendMetric: (point) => (point.name === 'garbage' ? (garbage as MetricPoint) : point) });
    for (let i = 0; i < 3; i++) {
      metrics.count('garbage');
      metrics.count('kept');
      await flush();
    }
    expect(memory.points().map((point) => point.name)).toEqual(['kept', 'kept', 'kept']);
    expect(getDroppedCounts()).toEqual({ before_send_error: 3 });
    expect(warnings()).toEqual([expect.stringContaining('beforeSendMetric must return the point it was given')]);
  });

  it('drops the point when it returns a proxy that throws on reading, and keeps flushing', async () => {
    start({ beforeSendMetric: () => throwsOnEverything as MetricPoint });
    metrics.count('x');
    expect(await flush()).toBe(true);
    expect(memory.points()).toEqual([]);
    expect(getDroppedCounts()).toEqual({ before_send_error: 1 });
    expect(warningsContaining('beforeSendMetric')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('init with bad input: a disabled client, never a throw', () => {
  it.each<[string, unknown, string]>([
    ['a string', 'nope', 'init(options): options must be an object'],
    ['a number', 42, 'init(options): options must be an object'],
    ['null', null, 'init(options): options must be an object'],
    ['an array', [], 'init(options): options must be an object'],
    ['a symbol', Symbol('options'), 'init(options): options must be an object'],
    ['a proxy that throws on every read', throwsOnEverything, 'init failed internally'],
    [
      'options with a throwing getter',
      {
        get flushIntervalMs(): number {
          throw new Error('option getter');
        },
      },
      'init failed internally',
    ],
  ])('init(%s)', (_label, options, warning) => {
    for (let i = 0; i < REPEAT; i++) {
      const client = init(options as IsometerOptions);
      expect(client.isActive).toBe(false);
    }
    expect(getClient()).toBeUndefined();
    expect(() => metrics.count('after.failed.init')).not.toThrow();
    expect(warningsContaining(warning)).toHaveLength(1);
  });

  it.each<[string, IsometerOptions, string]>([
    ['a negative flush interval', { flushIntervalMs: -1 }, 'init({ flushIntervalMs })'],
    ['a string as maxSeriesPerMetric', { maxSeriesPerMetric: 'many' as never }, 'init({ maxSeriesPerMetric })'],
    ['a number as prefix', { prefix: 42 as never }, 'init({ prefix })'],
    ['a string as exporters', { exporters: 'console' as never }, 'init({ exporters })'],
    ['a non-exporter in exporters', { exporters: [{} as Exporter] }, 'init({ exporters }): entry 1 is not an exporter'],
    ['a string as beforeSendMetric', { beforeSendMetric: 'drop' as never }, 'init({ beforeSendMetric })'],
    ['a tracesSampleRate above 1', { tracesSampleRate: 2 }, 'init({ tracesSampleRate })'],
    ['circular globalAttributes', { globalAttributes: circular }, 'init({ globalAttributes }): attribute "self"'],
    ['a proxy as globalAttributes', { globalAttributes: throwsOnOwnKeys }, 'init({ globalAttributes }): the attributes object could not be read'],
  ])('init with %s keeps a working client and warns naming the option', async (_label, options, warning) => {
    start(options);
    expect(getClient()?.isActive).toBe(true);
    metrics.count('works');
    await flush();
    expect(memory.total('works')).toBe(1);
    expect(warningsContaining(warning)).toHaveLength(1);
  });
});

describe('flush and close with a bad timeout', () => {
  it.each<[string, unknown]>([
    ['NaN', Number.NaN],
    ['a negative number', -1],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '100'],
    ['an object', {}],
    ['null', null],
  ])('%s: the default timeout is used, with one warning', async (_label, timeout) => {
    start();
    for (let i = 0; i < 10; i++) await expect(flush(timeout as number)).resolves.toBe(true);
    await expect(close(timeout as number)).resolves.toBe(true);
    expect(warnings()).toEqual([expect.stringContaining('flush/close(timeoutMs): timeoutMs must be a positive number')]);
  });
});

describe('withAttributes with bad input', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['circular attributes', circular],
    ['10 000 attributes', tenThousandKeys],
    ['a proxy that throws on ownKeys', throwsOnOwnKeys],
    ['a proxy that throws on everything', throwsOnEverything],
  ])('still runs fn with %s and returns its value', (_label, attributes) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(withAttributes(attributes as Attributes, () => 'ran')).toBe('ran');
    expect(warnings().length).toBeLessThanOrEqual(1);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['an object', {}],
  ])('runs nothing for %s as fn, returns undefined and warns once', (_label, fn) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(withAttributes({ a: 1 }, fn as () => void)).toBeUndefined();
    expect(warnings()).toEqual([expect.stringContaining('withAttributes(attributes, fn): fn must be a function')]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('tracing calls with bad input', () => {
  it.each<[string, unknown, string]>([
    ['null options', null, 'startSpan({ name }): name must be a non-empty string'],
    ['a number as options', 42, 'startSpan({ name }): name must be a non-empty string'],
    ['an empty name', { name: '' }, 'startSpan({ name }): name must be a non-empty string'],
    ['a symbol as name', { name: Symbol('n') }, 'startSpan({ name }): name must be a non-empty string'],
    ['circular attributes', { name: 'ok', attributes: circular }, 'startSpan: attribute "self"'],
    ['proxy attributes', { name: 'ok', attributes: throwsOnOwnKeys }, 'startSpan: the attributes object could not be read'],
    ['options that throw on every read', throwsOnEverything, 'startSpan failed internally'],
  ])('startSpan with %s runs the callback and returns its value', (_label, options, warning) => {
    start({ tracesSampleRate: 1 });
    for (let i = 0; i < REPEAT; i++) {
      const result = startSpan(options as never, (span) => {
        expect(typeof span.end).toBe('function');
        return 'ran';
      });
      expect(result).toBe('ran');
    }
    expect(warningsContaining(warning)).toHaveLength(1);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['an object', {}],
  ])('startSpan with %s as callback runs nothing and warns once', (_label, callback) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(startSpan({ name: 'x' }, callback as never)).toBeUndefined();
    expect(warnings()).toEqual([expect.stringContaining('startSpan(options, callback): callback must be a function')]);
  });

  it('startSpan rethrows what the callback throws, unchanged', () => {
    start();
    const error = new Error('user');
    expect(() =>
      startSpan({ name: 'x' }, () => {
        throw error;
      }),
    ).toThrow(error);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['an empty name', { name: '' }],
    ['options that throw on every read', throwsOnEverything],
  ])('startInactiveSpan with %s returns a span that can be used and ended', (_label, options) => {
    start();
    const span = startInactiveSpan(options as never);
    expect(() => {
      span.setAttribute('k', { not: 'primitive' });
      span.setAttributes(throwsOnOwnKeys);
      span.setStatus('nonsense' as never);
      span.updateName(42 as never);
      span.end(Number.NaN);
      span.end();
    }).not.toThrow();
    expect(span.endTimeMs).toBeTypeOf('number');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['a string', 'fn'],
  ])('traced returns %s as given instead of throwing', (_label, value) => {
    expect(traced(value as never)).toBe(value);
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['a symbol as name', { name: Symbol('n') }],
  ])('traced with %s as options still wraps and calls the function', (_label, options) => {
    start();
    const wrapped = traced((a: number, b: number) => a + b, options as never);
    expect(wrapped(2, 3)).toBe(5);
  });

  it('getTraceHeaders gives well-formed headers before init, after init and after close', async () => {
    const shape = /^[0-9a-f]{32}-[0-9a-f]{16}(-[01])?$/;
    expect(getTraceHeaders()['sentry-trace']).toMatch(shape);
    start();
    expect(getTraceHeaders()['sentry-trace']).toMatch(shape);
    await close();
    expect(getTraceHeaders()['sentry-trace']).toMatch(shape);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['a string', 'sentry-trace: x'],
    ['an array', ['a', 'b']],
    ['a non-string header', { 'sentry-trace': 42, baggage: {} }],
    ['a 10 000-character header', { 'sentry-trace': 'f'.repeat(10_000), baggage: 'x'.repeat(10_000) }],
    ['an all-zero traceparent', { traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` }],
    ['a proxy that throws on ownKeys', throwsOnOwnKeys],
    ['a proxy that throws on everything', throwsOnEverything],
    [
      'a Headers-like object whose get throws',
      {
        get() {
          throw new Error('get');
        },
      },
    ],
  ])('continueTrace with %s runs fn in a new, well-formed trace', (_label, headers) => {
    start();
    const result = continueTrace(headers as never, () => getTraceHeaders());
    expect(result['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}(-[01])?$/);
    expect(result['sentry-trace'].startsWith('0'.repeat(32))).toBe(false);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
  ])('continueTrace with %s as fn runs nothing and warns once', (_label, fn) => {
    start();
    for (let i = 0; i < REPEAT; i++) expect(continueTrace({}, fn as never)).toBeUndefined();
    expect(warnings()).toEqual([expect.stringContaining('continueTrace(headers, fn): fn must be a function')]);
  });
});

describe('every call before init and after close: a no-op that never throws', () => {
  const CALLS: Array<[string, () => unknown]> = [
    ['metrics.count', () => metrics.count('x')],
    ['metrics.gauge', () => metrics.gauge('x', 1)],
    ['metrics.distribution', () => metrics.distribution('x', 1)],
    ['metrics.counter().add', () => metrics.counter('x').add(1)],
    ['metrics.counter().bind().add', () => metrics.counter('x').bind({ a: 1 }).add(1)],
    ['metrics.timer().stop', () => metrics.timer('x').stop()],
    ['metrics.time', () => metrics.time('x', () => 1)],
    ['withAttributes', () => withAttributes({ a: 1 }, () => 1)],
    ['startSpan', () => startSpan({ name: 'x' }, () => 1)],
    ['startInactiveSpan', () => startInactiveSpan({ name: 'x' }).end()],
    ['traced', () => traced(() => 1)()],
    ['getTraceHeaders', () => getTraceHeaders()],
    ['continueTrace', () => continueTrace({}, () => 1)],
    ['flush', () => flush()],
    ['close', () => close()],
  ];

  it.each(CALLS)('%s before init', async (_call, call) => {
    await expect(Promise.resolve().then(call)).resolves.not.toThrow();
    expect(getClient()).toBeUndefined();
  });

  it.each(CALLS)('%s after close', async (_call, call) => {
    start();
    await close();
    await expect(Promise.resolve().then(call)).resolves.not.toThrow();
    expect(memory.batches).toEqual([]);
  });
});
