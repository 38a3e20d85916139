import { debugLogger } from '../core/internal/debug-logger';
import type { IsometerOptions, ResolvedOptions, SamplingContext } from '../core/sdk/options';
import type { Propagators } from '../core/trace/propagators';

type SamplerSetting = Pick<ResolvedOptions, 'tracesSampleRate' | 'tracesSampler'>;

// OpenTelemetry's SDK environment variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration).
// isometer's own sampling already follows the parent, so the parent-based samplers are a
// `tracesSampleRate`, and the others a `tracesSampler` that ignores the parent.
const SAMPLERS: Record<string, (ratio: () => number) => SamplerSetting> = {
  always_on: () => ({ tracesSampler: () => 1 }),
  always_off: () => ({ tracesSampler: () => 0 }),
  traceidratio: (ratio) => {
    const rate = ratio();
    return { tracesSampler: (_context: SamplingContext) => rate };
  },
  parentbased_always_on: () => ({ tracesSampleRate: 1 }),
  parentbased_always_off: () => ({ tracesSampleRate: 0 }),
  parentbased_traceidratio: (ratio) => ({ tracesSampleRate: ratio() }),
};

const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'sentry', 'none'];

function warnVariable(name: string, value: string, expected: string, fallback: string): void {
  debugLogger.warnOnce(`env:${name}`, `${name}="${value}" is not valid: expected ${expected}; ${fallback}.`);
}

function ratioFrom(env: NodeJS.ProcessEnv): () => number {
  return () => {
    const raw = env.OTEL_TRACES_SAMPLER_ARG;
    if (raw === undefined || raw.trim() === '') return 1;
    const ratio = Number(raw);
    if (ratio >= 0 && ratio <= 1) return ratio;
    warnVariable('OTEL_TRACES_SAMPLER_ARG', raw, 'a ratio from 0 to 1', 'the ratio 1.0 was used');
    return 1;
  };
}

function samplerFrom(env: NodeJS.ProcessEnv): SamplerSetting | undefined {
  const raw = env.OTEL_TRACES_SAMPLER;
  if (raw === undefined || raw.trim() === '') return undefined;
  const make = SAMPLERS[raw.trim().toLowerCase()];
  if (make === undefined) {
    warnVariable('OTEL_TRACES_SAMPLER', raw, Object.keys(SAMPLERS).join(', '), 'sampling stays as the options set it');
    return undefined;
  }
  return make(ratioFrom(env));
}

function propagatorsFrom(env: NodeJS.ProcessEnv): Propagators | undefined {
  const raw = env.OTEL_PROPAGATORS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.length === 0 || names.some((name) => !PROPAGATOR_NAMES.includes(name))) {
    warnVariable('OTEL_PROPAGATORS', raw, `a comma-separated list of ${PROPAGATOR_NAMES.join(', ')}`, 'the default headers (sentry, baggage) were used');
    return undefined;
  }
  if (names.includes('none')) return { sentry: false, tracecontext: false, baggage: false };
  return { sentry: names.includes('sentry'), tracecontext: names.includes('tracecontext'), baggage: names.includes('baggage') };
}

/**
 * Applies `OTEL_TRACES_SAMPLER` (+ `OTEL_TRACES_SAMPLER_ARG`) and `OTEL_PROPAGATORS` to what the
 * options left unset: the sampler only when neither `tracesSampleRate` nor `tracesSampler` was
 * given, the `tracecontext` propagator only when `propagateTraceparent` was not. A bad value is
 * one warning naming the variable, and the default.
 *
 * @example
 * // OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.25 node server.js
 * applyTracingEnvironment(resolved, options); // resolved.tracesSampleRate === 0.25
 */
export function applyTracingEnvironment(resolved: ResolvedOptions, given: IsometerOptions | undefined, env: NodeJS.ProcessEnv = process.env): void {
  if (resolved.tracesSampleRate === undefined && resolved.tracesSampler === undefined) {
    const sampler = samplerFrom(env);
    if (sampler?.tracesSampleRate !== undefined) resolved.tracesSampleRate = sampler.tracesSampleRate;
    if (sampler?.tracesSampler !== undefined) resolved.tracesSampler = sampler.tracesSampler;
  }
  const propagators = propagatorsFrom(env);
  if (propagators === undefined) return;
  const explicitTraceparent = typeof given === 'object' && given !== null && typeof given.propagateTraceparent === 'boolean';
  if (explicitTraceparent) propagators.tracecontext = resolved.propagateTraceparent;
  resolved.propagators = propagators;
  resolved.propagateTraceparent = propagators.tracecontext;
}
