import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { decideSampling, type SamplingInput } from '../../../../src/core/trace/sampler';
import type { SamplingContext } from '../../../../src/core/sdk/options';

beforeEach(() => {
  debugLogger.resetWarnings();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => vi.restoreAllMocks());

function warnings(): string[] {
  return vi.mocked(console.warn).mock.calls.map((args) => args.join(' '));
}

const input = (overrides: Partial<SamplingInput> = {}): SamplingInput => ({ name: 'GET /', attributes: {}, sampleRand: 0.3, ...overrides });

describe('decideSampling', () => {
  it('keeps a new trace iff sample_rand < tracesSampleRate (strictly), with that rate', () => {
    expect(decideSampling({ tracesSampleRate: 0.5 }, input({ sampleRand: 0.3 }))).toEqual({ sampled: true, sampleRate: 0.5 });
    expect(decideSampling({ tracesSampleRate: 0.3 }, input({ sampleRand: 0.3 }))).toEqual({ sampled: false, sampleRate: 0.3 });
    expect(decideSampling({ tracesSampleRate: 0 }, input({ sampleRand: 0 }))).toEqual({ sampled: false, sampleRate: 0 });
    expect(decideSampling({ tracesSampleRate: 1 }, input({ sampleRand: 0.999999 }))).toEqual({ sampled: true, sampleRate: 1 });
  });

  it("follows the parent's decision over tracesSampleRate, with the parent's rate when known", () => {
    expect(decideSampling({ tracesSampleRate: 1 }, input({ parentSampled: false, parentSampleRate: 0.1 }))).toEqual({ sampled: false, sampleRate: 0.1 });
    expect(decideSampling({ tracesSampleRate: 0 }, input({ parentSampled: true }))).toEqual({ sampled: true, sampleRate: 1 });
  });

  it('defers (no decision) when nothing decides, and says so once', () => {
    expect(decideSampling({}, input())).toEqual({ sampled: undefined });
    expect(decideSampling({}, input())).toEqual({ sampled: undefined });
    expect(warnings().filter((warning) => warning.includes('tracesSampleRate'))).toHaveLength(1);
  });

  it("lets tracesSampler override the parent: its number or boolean is the rate, compared with the trace's sample_rand", () => {
    expect(decideSampling({ tracesSampler: () => 0.5 }, input({ parentSampled: false, sampleRand: 0.3 }))).toEqual({ sampled: true, sampleRate: 0.5 });
    expect(decideSampling({ tracesSampler: () => false }, input({ parentSampled: true }))).toEqual({ sampled: false, sampleRate: 0 });
    expect(decideSampling({ tracesSampler: () => true }, input())).toEqual({ sampled: true, sampleRate: 1 });
  });

  it('tells tracesSampler the span and the parent, and inheritOrSampleWith gives the parent rate, decision, or the fallback', () => {
    let seen: SamplingContext | undefined;
    const sampler = (context: SamplingContext) => ((seen = context), context.inheritOrSampleWith(0.7));
    expect(decideSampling({ tracesSampler: sampler }, input({ name: 'job', op: 'queue', attributes: { a: 1 }, parentSampled: true, parentSampleRate: 0.4 }))).toEqual({
      sampled: true,
      sampleRate: 0.4,
    });
    expect(seen).toMatchObject({ name: 'job', op: 'queue', attributes: { a: 1 }, parentSampled: true, parentSampleRate: 0.4 });
    expect(decideSampling({ tracesSampler: sampler }, input({ parentSampled: false }))).toEqual({ sampled: false, sampleRate: 0 });
    expect(decideSampling({ tracesSampler: sampler }, input({ sampleRand: 0.69 }))).toEqual({ sampled: true, sampleRate: 0.7 });
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['returns a number above 1', () => 2],
    ['returns NaN', () => Number.NaN],
    ['returns a string', () => '0.5' as unknown as number],
  ])('treats a sampler that %s as inheritOrSampleWith(tracesSampleRate), warning once', (_case, sampler) => {
    expect(decideSampling({ tracesSampler: sampler, tracesSampleRate: 0.5 }, input({ sampleRand: 0.3 }))).toEqual({ sampled: true, sampleRate: 0.5 });
    expect(decideSampling({ tracesSampler: sampler, tracesSampleRate: 0.5 }, input({ parentSampled: false }))).toEqual({ sampled: false, sampleRate: 0 });
    expect(decideSampling({ tracesSampler: sampler }, input())).toEqual({ sampled: false, sampleRate: 0 });
    expect(warnings().filter((warning) => warning.includes('tracesSampler'))).toHaveLength(1);
  });
});
