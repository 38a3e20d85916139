import { setImmediate as nextTurn } from 'node:timers/promises';
import { turnDeadline } from '../core/internal/yield-to-host';

/** How long one slice of work may hold the event loop. */
export const SLICE_MS = 4;

/**
 * A clock for work that pauses by itself: `pause()` gives the event loop a turn once the current
 * slice has run for more than `sliceMs`, and costs nothing otherwise.
 *
 * @example
 * const slicer = createSlicer();
 * for (const item of items) { handle(item); await slicer.pause(); }
 */
export function createSlicer(sliceMs = SLICE_MS): { pause(): Promise<void> | undefined } {
  let sliceStart = performance.now();
  return {
    pause() {
      if (performance.now() - sliceStart <= sliceMs) return undefined;
      return nextTurn().then(() => {
        sliceStart = performance.now();
      });
    },
  };
}

/**
 * Runs work written as a generator, which `yield`s wherever it may pause, in slices of at most
 * about `sliceMs`: past that the event loop gets a turn before the work goes on. Work
 * proportional to the number of series (a scrape of 100k of them) then never stalls the app's
 * requests for more than a few milliseconds.
 *
 * @example
 * const text = await runSliced(renderSteps(families)); // renderSteps: function* () { for (…) { …; yield; } return text; }
 */
export async function runSliced<T>(work: Generator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  // The turn's budget is shared with whatever sliced work ran before in it (a scrape reads the
  // totals, then builds the families, then renders: each starting a budget of its own would add up).
  let deadline = Math.min(turnDeadline(), performance.now() + sliceMs);
  let steps = 0;
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    // Reading the clock every step would cost more than small steps do.
    if (++steps % 8 === 0 && performance.now() >= deadline) {
      await nextTurn();
      deadline = Math.min(turnDeadline(), performance.now() + sliceMs);
    }
  }
}
