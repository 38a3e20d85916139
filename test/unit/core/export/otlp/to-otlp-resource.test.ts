import { describe, it, expect } from 'vitest';
import { toOtlpResource } from '../../../../../src/core/export/otlp/to-otlp-resource';

describe('toOtlpResource', () => {
  it("prefers the exporter's serviceName, then the client's, then OTEL_SERVICE_NAME, then unknown_service", () => {
    const base = { attributes: {}, sdk: { name: 'isometer', version: '0.1.0' } };
    const name = (built: ReturnType<typeof toOtlpResource>) => built.attributes.find((entry) => entry.key === 'service.name')?.value.stringValue;
    expect(name(toOtlpResource({ ...base, serviceName: 'client' }, { serviceName: 'exporter', defaultServiceName: 'env' }))).toBe('exporter');
    expect(name(toOtlpResource({ ...base, serviceName: 'client' }, { defaultServiceName: 'env' }))).toBe('client');
    expect(name(toOtlpResource(base, { defaultServiceName: 'env' }))).toBe('env');
    expect(name(toOtlpResource(base))).toBe('unknown_service');
  });
});
