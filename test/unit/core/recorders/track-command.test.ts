import { describe, it, expect } from 'vitest';
import { trackCommand } from '../../../../src/core/index';
import { useRecorderClient } from './recorder-test-support';

const client = useRecorderClient();

class MissingPermissions extends Error {
  override name = 'MissingPermissions';
}

describe('trackCommand', () => {
  it('records a synchronous handler in a command span and returns its result', async () => {
    expect(trackCommand({ command: 'ping', commandType: 'slash' }, () => 'pong')).toBe('pong');
    await client.flush();
    expect(client.memory().total('command.run.count', { command: 'ping', command_type: 'slash', success: true })).toBe(1);
    expect(client.memory().find('command.run.duration', { attributes: { command: 'ping' } })).toHaveLength(1);
    expect(client.memory().spans[0]).toMatchObject({ name: 'ping', op: 'command', status: 'unset' });
  });

  it('rethrows a rejection unchanged and records its name as error_type', async () => {
    const error = new MissingPermissions('needs BAN_MEMBERS');
    await expect(trackCommand({ command: 'ban', commandType: 'slash' }, async () => Promise.reject(error))).rejects.toBe(error);
    await client.flush();
    expect(client.memory().total('command.failures', { command: 'ban', error_type: 'MissingPermissions' })).toBe(1);
    expect(client.memory().spans[0].status).toBe('error');
  });
});
