import { describe, it, expect } from 'vitest';
import { trackDatabaseOperation } from '../../../../src/core/index';
import { installFakeClock, useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

class DeadlockError extends Error {
  override name = 'DeadlockError';
}

describe('trackDatabaseOperation', () => {
  it('records the call in a db span with retries reported through the scope', async () => {
    const clock = installFakeClock();
    const rows = await trackDatabaseOperation({ operation: 'select', table: 'orders' }, async (scope) => {
      for (let attempt = 0; ; attempt++) {
        await Promise.resolve();
        clock.advance(5);
        if (attempt === 2) return [{ id: 1 }];
        scope.set({ retryCount: attempt + 1 });
      }
    });
    expect(rows).toEqual([{ id: 1 }]);
    await client.flush();
    expect(client.memory().find('db.operation.duration')[0]).toMatchObject({ attributes: { operation: 'select', success: true, table: 'orders' }, sum: 15 });
    expect(client.memory().total('db.retries', { operation: 'select', table: 'orders' })).toBe(2);
    expect(client.memory().spans[0]).toMatchObject({ name: 'select orders', op: 'db', attributes: { 'db.operation.name': 'select', 'db.collection.name': 'orders', 'db.retries': 2 } });
  });

  it('rethrows the error unchanged and records its name as error_type', async () => {
    const error = new DeadlockError('deadlock detected');
    await expect(trackDatabaseOperation({ operation: 'update', table: 'stock' }, async () => Promise.reject(error))).rejects.toBe(error);
    expect(() =>
      trackDatabaseOperation({ operation: 'update', table: 'stock' }, () => {
        throw error;
      }),
    ).toThrow(error);
    await client.flush();
    expect(client.memory().total('db.failures', { error_type: 'DeadlockError', operation: 'update', table: 'stock' })).toBe(2);
    expect(client.memory().spans.map((span) => span.status)).toEqual(['error', 'error']);
  });
});
