import { DEFAULT_VIEWER_PORT } from './start-viewer';

/** What `isometer dev [--port n] [--host h] [--statsd n]` asked for, or the usage error. */
export type DevArguments = { ok: true; command: 'dev' | 'help'; port: number; host: string; statsdPort?: number } | { ok: false; error: string };

/** The bin's usage text. */
export const USAGE = `usage: isometer dev [--port <port>] [--host <host>] [--statsd <udp port>]

  --port     HTTP port for ingest and the page (default ${DEFAULT_VIEWER_PORT})
  --host     interface to listen on (default 127.0.0.1)
  --statsd   also take StatsD/DogStatsD datagrams on this UDP port`;

/**
 * @example
 * parseDevArguments(['dev', '--port', '9000']); // { ok: true, command: 'dev', port: 9000, host: '127.0.0.1' }
 */
export function parseDevArguments(argv: string[]): DevArguments {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { ok: true, command: 'help', port: DEFAULT_VIEWER_PORT, host: '127.0.0.1' };
  if (command !== 'dev') return { ok: false, error: `unknown command ${JSON.stringify(command)}` };
  const result: Extract<DevArguments, { ok: true }> = { ok: true, command: 'dev', port: DEFAULT_VIEWER_PORT, host: '127.0.0.1' };
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') return { ...result, command: 'help' };
    const value = inline ?? rest[++i];
    if (flag !== '--port' && flag !== '--host' && flag !== '--statsd') return { ok: false, error: `unknown option ${flag}` };
    if (value === undefined || value === '') return { ok: false, error: `${flag} needs a value` };
    if (flag === '--host') {
      result.host = value;
      continue;
    }
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, error: `${flag} must be a port number (0-65535), not ${JSON.stringify(value)}` };
    if (flag === '--port') result.port = port;
    else result.statsdPort = port;
  }
  return result;
}
