import type { Attributes } from '../../internal/attributes';

/** The `OTEL_*` settings the exporter honours (https://opentelemetry.io/docs/specs/otel/protocol/exporter/). */
export interface OtlpEnvironment {
  endpoint?: string;
  metricsEndpoint?: string;
  tracesEndpoint?: string;
  headers?: Record<string, string>;
  serviceName?: string;
  resourceAttributes?: Attributes;
  /** `OTEL_EXPORTER_OTLP_PROTOCOL`, and the per-signal ones over it. */
  protocol?: string;
  metricsProtocol?: string;
  tracesProtocol?: string;
  /** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, lowercased. */
  temporalityPreference?: string;
}

/** Environment variables as Node's `process.env` holds them. */
export type EnvironmentVariables = Record<string, string | undefined>;

/**
 * Reads the OTLP exporter's environment variables from `env`: the runtime supplies it (Node's
 * entry passes `process.env`); without it, `process.env` is used where a `process` global
 * exists, so the same code runs in a page, where there is none.
 *
 * @example
 * readOtlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc' });
 * // → { endpoint: 'http://collector:4318', headers: { 'api-key': 'abc' } }
 */
export function readOtlpEnvironment(env: EnvironmentVariables | undefined = hostEnvironment()): OtlpEnvironment {
  if (!env) return {};
  const read = (name: string): string | undefined => {
    try {
      const value = env[name];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    } catch {
      return undefined;
    }
  };
  const headers = parseKeyValueList(read('OTEL_EXPORTER_OTLP_HEADERS'));
  const resourceAttributes = parseKeyValueList(read('OTEL_RESOURCE_ATTRIBUTES'));
  return {
    endpoint: read('OTEL_EXPORTER_OTLP_ENDPOINT'),
    metricsEndpoint: read('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'),
    tracesEndpoint: read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
    headers,
    serviceName: read('OTEL_SERVICE_NAME'),
    resourceAttributes,
    protocol: read('OTEL_EXPORTER_OTLP_PROTOCOL'),
    metricsProtocol: read('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'),
    tracesProtocol: read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'),
    temporalityPreference: read('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE')?.toLowerCase(),
  };
}

function hostEnvironment(): EnvironmentVariables | undefined {
  try {
    const hostProcess = (globalThis as { process?: { env?: EnvironmentVariables } }).process;
    return hostProcess?.env;
  } catch {
    return undefined;
  }
}

/** `key1=value1,key2=value2` with percent-encoded values: the W3C Baggage list format the spec uses. */
function parseKeyValueList(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const entries: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const key = pair.slice(0, equals).trim();
    const raw = pair.slice(equals + 1).trim();
    if (key === '') continue;
    try {
      entries[key] = decodeURIComponent(raw);
    } catch {
      entries[key] = raw;
    }
  }
  return Object.keys(entries).length > 0 ? entries : undefined;
}
