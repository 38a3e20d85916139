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
  setup(client: IntegrationClient): void;
}

/** What an integration is handed: the client, as far as setting up and tearing down needs it. */
export interface IntegrationClient {
  /** False once the client was closed (or for the disabled client a bad `init` returns). */
  readonly isActive: boolean;
  /** Runs `cleanup` when the client closes: undo listeners and patches here. */
  onClose(cleanup: () => void): void;
  /** Sends what is pending now (a page about to be hidden, a job about to end). */
  flush(timeoutMs?: number): Promise<boolean>;
}

/** True when `value` has the shape of an integration. */
export function isIntegration(value: unknown): value is Integration {
  return typeof value === 'object' && value !== null && typeof (value as Integration).name === 'string' && typeof (value as Integration).setup === 'function';
}
