import { describe, it, expect } from 'vitest';
import { trackModuleOperation } from '../../../../src/core/index';
import { installFakeClock, useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('trackModuleOperation', () => {
  it('times an async load in a module.load span and returns its result', async () => {
    const clock = installFakeClock();
    const loaded = await trackModuleOperation({ module: 'moderation', operation: 'load' }, async () => {
      await Promise.resolve();
      clock.advance(45);
      return { commands: 3 };
    });
    expect(loaded).toEqual({ commands: 3 });
    await client.flush();
    expect(client.memory().find('module.operation.duration')[0]).toMatchObject({ attributes: { module: 'moderation', operation: 'load', success: true }, sum: 45 });
    expect(client.memory().spans[0]).toMatchObject({ name: 'load moderation', op: 'module.load', attributes: { module: 'moderation', operation: 'load' } });
  });

  it('counts a rejected reload as a failure named after the error, marks the span, and rejects unchanged', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(trackModuleOperation({ module: 'music', operation: 'reload' }, () => Promise.reject(broken))).rejects.toBe(broken);
    await client.flush();
    expect(client.memory().total('module.failures', { module: 'music', operation: 'reload', error_type: 'SyntaxError' })).toBe(1);
    expect(client.memory().total('module.operation.count', { success: false })).toBe(1);
    expect(client.memory().spans[0].status).toBe('error');
  });

  it('counts a synchronous unload that throws and rethrows the same error', async () => {
    const thrown = new RangeError('still in use');
    expect(() =>
      trackModuleOperation({ module: 'cache', operation: 'unload' }, () => {
        throw thrown;
      }),
    ).toThrow(thrown);
    await client.flush();
    expect(client.memory().total('module.failures', { operation: 'unload', error_type: 'RangeError' })).toBe(1);
  });
});
