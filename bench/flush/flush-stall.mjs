/**
 * The longest event-loop stall of one isometer flush, one series count per process (started by
 * `measureFlushStalls`): record SERIES series (half counters, half distributions of four values,
 * across metrics of 1,500 series each, within the default limit), flush once to warm the code up as a
 * service's repeated flushes do, record them again, then flush to an exporter that counts points while
 * a `setImmediate` ticker notes the longest gap between its turns. The gap is the longest stretch
 * the flush held the event loop: collecting, finalising and handing the batch to the exporter
 * (wire encoders are measured apart). Repeated RUNS times; `delivered` checks every series
 * reached the exporter.
 *
 * Usage: node bench/flush/flush-stall.mjs <series>
 */
import { performance } from 'node:perf_hooks';
import { importBuilt } from '../peers/isometer.mjs';

const SERIES = Number(process.argv[2]);
/** Flushes measured after the warm-up one. */
const RUNS = 3;
/** Inside the default limit's headroom (new sets fold their widest key from 1,750 series of a metric on). */
const PER_METRIC = 1500;
const ROUTES = Array.from({ length: 50 }, (_, i) => `/api/resource-${i}`);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = ['200', '201', '204', '304', '400', '401', '403', '404'];

function attributesOf(i) {
  return { route: ROUTES[i % 50], method: METHODS[Math.floor(i / 50) % 4], status: STATUSES[Math.floor(i / 200) % 8] };
}

function recordSeries(isometer) {
  const half = Math.floor(SERIES / 2);
  for (let i = 0; i < half; i++) isometer.metrics.count(`stall.counter.${Math.floor(i / PER_METRIC)}`, 1, { attributes: attributesOf(i % PER_METRIC) });
  for (let i = 0; i < SERIES - half; i++) {
    const name = `stall.latency.${Math.floor(i / PER_METRIC)}`;
    const attributes = attributesOf(i % PER_METRIC);
    for (const ms of [3, 12, 40, 480]) isometer.metrics.distribution(name, ms * (1 + (i % 7) / 10), { attributes });
  }
}

async function main() {
  const isometer = await importBuilt('isometer/node');
  let delivered = 0;
  const counting = {
    name: 'bench-count',
    exportMetrics(batch) {
      delivered += batch.points.length;
    },
  };
  isometer.init({ exporters: [counting], flushIntervalMs: 0 });
  const record = () => recordSeries(isometer);
  // One flush of the same series first: a service flushes every interval, so the code is warm.
  record();
  await isometer.flush(60_000);
  const flushes = [];
  for (let run = 0; run < RUNS; run++) {
    record();
    flushes.push(
      await measureFlush(
        isometer,
        () => delivered,
        (value) => (delivered = value),
      ),
    );
  }
  await isometer.close();
  process.stdout.write(JSON.stringify({ series: SERIES, flushes }));
}

/** One flush with a `setImmediate` ticker beside it: the longest gap between turns, wall and CPU. */
async function measureFlush(isometer, readDelivered, resetDelivered) {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = 0;
  let longestCpu = 0;
  let turns = 0;
  let running = true;
  const note = () => {
    const at = performance.now();
    const cpu = process.cpuUsage();
    longest = Math.max(longest, at - last);
    // CPU time of the same stretch (all of the process's threads): on a shared machine the
    // wall-clock gap also holds time the OS gave to other processes, which no slicing prevents.
    longestCpu = Math.max(longestCpu, (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000);
    last = at;
    lastCpu = cpu;
  };
  const tick = () => {
    note();
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  resetDelivered(0);
  const started = performance.now();
  last = started;
  lastCpu = process.cpuUsage();
  const ok = await isometer.flush(60_000);
  const flushMs = performance.now() - started;
  note(); // the stretch from the flush's last slice to its end counts too
  running = false;
  return { longestStallMs: longest, longestStallCpuMs: longestCpu, flushMs, turns, delivered: readDelivered(), ok };
}

main().catch((error) => process.stdout.write(JSON.stringify({ series: SERIES, error: String(error?.stack ?? error) })));
