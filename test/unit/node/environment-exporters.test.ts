import { afterEach, describe, expect, it, vi } from 'vitest';
import { environmentExporters } from '../../../src/node/environment-exporters';
import type { Exporter } from '../../../src/core/export/exporter';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('environmentExporters', () => {
  it('adds nothing when no variable is set', () => {
    expect(environmentExporters({})).toEqual([]);
  });

  it.each(['1', 'true', 'TRUE', 'yes', 'on', ' 1 '])('adds the console exporter for ISOMETER_CONSOLE=%j', (value) => {
    expect(environmentExporters({ ISOMETER_CONSOLE: value }).map((exporter) => exporter.name)).toEqual(['console']);
  });

  it.each(['0', 'false', 'no', '', 'off', 'maybe'])('adds nothing for ISOMETER_CONSOLE=%j', (value) => {
    expect(environmentExporters({ ISOMETER_CONSOLE: value })).toEqual([]);
  });

  it('adds the Datadog API exporter for DD_API_KEY, at the site DD_SITE names', () => {
    const [exporter] = environmentExporters({ DD_API_KEY: 'k', DD_SITE: 'datadoghq.eu' }) as Array<Exporter & { seriesUrl?: string }>;
    expect(exporter.name).toBe('datadog');
    expect(exporter.seriesUrl).toBe('https://api.datadoghq.eu/api/v2/series');
    expect(environmentExporters({ DD_API_KEY: ' ', DD_SITE: 'datadoghq.eu' })).toEqual([]);
  });

  it('makes none of the exporters the app already has', () => {
    const env = { ISOMETER_CONSOLE: '1', DD_API_KEY: 'k', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: '0' };
    expect(environmentExporters(env, ['console', 'datadog', 'prometheus'])).toEqual([]);
    expect(environmentExporters(env, ['prometheus', 'console']).map((exporter) => exporter.name)).toEqual(['datadog']);
  });

  it('reads process.env by default', () => {
    vi.stubEnv('ISOMETER_CONSOLE', '1');
    expect(environmentExporters().map((exporter) => exporter.name)).toEqual(['console']);
  });

  it('gives a console exporter that prints the metrics it receives', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const [exporter] = environmentExporters({ ISOMETER_CONSOLE: '1' });
    exporter.exportMetrics!({
      resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } },
      startTimeMs: 0,
      endTimeMs: 1000,
      points: [{ type: 'counter', name: 'env.check', unit: '', attributes: {}, startTimeMs: 0, timeMs: 1000, exemplars: [], sum: 3, count: 1 }],
    });
    expect(log.mock.calls.map((args) => String(args[0])).join('\n')).toMatch(/counter\s+env\.check\s+sum=3 \(1 adds\)/);
    log.mockRestore();
  });
});
