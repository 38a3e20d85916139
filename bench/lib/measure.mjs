/**
 * Timing with `process.hrtime.bigint()`: warm up until the JIT has settled, size a round so it
 * lasts about `roundMs`, then time several rounds and report the median and the spread. The
 * median resists a GC pause or a timer landing in one round; min–max shows how noisy it was.
 */

/** Values every `run(n)` returns are folded in here, so V8 cannot treat the work as dead. */
let sink = 0;

export const DEFAULT_MEASURE_OPTIONS = { warmupMs: 250, roundMs: 40, rounds: 25, minIterations: 1024, maxIterations: 4_000_000 };

/**
 * @param {(n: number) => number} run executes `n` operations and returns a number derived from them
 * @returns {{ medianNs: number, minNs: number, maxNs: number, iterations: number, rounds: number, calls: number }}
 */
export function measure(run, options = {}) {
  const { warmupMs, roundMs, rounds, minIterations, maxIterations } = { ...DEFAULT_MEASURE_OPTIONS, ...options };
  let calls = 0;
  const time = (n) => {
    const start = process.hrtime.bigint();
    sink += run(n);
    const elapsed = Number(process.hrtime.bigint() - start);
    calls += n;
    return elapsed;
  };

  // Warm-up doubles n until one batch takes ≥ 2 ms, then repeats that batch until `warmupMs` is
  // spent (first calls are often 100× slower: interpreter, inline caches, first allocations).
  // The fastest of the last three batches sizes the rounds, so one slow batch (GC, another
  // process) does not shrink them.
  let n = 64;
  let spentNs = 0;
  const recent = [];
  while (spentNs < warmupMs * 1e6 || recent.length < 3) {
    const elapsed = time(n);
    spentNs += elapsed;
    if (elapsed < 2e6 && n < maxIterations) {
      n *= 2;
      recent.length = 0;
    } else {
      recent.push(elapsed / n);
      if (recent.length > 3) recent.shift();
    }
  }
  const nsPerOp = Math.min(...recent);

  const sized = Math.round((roundMs * 1e6) / Math.max(nsPerOp, 0.1));
  const iterations = Math.max(minIterations, Math.min(maxIterations, Math.ceil(sized / minIterations) * minIterations));
  const samples = [];
  for (let round = 0; round < rounds; round++) samples.push(time(iterations) / iterations);
  samples.sort((a, b) => a - b);
  return { medianNs: median(samples), minNs: samples[0], maxNs: samples[samples.length - 1], iterations, rounds, calls, samples };
}

/**
 * Several contenders measured in turns (a few rounds of each, then again, `repeats` times) and
 * each one's rounds pooled: a burst of load from other processes, a GC or a new flush interval
 * then lands on all of them alike, which a ratio between them needs.
 *
 * @param {Array<(n: number) => number>} runs
 * @returns {Array<{ medianNs, minNs, maxNs, iterations, rounds, calls }>}
 */
export function measureInterleaved(runs, options = {}) {
  const { rounds, warmupMs, repeats } = { ...DEFAULT_MEASURE_OPTIONS, repeats: 5, ...options };
  const pooled = runs.map(() => ({ samples: [], calls: 0, iterations: 0 }));
  for (let repeat = 0; repeat < repeats; repeat++) {
    runs.forEach((run, index) => {
      // Full warm-up once; later turns only re-warm the caches the others used meanwhile.
      const result = measure(run, { ...options, rounds: Math.ceil(rounds / repeats), warmupMs: repeat === 0 ? warmupMs : 20 });
      pooled[index].samples.push(...result.samples);
      pooled[index].calls += result.calls;
      pooled[index].iterations = result.iterations;
    });
  }
  return pooled.map(({ samples, calls, iterations }) => {
    samples.sort((a, b) => a - b);
    return { medianNs: median(samples), minNs: samples[0], maxNs: samples[samples.length - 1], iterations, rounds: samples.length, calls };
  });
}

function median(sorted) {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Read once at the end so the accumulated results stay observable. */
export function readSink() {
  return sink;
}
