import { describe, it, expect } from 'vitest';
import { recordCommand } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

describe('recordCommand', () => {
  it('records duration and count with command, command_type and success', async () => {
    recordCommand({ command: 'ban', commandType: 'slash', durationMs: 31 });
    await client.flush();
    const attributes = { command: 'ban', command_type: 'slash', success: true };
    expect(client.memory().find('command.run.duration')[0]).toMatchObject({ unit: 'millisecond', attributes, count: 1, sum: 31 });
    expect(client.memory().find('command.run.count')[0]).toMatchObject({ attributes, sum: 1 });
    expect(client.memory().find('command.failures')).toEqual([]);
  });

  it('counts a failure in command.failures with its error_type', async () => {
    recordCommand({ command: 'ban', commandType: 'slash', durationMs: 3, success: false, errorType: 'MissingPermissions' });
    await client.flush();
    expect(client.memory().find('command.failures')[0]).toMatchObject({ attributes: { command: 'ban', command_type: 'slash', error_type: 'MissingPermissions' }, sum: 1 });
    expect(client.memory().total('command.run.count', { success: false })).toBe(1);
  });

  it('warns once and records nothing when info is not an object', async () => {
    expect(() => recordCommand(undefined as never)).not.toThrow();
    await client.flush();
    expect(client.memory().points()).toEqual([]);
    expect(client.warnings().some((line) => line.startsWith('recordCommand(info)'))).toBe(true);
  });
});
