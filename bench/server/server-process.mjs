/**
 * One instrumented node:http server, run in its own process so its CPU time is its own
 * (`process.cpuUsage()`): the load generator and the collector live in the parent. Messages:
 * parent → `{ type: 'mark' }` (reply: CPU used since the last mark), `{ type: 'flush' }` (reply
 * once the library has handed everything to its exporter), `{ type: 'stop' }`.
 *
 * Argument: the configuration name (see CONFIGURATIONS in server-configurations.mjs).
 */
import http from 'node:http';
import { CONFIGURATIONS } from './server-configurations.mjs';

const [name, collectorUrl] = process.argv.slice(2);
const configuration = CONFIGURATIONS[name];
const library = await configuration.start({ collectorUrl });

const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
const handler = library.wrapHandler((request, response) => {
  // A request's body is read to its end, as a JSON API would, before the answer goes out.
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
  });
});
const server = http.createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, handler);
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }));

let lastMark = process.cpuUsage();
process.on('message', async (message) => {
  if (message.type === 'mark') {
    const usage = process.cpuUsage(lastMark);
    lastMark = process.cpuUsage();
    process.send({ type: 'marked', cpuMicros: usage.user + usage.system });
  } else if (message.type === 'flush') {
    const ok = await library.flush();
    process.send({ type: 'flushed', ok, recorded: library.recorded?.() });
  } else if (message.type === 'stop') {
    server.close();
    server.closeAllConnections?.();
    await library.stop?.();
    process.exit(0);
  }
});
