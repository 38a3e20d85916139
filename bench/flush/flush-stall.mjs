/**
 * The longest event-loop stall of one isometer flush, one series count and one path per process
 * (started by `printFlushStalls`): record SERIES series (half counters, half distributions of four
 * values, across metrics of 1,500 series each, within the default limits), flush once to warm the
 * code up as a service's repeated flushes do, record them again, then flush while a `setImmediate`
 * ticker times every stretch the flush held the event loop (each slice): wall-clock, CPU of the
 * whole process, and (on Linux) CPU of the main thread alone, which is what holds the event loop:
 * the process's figure also counts V8's helper threads (concurrent marking, compiling), which
 * run beside the event loop, not in its way.
 *
 * Paths: `collect` hands the batch to an exporter that only counts points (collection and
 * finalising alone); `otlp` sends it with `otlpExporter()` as Node defaults it (protobuf,
 * cumulative: running totals, encoding, packing, the delivery queue) to a loopback receiver in
 * another process that decodes every point, and the flush ends when all of it was answered.
 * `monitorEventLoopDelay` (1 ms resolution) watches the same flush as a cross-check. Repeated RUNS
 * times; `delivered` checks every series reached the exporter (or the receiver).
 *
 * Usage: node bench/flush/flush-stall.mjs <series> <collect|otlp>
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { importBuilt } from '../peers/isometer.mjs';
import { startOtlpReceiver } from './start-otlp-receiver.mjs';

const SERIES = Number(process.argv[2]);
const PATH = process.argv[3] ?? 'collect';
/** Flushes measured after the warm-up one. */
const RUNS = 3;
/** Inside the default limit's headroom (new sets fold their widest key from 1,750 series of a metric on). */
const PER_METRIC = 1500;
const ROUTES = Array.from({ length: 50 }, (_, i) => `/api/resource-${i}`);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = ['200', '201', '204', '304', '400', '401', '403', '404'];

/**
 * CPU time of the main thread in ms, from Linux's `/proc/<pid>/task/<pid>/schedstat` (its first
 * field: nanoseconds on a CPU), read into one buffer so the ticker allocates nothing; undefined
 * elsewhere. Node 20 has no `process.threadCpuUsage`.
 */
function mainThreadClock() {
  let fd;
  try {
    fd = openSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'r');
  } catch {
    return undefined;
  }
  const buffer = Buffer.alloc(64);
  const read = () => {
    const length = readSync(fd, buffer, 0, 64, 0);
    let nanoseconds = 0;
    for (let i = 0; i < length && buffer[i] !== 32; i++) nanoseconds = nanoseconds * 10 + (buffer[i] - 48);
    return nanoseconds / 1e6;
  };
  read.close = () => closeSync(fd);
  return read;
}
const threadMs = mainThreadClock();

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
  let exporter;
  let receiver;
  let counted = 0;
  if (PATH === 'otlp') {
    const { otlpExporter } = await importBuilt('isometer/otlp');
    receiver = await startOtlpReceiver();
    // Every series kept (the default keeps 20,000 cumulative series and folds the rest).
    exporter = otlpExporter({ endpoint: receiver.endpoint, env: {}, maxCumulativeSeries: SERIES });
  } else {
    exporter = {
      name: 'bench-count',
      exportMetrics(batch) {
        counted += batch.points.length;
      },
    };
  }
  // What reached the exporter (collect) or was decoded by the receiver (otlp) since the last call.
  const delivered = async () => {
    if (receiver) return (await receiver.report()).points;
    const value = counted;
    counted = 0;
    return value;
  };
  isometer.init({ exporters: [exporter], flushIntervalMs: 0 });
  // One flush of the same series first: a service flushes every interval, so the code is warm.
  recordSeries(isometer);
  await isometer.flush(120_000);
  await delivered();
  const flushes = [];
  for (let run = 0; run < RUNS; run++) {
    recordSeries(isometer);
    const flush = await measureFlush(isometer);
    flushes.push({ ...flush, delivered: await delivered() });
  }
  await isometer.close();
  receiver?.stop();
  threadMs?.close();
  process.stdout.write(JSON.stringify({ series: SERIES, path: PATH, flushes }));
}

/**
 * One flush with a `setImmediate` ticker beside it: each gap between its turns is a stretch the
 * flush held the event loop; the longest, wall-clock and the CPU time of the same stretch.
 */
async function measureFlush(isometer) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let lastThread = threadMs?.();
  let longest = 0;
  let longestCpu = 0;
  let longestThread = 0;
  let turns = 0;
  let running = true;
  const note = () => {
    const at = performance.now();
    const cpu = process.cpuUsage();
    longest = Math.max(longest, at - last);
    // CPU time of the same stretch (all of the process's threads, the GC's helpers included): on a
    // shared machine the wall-clock gap also holds time the OS gave to other processes.
    longestCpu = Math.max(longestCpu, (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000);
    if (threadMs !== undefined) {
      const thread = threadMs();
      longestThread = Math.max(longestThread, thread - lastThread);
      lastThread = thread;
    }
    last = at;
    lastCpu = cpu;
  };
  const tick = () => {
    note();
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  delay.enable();
  const started = performance.now();
  last = started;
  lastCpu = process.cpuUsage();
  lastThread = threadMs?.();
  const ok = await isometer.flush(120_000);
  const flushMs = performance.now() - started;
  note(); // the stretch from the flush's last slice to its end counts too
  running = false;
  delay.disable();
  const longestStallThreadMs = threadMs === undefined ? undefined : longestThread;
  return { longestStallMs: longest, longestStallCpuMs: longestCpu, longestStallThreadMs, loopDelayMaxMs: delay.max / 1e6, flushMs, turns, ok };
}

main().catch((error) => process.stdout.write(JSON.stringify({ series: SERIES, path: PATH, error: String(error?.stack ?? error) })));
