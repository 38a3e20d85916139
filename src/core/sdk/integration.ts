import type { Client } from './client';

/**
 * A pluggable piece of setup: a name and a hook that receives the client once `init` built it
 * (undo what it installs with `client.onClose`). Integrations with the same name run once.
 *
 * @example
 * const heartbeat: Integration = {
 *   name: 'heartbeat',
 *   setup(client) {
 *     const timer = setInterval(() => metrics.count('app.heartbeat'), 60_000);
 *     client.onClose(() => clearInterval(timer));
 *   },
 * };
 */
export interface Integration {
  readonly name: string;
  setup(client: Client): void;
}

/** True when `value` has the shape of an integration. */
export function isIntegration(value: unknown): value is Integration {
  return typeof value === 'object' && value !== null && typeof (value as Integration).name === 'string' && typeof (value as Integration).setup === 'function';
}
