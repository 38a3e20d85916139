/**
 * The longest event-loop stall of one flush at 2,000 and 200,000 series (bench/flush/flush-stall.mjs,
 * one process per size and path, three measured flushes after a warm-up one), on two paths: the
 * collection alone (an exporter that counts points) and the whole OTLP path as Node defaults it
 * (protobuf, cumulative, sent to a loopback receiver in another process). Budget: ≤ 5 ms at 2k,
 * ≤ 50 ms at 200k. The wall-clock gap includes time the OS gave to other processes, so the CPU
 * time of the longest stretch is printed beside it: of the main thread, the one the event loop
 * runs on (Linux; checked against the budget), and of the whole process, which also counts V8's
 * helper threads working beside it (checked where the main thread's is not known); the
 * event-loop delay monitor's maximum is a cross-check of the wall-clock figure.
 */
import { runChild } from '../lib/child.mjs';
import { formatBudget, formatInteger, formatTable } from '../lib/table.mjs';

const SCRIPT = new URL('./flush-stall.mjs', import.meta.url);
const SIZES = [
  [2_000, 5],
  [200_000, 50],
];
const PATHS = [
  ['collect', 'collection → counting exporter'],
  ['otlp', 'otlpExporter() → loopback receiver'],
];

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ms = (value) => (value < 10 ? value.toFixed(1) : formatInteger(value));
const range = (values) => `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;

export async function printFlushStalls() {
  console.log('\nlongest event-loop stall of one flush (isometer, half counters and half distributions; 3 flushes after a warm-up one; median (min–max))');
  const rows = [];
  for (const [series, budget] of SIZES) {
    for (const [path, what] of PATHS) {
      const result = await runChild(SCRIPT, [String(series), path]);
      if (result.error) {
        rows.push([formatInteger(series), what, 'error', result.error, '', '', '', '', '', '']);
        continue;
      }
      const { flushes } = result;
      const cpu = flushes.map((flush) => flush.longestStallCpuMs);
      const thread = flushes.every((flush) => typeof flush.longestStallThreadMs === 'number') ? flushes.map((flush) => flush.longestStallThreadMs) : undefined;
      const delivered = flushes.every((flush) => flush.delivered === series && flush.ok)
        ? `delivered ✓ ${formatInteger(series)} each`
        : `delivered ✗ ${flushes.map((flush) => formatInteger(flush.delivered)).join(' / ')}`;
      rows.push([
        formatInteger(series),
        what,
        thread ? range(thread) : 'n/a',
        range(cpu),
        range(flushes.map((flush) => flush.longestStallMs)),
        range(flushes.map((flush) => flush.loopDelayMaxMs)),
        thread ? formatBudget(median(thread), budget, ' ms main-thread CPU') : formatBudget(median(cpu), budget, ' ms CPU'),
        ms(median(flushes.map((flush) => flush.flushMs))),
        formatInteger(median(flushes.map((flush) => flush.turns))),
        delivered,
      ]);
    }
  }
  console.log(
    formatTable(
      [
        { header: 'series', align: 'right' },
        { header: 'path', align: 'left' },
        { header: 'longest stall, main-thread CPU ms', align: 'right' },
        { header: 'longest stall, process CPU ms', align: 'right' },
        { header: 'longest stall, wall ms', align: 'right' },
        { header: 'loop delay max ms', align: 'right' },
        { header: 'budget', align: 'left' },
        { header: 'flush ms', align: 'right' },
        { header: 'turns', align: 'right' },
        { header: 'checks', align: 'left' },
      ],
      rows,
    ),
  );
  console.log(
    '  main-thread CPU = /proc/<pid>/task/<pid>/schedstat over the stretch (Linux); process CPU = process.cpuUsage (all threads: the GC and compiler helpers too); wall = the gap between two setImmediate turns; loop delay = monitorEventLoopDelay, 1 ms resolution.',
  );
}
