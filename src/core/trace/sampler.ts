import type { Attributes } from '../internal/attributes';
import { debugLogger } from '../internal/debug-logger';
import type { SamplingContext, TracingOptions } from './tracing-options';
import { errorMessage } from '../internal/error-message';

/** What a local root span decided. `sampled: undefined` defers the decision downstream. */
export interface SamplingDecision {
  sampled: boolean | undefined;
  sampleRate?: number;
}

export interface SamplingInput {
  name: string;
  op?: string;
  attributes: Attributes;
  url?: string;
  parentSampled?: boolean;
  parentSampleRate?: number;
  sampleRand: number;
}

/**
 * Decides for a local root span. Order: `tracesSampler` (its number or boolean is the rate),
 * else the parent's decision, else `tracesSampleRate`, else deferred. Kept iff
 * `sampleRand < rate`, so services that share a trace's `sample_rand` agree. A sampler that
 * throws or returns something else than a boolean or a number in [0, 1] is warned about once and
 * treated as if it returned `inheritOrSampleWith(tracesSampleRate ?? 0)`.
 *
 * @example
 * decideSampling({ tracesSampleRate: 0.25 }, { name: 'GET /', attributes: {}, sampleRand: 0.1 }); // → { sampled: true, sampleRate: 0.25 }
 */
export function decideSampling(options: Pick<TracingOptions, 'tracesSampleRate' | 'tracesSampler'>, input: SamplingInput): SamplingDecision {
  const { parentSampled, parentSampleRate } = input;
  // With a `sample_rand` made consistent on the way in (see continue-trace.ts), the parent's
  // rate reproduces the parent's decision.
  const inherit = (fallback: number): number => (parentSampleRate !== undefined ? parentSampleRate : parentSampled !== undefined ? Number(parentSampled) : fallback);
  if (typeof options.tracesSampler === 'function') {
    const rate = callSampler(options.tracesSampler, {
      name: input.name,
      op: input.op,
      attributes: input.attributes,
      url: input.url,
      parentSampled,
      parentSampleRate,
      inheritOrSampleWith: inherit,
    });
    const effective = rate ?? inherit(options.tracesSampleRate ?? 0);
    return { sampled: input.sampleRand < effective, sampleRate: effective };
  }
  if (parentSampled !== undefined) {
    return { sampled: parentSampled, sampleRate: parentSampleRate ?? (parentSampled ? 1 : 0) };
  }
  if (options.tracesSampleRate !== undefined) {
    return { sampled: input.sampleRand < options.tracesSampleRate, sampleRate: options.tracesSampleRate };
  }
  debugLogger.warnOnce(
    'sampling:deferred',
    process.env.NODE_ENV !== 'production' &&
      'neither tracesSampleRate nor tracesSampler is set: spans are not recorded, but trace ids still propagate with no sampling flag, so the next service decides. Set tracesSampleRate (0…1) to record spans.',
  );
  return { sampled: undefined };
}

/** Calls the user's sampler in isolation; returns its rate, or undefined for a throw or garbage. */
function callSampler(sampler: (context: SamplingContext) => number | boolean, context: SamplingContext): number | undefined {
  let result: unknown;
  try {
    result = sampler(context);
  } catch (error) {
    debugLogger.warnOnce('tracesSampler:throw', process.env.NODE_ENV !== 'production' && `tracesSampler threw (${errorMessage(error)}); the parent's decision or tracesSampleRate was used instead.`);
    return undefined;
  }
  if (typeof result === 'boolean') return result ? 1 : 0;
  if (typeof result === 'number' && result >= 0 && result <= 1) return result;
  debugLogger.warnOnce(
    'tracesSampler:result',
    process.env.NODE_ENV !== 'production' &&
      `tracesSampler must return a boolean or a number from 0 to 1; got ${typeof result === 'number' ? result : typeof result}. The parent's decision or tracesSampleRate was used instead.`,
  );
  return undefined;
}
