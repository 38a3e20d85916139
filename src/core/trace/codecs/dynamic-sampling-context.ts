import { parseDsn } from '../../internal/dsn';
import type { TracingOptions } from '../tracing-options';
import type { PropagationContext } from '../../internal/propagation-context';
import type { Span } from '../span';

/**
 * The `sentry-*` baggage entries a trace carries (its dynamic sampling context). An incoming one
 * is passed on unchanged, except that a decision made here fills a missing `sampled`; otherwise
 * it is built from this runtime's root span and options.
 * https://develop.sentry.dev/sdk/telemetry/traces/dynamic-sampling-context/
 */
export function dynamicSamplingContext(propagation: PropagationContext, root: Span | undefined, options: TracingOptions | undefined): Record<string, string> {
  if (propagation.dsc !== undefined) {
    if (propagation.dsc.sampled !== undefined || propagation.sampled === undefined) return propagation.dsc;
    return { ...propagation.dsc, sampled: String(propagation.sampled) };
  }
  const dsc: Record<string, string> = { trace_id: propagation.traceId };
  const publicKey = parseDsn(options?.dsn)?.publicKey;
  if (publicKey) dsc.public_key = publicKey;
  if (options?.release) dsc.release = options.release;
  if (options?.environment) dsc.environment = options.environment;
  // URL-derived names are high-cardinality and may carry personal data; Sentry leaves them out.
  if (root !== undefined && root.nameSource !== 'url') dsc.transaction = root.name;
  if (propagation.sampleRate !== undefined) dsc.sample_rate = String(propagation.sampleRate);
  if (propagation.sampled !== undefined) dsc.sampled = String(propagation.sampled);
  dsc.sample_rand = String(propagation.sampleRand);
  return dsc;
}
