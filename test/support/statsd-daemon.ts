import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What the daemon flushed since the last `reset()`, added up over its flushes. */
export interface StatsdTotals {
  /** Counter totals (`statsd.*` included), each flush's value added up. */
  counters: Record<string, number>;
  /** The last value each gauge had at a flush. */
  gauges: Record<string, number>;
  /** Timer counts as the daemon computes them: Σ 1/rate over the values received. */
  timerCounts: Record<string, number>;
  /** Every timer value received, ascending per flush. */
  timerValues: Record<string, number[]>;
  /**
   * The daemon's own figures for each timer (`count`, `mean`, `upper_90`, `mean_90`, …: its
   * `timer_data`, what it hands a Graphite backend), one entry per flush that had the timer.
   */
  timerFigures: Record<string, Array<Record<string, number>>>;
  flushes: number;
}

/** A real `statsd` daemon (the npm package) on loopback, for end-to-end tests. */
export interface StatsdDaemon {
  /** The UDP port it listens on (127.0.0.1). */
  readonly port: number;
  /** Its management TCP port (127.0.0.1). */
  readonly managementPort: number;
  totals(): StatsdTotals;
  /** Forgets what was flushed so far. */
  reset(): void;
  /** Resolves at the first flush after which `done(totals)` holds; rejects after `maxFlushes` flushes without it. */
  waitForTotals(done: (totals: StatsdTotals) => boolean, maxFlushes?: number): Promise<StatsdTotals>;
  /** Stops the daemon and removes its temporary files. */
  stop(): Promise<void>;
}

const FLUSH_MARKER = 'ISOMETER_STATSD_FLUSH ';
const MANAGEMENT_ATTEMPTS = 200;
const MANAGEMENT_RETRY_MS = 25;
const READY_PROBE = 'isometer.daemon.ready';

// A statsd backend (docs/backend_interface.md) that prints each flush as one JSON line, so the
// test reads exactly what the daemon would hand to Graphite. It runs inside the daemon process.
const BACKEND_SOURCE = `
exports.init = function (startupTime, config, events) {
  events.on('flush', function (timestamp, metrics) {
    var timerCounts = {};
    for (var key in metrics.timer_data) timerCounts[key] = metrics.timer_data[key].count;
    process.stdout.write(${JSON.stringify(FLUSH_MARKER)} + JSON.stringify({
      counters: metrics.counters, gauges: metrics.gauges, timers: metrics.timers, timerCounts: timerCounts, timerData: metrics.timer_data,
    }) + '\\n');
  });
  return true;
};
`;

interface Flush {
  counters: Record<string, number>;
  gauges: Record<string, number>;
  timers: Record<string, number[]>;
  timerCounts: Record<string, number>;
  timerData: Record<string, Record<string, number>>;
}

/**
 * Starts `node_modules/statsd` as a child process on free loopback ports, with a short flush
 * interval and a backend that reports every flush on stdout. Resolves once the management port
 * answers `health: up` and a probe datagram has come out of a flush.
 *
 * @example
 * const daemon = await startStatsdDaemon();
 * // …send to daemon.port…
 * const totals = await daemon.waitForTotals((t) => (t.counters['orders'] ?? 0) >= 3);
 * await daemon.stop();
 */
