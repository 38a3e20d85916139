import { debugLogger } from '../../internal/debug-logger';
import { AGGREGATION_TEMPORALITY_CUMULATIVE, AGGREGATION_TEMPORALITY_DELTA } from './otlp-json';

/** The OTLP/HTTP encodings (https://opentelemetry.io/docs/specs/otel/protocol/exporter/#specify-protocol). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`'s values. */
export type OtlpTemporality = 'cumulative' | 'delta' | 'lowmemory';

const PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'];
const TEMPORALITIES: readonly string[] = ['cumulative', 'delta', 'lowmemory'];

/**
 * The AggregationTemporality each isometer kind gets under a preference, per the OTLP exporter
 * spec's table (https://opentelemetry.io/docs/specs/otel/metrics/sdk_exporters/otlp/#additional-environment-variable-configuration):
 * counters (monotonic) and distributions (histograms) are DELTA under `delta` and `lowmemory`;
 * isometer has no up-down counters, the only kind where the two differ. Gauges carry none.
 */
export const TEMPORALITY_CODES: Record<OtlpTemporality, number> = {
  cumulative: AGGREGATION_TEMPORALITY_CUMULATIVE,
  delta: AGGREGATION_TEMPORALITY_DELTA,
  lowmemory: AGGREGATION_TEMPORALITY_DELTA,
};

/**
 * The first valid value of `candidates` (an option, then environment variables, each with the
 * name a warning gives it), else `fallback`. A bad value warns once, naming where it came from.
 *
 * @example
 * pickSetting([[options.protocol, 'protocol'], [env.protocol, 'OTEL_EXPORTER_OTLP_PROTOCOL']], PROTOCOLS, 'http/protobuf');
 */
function pickSetting<T extends string>(candidates: Array<[unknown, string]>, allowed: readonly string[], fallback: T): T {
  for (const [value, source] of candidates) {
    if (value === undefined) continue;
    if (typeof value === 'string' && allowed.includes(value)) return value as T;
    debugLogger.warnOnce(`otlp:${source}`, `otlpExporter: ${source} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}. Using the next setting or ${fallback}.`);
  }
  return fallback;
}

/** The protocol for one signal: the option, the signal's variable, the general variable, the runtime's default. */
export function pickProtocol(option: unknown, signalVariable: [string | undefined, string], generalVariable: string | undefined, fallback: OtlpProtocol): OtlpProtocol {
  return pickSetting([[option, 'protocol'], signalVariable, [generalVariable, 'OTEL_EXPORTER_OTLP_PROTOCOL']], PROTOCOLS, fallback);
}

/** The temporality preference: the option, `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, the runtime's default. */
export function pickTemporality(option: unknown, variable: string | undefined, fallback: OtlpTemporality): OtlpTemporality {
  return pickSetting(
    [
      [option, 'temporality'],
      [variable, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'],
    ],
    TEMPORALITIES,
    fallback,
  );
}
