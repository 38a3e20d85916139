import { describe, it, expect } from 'vitest';
import { readOtlpEnvironment } from '../../../../../src/core/export/otlp/read-otlp-environment';

describe('readOtlpEnvironment', () => {
  it('reads endpoints, percent-decoded headers, the service name and resource attributes', () => {
    expect(
      readOtlpEnvironment({
        OTEL_EXPORTER_OTLP_ENDPOINT: ' http://collector:4318 ',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%3D%3D, x-team = checkout,broken',
        OTEL_SERVICE_NAME: 'shop',
        OTEL_RESOURCE_ATTRIBUTES: 'k8s.pod.name=web-1',
      }),
    ).toEqual({
      endpoint: 'http://collector:4318',
      metricsEndpoint: undefined,
      tracesEndpoint: 'http://traces:4318/custom',
      headers: { 'api-key': 'abc==', 'x-team': 'checkout' },
      serviceName: 'shop',
      resourceAttributes: { 'k8s.pod.name': 'web-1' },
    });
  });

  it('treats empty variables as unset', () => {
    expect(readOtlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_EXPORTER_OTLP_HEADERS: '' })).toMatchObject({ endpoint: undefined, headers: undefined });
  });
});
