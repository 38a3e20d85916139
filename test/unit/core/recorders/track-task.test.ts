import { describe, it, expect } from 'vitest';
import { trackTask } from '../../../../src/core/index';
import { installFakeClock, useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('trackTask', () => {
  it('times an async task in a task span and returns its result', async () => {
    const clock = installFakeClock();
    const sent = await trackTask({ task: 'send-digest', taskType: 'cron' }, async () => {
      await Promise.resolve();
      clock.advance(120);
      return 42;
    });
    expect(sent).toBe(42);
    await client.flush();
    expect(client.memory().find('task.run.duration')[0]).toMatchObject({ attributes: { success: true, task: 'send-digest', task_type: 'cron' }, sum: 120 });
    expect(client.memory().spans[0]).toMatchObject({ name: 'send-digest', op: 'task', attributes: { task: 'send-digest', task_type: 'cron' } });
  });

  it('rethrows a thrown non-Error value unchanged and records error_type "unknown"', async () => {
    const thrown = { code: 'E_BUSY' };
    let caught: unknown;
    try {
      trackTask({ task: 'sweep', taskType: 'queue' }, () => {
        throw thrown;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    await client.flush();
    expect(client.memory().total('task.failures', { error_type: 'unknown', task: 'sweep' })).toBe(1);
  });

  it('still runs fn and records it with "unknown" labels when info is not an object', async () => {
    expect(trackTask(undefined as never, () => 'ran')).toBe('ran');
    await client.flush();
    expect(client.memory().total('task.run.count', { success: true, task: 'unknown', task_type: 'unknown' })).toBe(1);
    expect(client.warnings()).toContain('trackTask(info, fn): info must be an object; the call was recorded with "unknown" labels.');
  });
});
