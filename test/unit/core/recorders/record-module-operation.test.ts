import { describe, it, expect } from 'vitest';
import { createRecorders, recordModuleOperation } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('recordModuleOperation', () => {
  it('records duration and count with module, operation and success for load, unload and reload', async () => {
    recordModuleOperation({ module: 'moderation', operation: 'load', durationMs: 30 });
    recordModuleOperation({ module: 'moderation', operation: 'reload', durationMs: 12, success: true });
    recordModuleOperation({ module: 'moderation', operation: 'unload', durationMs: 2 });
    await client.flush();
    expect(client.memory().find('module.operation.duration', { attributes: { operation: 'load' } })[0]).toMatchObject({
      unit: 'millisecond',
      attributes: { module: 'moderation', operation: 'load', success: true },
      count: 1,
      sum: 30,
    });
    expect(client.memory().total('module.operation.count', { module: 'moderation', success: true })).toBe(3);
    expect(client.memory().find('module.failures')).toEqual([]);
  });

  it('counts a failed reload in module.failures with error_type, keeping error_type off the count', async () => {
    recordModuleOperation({ module: 'music', operation: 'reload', durationMs: 8, errorType: 'SyntaxError' });
    recordModuleOperation({ module: 'music', operation: 'load', success: false });
    await client.flush();
    expect(client.memory().find('module.failures', { attributes: { operation: 'reload' } })[0]).toMatchObject({
      attributes: { module: 'music', operation: 'reload', error_type: 'SyntaxError' },
      sum: 1,
    });
    expect(client.memory().find('module.failures', { attributes: { operation: 'load' } })[0]).toMatchObject({ attributes: { error_type: 'unknown' }, sum: 1 });
    expect(client.memory().find('module.operation.count', { attributes: { operation: 'reload' } })[0].attributes).toEqual({ module: 'music', operation: 'reload', success: false });
    // A measured value was given only for the reload: the load is counted, not timed.
    expect(
      client
        .memory()
        .find('module.operation.duration')
        .map((point) => point.attributes.operation),
    ).toEqual(['reload']);
  });

  it('takes the recorders prefix like every other row of the table', async () => {
    createRecorders({ prefix: 'bot' }).recordModuleOperation({ module: 'admin', operation: 'load', durationMs: 1 });
    await client.flush();
    expect(client.memory().total('bot.module.operation.count', { module: 'admin' })).toBe(1);
  });

  it('warns once and records nothing when info is not an object', async () => {
    expect(() => recordModuleOperation(null as never)).not.toThrow();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.warnings().some((line) => line.startsWith('recordModuleOperation(info)'))).toBe(true);
  });
});
