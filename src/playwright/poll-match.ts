import type { MatchResult } from './match-result';

/** Waits between checks, as Playwright's own `expect.poll` does by default. */
const INTERVALS_MS = [100, 250, 500, 1000];

/** The last check (or why it could not run), and how long the matcher kept checking. */
export interface PolledMatch {
  /** The last completed check; undefined when none completed. */
  result: MatchResult | undefined;
  /** Why the last attempt could not check (collecting threw or outran the timeout). */
  error: string | undefined;
  attempts: number;
  elapsedMs: number;
}

/**
 * Runs `check` until its `pass` is `wanted` or `timeoutMs` runs out: data from pages and servers
 * arrives asynchronously (flush intervals, page hide), so a check that fails now may pass after
 * the next flush. An attempt that throws (a server not up yet) or outruns the timeout satisfies
 * neither `wanted` value, so `.not` cannot pass on an error. `timeoutMs <= 0` checks once.
 *
 * @example
 * const polled = await pollMatch(async () => matchCounter(await source.collect(), 'cart.add'), true, 5000);
 */
export async function pollMatch(check: () => Promise<MatchResult>, wanted: boolean, timeoutMs: number): Promise<PolledMatch> {
  const started = Date.now();
  const deadline = started + Math.max(0, timeoutMs);
  let attempts = 0;
  let result: MatchResult | undefined;
  let error: string | undefined;
  for (;;) {
    attempts++;
    const outcome = await attempt(check, deadline);
    error = outcome.error;
    if (outcome.result !== undefined) result = outcome.result;
    if (outcome.result !== undefined && outcome.result.pass === wanted) break;
    const wait = INTERVALS_MS[Math.min(attempts - 1, INTERVALS_MS.length - 1)];
    if (Date.now() + wait >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return { result, error, attempts, elapsedMs: Date.now() - started };
}

async function attempt(check: () => Promise<MatchResult>, deadline: number): Promise<{ result?: MatchResult; error?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One slow collection (a page that never answers) must not run past the matcher's timeout.
  const remaining = Math.max(1, deadline - Date.now());
  const timedOut = new Promise<{ error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ error: `collecting did not finish within ${remaining} ms` }), remaining);
  });
  try {
    return await Promise.race([check().then((result) => ({ result })), timedOut]);
  } catch (error) {
    return { error: `collecting failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}
