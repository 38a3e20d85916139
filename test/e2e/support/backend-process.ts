import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** isometer's node entry as a backend process (see isometer-backend.mjs). */
export const ISOMETER_BACKEND = fileURLToPath(new URL('./isometer-backend.mjs', import.meta.url));

/** A backend in a child process that reports `{ type: 'ready', port }` over IPC. */
export interface Backend {
  child: ChildProcess;
  url: string;
  /** Sends `message` and resolves with the first reply of `type`. */
  ask<T>(message: object, type: string): Promise<T>;
  stop(): void;
}

/**
 * Starts `script` (a path) with `env` added, and waits until it listens.
 *
 * @example
 * const backend = await startBackend(ISOMETER_BACKEND, { ISOMETER_SAMPLE_RATE: '0.5' });
 * await page.goto(`${pages}/page.html?backend=${backend.url}`);
 */
export async function startBackend(script: string, env: Record<string, string> = {}): Promise<Backend> {
  const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before sending ${type}`)));
    });
  const { port } = await next<{ port: number }>('ready');
  return { child, url: `http://127.0.0.1:${port}`, ask: (message, type) => (child.send(message), next(type)), stop: () => void (child.exitCode === null && child.kill()) };
}
