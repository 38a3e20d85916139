import { describe, it, expect } from 'vitest';
import { recordTask } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('recordTask', () => {
  it('records duration and count with task, task_type and success', async () => {
    recordTask({ task: 'send-digest', taskType: 'cron', durationMs: 950 });
    recordTask({ task: 'send-digest', taskType: 'cron', durationMs: 50, success: true });
    await client.flush();
    const attributes = { success: true, task: 'send-digest', task_type: 'cron' };
    expect(client.memory().find('task.run.duration')[0]).toMatchObject({ unit: 'millisecond', attributes, count: 2, sum: 1000, max: 950 });
    expect(client.memory().find('task.run.count')[0]).toMatchObject({ attributes, sum: 2 });
    expect(client.memory().find('task.failures')).toEqual([]);
  });

  it('counts a failure in task.failures with error_type and task_type "unknown" when none is given', async () => {
    recordTask({ task: 'reindex', durationMs: 10, success: false, errorType: 'OutOfMemory' });
    await client.flush();
    expect(client.memory().find('task.failures')[0]).toMatchObject({ attributes: { error_type: 'OutOfMemory', task: 'reindex', task_type: 'unknown' }, sum: 1 });
    expect(client.memory().total('task.run.count', { success: false })).toBe(1);
  });

  it('warns once and records nothing when info is not an object', async () => {
    expect(() => recordTask('reindex' as never)).not.toThrow();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.warnings().some((line) => line.startsWith('recordTask(info)'))).toBe(true);
  });
});
