import { afterEach, describe, expect, it } from 'vitest';
import { close, continueTrace, flush, getDroppedCounts, initWithRuntime, memoryExporter, metrics, type DistributionPoint } from '../../../../src/core/index';
import { createAsyncContextManager } from '../../../../src/node/async-context-manager';
import { toSentryMetricItems, SENTRY_CLIENT_SAMPLE_RATE } from '../../../../src/core/sentry/sentry-metric-items';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** Headers of a caller that sampled at 25%: kept when sample_rand < 0.25. */
function callerHeaders(index: number, sampled: boolean): Record<string, string> {
  const traceId = `${TRACE_ID.slice(0, 28)}${String(index).padStart(4, '0')}`;
  const rand = sampled ? '0.1' : '0.9';
  return { 'sentry-trace': `${traceId}-b7ad6b7169203331-${sampled ? 1 : 0}`, baggage: `sentry-trace_id=${traceId},sentry-sample_rate=0.25,sentry-sampled=${sampled},sentry-sample_rand=${rand}` };
}

function start(sampleDistributionsWithTraces: boolean) {
  const memory = memoryExporter();
  initWithRuntime({ exporters: [memory], flushIntervalMs: 0, sampleDistributionsWithTraces }, { contextManager: createAsyncContextManager() });
  return memory;
}

describe('distributions sampled consistently with their trace', () => {
  afterEach(async () => {
    await close();
  });

  it('keeps values of kept traces only, records the rate, and never samples counters', async () => {
    const memory = start(true);
    for (let i = 0; i < 40; i++) {
      continueTrace(callerHeaders(i, i % 4 === 0), () => {
        metrics.distribution('checkout.latency', 100 + i, { unit: 'millisecond' });
        metrics.count('checkout.count');
      });
    }
    metrics.distribution('checkout.latency', 5, { unit: 'millisecond' }); // outside any trace: always kept
    await flush();
    const [point] = memory.find('checkout.latency') as DistributionPoint[];
    expect(point.count).toBe(11);
    // 10 kept values standing for 4 each, plus the one outside a trace: 41 recorded, 11 kept.
    expect(point.sampleRate).toBeCloseTo(11 / 41, 10);
    expect(point.count / point.sampleRate!).toBeCloseTo(41, 10);
    expect(memory.total('checkout.count')).toBe(40);
    expect(getDroppedCounts().sampled_out).toBe(30);
  });

  it('sends the rate to Sentry so its extrapolated count is the recorded one', async () => {
    const memory = start(true);
    for (let i = 0; i < 40; i++) continueTrace(callerHeaders(i, i % 4 === 0), () => metrics.distribution('latency', 100 + i));
    await flush();
    const items = toSentryMetricItems(memory.batches[0]);
    const extrapolated = items.reduce((total, item) => total + 1 / ((item.attributes[SENTRY_CLIENT_SAMPLE_RATE]?.value as number | undefined) ?? 1), 0);
    expect(extrapolated).toBeCloseTo(40, 8);
  });

  it('keeps every value when the option is off', async () => {
    const memory = start(false);
    for (let i = 0; i < 8; i++) continueTrace(callerHeaders(i, i % 4 === 0), () => metrics.distribution('latency', 1));
    await flush();
    const [point] = memory.find('latency') as DistributionPoint[];
    expect(point.count).toBe(8);
    expect(point.sampleRate).toBeUndefined();
  });
});