export async function startStatsdDaemon(options: { flushIntervalMs?: number } = {}): Promise<StatsdDaemon> {
  const directory = await mkdtemp(join(tmpdir(), 'isometer-statsd-'));
  const [port, managementPort] = [await freeUdpPort(), await freeTcpPort()];
  const backendPath = join(directory, 'json-flush-backend.cjs');
  const configPath = join(directory, 'config.json');
  await writeFile(backendPath, BACKEND_SOURCE);
  await writeFile(
    configPath,
    JSON.stringify({
      port,
      address: '127.0.0.1',
      mgmt_port: managementPort,
      mgmt_address: '127.0.0.1',
      flushInterval: options.flushIntervalMs ?? 50,
      backends: [backendPath],
      // Only what arrived since the last flush is reported; gauges go after one idle flush.
      deleteIdleStats: true,
      automaticConfigReload: false,
    }),
  );
  const statsdMain = createRequire(import.meta.url).resolve('statsd/stats.js');
  const child = spawn(process.execPath, [statsdMain, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  let totals = emptyTotals();
  const listeners = new Set<() => void>();
  let exited = false;
  child.once('exit', () => {
    exited = true;
    for (const listener of [...listeners]) listener();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith(FLUSH_MARKER)) return;
    addFlush(totals, JSON.parse(line.slice(FLUSH_MARKER.length)) as Flush);
    for (const listener of [...listeners]) listener();
  });

  const waitForTotals: StatsdDaemon['waitForTotals'] = (done, maxFlushes = 200) =>
    new Promise((resolve, reject) => {
      if (done(totals)) return resolve(totals);
      const startedAt = totals.flushes;
      const check = (): void => {
        if (done(totals)) {
          listeners.delete(check);
          resolve(totals);
        } else if (exited || totals.flushes - startedAt >= maxFlushes) {
          listeners.delete(check);
          reject(new Error(`statsd daemon ${exited ? 'exited' : `flushed ${maxFlushes} times`} without reaching the expected totals: ${JSON.stringify(totals)}\n${stderr}`));
        }
      };
      listeners.add(check);
    });

  const stop = async (): Promise<void> => {
    if (!exited) {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await ended;
    }
    await rm(directory, { recursive: true, force: true });
  };

  try {
    await waitForManagement(managementPort, child, () => stderr);
    await probeUdp(port, waitForTotals);
  } catch (error) {
    await stop();
    throw error;
  }
  totals = emptyTotals();
  return {
    port,
    managementPort,
    totals: () => totals,
    reset: () => void (totals = emptyTotals()),
    waitForTotals,
    stop,
  };
}

function emptyTotals(): StatsdTotals {
  return { counters: {}, gauges: {}, timerCounts: {}, timerValues: {}, timerFigures: {}, flushes: 0 };
}

function addFlush(totals: StatsdTotals, flush: Flush): void {
  totals.flushes++;
  for (const key in flush.counters) totals.counters[key] = (totals.counters[key] ?? 0) + flush.counters[key];
  Object.assign(totals.gauges, flush.gauges);
  for (const key in flush.timerCounts) totals.timerCounts[key] = (totals.timerCounts[key] ?? 0) + flush.timerCounts[key];
  for (const key in flush.timers) (totals.timerValues[key] ??= []).push(...flush.timers[key]);
  for (const key in flush.timerData) if (flush.timerData[key].count > 0) (totals.timerFigures[key] ??= []).push(flush.timerData[key]);
}

/** Polls the management port until it answers `health: up` (a bounded loop: there is no event to wait for). */
async function waitForManagement(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < MANAGEMENT_ATTEMPTS; attempt++) {
    if (child.exitCode !== null) throw new Error(`statsd daemon exited with ${child.exitCode}: ${stderr()}`);
    if (await askHealth(port)) return;
    await new Promise((resolve) => setTimeout(resolve, MANAGEMENT_RETRY_MS));
  }
  throw new Error(`statsd management port ${port} did not answer after ${MANAGEMENT_ATTEMPTS} attempts: ${stderr()}`);
}

function askHealth(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const finish = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.on('connect', () => socket.write('health\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\n')) finish(answer.includes('health: up'));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(answer.includes('health: up')));
  });
}

/** Sends a probe counter on every flush until one flush reports it: the UDP side is then bound. */
async function probeUdp(port: number, waitForTotals: StatsdDaemon['waitForTotals']): Promise<void> {
  const socket = createSocket('udp4');
  try {
    const probe = (): void => socket.send(`${READY_PROBE}:1|c`, port, '127.0.0.1');
    probe();
    await waitForTotals((totals) => {
      if ((totals.counters[READY_PROBE] ?? 0) > 0) return true;
      probe();
      return false;
    }, 100);
  } finally {
    socket.close();
  }
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
