import { describe, expect, it } from 'vitest';
import { parseDevArguments } from '../../../src/dev/parse-dev-arguments';

describe('parseDevArguments', () => {
  it('defaults to port 8976 on 127.0.0.1 without StatsD', () => {
    expect(parseDevArguments(['dev'])).toEqual({ ok: true, command: 'dev', port: 8976, host: '127.0.0.1' });
  });

  it('reads --port, --host and --statsd, spaced or with =', () => {
    expect(parseDevArguments(['dev', '--port', '9000', '--host=0.0.0.0', '--statsd', '8125'])).toEqual({ ok: true, command: 'dev', port: 9000, host: '0.0.0.0', statsdPort: 8125 });
  });

  it('says what is wrong with a bad command, option or port', () => {
    expect(parseDevArguments(['serve'])).toEqual({ ok: false, error: 'unknown command "serve"' });
    expect(parseDevArguments(['dev', '--verbose'])).toEqual({ ok: false, error: 'unknown option --verbose' });
    expect(parseDevArguments(['dev', '--port', '70000'])).toMatchObject({ ok: false, error: expect.stringContaining('--port must be a port number') });
    expect(parseDevArguments(['dev', '--statsd'])).toEqual({ ok: false, error: '--statsd needs a value' });
  });

  it('shows the usage for no command or --help', () => {
    expect(parseDevArguments([])).toMatchObject({ ok: true, command: 'help' });
    expect(parseDevArguments(['dev', '--help'])).toMatchObject({ ok: true, command: 'help' });
  });
});
