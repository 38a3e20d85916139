/**
 * Server overhead and span delivery. Each configuration runs a node:http server in its own child
 * process, with its own loopback collector in this process. The rounds are interleaved (round 1
 * of every configuration, then round 2, …), so a burst of load from other processes on the machine
 * lands on all of them alike: per round, each server answers the same number of requests over
 * keep-alive connections, as fast as it can, and its CPU time (user + system, `process.cpuUsage`
 * in the child) is divided by the requests. Afterwards each library flushes and the collector
 * reports what arrived. Prints, never fails.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector.mjs';
import { CONFIGURATIONS } from './server-configurations.mjs';
import { createLoad } from './load.mjs';

const CHILD = fileURLToPath(new URL('./server-process.mjs', import.meta.url));

export const DEFAULT_SERVER_SETTINGS = { warmup: 2000, rounds: 7, perRound: 3000, connections: 16 };

function ask(child, message, reply) {
  return new Promise((resolve, reject) => {
    const onMessage = (answer) => {
      if (answer.type !== reply) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(answer);
    };
    const onExit = (code) => reject(new Error(`the server process exited (${code}) before answering ${message.type ?? 'its start'}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message.type) child.send(message);
  });
}

async function startServer(name, connections) {
  const collector = await startCollector();
  const child = fork(CHILD, [name, collector.url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { port } = await ask(child, {}, 'listening');
    return { name, child, collector, load: createLoad(port, connections), perRequest: [], rates: [], requests: 0, failures: 0 };
  } catch (error) {
    await collector.stop();
    throw error;
  }
}

async function stopServer(server) {
  server.load?.close();
  if (server.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.send({ type: 'stop' });
    await exited;
  }
  await server.collector.stop();
}

async function runRound(server, requests) {
  await ask(server.child, { type: 'mark' }, 'marked');
  const started = process.hrtime.bigint();
  server.failures += await server.load.run(requests);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { cpuMicros } = await ask(server.child, { type: 'mark' }, 'marked');
  server.requests += requests;
  return { cpuMicrosPerRequest: cpuMicros / requests, rate: requests / seconds };
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Measures every configuration (or `only` those); one that fails to start or crashes is reported
 * with its error and left out of the rest.
 * @returns {{ settings, results: Array<{ name, label, perRequest: number[], rates: number[], requests, failures, flushed, counts } | { name, label, error }> }}
 */
export async function measureServers(options = {}) {
  const settings = { ...DEFAULT_SERVER_SETTINGS, ...options };
  const names = settings.only ?? Object.keys(CONFIGURATIONS);
  const servers = [];
  const failed = [];
  for (const name of names) {
    try {
      const server = await startServer(name, settings.connections);
      servers.push(server);
      server.failures += await server.load.run(settings.warmup);
      server.requests += settings.warmup;
    } catch (error) {
      failed.push({ name, label: CONFIGURATIONS[name]?.label ?? name, error: String(error?.message ?? error) });
    }
  }
  for (let round = 0; round < settings.rounds; round++) {
    for (const server of servers) {
      if (server.error) continue;
      try {
        const { cpuMicrosPerRequest, rate } = await runRound(server, settings.perRound);
        server.perRequest.push(cpuMicrosPerRequest);
        server.rates.push(rate);
      } catch (error) {
        server.error = String(error?.message ?? error);
      }
    }
  }
  const results = [];
  for (const server of servers) {
    const base = { name: server.name, label: CONFIGURATIONS[server.name].label };
    try {
      if (server.error) throw new Error(server.error);
      server.load.close();
      const { ok } = await ask(server.child, { type: 'flush' }, 'flushed');
      results.push({ ...base, perRequest: server.perRequest, rates: server.rates, requests: server.requests, failures: server.failures, flushed: ok, counts: { ...server.collector.counts } });
    } catch (error) {
      results.push({ ...base, error: String(error?.message ?? error) });
    } finally {
      await stopServer(server).catch(() => undefined);
    }
  }
  return { settings, results: [...results, ...failed] };
}
