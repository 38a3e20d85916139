import { afterEach, describe, expect, it, vi } from 'vitest';
import { close, flush, init, memoryExporter, metrics } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { createSentryExporter } from '../../../../src/core/sentry/sentry-exporter';

describe('the Sentry exporter without Sentry', () => {
  afterEach(async () => {
    await close();
    debugLogger.resetWarnings();
    vi.restoreAllMocks();
  });

  it('warns once, reports failure, and leaves the other exporters working', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const memory = memoryExporter();
    init({ exporters: [createSentryExporter(async () => undefined), memory], flushIntervalMs: 0 });
    metrics.count('orders');
    expect(await flush()).toBe(false);
    metrics.count('orders');
    expect(await flush()).toBe(false);
    expect(memory.total('orders')).toBe(2);
    const sentryWarnings = warn.mock.calls.filter((call) => String(call[1]).includes('no initialised Sentry client'));
    expect(sentryWarnings).toHaveLength(1);
  });

  it('survives a loader that throws', async () => {
    const memory = memoryExporter();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    init({ exporters: [createSentryExporter(() => Promise.reject(new Error('no module'))), memory], flushIntervalMs: 0 });
    metrics.gauge('depth', 3);
    expect(await flush()).toBe(false);
    expect(memory.find('depth')).toHaveLength(1);
  });
});
