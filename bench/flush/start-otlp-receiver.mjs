import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts the loopback OTLP receiver (otlp-receiver.mjs) in a child process of its own, so its
 * decoding never counts against the flushing process's CPU. Resolves with its endpoint,
 * `report()` (what it decoded so far) and `stop()`.
 */
export function startOtlpReceiver() {
  const child = fork(fileURLToPath(new URL('./otlp-receiver.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  return next().then(({ port }) => ({
    endpoint: `http://127.0.0.1:${port}`,
    report: () => {
      const reply = next();
      child.send('report');
      return reply;
    },
    stop: () => child.send('stop'),
  }));
}
