/**
 * Server overhead and span delivery: each configuration runs a node:http server in a child
 * process; the parent drives it with keep-alive connections at the highest rate it sustains,
 * reads the child's CPU time (user + system) per request, then has the library flush and counts
 * what reached the loopback collector. Medians over rounds; prints, never fails.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector.mjs';
import { CONFIGURATIONS } from './server-configurations.mjs';
import { createLoad } from './load.mjs';

const CHILD = fileURLToPath(new URL('./server-process.mjs', import.meta.url));

function ask(child, message, reply) {
  return new Promise((resolve, reject) => {
    const onMessage = (answer) => {
      if (answer.type !== reply) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(answer);
    };
    const onExit = (code) => reject(new Error(`the server process exited (${code}) before answering ${message.type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message.type) child.send(message);
  });
}

/** Runs one configuration; resolves with CPU µs per request (per round) and what was delivered. */
export async function measureConfiguration(name, collector, { warmup, rounds, perRound, connections }) {
  const child = fork(CHILD, [name, collector.url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { port } = await ask(child, {}, 'listening');
    collector.reset();
    const load = createLoad(port, connections);
    let failures = await load.run(warmup);
    const perRequest = [];
    const rates = [];
    for (let round = 0; round < rounds; round++) {
      await ask(child, { type: 'mark' }, 'marked');
      const started = process.hrtime.bigint();
      failures += await load.run(perRound);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const { cpuMicros } = await ask(child, { type: 'mark' }, 'marked');
      perRequest.push(cpuMicros / perRound);
      rates.push(perRound / seconds);
    }
    load.close();
    const { ok } = await ask(child, { type: 'flush' }, 'flushed');
    const requests = warmup + rounds * perRound;
    return { name, perRequest, rates, requests, failures, flushed: ok, counts: { ...collector.counts } };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Every configuration, in order; a configuration that fails is reported and skipped. */
export async function measureServers(options = {}) {
  const settings = { warmup: 2000, rounds: 5, perRound: 4000, connections: 16, ...options };
  const collector = await startCollector();
  const results = [];
  try {
    for (const name of options.only ?? Object.keys(CONFIGURATIONS)) {
      try {
        results.push(await measureConfiguration(name, collector, settings));
      } catch (error) {
        results.push({ name, error: String(error?.message ?? error) });
      }
    }
  } finally {
    await collector.stop();
  }
  return { settings, results };
}
