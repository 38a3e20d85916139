/**
 * Counts the event loop's turns (`setImmediate`) until `stop()`: more than one means the work
 * under test let the loop run while it went on, as sliced work must.
 *
 * @example
 * const turns = countTurns();
 * await store.collectSliced(10);
 * expect(turns.stop()).toBeGreaterThan(1);
 */
export function countTurns(): { stop(): number } {
  let turns = 0;
  let ticking = true;
  const tick = (): void => {
    if (!ticking) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      ticking = false;
      return turns;
    },
  };
}
