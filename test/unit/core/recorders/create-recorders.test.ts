import { describe, it, expect } from 'vitest';
import { close, flush, init, memoryExporter } from '../../../../src/core/index';
import { createRecorders } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('createRecorders', () => {
  it('puts its prefix in front of every recorder metric name', async () => {
    const recorders = createRecorders({ prefix: 'billing.' });
    expect(recorders.prefix).toBe('billing');
    recorders.recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'POST', statusCode: 429, durationMs: 1 });
    recorders.recordDatabaseOperation({ operation: 'select', table: 'invoices', durationMs: 1, retryCount: 1, errorType: 'Timeout' });
    recorders.recordCacheOperation({ cache: 'rates', operation: 'get', hit: true, durationMs: 1, size: 4 });
    recorders.recordCacheOperation({ cache: 'rates', operation: 'get', miss: true, durationMs: 1, errorType: 'Down' });
    recorders.recordTask({ task: 'close-books', taskType: 'cron', durationMs: 1, errorType: 'Locked' });
    recorders.recordCommand({ command: 'refund', commandType: 'cli', durationMs: 1, errorType: 'Denied' });
    recorders.trackTask({ task: 'wrapped' }, () => undefined);
    const processor = recorders.processorMetrics('stt');
    processor.startTtfb();
    processor.stopTtfb();
    processor.startProcessing();
    processor.stopProcessing();
    await client.flush();
    const names = new Set(
      client
        .memory()
        .points()
        .filter((point) => point.name !== 'span.duration')
        .map((point) => point.name),
    );
    expect([...names].sort()).toEqual(
      [
        'api.call.duration',
        'api.call.count',
        'api.failures',
        'api.rate_limited',
        'db.operation.duration',
        'db.operation.count',
        'db.failures',
        'db.retries',
        'cache.operation.duration',
        'cache.operation.count',
        'cache.failures',
        'cache.hits',
        'cache.misses',
        'cache.size',
        'task.run.duration',
        'task.run.count',
        'task.failures',
        'command.run.duration',
        'command.run.count',
        'command.failures',
        'processor.ttfb',
        'processor.processing',
      ]
        .map((name) => `billing.${name}`)
        .sort(),
    );
  });

  it('lets a processorMetrics prefix of its own win over the recorders prefix', async () => {
    const processor = createRecorders({ prefix: 'billing' }).processorMetrics('stt', { prefix: 'voice' });
    processor.startTtfb();
    processor.stopTtfb();
    await client.flush();
    expect(client.memory().find('voice.processor.ttfb')).toHaveLength(1);
    expect(client.memory().find('billing.processor.ttfb')).toEqual([]);
  });

  it('uses no prefix by default and warns about a prefix that is not a string', async () => {
    expect(createRecorders().prefix).toBe('');
    expect(createRecorders({ prefix: 7 as never }).prefix).toBe('');
    expect(client.warnings()).toContain('createRecorders({ prefix }): prefix must be a string such as "checkout"; no prefix was used.');
  });

  it("gets init's prefix applied on top of its own", async () => {
    await close();
    const memory = memoryExporter();
    init({ flushIntervalMs: 0, prefix: 'shop', exporters: [memory] });
    createRecorders({ prefix: 'billing' }).recordCommand({ command: 'refund', durationMs: 2 });
    await flush();
    expect(memory.total('shop.billing.command.run.count')).toBe(1);
  });
});
