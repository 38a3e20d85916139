import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { memoryExporter } from '../../../../src/core/export/memory-exporter';
import { DEFAULT_MAX_SERIES_PER_METRIC } from '../../../../src/core/metrics/aggregator';
import { DEFAULT_EXPORT_TIMEOUT_MS, DEFAULT_FLUSH_INTERVAL_MS, resolveOptions, type ResolvedOptions } from '../../../../src/core/sdk/options';

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  debugLogger.setVerbose(false);
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

function warnings(): string[] {
  return vi.mocked(console.warn).mock.calls.map((args) => args.join(' '));
}

describe('resolveOptions', () => {
  it('applies the documented defaults to no options at all', () => {
    expect(resolveOptions(undefined)).toMatchObject<Partial<ResolvedOptions>>({
      exporters: [],
      flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS,
      maxSeriesPerMetric: DEFAULT_MAX_SERIES_PER_METRIC,
      exportTimeoutMs: DEFAULT_EXPORT_TIMEOUT_MS,
      globalAttributes: {},
      prefix: '',
      propagateTraceparent: false,
      debug: false,
    });
    expect(DEFAULT_FLUSH_INTERVAL_MS).toBe(10_000);
    expect(DEFAULT_MAX_SERIES_PER_METRIC).toBe(2000);
    expect(warnings()).toEqual([]);
  });

  it.each([
    ['a string', 'nope'],
    ['a number', 42],
    ['null', null],
    ['an array', []],
    ['a function', () => ({})],
  ])('rejects %s as options, with a warning that says what to pass', (_label, options) => {
    expect(resolveOptions(options)).toBeUndefined();
    expect(warnings()).toEqual([expect.stringContaining('init(options): options must be an object')]);
  });

  it.each<[string, unknown, keyof ResolvedOptions, unknown]>([
    ['flushIntervalMs', -1, 'flushIntervalMs', DEFAULT_FLUSH_INTERVAL_MS],
    ['flushIntervalMs', Number.NaN, 'flushIntervalMs', DEFAULT_FLUSH_INTERVAL_MS],
    ['flushIntervalMs', '1000', 'flushIntervalMs', DEFAULT_FLUSH_INTERVAL_MS],
    ['maxSeriesPerMetric', 0, 'maxSeriesPerMetric', DEFAULT_MAX_SERIES_PER_METRIC],
    ['maxSeriesPerMetric', Number.POSITIVE_INFINITY, 'maxSeriesPerMetric', DEFAULT_MAX_SERIES_PER_METRIC],
    ['exportTimeoutMs', 0, 'exportTimeoutMs', DEFAULT_EXPORT_TIMEOUT_MS],
    ['prefix', 42, 'prefix', ''],
    ['exporters', 'console', 'exporters', []],
    ['beforeSendMetric', 'drop-all', 'beforeSendMetric', undefined],
    ['tracesSampler', 0.5, 'tracesSampler', undefined],
    ['tracesSampleRate', 2, 'tracesSampleRate', undefined],
    ['tracesSampleRate', -0.1, 'tracesSampleRate', undefined],
    ['tracePropagationTargets', 'api.example.com', 'tracePropagationTargets', undefined],
    ['tracePropagationTargets', [42], 'tracePropagationTargets', undefined],
    ['dsn', 42, 'dsn', undefined],
    ['release', '', 'release', undefined],
    ['environment', {}, 'environment', undefined],
    ['serviceName', 7, 'serviceName', undefined],
  ])('replaces %s: %j by its default, warning once with the option’s name', (option, value, key, fallback) => {
    const resolved = resolveOptions({ [option]: value });
    expect(resolved?.[key]).toEqual(fallback);
    resolveOptions({ [option]: value });
    expect(warnings()).toEqual([expect.stringContaining(`init({ ${option} })`)]);
  });

  it('keeps good values, floors maxSeriesPerMetric and strips trailing dots from the prefix', () => {
    const beforeSendMetric = () => null;
    const resolved = resolveOptions({
      flushIntervalMs: 0,
      maxSeriesPerMetric: 2.7,
      exportTimeoutMs: 50,
      prefix: 'shop..',
      beforeSendMetric,
      tracesSampleRate: 0.25,
      tracePropagationTargets: ['api', /^https:\/\/x/],
      propagateTraceparent: true,
      release: '1.2.3',
    });
    expect(resolved).toMatchObject({
      flushIntervalMs: 0,
      maxSeriesPerMetric: 2,
      exportTimeoutMs: 50,
      prefix: 'shop',
      beforeSendMetric,
      tracesSampleRate: 0.25,
      propagateTraceparent: true,
      release: '1.2.3',
    });
    expect(warnings()).toEqual([]);
  });

  it('keeps the usable global attributes and drops the rest with a warning', () => {
    const circular: Record<string, unknown> = { service: 'api' };
    circular.self = circular;
    expect(resolveOptions({ globalAttributes: circular })?.globalAttributes).toEqual({ service: 'api' });
    expect(warnings()).toEqual([expect.stringContaining('init({ globalAttributes }): attribute "self"')]);
  });

  it('skips entries of exporters that are not exporters, naming their position', () => {
    const memory = memoryExporter();
    const resolved = resolveOptions({ exporters: [{}, memory, null, { name: 'x', exportMetrics: 'no' }] });
    expect(resolved?.exporters).toEqual([memory]);
    expect(warnings()).toEqual([
      expect.stringContaining('init({ exporters }): entry 0 is not an exporter'),
      expect.stringContaining('init({ exporters }): entry 2 is not an exporter'),
      expect.stringContaining('init({ exporters }): entry 3 is not an exporter'),
    ]);
  });

  it('turns verbose logging on with debug: true', () => {
    resolveOptions({ debug: true });
    expect(debugLogger.isVerbose()).toBe(true);
    resolveOptions({});
    expect(debugLogger.isVerbose()).toBe(false);
  });

  it("takes unsampledPropagation 'decided' (the default) or 'deferred', and warns about anything else", () => {
    expect(resolveOptions({})!.unsampledPropagation).toBe('decided');
    expect(resolveOptions({ unsampledPropagation: 'deferred' })!.unsampledPropagation).toBe('deferred');
    expect(warnings()).toEqual([]);
    expect(resolveOptions({ unsampledPropagation: 'later' })!.unsampledPropagation).toBe('decided');
    expect(warnings()).toEqual([expect.stringContaining("init({ unsampledPropagation }): expected 'decided' or 'deferred'")]);
  });

  it('leaves the header families to the defaults (and the environment)', () => {
    expect(resolveOptions({ propagateTraceparent: true })!.propagators).toBeUndefined();
  });
});
