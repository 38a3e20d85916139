import { describe, it, expect } from 'vitest';
import type { CounterPoint, DistributionPoint } from '../../../../src/core/index';
import { recordDatabaseOperation } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('recordDatabaseOperation', () => {
  it('records duration and count with operation, table and success, and sums retries in db.retries', async () => {
    recordDatabaseOperation({ operation: 'select', table: 'users', durationMs: 4, retryCount: 2 });
    recordDatabaseOperation({ operation: 'select', table: 'users', durationMs: 6, retryCount: 0 });
    await client.flush();
    const attributes = { operation: 'select', success: true, table: 'users' };
    expect(client.memory().find('db.operation.duration')[0]).toMatchObject({ unit: 'millisecond', attributes, count: 2, sum: 10 });
    expect(client.memory().find('db.operation.count')[0]).toMatchObject({ attributes, sum: 2 });
    const [retries] = client.memory().find('db.retries') as CounterPoint[];
    expect(retries).toMatchObject({ attributes: { operation: 'select', table: 'users' }, sum: 2, count: 1 });
    expect(client.memory().find('db.failures')).toEqual([]);
  });

  it('counts a failure with its error_type; errorType alone implies failure', async () => {
    recordDatabaseOperation({ operation: 'insert', table: 'orders', durationMs: 30, errorType: 'UniqueViolation' });
    recordDatabaseOperation({ operation: 'insert', table: 'orders', durationMs: 31, success: false });
    await client.flush();
    const failures = client.memory().find('db.failures') as CounterPoint[];
    expect(failures.map((point) => [point.attributes.error_type, point.sum]).sort()).toEqual([
      ['UniqueViolation', 1],
      ['unknown', 1],
    ]);
    expect((client.memory().find('db.operation.duration', { attributes: { success: false } })[0] as DistributionPoint).count).toBe(2);
  });

  it('warns once and records nothing when info is not an object', async () => {
    expect(() => recordDatabaseOperation(null as never)).not.toThrow();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.warnings().some((line) => line.startsWith('recordDatabaseOperation(info)'))).toBe(true);
  });
});
