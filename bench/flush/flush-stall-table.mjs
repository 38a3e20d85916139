/**
 * The longest event-loop stall of a flush at 2,000 and 200,000 series (bench/flush/flush-stall.mjs,
 * one process per size, three measured flushes after a warm-up one). Budget: ≤ 5 ms at 2k,
 * ≤ 50 ms at 200k. Wall-clock gaps include time the OS gave to other processes, so the CPU time
 * of the same stretch is printed beside them.
 */
import { runChild } from '../lib/child.mjs';
import { formatBudget, formatInteger, formatTable } from '../lib/table.mjs';

const SCRIPT = new URL('./flush-stall.mjs', import.meta.url);
const SIZES = [
  [2_000, 5],
  [200_000, 50],
];

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ms = (value) => (value < 10 ? value.toFixed(1) : formatInteger(value));

export async function printFlushStalls() {
  console.log('\nlongest event-loop stall of one flush (isometer, half counters and half distributions, to an exporter that counts points; 3 flushes after a warm-up one)');
  const rows = [];
  for (const [series, budget] of SIZES) {
    const result = await runChild(SCRIPT, [String(series)]);
    if (result.error) {
      rows.push([formatInteger(series), 'error', '', '', '', '', result.error]);
      continue;
    }
    const { flushes } = result;
    const stalls = flushes.map((flush) => flush.longestStallMs);
    const cpu = flushes.map((flush) => flush.longestStallCpuMs);
    const delivered = flushes.every((flush) => flush.delivered === series && flush.ok) ? `✓ ${formatInteger(series)} each` : `✗ ${flushes.map((flush) => formatInteger(flush.delivered)).join(' / ')}`;
    rows.push([
      formatInteger(series),
      `${ms(median(stalls))} (max ${ms(Math.max(...stalls))})`,
      `${ms(median(cpu))}`,
      formatBudget(median(stalls), budget, ' ms'),
      ms(median(flushes.map((flush) => flush.flushMs))),
      formatInteger(median(flushes.map((flush) => flush.turns))),
      delivered,
    ]);
  }
  console.log(
    formatTable(
      [
        { header: 'series', align: 'right' },
        { header: 'longest stall ms, median', align: 'right' },
        { header: 'its CPU ms', align: 'right' },
        { header: 'budget', align: 'left' },
        { header: 'flush ms', align: 'right' },
        { header: 'turns', align: 'right' },
        { header: 'delivered', align: 'left' },
      ],
      rows,
    ),
  );
}
