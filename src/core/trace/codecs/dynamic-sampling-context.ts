import { parseDsn } from '../../internal/dsn';
import type { TracingOptions } from '../tracing-options';
import type { PropagationContext } from '../../internal/propagation-context';
import type { Span } from '../span';

/**
 * The `sentry-*` baggage entries a trace carries (its dynamic sampling context). An incoming one
 * is passed on unchanged, except that a decision made here fills a missing `sampled` and
 * `sample_rate` (as Sentry applies its local rate); otherwise it is built from this runtime's root
 * span and options. A deferred trace (`unsampledPropagation: 'deferred'`) carries neither, so the
 * next service decides with its own rate.
 * https://develop.sentry.dev/sdk/telemetry/traces/dynamic-sampling-context/
 */
export function dynamicSamplingContext(propagation: PropagationContext, root: Span | undefined, options: TracingOptions | undefined): Record<string, string> {
  const decided = propagation.sampled !== undefined && propagation.deferred !== true;
  if (propagation.dsc !== undefined) {
    const incoming = propagation.dsc;
    if (!decided || incoming.sampled !== undefined) return incoming;
    const filled: Record<string, string> = { ...incoming, sampled: String(propagation.sampled) };
    if (filled.sample_rate === undefined && propagation.sampleRate !== undefined) filled.sample_rate = String(propagation.sampleRate);
    return filled;
  }
  const dsc: Record<string, string> = { trace_id: propagation.traceId };
  const publicKey = parseDsn(options?.dsn)?.publicKey;
  if (publicKey) dsc.public_key = publicKey;
  if (options?.release) dsc.release = options.release;
  if (options?.environment) dsc.environment = options.environment;
  // URL-derived names are high-cardinality and may carry personal data; Sentry leaves them out.
  if (root !== undefined && root.nameSource !== 'url') dsc.transaction = root.name;
  if (decided && propagation.sampleRate !== undefined) dsc.sample_rate = String(propagation.sampleRate);
  if (decided) dsc.sampled = String(propagation.sampled);
  dsc.sample_rand = String(propagation.sampleRand);
  return dsc;
}
