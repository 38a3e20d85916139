import type { Attributes } from '../../internal/attributes';
import type { Resource } from '../exporter';
import type { OtlpResource } from './otlp-json';
import { toOtlpAttributes } from './to-otlp-attributes';

/** What the exporter adds to the client's resource: its options and `OTEL_*` variables. */
export interface OtlpResourceOverrides {
  /** Wins over the client's `serviceName`. */
  serviceName?: string;
  /** Used when neither names a service (`OTEL_SERVICE_NAME`). */
  defaultServiceName?: string;
  attributes?: Attributes;
}

/**
 * The OTLP resource for a batch, with the semantic-convention keys
 * (https://opentelemetry.io/docs/specs/semconv/resource/): `service.name` (the exporter's
 * option, else the client's, else `OTEL_SERVICE_NAME`, else a `service.name` attribute, else
 * `unknown_service` as the resource SDK spec requires), `service.version` from `release`,
 * `deployment.environment.name` from `environment` plus the pre-1.27 `deployment.environment`
 * that many backends still read, and `telemetry.sdk.*`. Global attributes come first, so a
 * named key above wins over a global attribute of the same name.
 *
 * @example
 * toOtlpResource({ serviceName: 'shop', release: '1.2.0', attributes: {}, sdk: { name: 'isometer', version: '0.1.0' } });
 */
export function toOtlpResource(resource: Resource, overrides: OtlpResourceOverrides = {}): OtlpResource {
  const attributes: Attributes = { ...resource.attributes, ...overrides.attributes };
  const named = attributes['service.name'];
  attributes['service.name'] = overrides.serviceName || resource.serviceName || overrides.defaultServiceName || (typeof named === 'string' && named) || 'unknown_service';
  if (resource.release) attributes['service.version'] = resource.release;
  if (resource.environment) {
    attributes['deployment.environment.name'] = resource.environment;
    attributes['deployment.environment'] = resource.environment;
  }
  attributes['telemetry.sdk.name'] = resource.sdk.name;
  attributes['telemetry.sdk.version'] = resource.sdk.version;
  attributes['telemetry.sdk.language'] = sdkLanguage();
  return { attributes: toOtlpAttributes(attributes) };
}

/** `nodejs` under Node (Bun and Deno's Node mode report it too), `webjs` everywhere else. */
function sdkLanguage(): 'nodejs' | 'webjs' {
  const hostProcess = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof hostProcess?.versions?.node === 'string' ? 'nodejs' : 'webjs';
}
