import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debugLogger } from '../../../src/core/internal/debug-logger';
import { resolveOptions, type IsometerOptions, type ResolvedOptions } from '../../../src/core/sdk/options';
import { decideSampling } from '../../../src/core/trace/sampler';
import { applyTracingEnvironment } from '../../../src/node/environment-tracing';
import { close, getTraceHeaders, init, memoryExporter, startSpan } from '../../../src/node/index';

beforeEach(() => {
  debugLogger.resetWarnings();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await close();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function warnings(): string[] {
  return vi.mocked(console.warn).mock.calls.map((args) => args.join(' '));
}

function resolve(env: NodeJS.ProcessEnv, options: IsometerOptions = {}): ResolvedOptions {
  const resolved = resolveOptions(options)!;
  applyTracingEnvironment(resolved, options, env);
  return resolved;
}

/** What the resolved sampling decides for a new trace and for a child of a sampled / unsampled parent. */
function decisions(resolved: ResolvedOptions, sampleRand: number) {
  const decide = (parentSampled?: boolean) => decideSampling(resolved, { name: 'x', attributes: {}, sampleRand, parentSampled }).sampled;
  return { root: decide(), underSampled: decide(true), underUnsampled: decide(false) };
}

describe('OTEL_TRACES_SAMPLER', () => {
  it.each([
    ['always_on', undefined, 0.9, { root: true, underSampled: true, underUnsampled: true }],
    ['always_off', undefined, 0.1, { root: false, underSampled: false, underUnsampled: false }],
    ['traceidratio', '0.5', 0.3, { root: true, underSampled: true, underUnsampled: true }],
    ['traceidratio', '0.5', 0.7, { root: false, underSampled: false, underUnsampled: false }],
    ['parentbased_always_on', undefined, 0.9, { root: true, underSampled: true, underUnsampled: false }],
    ['parentbased_always_off', undefined, 0.1, { root: false, underSampled: true, underUnsampled: false }],
    ['parentbased_traceidratio', '0.25', 0.2, { root: true, underSampled: true, underUnsampled: false }],
    ['parentbased_traceidratio', '0.25', 0.3, { root: false, underSampled: true, underUnsampled: false }],
    ['ParentBased_TraceIdRatio', '0.25', 0.3, { root: false, underSampled: true, underUnsampled: false }],
  ])('%s (arg %s) decides as OpenTelemetry does, at sample_rand %d', (sampler, arg, sampleRand, expected) => {
    const resolved = resolve({ OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: arg });
    expect(decisions(resolved, sampleRand)).toEqual(expected);
    expect(warnings()).toEqual([]);
  });

  it('uses the ratio 1.0 when the argument is missing, and warns once for a bad one', () => {
    expect(resolve({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' }).tracesSampleRate).toBe(1);
    expect(resolve({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }).tracesSampleRate).toBe(1);
    expect(resolve({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }).tracesSampleRate).toBe(1);
    expect(warnings()).toEqual([expect.stringContaining('OTEL_TRACES_SAMPLER_ARG="1.5" is not valid')]);
  });

  it('warns once, naming the variable, for an unknown sampler, and leaves sampling to the options', () => {
    const resolved = resolve({ OTEL_TRACES_SAMPLER: 'jaeger_remote' });
    expect(resolved.tracesSampleRate).toBeUndefined();
    expect(resolved.tracesSampler).toBeUndefined();
    resolve({ OTEL_TRACES_SAMPLER: 'jaeger_remote' });
    expect(warnings()).toEqual([expect.stringContaining('OTEL_TRACES_SAMPLER="jaeger_remote" is not valid')]);
  });

  it('gives way to tracesSampleRate or tracesSampler when the options set one', () => {
    expect(resolve({ OTEL_TRACES_SAMPLER: 'always_off' }, { tracesSampleRate: 0.5 })).toMatchObject({ tracesSampleRate: 0.5, tracesSampler: undefined });
    const sampler = () => 1;
    expect(resolve({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, { tracesSampler: sampler })).toMatchObject({ tracesSampleRate: undefined, tracesSampler: sampler });
  });
});

describe('OTEL_PROPAGATORS', () => {
  it.each([
    ['tracecontext,baggage', { sentry: false, tracecontext: true, baggage: true }],
    ['sentry', { sentry: true, tracecontext: false, baggage: false }],
    [' Sentry , tracecontext ', { sentry: true, tracecontext: true, baggage: false }],
    ['none', { sentry: false, tracecontext: false, baggage: false }],
  ])('%j picks the header families', (value, expected) => {
    const resolved = resolve({ OTEL_PROPAGATORS: value });
    expect(resolved.propagators).toEqual(expected);
    expect(resolved.propagateTraceparent).toBe(expected.tracecontext);
    expect(warnings()).toEqual([]);
  });

  it('gives way to propagateTraceparent for tracecontext when the option is set', () => {
    expect(resolve({ OTEL_PROPAGATORS: 'tracecontext,baggage' }, { propagateTraceparent: false }).propagators).toEqual({ sentry: false, tracecontext: false, baggage: true });
    expect(resolve({ OTEL_PROPAGATORS: 'sentry' }, { propagateTraceparent: true }).propagators).toEqual({ sentry: true, tracecontext: true, baggage: false });
  });

  it('warns once and keeps the default headers for a value with an unknown propagator', () => {
    expect(resolve({ OTEL_PROPAGATORS: 'tracecontext,b3' }).propagators).toBeUndefined();
    expect(warnings()).toEqual([expect.stringContaining('OTEL_PROPAGATORS="tracecontext,b3" is not valid')]);
  });
});

describe('init from isometer/node reads the environment', () => {
  it('samples and propagates as the variables say', () => {
    vi.stubEnv('OTEL_TRACES_SAMPLER', 'always_off');
    vi.stubEnv('OTEL_PROPAGATORS', 'tracecontext');
    init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    const headers = startSpan({ name: 'work' }, (span) => {
      expect(span.sampled).toBe(false);
      return getTraceHeaders();
    });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-02$/);
    expect(headers).not.toHaveProperty('sentry-trace');
    expect(headers.baggage).toBe('');
  });
});
